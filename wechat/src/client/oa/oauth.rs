//! Web authorisation (OAuth2, `sns/*`). These calls use the user's token, not the app's.

use serde::{Deserialize, Serialize};

use super::OaClient;
use crate::client::{ErrMsg, Host, urlenc};
use crate::error::Error;

/// OAuth2 scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthScope {
    /// `snsapi_base` (silent, openid only).
    Base,
    /// `snsapi_userinfo` (asks consent).
    UserInfo,
}

/// `sns/oauth2/access_token` response.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthToken {
    /// `access_token` (user-scoped; secret).
    pub access_token: String,
    /// `expires_in`.
    pub expires_in: i64,
    /// `refresh_token` (secret).
    pub refresh_token: String,
    /// `openid`.
    pub openid: String,
    /// `scope`.
    pub scope: String,
    /// `unionid`.
    #[serde(default)]
    pub unionid: Option<String>,
    /// `is_snapshotuser`.
    #[serde(default)]
    pub is_snapshotuser: Option<i64>,
}

impl std::fmt::Debug for OAuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthToken")
            .field("openid", &self.openid)
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// `sns/userinfo` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SnsUserInfo {
    /// `openid`.
    pub openid: String,
    /// `nickname`.
    #[serde(default)]
    pub nickname: String,
    /// `sex`.
    #[serde(default)]
    pub sex: Option<i64>,
    /// `province`.
    #[serde(default)]
    pub province: Option<String>,
    /// `city`.
    #[serde(default)]
    pub city: Option<String>,
    /// `country`.
    #[serde(default)]
    pub country: Option<String>,
    /// `headimgurl`.
    #[serde(default)]
    pub headimgurl: Option<String>,
    /// `privilege`.
    #[serde(default)]
    pub privilege: Vec<String>,
    /// `unionid`.
    #[serde(default)]
    pub unionid: Option<String>,
}

impl OaClient {
    /// The browser authorize URL (parameter order as documented; ends with `#wechat_redirect`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use wechat::client::{BaseUrls, HttpCore, oa::{OaClient, OAuthScope}};
    /// # use wechat::token::{TokenManager, MemoryTokenStore};
    /// let oa = OaClient::new(Arc::new(HttpCore::new(BaseUrls::production())),
    ///     Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new()))), "123456", "s");
    /// assert_eq!(oa.oauth_authorize_url("http://localhost", OAuthScope::Base, None),
    ///   "https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456&redirect_uri=http%3A%2F%2Flocalhost&response_type=code&scope=snsapi_base#wechat_redirect");
    /// ```
    pub fn oauth_authorize_url(
        &self,
        redirect_uri: &str,
        scope: OAuthScope,
        state: Option<&str>,
    ) -> String {
        let scope = match scope {
            OAuthScope::Base => "snsapi_base",
            OAuthScope::UserInfo => "snsapi_userinfo",
        };
        let mut s = format!(
            "{}?appid={}&redirect_uri={}&response_type=code&scope={scope}",
            self.core
                .urls()
                .url(Host::Open, "/connect/oauth2/authorize"),
            urlenc(self.appid.as_str()),
            urlenc(redirect_uri)
        );
        if let Some(st) = state {
            s.push_str("&state=");
            s.push_str(&urlenc(st));
        }
        s.push_str("#wechat_redirect");
        s
    }
    /// `sns/oauth2/access_token` (exchange a code).
    pub async fn oauth_access_token(&self, code: &str) -> Result<OAuthToken, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/oauth2/access_token",
                &[
                    ("appid", self.appid.as_str()),
                    ("secret", self.secret.expose()),
                    ("code", code),
                    ("grant_type", "authorization_code"),
                ],
            )
            .await
    }
    /// `sns/oauth2/refresh_token`.
    pub async fn oauth_refresh_token(&self, refresh_token: &str) -> Result<OAuthToken, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/oauth2/refresh_token",
                &[
                    ("appid", self.appid.as_str()),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                ],
            )
            .await
    }
    /// `sns/userinfo` (needs a `snsapi_userinfo` token).
    pub async fn oauth_userinfo(
        &self,
        access_token: &str,
        openid: &str,
    ) -> Result<SnsUserInfo, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/userinfo",
                &[
                    ("access_token", access_token),
                    ("openid", openid),
                    ("lang", "zh_CN"),
                ],
            )
            .await
    }
    /// `sns/auth` (checks a user token).
    pub async fn oauth_check(&self, access_token: &str, openid: &str) -> Result<(), Error> {
        let _: ErrMsg = self
            .core
            .get_json(
                Host::Api,
                "/sns/auth",
                &[("access_token", access_token), ("openid", openid)],
            )
            .await?;
        Ok(())
    }
}
