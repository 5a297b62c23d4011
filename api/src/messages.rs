//! The message log, conversations, staff replies and the callback inspector.
//!
//! * `GET /api/accounts/{id}/messages?…` ([`MessageQuery`]) → `Page<`[`MessageItem`]`>`: inbound
//!   and outbound messages, newest first;
//! * `GET /api/accounts/{id}/messages/{message_id}` → [`MessageDetail`] (`in-12` / `out-7`);
//! * `GET /api/accounts/{id}/conversations?q=&page=` → `Page<`[`ConversationSummary`]`>`;
//! * `GET /api/accounts/{id}/conversations/{user}` → [`Conversation`];
//! * `POST /api/accounts/{id}/messages/reply` [`StaffReplyRequest`] → [`MessageItem`];
//! * `GET /api/accounts/{id}/deliveries?…` ([`DeliveryQuery`]) → `Page<`[`DeliverySummary`]`>`;
//! * `GET /api/accounts/{id}/deliveries/{delivery_id}` → [`DeliveryDetail`];
//! * `POST /api/accounts/{id}/deliveries/{delivery_id}/replay` → [`DeliveryDetail`] (the replay).

use serde::{Deserialize, Serialize};

use crate::{FieldIssue, replies::NewsArticle};

fn issue(field: &str, code: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.to_string(),
        code: code.to_string(),
        message: message.into(),
    }
}

/// How long after a follower's last message the customer-service API may answer (WeChat's
/// 48-hour window).
pub const REPLY_WINDOW_SECS: i64 = 48 * 3600;
/// The longest staff text reply (WeChat's customer-service text limit is 2048 bytes).
pub const MAX_TEXT_BYTES: usize = 2048;

/// Inbound (from a follower/member) or outbound (to them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// Filters of the message log. Dates are `YYYY-MM-DD` (UTC), both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageQuery {
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
    /// Follower openid / member userid (exact).
    #[serde(default)]
    pub user: Option<String>,
    /// `text`, `image`, `event`, … (the message type).
    #[serde(default)]
    pub msg_type: Option<String>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Full-text search on text content (case-insensitive substring).
    #[serde(default)]
    pub q: Option<String>,
}

/// One line of the message log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageItem {
    /// `in-12` or `out-7`.
    pub id: String,
    pub direction: Direction,
    /// The follower's openid or the member's userid.
    pub user: String,
    pub msg_type: String,
    /// For events: `subscribe`, `CLICK`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Text content, or a short summary (media id, title, event key).
    pub summary: String,
    /// Outbound only: `passive`, `custom_service`, `message_send`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Outbound only: `sent`, `pending`, `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<i64>,
    /// Outbound only: the staff member who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<i64>,
    /// Outbound customer-service messages sent as a customer-service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kf_account: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// One message with its raw form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageDetail {
    pub item: MessageItem,
    /// Inbound: the decrypted XML WeChat sent. Outbound: the passive reply XML or the JSON body
    /// sent to the API.
    pub raw: String,
    /// Inbound: the passive reply XML sent back, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_xml: Option<String>,
    /// Inbound: the parsed fields (JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed: Option<String>,
    /// Outbound: delivery attempts through the API.
    pub attempts: i32,
    /// Inbound: the outbound messages answering it; outbound: empty.
    pub replies: Vec<MessageItem>,
    /// Inbound image/voice/video: what can be previewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaPreview>,
}

/// The media of an inbound message: WeChat's picture URL for images (`PicUrl`, served by
/// WeChat's CDN), and the media id of images, voice and video (temporary media, 3 days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediaPreview {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pic_url: Option<String>,
    pub media_id: String,
}

/// A follower/member with messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversationSummary {
    pub user: String,
    /// The follower's remark, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    pub inbound_count: u64,
    pub last_summary: String,
    /// The last message's type and event, for saying `last_summary` in the UI language.
    #[serde(default)]
    pub last_msg_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event: Option<String>,
    /// RFC 3339 of the last inbound message.
    pub last_at: String,
    /// Staff may still answer through the customer-service API (always true for WeCom).
    pub window_open: bool,
}

/// All messages with one follower/member, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conversation {
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    pub messages: Vec<MessageItem>,
    pub window_open: bool,
    /// RFC 3339: when the 48-hour window closes (Official Accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_closes_at: Option<String>,
    /// At most the last 200 messages are returned.
    pub truncated: bool,
}

/// What staff can send from a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StaffReply {
    Text { content: String },
    Image { media_id: String },
    News { article: NewsArticle },
}

/// `POST /api/accounts/{id}/messages/reply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StaffReplyRequest {
    /// The follower's openid or the member's userid.
    pub to_user: String,
    pub reply: StaffReply,
    /// Official Accounts: send as this customer-service account (`customservice.kf_account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kf_account: Option<String>,
}

