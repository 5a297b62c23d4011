//! WeCom third-party suite and provider APIs (`qyapi.weixin.qq.com/cgi-bin/service/…`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::retry::{Authed, TokenSource};
use super::{AccessTokenResp, Host, HttpCore, decode, urlenc};
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

/// `get_permanent_code` response (⚠️ fields as the docs describe them; anything else is
/// kept in `extra`).
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
    /// `auth_corp_info`.
    #[serde(default)]
    pub auth_corp_info: AuthCorpInfo,
    /// `auth_info`: the agents the corp installed.
    #[serde(default)]
    pub auth_info: AuthInfo,
    /// `auth_user_info`: the admin who installed.
    #[serde(default)]
    pub auth_user_info: Option<LoginUser>,
    /// Fields not listed above, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PermanentCode {
    /// `auth_corp_info.corpid`.
    pub fn auth_corpid(&self) -> &str {
        &self.auth_corp_info.corpid
    }
}

impl std::fmt::Debug for PermanentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PermanentCode")
            .field("auth_corpid", &self.auth_corpid())
            .finish_non_exhaustive()
    }
}

/// `auth_corp_info` of `get_permanent_code` / `get_auth_info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuthCorpInfo {
    /// `corpid`.
    #[serde(default)]
    pub corpid: String,
    /// `corp_name`.
    #[serde(default)]
    pub corp_name: String,
    /// `corp_type` (`verified`, `unverified`).
    #[serde(default)]
    pub corp_type: Option<String>,
    /// `corp_full_name`.
    #[serde(default)]
    pub corp_full_name: Option<String>,
    /// Fields not listed above (logo, scale, industry, …), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `auth_info` of `get_permanent_code` / `get_auth_info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuthInfo {
    /// `agent`.
    #[serde(default)]
    pub agent: Vec<AuthAgent>,
}

/// An installed agent of [`AuthInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuthAgent {
    /// `agentid`.
    #[serde(default)]
    pub agentid: i64,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `square_logo_url`.
    #[serde(default)]
    pub square_logo_url: Option<String>,
    /// `privilege` (visibility: `level`, `allow_party`, `allow_user`, `allow_tag`, …).
    #[serde(default)]
    pub privilege: Option<Value>,
    /// Fields not listed above, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `get_auth_info` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CorpAuthInfo {
    /// `auth_corp_info`.
    #[serde(default)]
    pub auth_corp_info: AuthCorpInfo,
    /// `auth_info`.
    #[serde(default)]
    pub auth_info: AuthInfo,
}

/// A member as the provider APIs describe them (`auth_user_info`, `user_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoginUser {
    /// `userid`.
    #[serde(default)]
    pub userid: String,
    /// `open_userid`.
    #[serde(default)]
    pub open_userid: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `avatar`.
    #[serde(default)]
    pub avatar: Option<String>,
}

/// `get_login_info` response (⚠️ fields as the docs describe them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoginInfo {
    /// `usertype` (⚠️ unverified): 1 creator (创建者), 2 inner admin (内部系统管理员), 3 outer
    /// admin (外部系统管理员), 4 partial admin (分级管理员), 5 member (成员).
    #[serde(default)]
    pub usertype: i64,
    /// `user_info`.
    #[serde(default)]
    pub user_info: LoginUser,
    /// `corp_info.corpid`.
    #[serde(default)]
    pub corp_info: LoginCorp,
    /// `agent`: the suite's agents in that corp with the member's admin rights.
    #[serde(default)]
    pub agent: Vec<LoginAgent>,
    /// `auth_info` (`department`: the departments the member administers).
    #[serde(default)]
    pub auth_info: Option<Value>,
    /// Fields not listed above, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `corp_info` of [`LoginInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoginCorp {
    /// `corpid`.
    #[serde(default)]
    pub corpid: String,
}

