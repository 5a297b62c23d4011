//! Parametric QR codes (带参数二维码) of an Official Account: creation, the list, per-code
//! statistics from the `subscribe` / `SCAN` callbacks.

use serde::{Deserialize, Serialize};

use crate::validate::Rule;

/// Longest temporary code lifetime WeChat accepts (30 days).
pub const MAX_EXPIRE_SECONDS: i64 = 2_592_000;
/// Largest numeric scene of a permanent code (`QR_LIMIT_SCENE`).
pub const MAX_PERMANENT_SCENE_ID: i64 = 100_000;
/// Largest numeric scene of a temporary code (a 32-bit unsigned integer).
pub const MAX_TEMPORARY_SCENE_ID: i64 = u32::MAX as i64;
/// A string scene is 1–64 characters.
pub const MAX_SCENE_STR: usize = 64;
pub const MAX_NAME: usize = 64;
pub const MAX_NOTE: usize = 500;

/// `POST /api/accounts/{id}/qrcodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateQrCode {
    pub name: String,
    #[serde(default)]
    pub note: String,
    /// Permanent (`QR_LIMIT_*`) or temporary (`QR_*`, with `expire_seconds`).
    pub permanent: bool,
    /// A numeric scene (`scene_id`); exactly one of `scene_id` and `scene_str`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_id: Option<i64>,
    /// A string scene (`scene_str`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_str: Option<String>,
    /// Temporary codes: seconds, 60–2592000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_seconds: Option<i64>,
}

/// The field problems of a [`CreateQrCode`]; empty when it can be sent.
pub fn validate_create(c: &CreateQrCode) -> Vec<(&'static str, Rule)> {
    let mut out = Vec::new();
    let name = c.name.trim().chars().count();
    if name == 0 {
        out.push(("name", Rule::Required));
    } else if name > MAX_NAME {
        out.push(("name", Rule::TooLong { max: MAX_NAME }));
    }
    if c.note.chars().count() > MAX_NOTE {
        out.push(("note", Rule::TooLong { max: MAX_NOTE }));
    }
    let scene_str = c.scene_str.as_deref().map(str::trim).unwrap_or("");
    match (c.scene_id, scene_str.is_empty()) {
        (Some(_), false) => out.push(("scene_str", Rule::NotForKind)),
        (None, true) => out.push(("scene", Rule::Required)),
        (Some(id), true) => {
            let max = if c.permanent {
                MAX_PERMANENT_SCENE_ID
            } else {
                MAX_TEMPORARY_SCENE_ID
            };
            if !(1..=max).contains(&id) {
                out.push(("scene_id", Rule::Range { min: 1, max }));
            }
        }
        (None, false) => {
            // WeChat counts the bytes of the scene string.
            if scene_str.len() > MAX_SCENE_STR {
                out.push(("scene_str", Rule::TooLong { max: MAX_SCENE_STR }));
            }
        }
    }
    if !c.permanent {
        match c.expire_seconds {
            None => out.push(("expire_seconds", Rule::Required)),
            Some(s) if !(60..=MAX_EXPIRE_SECONDS).contains(&s) => out.push((
                "expire_seconds",
                Rule::Range {
                    min: 60,
                    max: MAX_EXPIRE_SECONDS,
                },
            )),
            Some(_) => {}
        }
    }
    out
}

/// One QR code as the portal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrCode {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub note: String,
    pub permanent: bool,
    /// The scene as the callbacks carry it (`EventKey`): the number or the string.
    pub scene: String,
    /// Whether the scene is a string (`scene_str`) rather than a number.
    pub scene_is_str: bool,
    /// The code's content, a short link (`url` of `qrcode/create`).
    pub url: String,
    /// Temporary codes: when WeChat stops honouring it (RFC 3339).
    pub expires_at: Option<String>,
    pub expired: bool,
    pub created_by: String,
    pub created_at: String,
    /// Every scan (subscribe through the code, or `SCAN` by a follower).
    pub scans: i64,
    /// Subscriptions through the code.
    pub subscribes: i64,
}

/// `GET /api/accounts/{id}/qrcodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrCodeQuery {
    /// Name, note or scene (contains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// `permanent` or `temporary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// One day of a code's statistics (China Standard Time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub scans: i64,
    /// Subscriptions through the code.
    pub subscribes: i64,
    /// `SCAN` events: followers who already followed the account.
    pub repeat_scans: i64,
}

/// A subscriber attributed to a code (subscribed through it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrSubscriber {
    pub openid: String,
    pub nickname: Option<String>,
    pub remark: Option<String>,
    /// Whether they still follow the account.
    pub subscribed: bool,
    pub at: String,
}

/// A reply rule that answers this code's scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrReplyRule {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
}

/// `GET /api/accounts/{id}/qrcodes/{qr_id}/stats`: the last `days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrStats {
    pub days: Vec<QrDay>,
    pub scans: i64,
    pub subscribes: i64,
    pub repeat_scans: i64,
    /// Distinct followers who scanned.
    pub unique_scanners: i64,
    /// The newest 50 subscribers attributed to the code.
    pub subscribers: Vec<QrSubscriber>,
    /// Enabled or not, the reply rules whose trigger names this scene.
    pub reply_rules: Vec<QrReplyRule>,
}

/// `GET …/stats` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QrStatsQuery {
    /// 1–90, default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}

/// `PATCH /api/accounts/{id}/qrcodes/{qr_id}`: only the portal's own labels change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateQrCode {
    pub name: String,
    #[serde(default)]
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(scene_id: Option<i64>, scene_str: Option<&str>, exp: Option<i64>) -> CreateQrCode {
        CreateQrCode {
            name: "n".into(),
            note: String::new(),
            permanent: false,
            scene_id,
            scene_str: scene_str.map(Into::into),
            expire_seconds: exp,
        }
    }

    #[test]
    fn rules() {
        assert!(validate_create(&temp(Some(1), None, Some(60))).is_empty());
        assert!(validate_create(&temp(None, Some("a"), Some(MAX_EXPIRE_SECONDS))).is_empty());
        assert_eq!(validate_create(&temp(None, None, Some(60)))[0].0, "scene");
        assert_eq!(
            validate_create(&temp(Some(1), Some("a"), Some(60)))[0].0,
            "scene_str"
        );
        assert_eq!(
            validate_create(&temp(Some(1), None, Some(59)))[0].0,
            "expire_seconds"
        );
        assert_eq!(
            validate_create(&temp(Some(1), None, None))[0].0,
            "expire_seconds"
        );
        let long = "x".repeat(65);
        assert_eq!(
            validate_create(&temp(None, Some(&long), Some(60)))[0].0,
            "scene_str"
        );
        let mut p = temp(Some(100_001), None, None);
        p.permanent = true;
        assert_eq!(validate_create(&p)[0].0, "scene_id");
        p.scene_id = Some(100_000);
        assert!(validate_create(&p).is_empty());
    }
}
