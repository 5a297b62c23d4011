//! The built-in sandbox: testing an account's connection to WeChat, and acting as a follower or
//! member of a sandbox account.
//!
//! * `POST /api/accounts/{id}/test-connection` → [`TestConnectionResult`] (any environment);
//! * `POST /api/accounts/{id}/sandbox/act` [`SandboxActRequest`] → [`SandboxActResult`]
//!   (sandbox accounts only: 409 `conflict` otherwise);
//! * `GET /api/accounts/{id}/sandbox/followers?q=&page=` → `Page<`[`SandboxPerson`]`>`: the
//!   followers of an Official Account, or the members of a WeCom corp.

use serde::{Deserialize, Serialize};

use crate::accounts::WechatEnv;

/// Outcome of `test-connection`. The token itself is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TestConnectionResult {
    /// The credentials work.
    pub ok: bool,
    /// What was tried and what came back (English).
    pub detail: String,
    /// Token fetches from WeChat today (UTC) for this credential, across all instances.
    pub fetches_today: u64,
    pub environment: WechatEnv,
    /// WeChat's `errcode` when WeChat refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<i64>,
    /// What to check, for common errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The WeChat API that was called: `stable_token`, `gettoken`, `get_suite_token` or
    /// `orderquery` (for the SPA to say what was tried in the user's language).
    #[serde(default)]
    pub method: String,
    /// The token came from the shared token store (no call to WeChat was needed).
    #[serde(default)]
    pub cached: bool,
}

/// What to do as the follower / member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SandboxAction {
    /// OA: follow, optionally by scanning a parameter QR code with this scene string.
    Subscribe {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scene: Option<String>,
    },
    /// OA: unfollow.
    Unsubscribe,
    /// OA: scan a parameter QR code with this scene string (`SCAN`, or subscribe).
    Scan { scene: String },
    /// OA and WeCom: send text.
    Text { content: String },
    /// OA and WeCom: send a picture.
    Image,
    /// OA and WeCom: send a location.
    Location {
        latitude: f64,
        longitude: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// OA: share a link.
    Link {
        title: String,
        url: String,
        #[serde(default)]
        description: String,
    },
    /// OA and WeCom: click a menu button by key.
    Click { key: String },
    /// WeCom: open the app (`enter_agent`).
    EnterAgent,
    /// WeCom: tap a `view` (link) button of the app's menu with this URL.
    View { url: String },
    /// Like the console's "verify callback URL": the GET with `echostr`.
    VerifyUrl,
    /// WeCom suite: WeChat pushes a fresh `suite_ticket` instruction to the suite's
    /// instruction URL now (it does so every 10 minutes on its own).
    SuiteTicket,
    /// Pay: the payer scans the mode-1 QR code of a product (WeChat calls the merchant's scan
    /// callback for an order) and pays it.
    PayProduct { product_id: i64 },
    /// Pay: the payer scans a QR code — a mode-2 `code_url` or any `weixin://wxpay/bizpayurl`
    /// code — and pays it.
    PayCode { code: String },
}

impl SandboxAction {
    /// The `type` tag.
    pub fn name(&self) -> &'static str {
        match self {
            SandboxAction::Subscribe { .. } => "subscribe",
            SandboxAction::Unsubscribe => "unsubscribe",
            SandboxAction::Scan { .. } => "scan",
            SandboxAction::Text { .. } => "text",
            SandboxAction::Image => "image",
            SandboxAction::Location { .. } => "location",
            SandboxAction::Link { .. } => "link",
            SandboxAction::Click { .. } => "click",
            SandboxAction::EnterAgent => "enter_agent",
            SandboxAction::View { .. } => "view",
            SandboxAction::VerifyUrl => "verify_url",
            SandboxAction::SuiteTicket => "suite_ticket",
            SandboxAction::PayProduct { .. } => "pay_product",
            SandboxAction::PayCode { .. } => "pay_code",
        }
    }
}

/// `POST /api/accounts/{id}/sandbox/act`.
///
/// Pay merchants: `subject` is the payer's openid (optional: a new payer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SandboxActRequest {
    /// OA: the follower's openid (optional for `subscribe`/`scan`: a new follower);
    /// WeCom: the member's userid (required except for `verify_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(flatten)]
    pub action: SandboxAction,
}

/// One HTTP attempt of the emulator at the account's callback URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliveryAttempt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Transport error or `timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub elapsed_ms: u64,
    /// The response body (truncated).
    pub response: String,
}

/// Something the follower / member saw in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SeenMessage {
    /// `passive_reply` or `system` (WeChat's own "service unavailable" notice).
    pub source: String,
    /// `text`, `image`, `news`, …
    pub msg_type: String,
    /// Readable text of the message.
    pub text: String,
}

/// The delivery of one action, as the emulator recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SandboxActResult {
    /// The action went through: a reply, an accepted empty reply, or a verified URL.
    pub ok: bool,
    /// `replied`, `no_reply`, `invalid_reply`, `failed`, `no_callback_url`, `verified`,
    /// `verify_failed`.
    pub outcome: String,
    /// The openid / userid acted as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The URL the emulator called (with WeChat's query).
    pub url: String,
    /// HTTP status of the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Total time of all attempts.
    pub latency_ms: u64,
    pub attempts: Vec<DeliveryAttempt>,
    /// The plaintext message WeChat pushed (before encryption).
    pub message: String,
    /// The reply as plaintext XML (decrypted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// Why the reply was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_error: Option<String>,
    /// What the follower / member saw as a result.
    pub seen: Vec<SeenMessage>,
    /// Pay actions: the order that was paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<SandboxPayment>,
}

/// The order a sandbox payer paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SandboxPayment {
    /// The portal's order id (staff console), when the portal knows the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<i64>,
    pub out_trade_no: String,
    pub transaction_id: String,
    /// The public order page (`/pay/{merchant_id}/orders/{out_trade_no}`).
    pub order_url: String,
    /// The order's state in the portal once the payment notification was handled (or
    /// `NOTPAY` if it had not arrived yet).
    pub state: String,
}

/// A follower (OA) or member (WeCom) to act as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SandboxPerson {
    /// openid / userid.
    pub id: String,
    /// Nickname / name (may be empty).
    pub name: String,
    /// OA: currently following; WeCom: always true.
    pub subscribed: bool,
    /// Tag names (OA) or department names (WeCom).
    pub tags: Vec<String>,
}

/// `GET /api/accounts/{id}/sandbox/followers` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowersQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn act_requests_are_flat_json_tagged_by_type() {
        let r: SandboxActRequest =
            serde_json::from_str(r#"{"type":"text","subject":"oAbc","content":"你好"}"#).unwrap();
        assert_eq!(r.subject.as_deref(), Some("oAbc"));
        assert_eq!(
            r.action,
            SandboxAction::Text {
                content: "你好".into()
            }
        );
        let r: SandboxActRequest = serde_json::from_str(r#"{"type":"verify_url"}"#).unwrap();
        assert_eq!(r.action, SandboxAction::VerifyUrl);
        assert_eq!(r.action.name(), "verify_url");
        let v = serde_json::to_value(SandboxActRequest {
            subject: None,
            action: SandboxAction::Subscribe {
                scene: Some("poster".into()),
            },
        })
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "subscribe", "scene": "poster"})
        );
    }
}