impl StaffReplyRequest {
    /// Field rules shared by the browser and the server (empty: valid). Codes: `required`,
    /// `too_long`, `url_format`.
    pub fn validate(&self) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        if self.to_user.trim().is_empty() {
            issues.push(issue("to_user", "required", "choose a follower or member"));
        }
        match &self.reply {
            StaffReply::Text { content } => {
                if content.trim().is_empty() {
                    issues.push(issue("content", "required", "write a message"));
                } else if content.len() > MAX_TEXT_BYTES {
                    issues.push(issue(
                        "content",
                        "too_long",
                        format!("at most {MAX_TEXT_BYTES} bytes (WeChat's limit)"),
                    ));
                }
            }
            StaffReply::Image { media_id } => {
                if media_id.trim().is_empty() {
                    issues.push(issue("media_id", "required", "give the image's media id"));
                }
            }
            StaffReply::News { article } => {
                if article.title.trim().is_empty() {
                    issues.push(issue("title", "required", "give the article a title"));
                }
                if article.url.trim().is_empty() {
                    issues.push(issue("url", "required", "give the article's link"));
                } else if !article.url.starts_with("http://")
                    && !article.url.starts_with("https://")
                {
                    issues.push(issue(
                        "url",
                        "url_format",
                        "the link must start with http:// or https://",
                    ));
                }
            }
        }
        issues
    }
}

/// Filters of the inspector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliveryQuery {
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
    /// `verified`, `accepted`, `duplicate`, `rejected`.
    #[serde(default)]
    pub outcome: Option<String>,
}

/// One HTTP delivery on `/wx/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliverySummary {
    pub id: i64,
    pub received_at: String,
    pub method: String,
    /// `verified`, `accepted`, `duplicate`, `rejected`.
    pub outcome: String,
    pub status_code: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    /// The body decrypted (or was plain) and parsed far enough to be read.
    pub decrypted: bool,
    pub dedup_hit: bool,
    pub duration_ms: i64,
    /// WeChat gives up after this long.
    pub budget_ms: i64,
    /// `passive`, `success`, `async`, `echo`, `none`.
    pub reply_mode: String,
    pub replay: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_of: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_id: Option<i64>,
}

/// A delivery with everything that was received and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeliveryDetail {
    pub summary: DeliverySummary,
    /// The query string as received (signatures included; they are not secrets).
    pub query: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decrypted_xml: Option<String>,
    /// The plain reply XML (before encryption in safe mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_xml: Option<String>,
}

/// WeChat's timeout for a callback answer.
pub const WECHAT_TIMEOUT_MS: i64 = 5000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_reply_rules() {
        let ok = StaffReplyRequest {
            to_user: "o1".into(),
            reply: StaffReply::Text {
                content: "hi".into(),
            },
            kf_account: None,
        };
        assert!(ok.validate().is_empty());
        let long = StaffReplyRequest {
            to_user: " ".into(),
            reply: StaffReply::Text {
                content: "长".repeat(700),
            },
            kf_account: None,
        };
        let issues = long.validate();
        assert_eq!(issues.len(), 2);
        let news = StaffReplyRequest {
            to_user: "o1".into(),
            reply: StaffReply::News {
                article: NewsArticle {
                    title: "t".into(),
                    description: String::new(),
                    pic_url: String::new(),
                    url: "ftp://x".into(),
                },
            },
            kf_account: None,
        };
        assert_eq!(news.validate()[0].field, "url");
    }
}

/// `GET /api/accounts/{id}/stats/daily?days=N`: what happened per day (Beijing time), the last
/// `days` days up to today, every day present (zeros included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DailyActivity {
    /// `YYYY-MM-DD`, first and last day shown.
    pub from: String,
    pub to: String,
    pub days: Vec<ActivityDay>,
}

/// One day of [`DailyActivity`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActivityDay {
    /// `YYYY-MM-DD` (Beijing time).
    pub date: String,
    /// `subscribe` events received (follows, also by scanning a QR code).
    pub subscribed: u64,
    /// `unsubscribe` events received.
    pub unsubscribed: u64,
    /// Messages received from followers / members (events not counted).
    pub inbound: u64,
    /// Messages sent to them: passive replies, customer-service and staff replies that went out.
    pub outbound: u64,
}

/// Days [`DailyActivity`] covers when not asked, and at most.
pub const ACTIVITY_DEFAULT_DAYS: u32 = 30;
pub const ACTIVITY_MAX_DAYS: u32 = 90;

/// The query of `GET /api/accounts/{id}/stats/daily`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DailyQuery {
    /// 1–90 (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}
