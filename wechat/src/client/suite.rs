//! WeCom third-party suite and provider APIs (`qyapi.weixin.qq.com/cgi-bin/service/…`).

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Host, HttpCore, with_token_retry};
use crate::error::Error;
use crate::token::{FetchedToken, TokenKey, TokenManager};
use crate::types::{AppSecret, SuiteId};

/// How long a pushed `suite_ticket` is kept (WeChat: valid 30 min, pushed every 10 min).
/// Kept longer than documented as a last-good fallback (several SDKs lost tickets at 10–20 min).
pub const SUITE_TICKET_TTL: i64 = 60 * 60;

/// Suite client.
#[derive(Clone)]
pub struct SuiteClient {
    core: Arc<HttpCore>,
    tokens: Arc<TokenManager>,
    suite_id: SuiteId,
    suite_secret: AppSecret,
}

impl std::fmt::Debug for SuiteClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuiteClient")
            .field("suite_id", &self.suite_id)
            .finish_non_exhaustive()
    }
}

/// `get_permanent_code` response (fields ⚠️ from docs memory; the raw JSON is kept).
#[derive(Clone, Deserialize)]
pub struct PermanentCode {
    /// `permanent_code` (secret).
    pub permanent_code: String,
    /// `access_token` of the corp (secret).
    #[serde(default)]
    pub access_token: Option<String>,
    /// `expires_in`.
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// `auth_corp_info.corpid`.
    #[serde(skip)]
    pub auth_corpid: String,
    /// The whole response.
    #[serde(skip)]
    pub raw: Value,
}

impl std::fmt::Debug for PermanentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PermanentCode")
            .field("auth_corpid", &self.auth_corpid)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct SuiteTokenResp {
    suite_access_token: String,
    expires_in: i64,
}

#[derive(Deserialize)]
struct ProviderTokenResp {
    provider_access_token: String,
    expires_in: i64,
}

fn urlenc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

impl SuiteClient {
    /// A suite client.
    pub fn new(
        core: Arc<HttpCore>,
        tokens: Arc<TokenManager>,
        suite_id: impl Into<SuiteId>,
        suite_secret: impl Into<AppSecret>,
    ) -> Self {
        SuiteClient {
            core,
            tokens,
            suite_id: suite_id.into(),
            suite_secret: suite_secret.into(),
        }
    }

    /// The suite id.
    pub fn suite_id(&self) -> &SuiteId {
        &self.suite_id
    }
    pub(crate) fn core(&self) -> &Arc<HttpCore> {
        &self.core
    }
    pub(crate) fn tokens(&self) -> &Arc<TokenManager> {
        &self.tokens
    }

    /// Stores a `suite_ticket` received in a suite instruction callback.
    pub async fn set_suite_ticket(&self, ticket: &str) -> Result<(), Error> {
        self.tokens
            .put(
                &TokenKey::suite_ticket(self.suite_id.as_str()),
                ticket.to_owned(),
                SUITE_TICKET_TTL,
            )
            .await
    }

    /// Fetches a suite access token (needs a stored suite ticket).
    pub async fn fetch_suite_token(&self) -> Result<FetchedToken, Error> {
        let ticket = self
            .tokens
            .peek(&TokenKey::suite_ticket(self.suite_id.as_str()))
            .await?
            .ok_or_else(|| {
                Error::Invalid(
                    "no suite_ticket received yet (it is pushed every 10 minutes)".into(),
                )
            })?;
        let r: SuiteTokenResp = self
            .core
            .post_json(
                Host::QyApi,
                "/cgi-bin/service/get_suite_token",
                &[],
                &json!({"suite_id": self.suite_id.as_str(), "suite_secret": self.suite_secret.expose(), "suite_ticket": ticket}),
            )
            .await?;
        Ok(FetchedToken {
            value: r.suite_access_token,
            expires_in: r.expires_in,
        })
    }

