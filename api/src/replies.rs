//! Auto-reply rules: triggers, conditions and replies, as stored and as edited.

use serde::{Deserialize, Serialize};

/// How a keyword trigger compares the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordMode {
    /// The whole text (trimmed) equals the pattern.
    Exact,
    /// The text contains the pattern.
    Contains,
    /// The pattern is a regular expression (at most [`MAX_REGEX_LEN`] characters).
    Regex,
}

/// The longest regular expression a keyword trigger may carry.
pub const MAX_REGEX_LEN: usize = 256;

/// What makes a rule fire. A rule fires when any of its triggers matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// A `subscribe` event; with `scene`, only a subscription through that QR scene.
    Subscribe {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scene: Option<String>,
    },
    /// A text message.
    Keyword { mode: KeywordMode, pattern: String },
    /// A message of this `MsgType` (image, voice, video, shortvideo, location, link, text).
    MsgType { msg_type: String },
    /// A menu `CLICK` with this key.
    MenuClick { key: String },
    /// A QR scan (`SCAN`, or `subscribe` through a QR code); with `scene`, only that scene.
    QrScan {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scene: Option<String>,
    },
    /// Fires for any message (not events) when no other rule fired.
    Default,
}

/// Extra conditions: all that are set must hold. Times are China Standard Time (UTC+8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    /// `HH:MM`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_from: Option<String>,
    /// `HH:MM`, exclusive. A window may wrap midnight (22:00–06:00).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_to: Option<String>,
    /// ISO weekdays, 1 = Monday … 7 = Sunday. Empty: every day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<u8>,
    /// The follower must carry this tag id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_id: Option<i64>,
}

/// One news article of a reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsArticle {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub pic_url: String,
    #[serde(default)]
    pub url: String,
}

/// One reply of a rule. Text may carry the placeholders `{openid}` and `{remark}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleReply {
    Text {
        content: String,
    },
    Image {
        media_id: String,
    },
    Voice {
        media_id: String,
    },
    Video {
        media_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    Music {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        music_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hq_music_url: Option<String>,
        thumb_media_id: String,
    },
    News {
        articles: Vec<NewsArticle>,
    },
    TransferCustomerService {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kf_account: Option<String>,
    },
    /// Answer `success` and say nothing.
    NoReply,
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRule {
    pub id: i64,
    /// `None`: the rule applies to every account.
    pub account_id: Option<i64>,
    pub name: String,
    pub enabled: bool,
    /// Higher first.
    pub priority: i32,
    pub triggers: Vec<Trigger>,
    pub conditions: Conditions,
    /// The first is the passive reply; the rest go through the customer-service / message API.
    pub replies: Vec<RuleReply>,
    pub hit_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/accounts/{id}/reply-rules` and `PATCH …/{rule_id}` (all fields for PATCH optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRuleInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Create only: the rule applies to every account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers: Option<Vec<Trigger>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<RuleReply>>,
}

/// `POST /api/accounts/{id}/reply-rules/simulate`: a message as a follower would send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulateRequest {
    /// `text`, `image`, …, or `event`.
    pub msg_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// For events: `subscribe`, `SCAN`, `CLICK`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_key: Option<String>,
    /// Defaults to a made-up follower.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user: Option<String>,
}

/// Why one rule did or did not fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVerdict {
    pub rule_id: i64,
    pub name: String,
    pub fired: bool,
    pub reason: String,
}

/// The answer of the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulateResponse {
    pub rule_id: Option<i64>,
    pub rule_name: Option<String>,
    pub verdicts: Vec<RuleVerdict>,
    /// The plain passive reply XML (`None`: the answer is `success`).
    pub reply_xml: Option<String>,
}
