//! `GET /api/system/info`: facts about this server that the SPA needs (any signed-in user).

use serde::{Deserialize, Serialize};

use crate::accounts::WechatEnv;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SystemInfo {
    /// Server version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// Base URL under which browsers and WeChat reach this server, without trailing slash;
    /// callback URLs are `{public_url}/wx/{account_id}`.
    pub public_url: String,
    /// The environment to pre-select for new accounts: `sandbox` when the server runs with
    /// `--sandbox`, else `production`. (A create request that omits `environment` gets it too.)
    pub default_environment: WechatEnv,
}
