//! A WeCom suite's provider side (服务商): the web login / 业务设置URL flow
//! (`GET /api/accounts/{id}/suite/provider`: the URLs to paste, and who logged in from which
//! corp) and the provider check (`POST …/suite/provider/check`: the provider and suite tokens
//! fetched fresh, a 60020 explained with the IP WeCom saw).

use serde::{Deserialize, Serialize};

/// `GET /api/accounts/{id}/suite/provider`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderView {
    /// The provider's CorpID (服务商 CorpID) from the account's settings.
    pub provider_corp_id: Option<String>,
    /// Whether both the provider CorpID and the provider secret are set.
    pub configured: bool,
    /// The portal's login page: paste it as the login redirect (登录授权) and as the
    /// business-settings URL (业务设置URL) in WeCom's provider console.
    pub login_redirect_url: String,
    /// WeCom's scan-login link that returns to the login page (needs the provider CorpID).
    pub scan_login_url: Option<String>,
    /// The newest logins first (at most 100).
    pub logins: Vec<ProviderLogin>,
}

/// The outcome of one visit to the login page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderLoginState {
    /// WeCom named the member.
    Ok,
    /// WeCom refused the code or the call (`errcode`, `detail`).
    Failed,
}

/// One login through the provider's login page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderLogin {
    pub id: i64,
    pub state: ProviderLoginState,
    /// RFC 3339.
    pub at: String,
    pub corpid: Option<String>,
    /// The corp's name when it authorised the suite (`get_login_info` does not name it).
    pub corp_name: Option<String>,
    /// The corp authorised the suite once and cancelled it since (`cancel_auth`).
    pub corp_revoked: bool,
    /// WeCom's `usertype` (⚠️ 1 creator, 2 inner admin, 3 outer admin, 4 partial admin,
    /// 5 member).
    pub usertype: Option<i64>,
    pub userid: Option<String>,
    pub open_userid: Option<String>,
    pub name: Option<String>,
    /// The suite's agents the member manages in that corp (`agent[].agentid`).
    pub agents: Vec<i64>,
    pub errcode: Option<i64>,
    /// WeCom's answer on a failure (as WeCom wrote it).
    pub detail: Option<String>,
    /// The IP WeCom saw the portal call from, when it named it (60020).
    pub outbound_ip: Option<String>,
}

/// One check of the provider check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderCheckKind {
    /// `get_provider_token` with the provider CorpID and secret.
    ProviderToken,
    /// `get_suite_token` with the suite secret and the newest suite_ticket.
    SuiteToken,
}

/// What a check's answer calls for; the SPA words each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderFix {
    /// 60020 on a provider call: add the IP to the provider's IP whitelist.
    ProviderIp,
    /// 60020 on a suite call: add the IP to the suite's IP whitelist.
    SuiteIp,
    /// The provider CorpID or secret is not set.
    NotConfigured,
    /// 40001 / 40013 / 40089-like refusals: the CorpID or a secret is wrong.
    WrongSecret,
    /// No suite_ticket (or a stale one, 40085): the instruction URL is not reached.
    NoTicket,
    /// WeChat could not be reached.
    Unreachable,
    /// Another errcode: WeChat's message is in `detail`.
    Other,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderCheckItem {
    pub check: ProviderCheckKind,
    pub ok: bool,
    pub errcode: Option<i64>,
    pub fix: Option<ProviderFix>,
    pub detail: String,
}

/// `POST /api/accounts/{id}/suite/provider/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderCheck {
    pub checked_at: String,
    /// The IP WeCom saw the portal call from, when a 60020 named it.
    pub outbound_ip: Option<String>,
    pub checks: Vec<ProviderCheckItem>,
}
