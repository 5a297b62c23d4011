//! WeCom API (`qyapi.weixin.qq.com/cgi-bin/…`) for a self-built app or for a corp that
//! authorised a suite.
//!
//! One file per API family, each an `impl WorkClient` block with its request and response
//! types; this file holds the client and its token-carrying transport.

mod department;
mod jsapi;
mod media;
mod menu;
mod message;
mod tag;
mod token;
mod user;

pub use department::*;
pub use message::*;
pub use tag::*;
pub use user::*;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use super::retry::Authed;
use super::suite::SuiteClient;
use super::{Host, HttpCore};
use crate::error::Error;
use crate::token::{TokenKey, TokenManager};
use crate::types::{AppSecret, CorpId};

/// How a [`WorkClient`] obtains its access token.
#[derive(Clone)]
pub enum WorkAuth {
    /// `gettoken?corpid&corpsecret` — an app secret (with its agent id, so tokens are keyed
    /// per agent) or another secret (contacts sync …; keyed by a hash of the secret).
    Secret {
        /// The secret.
        secret: AppSecret,
        /// The agent id the secret belongs to.
        agent_id: Option<i64>,
    },
    /// `service/get_corp_token` — a corp that authorised a suite.
    Suite {
        /// The suite client.
        suite: SuiteClient,
        /// The permanent code of the authorising corp (secret).
        permanent_code: AppSecret,
        /// The suite's app in that corp (from `get_auth_info`), once known.
        agent_id: Option<i64>,
    },
}

/// WeCom client for one corp and one token scope.
#[derive(Clone)]
pub struct WorkClient {
    core: Arc<HttpCore>,
    tokens: Arc<TokenManager>,
    corpid: CorpId,
    auth: WorkAuth,
    key: TokenKey,
}

impl std::fmt::Debug for WorkClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkClient")
            .field("corpid", &self.corpid)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}
impl WorkClient {
    /// A self-built app client. Tokens are keyed by (corpid, agent id) when an agent id is
    /// given, else by (corpid, hash(secret)).
    pub fn new(
        core: Arc<HttpCore>,
        tokens: Arc<TokenManager>,
        corpid: impl Into<CorpId>,
        secret: impl Into<AppSecret>,
        agent_id: Option<i64>,
    ) -> Self {
        let corpid = corpid.into();
        let secret = secret.into();
        let key = match agent_id {
            Some(a) => TokenKey::work_agent(corpid.as_str(), a),
            None => TokenKey::work_secret(corpid.as_str(), secret.expose()),
        };
        WorkClient {
            core,
            tokens,
            corpid,
            auth: WorkAuth::Secret { secret, agent_id },
            key,
        }
    }

    /// A client for a corp that authorised `suite`.
    pub fn for_suite_corp(
        suite: SuiteClient,
        auth_corpid: impl Into<CorpId>,
        permanent_code: impl Into<AppSecret>,
    ) -> Self {
        let corpid = auth_corpid.into();
        let key = TokenKey::suite_corp(suite.suite_id().as_str(), corpid.as_str());
        WorkClient {
            core: suite.core().clone(),
            tokens: suite.tokens().clone(),
            corpid,
            auth: WorkAuth::Suite {
                suite,
                permanent_code: permanent_code.into(),
                agent_id: None,
            },
            key,
        }
    }

    /// The same suite-corp client, acting as the suite's app `agent_id` in that corp (app
    /// messages and the like need it). No effect on a self-built app's client.
    pub fn with_suite_agent(mut self, agent_id: i64) -> Self {
        if let WorkAuth::Suite { agent_id: a, .. } = &mut self.auth {
            *a = Some(agent_id);
        }
        self
    }

    /// The corp id.
    pub fn corpid(&self) -> &CorpId {
        &self.corpid
    }

    /// The agent id, when known.
    pub fn agent_id(&self) -> Option<i64> {
        match &self.auth {
            WorkAuth::Secret { agent_id, .. } => *agent_id,
            WorkAuth::Suite { agent_id, .. } => *agent_id,
        }
    }

    /// The token store key.
    pub fn token_key(&self) -> &TokenKey {
        &self.key
    }

    /// Token-carrying calls on `qyapi.weixin.qq.com`.
    fn api(&self) -> Authed<'_, Self> {
        Authed::new(&self.core, self, Host::QyApi, "access_token")
    }

    /// GET an access-token API (escape hatch).
    pub async fn get_raw(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        self.api().get(path, query).await
    }

    /// GET an access-token API once with the cached token, without the "refresh once and
    /// retry once" rule: for diagnostics that want to see WeChat's first answer (e.g. 42009).
    pub async fn get_once(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        let token = self.access_token().await?;
        let mut q = Vec::with_capacity(query.len() + 1);
        q.push(("access_token", token.as_str()));
        q.extend_from_slice(query);
        self.core.get_value(Host::QyApi, path, &q).await
    }

    /// Replaces the cached token WeChat rejected (one refresh at a time across callers).
    pub async fn refresh_token(&self) -> Result<String, Error> {
        let current = self.access_token().await?;
        crate::client::retry::TokenSource::replace(self, current).await
    }

    /// POST JSON to an access-token API (escape hatch).
    pub async fn post_raw<B: Serialize + ?Sized + Sync>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &B,
    ) -> Result<Value, Error> {
        self.api().post(path, query, body).await
    }
}
