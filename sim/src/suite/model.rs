//! WeCom third-party suite state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::proto::sign::{random_alnum, random_hex};
use crate::work::model::CallbackConfig;

/// A suite (control API, seed file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SuiteConfig {
    /// SuiteID (`ww` + 16 hex); generated when empty.
    #[serde(default)]
    pub suite_id: String,
    /// Suite secret (43 characters); generated when empty.
    #[serde(default)]
    pub suite_secret: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// The instruction callback (suite_ticket, create_auth, …); receive id = suite id.
    #[serde(default)]
    pub callback: CallbackConfig,
    /// The data callback (messages and events from members of authorised corps); receive id =
    /// the authorising corp's corpid (⚠️ per the reference). Copied to the app created in each
    /// corp that installs the suite.
    #[serde(default)]
    pub data_callback: CallbackConfig,
    /// The service provider's corpid; generated when empty.
    #[serde(default)]
    pub provider_corpid: String,
    /// The provider secret; generated when empty.
    #[serde(default)]
    pub provider_secret: String,
}

impl SuiteConfig {
    /// Fills empty fields.
    pub fn fill(mut self) -> Self {
        if self.suite_id.is_empty() {
            self.suite_id = format!("ww{}", random_hex(16));
        }
        if self.suite_secret.is_empty() {
            self.suite_secret = random_alnum(43);
        }
        if self.name.is_empty() {
            self.name = format!("Suite {}", crate::proto::sign::tail(&self.suite_id, 4));
        }
        if self.provider_corpid.is_empty() {
            self.provider_corpid = format!("ww{}", random_hex(16));
        }
        if self.provider_secret.is_empty() {
            self.provider_secret = random_alnum(43);
        }
        if self.callback.token.is_empty() {
            self.callback.token = random_alnum(15);
        }
        if self.callback.encoding_aes_key.is_empty() {
            self.callback.encoding_aes_key = crate::proto::crypto::random_aes_key();
        }
        if self.data_callback.token.is_empty() {
            self.data_callback.token = self.callback.token.clone();
        }
        if self.data_callback.encoding_aes_key.is_empty() {
            self.data_callback.encoding_aes_key = self.callback.encoding_aes_key.clone();
        }
        self
    }
}

/// A pre-authorisation code.
#[derive(Debug, Clone, Serialize)]
pub struct PreAuth {
    /// Expiry.
    pub expires: i64,
    /// `session_info.auth_type` (0 official, 1 test).
    pub auth_type: i64,
}

/// A temporary authorisation code (install or web login).
#[derive(Debug, Clone, Serialize)]
pub struct AuthCode {
    /// The corp.
    pub corpid: String,
    /// The admin or user.
    pub userid: String,
    /// Expiry.
    pub expires: i64,
    /// Already exchanged.
    pub used: bool,
}

/// A corp that installed the suite.
#[derive(Debug, Clone, Serialize)]
pub struct Authorization {
    /// The permanent code.
    pub permanent_code: String,
    /// The agent id of the suite's app in that corp.
    pub agentid: i64,
    /// Who installed it.
    pub userid: String,
}

/// A suite.
#[derive(Debug, Clone, Serialize)]
pub struct Suite {
    /// Configuration.
    #[serde(flatten)]
    pub cfg: SuiteConfig,
    /// Pushed tickets: (ticket, pushed at).
    pub tickets: Vec<(String, i64)>,
    /// Pre-auth codes.
    pub pre_auth_codes: BTreeMap<String, PreAuth>,
    /// Install auth codes.
    pub auth_codes: BTreeMap<String, AuthCode>,
    /// Web-login auth codes.
    pub login_codes: BTreeMap<String, AuthCode>,
    /// Authorised corps by corpid.
    pub authorizations: BTreeMap<String, Authorization>,
    /// Interface licences (接口许可) by corpid, from the first install on (kept after an
    /// uninstall, as WeCom keeps bought accounts).
    pub licenses: BTreeMap<String, super::license::License>,
}

/// How long a suite_ticket is accepted (30 minutes).
pub const TICKET_TTL: i64 = 1800;
/// Push interval (10 minutes).
pub const TICKET_INTERVAL: i64 = 600;
