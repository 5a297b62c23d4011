//! The corp access token (`gettoken`, or `get_corp_token` through a suite).

use super::{WorkAuth, WorkClient};
use crate::client::retry::TokenSource;
use crate::client::{AccessTokenResp, Host};
use crate::error::Error;
use crate::token::FetchedToken;

impl WorkClient {
    /// Fetches a new access token (bypasses the cache).
    pub async fn fetch_access_token(&self) -> Result<FetchedToken, Error> {
        match &self.auth {
            WorkAuth::Secret { secret, .. } => {
                let r: AccessTokenResp = self
                    .core
                    .get_json(
                        Host::QyApi,
                        "/cgi-bin/gettoken",
                        &[
                            ("corpid", self.corpid.as_str()),
                            ("corpsecret", secret.expose()),
                        ],
                    )
                    .await?;
                Ok(r.into())
            }
            WorkAuth::Suite {
                suite,
                permanent_code,
                ..
            } => {
                suite
                    .fetch_corp_token(self.corpid.as_str(), permanent_code.expose())
                    .await
            }
        }
    }

    /// The cached access token.
    pub async fn access_token(&self) -> Result<String, Error> {
        self.tokens
            .get(&self.key, || self.fetch_access_token())
            .await
    }
}

impl TokenSource for WorkClient {
    async fn current(&self) -> Result<String, Error> {
        self.access_token().await
    }

    async fn replace(&self, rejected: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&self.key, &rejected, || self.fetch_access_token())
            .await
    }
}
