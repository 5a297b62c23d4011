//! The app's access token (`token` or `stable_token`).

use serde_json::json;

use super::OaClient;
use crate::client::retry::TokenSource;
use crate::client::{AccessTokenResp, Host};
use crate::error::Error;
use crate::token::FetchedToken;

impl OaClient {
    /// Fetches a new access token from WeChat (bypasses the cache; counts against quota).
    /// With `stable_token`, `force_refresh` is always false here: after a 40001 this returns
    /// the currently valid stable token instead of invalidating it for everyone else.
    pub async fn fetch_access_token(&self) -> Result<FetchedToken, Error> {
        let r = if self.stable {
            self.stable_token(false).await?
        } else {
            self.core
                .get_json(
                    Host::Api,
                    "/cgi-bin/token",
                    &[
                        ("grant_type", "client_credential"),
                        ("appid", self.appid.as_str()),
                        ("secret", self.secret.expose()),
                    ],
                )
                .await?
        };
        Ok(r.into())
    }

    /// `stable_token` with `force_refresh=true` (limited to 20/day; never called automatically).
    pub async fn force_refresh_stable_token(&self) -> Result<String, Error> {
        let r = self.stable_token(true).await?;
        self.tokens
            .put(&self.token_key(), r.access_token.clone(), r.expires_in)
            .await?;
        Ok(r.access_token)
    }

    async fn stable_token(&self, force_refresh: bool) -> Result<AccessTokenResp, Error> {
        self.core
            .post_json(
                Host::Api,
                "/cgi-bin/stable_token",
                &[],
                &json!({"grant_type": "client_credential", "appid": self.appid.as_str(),
                        "secret": self.secret.expose(), "force_refresh": force_refresh}),
            )
            .await
    }

    /// The cached access token (fetched when needed, single-flight).
    pub async fn access_token(&self) -> Result<String, Error> {
        self.tokens
            .get(&self.token_key(), || self.fetch_access_token())
            .await
    }
}

impl TokenSource for OaClient {
    async fn current(&self) -> Result<String, Error> {
        self.access_token().await
    }

    async fn replace(&self, rejected: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&self.token_key(), &rejected, || self.fetch_access_token())
            .await
    }
}