    /// The cached suite access token.
    pub async fn suite_access_token(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::suite(self.suite_id.as_str()), || {
                self.fetch_suite_token()
            })
            .await
    }

    async fn force(&self, bad: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&TokenKey::suite(self.suite_id.as_str()), &bad, || {
                self.fetch_suite_token()
            })
            .await
    }

    async fn call(&self, get: bool, path: &str, body: &Value) -> Result<Value, Error> {
        with_token_retry(
            || self.suite_access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let q = [("suite_access_token", tok.as_str())];
                if get {
                    self.core.get_value(Host::QyApi, path, &q).await
                } else {
                    self.core.post_value(Host::QyApi, path, &q, body).await
                }
            },
        )
        .await
    }

    /// `get_pre_auth_code` → (pre_auth_code, expires_in).
    pub async fn pre_auth_code(&self) -> Result<(String, i64), Error> {
        let v = self
            .call(true, "/cgi-bin/service/get_pre_auth_code", &Value::Null)
            .await?;
        Ok((
            v["pre_auth_code"].as_str().unwrap_or_default().to_owned(),
            v["expires_in"].as_i64().unwrap_or(0),
        ))
    }

    /// `set_session_info` (`auth_type` 1 = test authorisation).
    pub async fn set_session_info(
        &self,
        pre_auth_code: &str,
        appids: &[i64],
        auth_type: i64,
    ) -> Result<(), Error> {
        let mut info = json!({"auth_type": auth_type});
        if !appids.is_empty() {
            info["appid"] = json!(appids);
        }
        self.call(
            false,
            "/cgi-bin/service/set_session_info",
            &json!({"pre_auth_code": pre_auth_code, "session_info": info}),
        )
        .await
        .map(drop)
    }

    /// The install URL on `open.work.weixin.qq.com`.
    pub fn install_url(&self, pre_auth_code: &str, redirect_uri: &str, state: &str) -> String {
        format!(
            "{}?suite_id={}&pre_auth_code={}&redirect_uri={}&state={}",
            self.core.urls().url(Host::OpenWork, "/3rdapp/install"),
            urlenc(self.suite_id.as_str()),
            urlenc(pre_auth_code),
            urlenc(redirect_uri),
            urlenc(state)
        )
    }

    /// `get_permanent_code`: also stores the returned corp access token.
    pub async fn permanent_code(&self, auth_code: &str) -> Result<PermanentCode, Error> {
        let v = self
            .call(
                false,
                "/cgi-bin/service/get_permanent_code",
                &json!({"auth_code": auth_code}),
            )
            .await?;
        let mut p: PermanentCode = super::decode(v.clone())?;
        p.auth_corpid = v["auth_corp_info"]["corpid"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        p.raw = v;
        if let (Some(t), Some(e)) = (&p.access_token, p.expires_in)
            && !p.auth_corpid.is_empty()
        {
            self.tokens
                .put(
                    &TokenKey::suite_corp(self.suite_id.as_str(), &p.auth_corpid),
                    t.clone(),
                    e,
                )
                .await?;
        }
        Ok(p)
    }

    /// `get_corp_token` (bypasses the cache; used by [`super::work::WorkClient::for_suite_corp`]).
    pub async fn fetch_corp_token(
        &self,
        auth_corpid: &str,
        permanent_code: &str,
    ) -> Result<FetchedToken, Error> {
        let v = self
            .call(
                false,
                "/cgi-bin/service/get_corp_token",
                &json!({"auth_corpid": auth_corpid, "permanent_code": permanent_code}),
            )
            .await?;
        let r: super::AccessTokenResp = super::decode(v)?;
        Ok(FetchedToken {
            value: r.access_token,
            expires_in: r.expires_in,
        })
    }

    /// `get_auth_info`.
    pub async fn auth_info(&self, auth_corpid: &str, permanent_code: &str) -> Result<Value, Error> {
        self.call(
            false,
            "/cgi-bin/service/get_auth_info",
            &json!({"auth_corpid": auth_corpid, "permanent_code": permanent_code}),
        )
        .await
    }

    /// Fetches a provider access token (bypasses the cache).
    pub async fn fetch_provider_token(
        &self,
        corpid: &str,
        provider_secret: &str,
    ) -> Result<FetchedToken, Error> {
        let r: ProviderTokenResp = self
            .core
            .post_json(
                Host::QyApi,
                "/cgi-bin/service/get_provider_token",
                &[],
                &json!({"corpid": corpid, "provider_secret": provider_secret}),
            )
            .await?;
        Ok(FetchedToken {
            value: r.provider_access_token,
            expires_in: r.expires_in,
        })
    }

    /// The cached provider access token.
    pub async fn provider_token(
        &self,
        corpid: &str,
        provider_secret: &str,
    ) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::provider(corpid), || {
                self.fetch_provider_token(corpid, provider_secret)
            })
            .await
    }

    /// `get_login_info` with a provider token (fields ⚠️ from docs memory; raw JSON).
    pub async fn login_info(
        &self,
        corpid: &str,
        provider_secret: &str,
        auth_code: &str,
    ) -> Result<Value, Error> {
        let key = TokenKey::provider(corpid);
        with_token_retry(
            || self.provider_token(corpid, provider_secret),
            |bad| async move {
                self.tokens
                    .force_refresh(&key, &bad, || {
                        self.fetch_provider_token(corpid, provider_secret)
                    })
                    .await
            },
            |tok| async move {
                self.core
                    .post_value(
                        Host::QyApi,
                        "/cgi-bin/service/get_login_info",
                        &[("access_token", tok.as_str())],
                        &json!({"auth_code": auth_code}),
                    )
                    .await
            },
        )
        .await
    }
}
