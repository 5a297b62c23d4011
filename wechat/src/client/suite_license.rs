//! WeCom's interface licences (接口许可) of an authorised corp, read with the provider token:
//! `license/list_actived_account` (the members with an activated account) and
//! `license/get_app_license_info` (whether WeCom checks licences for the suite's app in that
//! corp, and the trial). After the check time, `message/send` names members without an active
//! account in `unlicenseduser` instead of delivering to them.
//!
//! ⚠️ unverified: the reference does not describe these calls; paths, bodies and fields are as
//! WeCom's provider documentation was read (`license_status` 0 = not checked, 1 = checked;
//! `type` 1 basic / 基础帐号, 2 互通帐号; times in Unix seconds; `has_more` 0/1).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::decode;
use super::suite::SuiteClient;
use crate::error::Error;

/// The most accounts one `list_actived_account` page holds (⚠️ unverified: WeCom's limit).
pub const LICENSE_PAGE_LIMIT: u32 = 1000;

/// An activated account (`account_list[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActivedAccount {
    /// `userid` (the corp's userid as the provider sees it).
    #[serde(default)]
    pub userid: String,
    /// `type`: 1 basic (基础帐号), 2 interworking (互通帐号).
    #[serde(default, rename = "type")]
    pub kind: i64,
    /// `active_time` (Unix seconds).
    #[serde(default)]
    pub active_time: i64,
    /// `expire_time` (Unix seconds).
    #[serde(default)]
    pub expire_time: i64,
}

/// One page of `list_actived_account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActivedAccounts {
    /// `next_cursor`: pass it back for the next page.
    #[serde(default)]
    pub next_cursor: String,
    /// `has_more`: 1 while pages remain.
    #[serde(default)]
    pub has_more: i64,
    /// `account_list`.
    #[serde(default)]
    pub account_list: Vec<ActivedAccount>,
}

/// `trail_info` (WeCom's spelling) of `get_app_license_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TrialInfo {
    /// `start_time` (Unix seconds).
    #[serde(default)]
    pub start_time: i64,
    /// `end_time` (Unix seconds).
    #[serde(default)]
    pub end_time: i64,
}

/// `get_app_license_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AppLicenseInfo {
    /// `license_status`: 0 licences not checked, 1 checked (after the trial, members need an
    /// active account).
    #[serde(default)]
    pub license_status: i64,
    /// `trail_info`.
    #[serde(default)]
    pub trail_info: TrialInfo,
    /// `license_check_time`: when WeCom starts checking (Unix seconds; 0 when it does not).
    #[serde(default)]
    pub license_check_time: i64,
}

impl SuiteClient {
    /// `POST license/list_actived_account?provider_access_token=` `{corpid, limit, cursor}`:
    /// one page of the corp's activated accounts.
    pub async fn list_actived_account(
        &self,
        provider_corpid: &str,
        provider_secret: &str,
        corpid: &str,
        cursor: &str,
        limit: u32,
    ) -> Result<ActivedAccounts, Error> {
        let mut body = json!({"corpid": corpid, "limit": limit.clamp(1, LICENSE_PAGE_LIMIT)});
        if !cursor.is_empty() {
            body["cursor"] = json!(cursor);
        }
        decode(
            self.provider_post(
                provider_corpid,
                provider_secret,
                "/cgi-bin/license/list_actived_account",
                &body,
            )
            .await?,
        )
    }

    /// `POST license/get_app_license_info?provider_access_token=` `{corpid, suite_id}`.
    pub async fn app_license_info(
        &self,
        provider_corpid: &str,
        provider_secret: &str,
        corpid: &str,
    ) -> Result<AppLicenseInfo, Error> {
        decode(
            self.provider_post(
                provider_corpid,
                provider_secret,
                "/cgi-bin/license/get_app_license_info",
                &json!({"corpid": corpid, "suite_id": self.suite_id().as_str()}),
            )
            .await?,
        )
    }
}