/// An agent of [`LoginInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoginAgent {
    /// `agentid`.
    #[serde(default)]
    pub agentid: i64,
    /// `auth_type`: 0 use, 1 manage.
    #[serde(default)]
    pub auth_type: i64,
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

    /// Calls with `suite_access_token` on `qyapi.weixin.qq.com`.
    fn api(&self) -> Authed<'_, Self> {
        Authed::new(&self.core, self, Host::QyApi, "suite_access_token")
    }

    async fn call(&self, get: bool, path: &str, body: &Value) -> Result<Value, Error> {
        if get {
            self.api().get(path, &[]).await
        } else {
            self.api().post(path, &[], body).await
        }
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

    /// The provider's web-login link on `open.work.weixin.qq.com` (第三方网页登录: the member
    /// scans, WeCom returns to `redirect_uri` with an auth code for `get_login_info`).
    /// `usertype`: `admin` or `member`. ⚠️ Path and parameters as the reference describes them.
    pub fn login_url(
        &self,
        provider_corpid: &str,
        redirect_uri: &str,
        state: &str,
        usertype: &str,
    ) -> String {
        format!(
            "{}?appid={}&redirect_uri={}&state={}&usertype={}",
            self.core
                .urls()
                .url(Host::OpenWork, "/wwopen/sso/3rd_qrConnect"),
            urlenc(provider_corpid),
            urlenc(redirect_uri),
            urlenc(state),
            urlenc(usertype)
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
        let p: PermanentCode = decode(v)?;
        if let (Some(t), Some(e)) = (&p.access_token, p.expires_in)
            && !p.auth_corpid().is_empty()
        {
            self.tokens
                .put(
                    &TokenKey::suite_corp(self.suite_id.as_str(), p.auth_corpid()),
                    t.clone(),
                    e,
                )
                .await?;
        }
        Ok(p)
    }

    /// `v2/get_permanent_code`, WeCom's current form: the permanent code, the corp and the
    /// installer only; the app list comes from [`Self::auth_info`] and the corp token from
    /// `get_corp_token`. An auth code works once: a second exchange is 40078.
    pub async fn permanent_code_v2(&self, auth_code: &str) -> Result<PermanentCode, Error> {
        decode(
            self.call(
                false,
                "/cgi-bin/service/v2/get_permanent_code",
                &json!({"auth_code": auth_code}),
            )
            .await?,
        )
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
        let r: AccessTokenResp = decode(v)?;
        Ok(r.into())
    }

    /// `get_auth_info`.
    pub async fn auth_info(
        &self,
        auth_corpid: &str,
        permanent_code: &str,
    ) -> Result<CorpAuthInfo, Error> {
        decode(
            self.call(
                false,
                "/cgi-bin/service/get_auth_info",
                &json!({"auth_corpid": auth_corpid, "permanent_code": permanent_code}),
            )
            .await?,
        )
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

    /// `get_login_info` with a provider token.
    pub async fn login_info(
        &self,
        corpid: &str,
        provider_secret: &str,
        auth_code: &str,
    ) -> Result<LoginInfo, Error> {
        let provider = Provider {
            suite: self,
            corpid,
            secret: provider_secret,
        };
        let v = Authed::new(&self.core, &provider, Host::QyApi, "access_token")
            .post(
                "/cgi-bin/service/get_login_info",
                &[],
                &json!({"auth_code": auth_code}),
            )
            .await?;
        decode(v)
    }

    /// A POST with the provider token in `provider_access_token` (the licence APIs).
    pub(crate) async fn provider_post(
        &self,
        corpid: &str,
        provider_secret: &str,
        path: &str,
        body: &Value,
    ) -> Result<Value, Error> {
        let provider = Provider {
            suite: self,
            corpid,
            secret: provider_secret,
        };
        Authed::new(&self.core, &provider, Host::QyApi, "provider_access_token")
            .post(path, &[], body)
            .await
    }
}

impl TokenSource for SuiteClient {
    async fn current(&self) -> Result<String, Error> {
        self.suite_access_token().await
    }

    async fn replace(&self, rejected: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&TokenKey::suite(self.suite_id.as_str()), &rejected, || {
                self.fetch_suite_token()
            })
            .await
    }
}

/// The provider token of one provider corp (for `get_login_info`).
struct Provider<'a> {
    suite: &'a SuiteClient,
    corpid: &'a str,
    secret: &'a str,
}

impl TokenSource for Provider<'_> {
    async fn current(&self) -> Result<String, Error> {
        self.suite.provider_token(self.corpid, self.secret).await
    }

    async fn replace(&self, rejected: String) -> Result<String, Error> {
        self.suite
            .tokens
            .force_refresh(&TokenKey::provider(self.corpid), &rejected, || {
                self.suite.fetch_provider_token(self.corpid, self.secret)
            })
            .await
    }
}
