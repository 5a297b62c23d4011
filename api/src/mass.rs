//! Mass sends (群发, `message/mass/*`): compose, target, preview, jobs with the outcome of
//! MASSSENDJOBFINISH, and WeChat's mass quota. The server module is `oa::mass`, the SPA page
//! `oa/mass`, the `wechat` client `client/oa/mass.rs`.

use serde::{Deserialize, Serialize};

use crate::followers::Selection;

/// Text limit (characters; ⚠️ WeChat's console allows 600 for a mass text).
pub const TEXT_MAX_CHARS: usize = 600;
/// Openids per `message/mass/send` (WeChat: 2 to 10,000; 40130 outside).
pub const OPENIDS_MIN: usize = 2;
pub const OPENIDS_MAX: usize = 10_000;
/// Title and description of a mass video (`media/uploadvideo`; ⚠️ WeChat publishes no limit:
/// these follow the console's video material form, 30 and 120 characters).
pub const VIDEO_TITLE_MAX_CHARS: usize = 30;
pub const VIDEO_DESCRIPTION_MAX_CHARS: usize = 120;

/// What is sent. Media ids name permanent materials (image, voice, video) or a draft saved in
/// WeChat's draft box (mpnews).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "msgtype")]
pub enum MassMessage {
    Text {
        content: String,
    },
    Image {
        media_id: String,
    },
    Voice {
        media_id: String,
    },
    /// Sent as `mpvideo`: the video material is first handed to `media/uploadvideo` with the
    /// title and description followers see, and the media id that call answers is the one sent.
    Video {
        media_id: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        description: String,
    },
    /// Articles (图文): a draft's media id.
    Mpnews {
        media_id: String,
    },
}

impl MassMessage {
    /// WeChat's `msgtype`.
    pub fn msgtype(&self) -> &'static str {
        match self {
            MassMessage::Text { .. } => "text",
            MassMessage::Image { .. } => "image",
            MassMessage::Voice { .. } => "voice",
            MassMessage::Video { .. } => "mpvideo",
            MassMessage::Mpnews { .. } => "mpnews",
        }
    }

    /// The media id, when the message names one.
    pub fn media_id(&self) -> Option<&str> {
        match self {
            MassMessage::Text { .. } => None,
            MassMessage::Image { media_id }
            | MassMessage::Voice { media_id }
            | MassMessage::Video { media_id, .. }
            | MassMessage::Mpnews { media_id } => Some(media_id),
        }
    }

    /// Checks the message before anything is stored or sent (messages in English; the SPA
    /// shows its own translation of the same rules).
    pub fn validate(&self) -> Result<(), String> {
        match self {
            MassMessage::Text { content } => {
                let n = content.trim().chars().count();
                if n == 0 {
                    return Err("the text is empty".into());
                }
                if n > TEXT_MAX_CHARS {
                    return Err(format!(
                        "the text is longer than {TEXT_MAX_CHARS} characters"
                    ));
                }
                Ok(())
            }
            other => {
                if let MassMessage::Video {
                    title, description, ..
                } = other
                {
                    if title.trim().is_empty() {
                        return Err("the video needs a title".into());
                    }
                    if title.chars().count() > VIDEO_TITLE_MAX_CHARS {
                        return Err(format!(
                            "the video title is longer than {VIDEO_TITLE_MAX_CHARS} characters"
                        ));
                    }
                    if description.chars().count() > VIDEO_DESCRIPTION_MAX_CHARS {
                        return Err(format!(
                            "the video description is longer than {VIDEO_DESCRIPTION_MAX_CHARS} characters"
                        ));
                    }
                }
                let id = other.media_id().unwrap_or("");
                if id.trim().is_empty() || id.len() > 128 {
                    return Err("choose a material".into());
                }
                Ok(())
            }
        }
    }
}

/// Who receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MassTarget {
    /// Every follower (`sendall`, `is_to_all`).
    All,
    /// The followers with a tag (`sendall`, `tag_id`).
    Tag { tag_id: i64 },
    /// A legacy group (`sendall`, `group_id`; ⚠️ WeChat moved groups to tags).
    Group { group_id: i64 },
    /// Chosen followers, by openid or by a follower-list filter (`message/mass/send`).
    Followers { selection: Selection },
}

/// `POST /api/accounts/{id}/mass`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassInput {
    pub message: MassMessage,
    pub target: MassTarget,
    /// Articles only: send even when the copyright check finds them reprinted.
    #[serde(default)]
    pub send_ignore_reprint: bool,
    /// RFC 3339; none or past: now.
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// The SPA's own key for this send (1–64 letters, digits, `-` or `_`): posting the same
    /// key again answers the job already created, never a second send.
    #[serde(default)]
    pub request_key: Option<String>,
}

/// `POST /api/accounts/{id}/mass/preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassPreviewInput {
    pub message: MassMessage,
    pub openid: String,
}

/// `POST /api/accounts/{id}/mass/{job_id}/delete-article`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassDeleteInput {
    /// 1-based article; none: every article of the send.
    #[serde(default)]
    pub article_idx: Option<i64>,
}

