//! Auto-reply rules: triggers, conditions and replies, as stored and as edited.

use serde::{Deserialize, Serialize};

use crate::FieldIssue;

/// How a keyword trigger compares the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// A WeCom app menu event ([`WECOM_MENU_EVENTS`]): a button pressed (`click`, `view`, the
    /// scan, photo and location buttons) or the app opened (`enter_agent`). With `key`, only
    /// the button with that key (for `view`: that URL); `enter_agent` carries none.
    MenuEvent {
        event: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    /// Fires for any message (not events) when no other rule fired.
    Default,
}

/// The events a WeCom app's menu and app entry send, as `Event` spells them.
pub const WECOM_MENU_EVENTS: &[&str] = &[
    "click",
    "view",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
    "enter_agent",
];

/// Extra conditions: all that are set must hold. Times are China Standard Time (UTC+8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleVerdict {
    pub rule_id: i64,
    pub name: String,
    pub fired: bool,
    pub reason: String,
}

/// The answer of the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimulateResponse {
    pub rule_id: Option<i64>,
    pub rule_name: Option<String>,
    pub verdicts: Vec<RuleVerdict>,
    /// The plain passive reply XML (`None`: the answer is `success`).
    pub reply_xml: Option<String>,
}

pub const MAX_TRIGGERS: usize = 20;
pub const MAX_REPLIES: usize = 5;
pub const MAX_TEXT: usize = 2048;

fn issue(field: &str, code: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// `HH:MM` as minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Field problems of a complete rule, shared by the server and the browser. `regex` checks a
/// regular expression (the server compiles it; the browser may only check it is non-empty).
pub fn validate(
    name: &str,
    triggers: &[Trigger],
    c: &Conditions,
    replies: &[RuleReply],
    regex: &dyn Fn(&str) -> Result<(), String>,
) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    if name.trim().is_empty() {
        out.push(issue("name", "required", "a name is required"));
    } else if name.chars().count() > 128 {
        out.push(issue("name", "too_long", "at most 128 characters"));
    }
    if triggers.is_empty() {
        out.push(issue("triggers", "required", "at least one trigger"));
    }
    if triggers.len() > MAX_TRIGGERS {
        out.push(issue(
            "triggers",
            "too_long",
            format!("at most {MAX_TRIGGERS} triggers"),
        ));
    }
    for (i, t) in triggers.iter().enumerate() {
        let f = format!("triggers[{i}]");
        match t {
            Trigger::Keyword { mode, pattern } => {
                if pattern.trim().is_empty() {
                    out.push(issue(&f, "required", "the keyword is empty"));
                } else if *mode == KeywordMode::Regex
                    && let Err(e) = regex(pattern)
                {
                    out.push(issue(
                        &f,
                        "regex",
                        format!("invalid regular expression: {e}"),
                    ));
                } else if pattern.chars().count() > 256 {
                    out.push(issue(&f, "too_long", "at most 256 characters"));
                }
            }
            Trigger::MsgType { msg_type } => {
                const TYPES: &[&str] = &[
                    "text",
                    "image",
                    "voice",
                    "video",
                    "shortvideo",
                    "location",
                    "link",
                ];
                if !TYPES.contains(&msg_type.as_str()) {
                    out.push(issue(
                        &f,
                        "invalid",
                        format!("message type must be one of {TYPES:?}"),
                    ));
                }
            }
            Trigger::MenuClick { key } if key.trim().is_empty() || key.len() > 128 => {
                out.push(issue(&f, "invalid", "menu key must be 1–128 bytes"));
            }
            Trigger::MenuEvent { event, key } => {
                if !WECOM_MENU_EVENTS.contains(&event.as_str()) {
                    out.push(issue(
                        &f,
                        "invalid",
                        format!("menu event must be one of {WECOM_MENU_EVENTS:?}"),
                    ));
                } else if event == "enter_agent" && key.as_deref().is_some_and(|k| !k.is_empty()) {
                    out.push(issue(&f, "invalid", "enter_agent carries no key"));
                } else if let Some(k) = key {
                    // A view button's URL may be 1024 bytes; keys 128.
                    let max = if event == "view" { 1024 } else { 128 };
                    if k.trim().is_empty() || k.len() > max {
                        out.push(issue(
                            &f,
                            "invalid",
                            format!("menu key must be 1–{max} bytes"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for (field, v) in [
        ("conditions.time_from", &c.time_from),
        ("conditions.time_to", &c.time_to),
    ] {
        if let Some(v) = v
            && parse_hhmm(v).is_none()
        {
            out.push(issue(field, "invalid", "use HH:MM (00:00–23:59)"));
        }
    }
    if c.weekdays.iter().any(|d| !(1..=7).contains(d)) {
        out.push(issue(
            "conditions.weekdays",
            "invalid",
            "weekdays are 1 (Monday) … 7 (Sunday)",
        ));
    }
    if replies.is_empty() {
        out.push(issue(
            "replies",
            "required",
            "at least one reply (or no_reply)",
        ));
    }
    if replies.len() > MAX_REPLIES {
        out.push(issue(
            "replies",
            "too_long",
            format!("at most {MAX_REPLIES} replies"),
        ));
    }
    for (i, r) in replies.iter().enumerate() {
        let f = format!("replies[{i}]");
        match r {
            RuleReply::Text { content } => {
                if content.trim().is_empty() {
                    out.push(issue(&f, "required", "the text is empty"));
                } else if content.len() > MAX_TEXT {
                    out.push(issue(&f, "too_long", format!("at most {MAX_TEXT} bytes")));
                }
            }
            RuleReply::Image { media_id }
            | RuleReply::Voice { media_id }
            | RuleReply::Video { media_id, .. }
                if media_id.trim().is_empty() =>
            {
                out.push(issue(&f, "required", "a media id is required"));
            }
            RuleReply::Music { thumb_media_id, .. } if thumb_media_id.trim().is_empty() => {
                out.push(issue(&f, "required", "a thumbnail media id is required"));
            }
            RuleReply::News { articles } => {
                if articles.is_empty() || articles.len() > 8 {
                    out.push(issue(&f, "invalid", "1–8 articles"));
                } else if articles.iter().any(|a| a.title.trim().is_empty()) {
                    out.push(issue(&f, "required", "every article needs a title"));
                }
            }
            _ => {}
        }
    }
    out
}
