//! Customer-service accounts (客服帐号) of an Official Account. WeChat keeps them; the portal
//! reads them live (`getkflist` + `getonlinekflist`) and changes them through WeChat.

use serde::{Deserialize, Serialize};

use crate::validate::Rule;

/// Longest account prefix (before `@`).
pub const MAX_PREFIX: usize = 10;
/// Longest suffix (the Official Account's WeChat ID).
pub const MAX_SUFFIX: usize = 30;
/// Longest nickname.
pub const MAX_NICKNAME: usize = 16;

/// One customer-service account with its binding and online state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KfAccount {
    /// `prefix@wechat_id`.
    pub kf_account: String,
    pub kf_id: String,
    pub nickname: String,
    /// Whether an avatar was uploaded.
    pub has_avatar: bool,
    /// The bound WeChat ID, once the invited user accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_wx: Option<String>,
    /// An open invitation: the invited WeChat ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_wx: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_expires_at: Option<String>,
    /// `waiting`, `rejected`, `expire`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_status: Option<String>,
    pub online: bool,
    /// Sessions the worker is handling now.
    pub accepted_case: i64,
}

/// `POST /api/accounts/{id}/kf`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateKfAccount {
    /// `prefix@wechat_id`: the prefix 1–10 letters, digits or `_`; the suffix is the Official
    /// Account's WeChat ID.
    pub kf_account: String,
    pub nickname: String,
}

/// `PATCH /api/accounts/{id}/kf/{kf_account}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateKfAccount {
    pub nickname: String,
}

/// `POST /api/accounts/{id}/kf/{kf_account}/invite`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InviteKfWorker {
    /// The WeChat ID of the person who will work as this account.
    pub invite_wx: String,
}

/// `prefix@suffix` rules.
pub fn check_account(a: &str) -> Result<(), Rule> {
    let a = a.trim();
    if a.is_empty() {
        return Err(Rule::Required);
    }
    let Some((prefix, suffix)) = a.split_once('@') else {
        return Err(Rule::KfAccountFormat);
    };
    let word = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if prefix.is_empty()
        || prefix.len() > MAX_PREFIX
        || !word(prefix)
        || suffix.is_empty()
        || suffix.chars().count() > MAX_SUFFIX
        || !suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Rule::KfAccountFormat);
    }
    Ok(())
}

pub fn check_nickname(n: &str) -> Result<(), Rule> {
    let len = n.trim().chars().count();
    if len == 0 {
        Err(Rule::Required)
    } else if len > MAX_NICKNAME {
        Err(Rule::TooLong { max: MAX_NICKNAME })
    } else {
        Ok(())
    }
}

/// A WeChat ID: 6–20 letters, digits, `_` or `-`, starting with a letter.
pub fn check_wechat_id(w: &str) -> Result<(), Rule> {
    let w = w.trim();
    if w.is_empty() {
        return Err(Rule::Required);
    }
    let ok = (6..=20).contains(&w.len())
        && w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Rule::WechatIdFormat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(check_account("alice@gzh_demo").is_ok());
        assert_eq!(check_account(""), Err(Rule::Required));
        assert_eq!(check_account("alice"), Err(Rule::KfAccountFormat));
        assert_eq!(check_account("toolongprefix@x"), Err(Rule::KfAccountFormat));
        assert_eq!(check_account("a-b@x"), Err(Rule::KfAccountFormat));
        assert!(check_nickname("小爱").is_ok());
        assert_eq!(
            check_nickname(&"字".repeat(17)),
            Err(Rule::TooLong { max: 16 })
        );
        assert!(check_wechat_id("alice_wx").is_ok());
        assert_eq!(check_wechat_id("1alice"), Err(Rule::WechatIdFormat));
        assert_eq!(check_wechat_id("abc"), Err(Rule::WechatIdFormat));
    }
}