/// A job's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MassStatus {
    /// Waiting for its time.
    Scheduled,
    /// Being handed to WeChat.
    Sending,
    /// WeChat accepted it; waiting for MASSSENDJOBFINISH.
    Submitted,
    /// MASSSENDJOBFINISH: sent.
    Sent,
    /// WeChat refused it, or MASSSENDJOBFINISH reported a failure.
    Failed,
    /// Cancelled before its time.
    Cancelled,
}

impl MassStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MassStatus::Scheduled => "scheduled",
            MassStatus::Sending => "sending",
            MassStatus::Submitted => "submitted",
            MassStatus::Sent => "sent",
            MassStatus::Failed => "failed",
            MassStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> MassStatus {
        match s {
            "scheduled" => MassStatus::Scheduled,
            "sending" => MassStatus::Sending,
            "submitted" => MassStatus::Submitted,
            "sent" => MassStatus::Sent,
            "cancelled" => MassStatus::Cancelled,
            _ => MassStatus::Failed,
        }
    }
}

/// One article's copyright check (MASSSENDJOBFINISH `CopyrightCheckResult/ResultList/item`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CopyrightItem {
    pub article_idx: i64,
    pub user_declare_state: i64,
    pub audit_state: i64,
    pub original_article_url: String,
    pub original_article_type: i64,
    pub can_reprint: i64,
    pub need_replace_content: i64,
    pub need_show_reprint_source: i64,
}

/// A mass send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassJob {
    pub id: i64,
    pub status: MassStatus,
    pub message: MassMessage,
    /// A line for lists: the text's beginning or the material's name.
    pub summary: String,
    pub target: MassTargetSummary,
    pub send_ignore_reprint: bool,
    pub scheduled_at: String,
    pub msg_id: Option<i64>,
    pub msg_data_id: Option<i64>,
    /// MASSSENDJOBFINISH `Status` (`send success`, `send fail`, `err(30003)`…).
    pub wechat_status: Option<String>,
    pub total_count: Option<i64>,
    pub filter_count: Option<i64>,
    pub sent_count: Option<i64>,
    pub error_count: Option<i64>,
    /// `CheckState` (1 checking, 2 passed, 3 failed ⚠️), with the per-article results.
    pub copyright_check_state: Option<i64>,
    pub copyright: Vec<CopyrightItem>,
    /// Articles deleted after the send (0: all).
    pub deleted_articles: Vec<i64>,
    /// WeChat's errcode when it refused the send.
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_by: String,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub finished_at: Option<String>,
}

/// The target as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassTargetSummary {
    /// `all`, `tag`, `group` or `followers`.
    pub kind: String,
    pub id: Option<i64>,
    /// Followers chosen (`followers` only).
    pub followers: u64,
}

/// The account type that decides WeChat's mass quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MassAccountType {
    /// 订阅号: one mass send a day.
    Subscription,
    /// 服务号: four mass sends a month.
    Service,
}

impl MassAccountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MassAccountType::Subscription => "subscription",
            MassAccountType::Service => "service",
        }
    }
    pub fn parse(s: &str) -> MassAccountType {
        if s == "subscription" {
            MassAccountType::Subscription
        } else {
            MassAccountType::Service
        }
    }
    /// (sends, period): ⚠️ WeChat's published limits, counted in Beijing time.
    pub fn limit(self) -> (u64, QuotaPeriod) {
        match self {
            MassAccountType::Subscription => (1, QuotaPeriod::Day),
            MassAccountType::Service => (4, QuotaPeriod::Month),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuotaPeriod {
    Day,
    Month,
}

/// `GET /api/accounts/{id}/mass/quota`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassQuota {
    pub account_type: MassAccountType,
    pub period: QuotaPeriod,
    pub limit: u64,
    /// Sends WeChat accepted in the current period (as the portal knows them).
    pub used: u64,
    pub remaining: u64,
    /// The job in flight, if any (one mass send per account at a time).
    pub in_flight: Option<i64>,
}

/// `PUT /api/accounts/{id}/mass/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassSettingsInput {
    pub account_type: MassAccountType,
}

/// WeChat's mass send speed levels (`message/mass/speed/set`): level `i` sends
/// `MASS_SPEED_LEVELS[i]` × 10,000 messages a minute (0 fastest, 4 slowest).
pub const MASS_SPEED_LEVELS: [i64; 5] = [80, 60, 45, 30, 10];

/// `GET|PUT /api/accounts/{id}/mass/speed`: the speed WeChat sends this account's mass
/// messages at (`message/mass/speed/get`), read live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassSpeed {
    /// 0–4 (see [`MASS_SPEED_LEVELS`]).
    pub speed: u8,
    /// WeChat's speed at that level, in 10,000 messages a minute.
    pub realspeed: i64,
}

/// `PUT /api/accounts/{id}/mass/speed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MassSpeedInput {
    /// 0–4.
    pub speed: u8,
}
