//! A WeCom third-party suite's installs (第三方应用授权): the install link staff hand to a corp
//! admin (`POST /api/accounts/{id}/suite/install-link`), the corps that authorised the suite
//! (`GET /api/accounts/{id}/suite/corps`) and the suite's health (`GET …/suite/overview`).

use serde::{Deserialize, Serialize};

/// `POST /api/accounts/{id}/suite/install-link`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InstallLinkRequest {
    /// A test authorisation (`set_session_info` `auth_type` 1): for an app not yet on sale.
    #[serde(default)]
    pub test: bool,
}

/// An install link: open it, or scan its QR code, as the corp's admin (服务商辅助授权).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InstallLink {
    pub url: String,
    /// The same URL as an SVG QR code.
    pub qr_svg: String,
    /// Where WeCom sends the admin back with the auth code (the portal's install page).
    pub redirect_uri: String,
    /// The pre-auth code's end (RFC 3339): a new link is needed afterwards.
    pub expires_at: String,
    pub test: bool,
}

/// What the suite's app may see in a corp (`privilege` of `get_auth_info`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuitePrivilege {
    /// 1 read basic info, 2 read contacts, 3 read and write contacts (0: not given).
    #[serde(default)]
    pub level: i64,
    #[serde(default)]
    pub allow_party: Vec<i64>,
    #[serde(default)]
    pub allow_user: Vec<String>,
    #[serde(default)]
    pub allow_tag: Vec<i64>,
}

/// The suite's app in an authorised corp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteAgent {
    pub agentid: i64,
    pub name: String,
    pub logo_url: Option<String>,
    pub privilege: SuitePrivilege,
}

/// Whether a corp's authorisation is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SuiteCorpState {
    Active,
    /// `cancel_auth`: the admin uninstalled the app; the data is kept, the tokens are gone.
    Revoked,
}

impl SuiteCorpState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuiteCorpState::Active => "active",
            SuiteCorpState::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<SuiteCorpState> {
        match s {
            "active" => Some(SuiteCorpState::Active),
            "revoked" => Some(SuiteCorpState::Revoked),
            _ => None,
        }
    }
}

/// How a corp's latest install came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstallOrigin {
    /// 服务商辅助授权: the install link the provider handed out (`create_auth` with `State`,
    /// or the admin's redirect to the portal's install page).
    ProviderLink,
    /// 线上自助注册授权: the admin added the suite from WeCom's app market (`create_auth`
    /// without `State`).
    Market,
}

impl InstallOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            InstallOrigin::ProviderLink => "provider_link",
            InstallOrigin::Market => "market",
        }
    }

    pub fn parse(s: &str) -> Option<InstallOrigin> {
        match s {
            "provider_link" => Some(InstallOrigin::ProviderLink),
            "market" => Some(InstallOrigin::Market),
            _ => None,
        }
    }
}

/// A corp's interface licences (接口许可) as WeCom last told them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteCorpLicence {
    /// `license_status`: 0 WeCom does not check licences for the app, 1 it does (after the
    /// check time, members without an active account are `unlicenseduser` in sends).
    pub status: i64,
    /// The trial (RFC 3339).
    pub trial_start: Option<String>,
    pub trial_end: Option<String>,
    /// `license_check_time` (RFC 3339).
    pub check_time: Option<String>,
    /// WeCom checks licences now (status 1 and the check time passed when read).
    pub enforced: bool,
    /// Active basic accounts (基础帐号).
    pub basic: i64,
    /// Active interworking accounts (互通帐号).
    pub external: i64,
    /// When this was read (RFC 3339).
    pub checked_at: String,
}

/// A corp that authorised the suite. The permanent code is never shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteCorp {
    pub id: i64,
    pub corpid: String,
    pub corp_name: String,
    pub corp_full_name: Option<String>,
    pub corp_logo_url: Option<String>,
    pub agents: Vec<SuiteAgent>,
    /// Who installed it: name, or userid when WeCom gave no name.
    pub installed_by: Option<String>,
    pub state: SuiteCorpState,
    /// The first install (RFC 3339).
    pub authorized_at: String,
    /// The last `create_auth` / `change_auth` / `get_auth_info` refresh.
    pub updated_at: String,
    pub revoked_at: Option<String>,
    /// How the latest install came (`None`: installed before this was recorded).
    #[serde(default)]
    pub origin: Option<InstallOrigin>,
    /// The licences as last read (`None`: never read successfully).
    #[serde(default)]
    pub licence: Option<SuiteCorpLicence>,
    /// Why the last licence read failed (WeChat's words), with when.
    #[serde(default)]
    pub licence_error: Option<String>,
    #[serde(default)]
    pub licence_checked_at: Option<String>,
}

/// `GET /api/accounts/{id}/suite/corps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteCorpList {
    pub items: Vec<SuiteCorp>,
}

/// `GET /api/accounts/{id}/suite/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteOverview {
    pub suite_id: String,
    /// When the newest suite_ticket arrived (RFC 3339); `None` before the first push.
    pub ticket_received_at: Option<String>,
    /// WeCom pushes a ticket every 10 minutes and each is valid 30: older than 30 minutes
    /// (or none) means the instruction URL is not reached, and no suite token can be fetched.
    pub ticket_stale: bool,
    /// The instruction URL (指令回调URL) to paste into the provider console.
    pub instruction_url: String,
    /// The data URL (数据回调URL): messages and events of the authorised corps' members.
    #[serde(default)]
    pub data_url: String,
    pub corps_active: u64,
    pub corps_revoked: u64,
}
