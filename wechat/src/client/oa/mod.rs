//! Official Account API (`api.weixin.qq.com/cgi-bin/…`, `sns/…`).
//!
//! One file per API family, each an `impl OaClient` block with its request and response
//! types; this file holds the client, its token-carrying transport and the re-exports.

mod custom;
mod draft;
mod freepublish;
mod group;
mod jsapi;
mod mass;
mod material;
mod menu;
mod oauth;
mod qrcode;
mod tag;
mod template;
mod token;
mod user;

pub use custom::*;
pub use draft::*;
pub use freepublish::*;
pub use group::*;
pub use mass::*;
pub use material::*;
pub use menu::*;
pub use oauth::*;
pub use qrcode::*;
pub use tag::*;
pub use template::*;
pub use user::*;

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::retry::Authed;
use super::{Host, HttpCore, decode};
use crate::error::Error;
use crate::token::{TokenKey, TokenManager};
use crate::types::{AppId, AppSecret};

/// Official Account client for one app id.
#[derive(Clone)]
pub struct OaClient {
    core: Arc<HttpCore>,
    tokens: Arc<TokenManager>,
    appid: AppId,
    secret: AppSecret,
    stable: bool,
}

impl std::fmt::Debug for OaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OaClient")
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

impl OaClient {
    /// A client for `appid` with its AppSecret.
    pub fn new(
        core: Arc<HttpCore>,
        tokens: Arc<TokenManager>,
        appid: impl Into<AppId>,
        secret: impl Into<AppSecret>,
    ) -> Self {
        OaClient {
            core,
            tokens,
            appid: appid.into(),
            secret: secret.into(),
            stable: false,
        }
    }

    /// Use `stable_token` (recommended by WeChat) instead of `token`.
    pub fn use_stable_token(mut self, yes: bool) -> Self {
        self.stable = yes;
        self
    }

    /// The app id.
    pub fn appid(&self) -> &AppId {
        &self.appid
    }

    /// The token store key of this app's access token.
    pub fn token_key(&self) -> TokenKey {
        TokenKey::oa(self.appid.as_str())
    }

    /// Token-carrying calls on `api.weixin.qq.com`.
    fn api(&self) -> Authed<'_, Self> {
        Authed::new(&self.core, self, Host::Api, "access_token")
    }

    /// GET an access-token API on `api.weixin.qq.com` (escape hatch for unlisted endpoints).
    pub async fn get_raw(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        self.api().get(path, query).await
    }

    /// POST JSON to an access-token API (escape hatch for unlisted endpoints).
    pub async fn post_raw<B: Serialize + ?Sized + Sync>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Value, Error> {
        self.api().post(path, &[], body).await
    }

    async fn get_t<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, Error> {
        decode(self.get_raw(path, query).await?)
    }

    async fn post_t<B: Serialize + ?Sized + Sync, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        decode(self.post_raw(path, body).await?)
    }
}
