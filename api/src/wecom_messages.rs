//! WeCom app messages (`message/send`): compose, the send log, retry and recall.
//!
//! * `POST /api/accounts/{id}/wecom/messages` [`SendAppMessageInput`] → [`AppMessage`] (201; a
//!   send WeChat refused is stored and returned with state `failed`);
//! * `GET /api/accounts/{id}/wecom/messages?…` ([`AppMessageQuery`]) → `Page<`[`AppMessageSummary`]`>`;
//! * `GET /api/accounts/{id}/wecom/messages/{message_id}` → [`AppMessage`];
//! * `POST …/{message_id}/retry`, `POST …/{message_id}/recall` → [`AppMessage`];
//! * `POST /api/accounts/{id}/wecom/media` (multipart `type`, `file`) → [`UploadedMedia`];
//! * `GET /api/accounts/{id}/wecom/messages/usage` → [`MessageUsage`].

use serde::{Deserialize, Serialize};

use crate::{FieldIssue, Lang};

/// WeCom's receiver limits per `message/send` call; larger sends are split.
pub const MAX_USERS_PER_CALL: usize = 1000;
/// See [`MAX_USERS_PER_CALL`].
pub const MAX_PARTIES_PER_CALL: usize = 100;
/// See [`MAX_USERS_PER_CALL`].
pub const MAX_TAGS_PER_CALL: usize = 100;
/// Messages one app may send one member per minute (WeCom drops the rest silently).
pub const PER_MEMBER_PER_MINUTE: usize = 30;
/// `message/send` calls one app may make per hour (⚠️ WeCom's page words it per member; we hold
/// the whole app to it, which is stricter).
pub const PER_APP_PER_HOUR: usize = 1000;
/// An app message can be recalled for 24 hours.
pub const RECALL_WINDOW_SECS: i64 = 86_400;
/// How far ahead a send can be scheduled.
pub const MAX_SCHEDULE_DAYS: i64 = 30;
/// A scheduled time this many seconds in the past still counts as "now" (the picker has
/// minutes; the current minute is a valid choice).
pub const SCHEDULE_GRACE_SECS: i64 = 60;
/// WeCom keeps temporary media for 3 days.
pub const MEDIA_LIFETIME_SECS: i64 = 3 * 86_400;
/// `duplicate_check_interval` bounds (seconds; default 1800).
pub const DUPLICATE_INTERVAL_MAX: u32 = 4 * 3600;

/// Byte limits of the payload fields (⚠️ from WeCom's message/send page as recalled).
pub mod limits {
    pub const TEXT: usize = 2048;
    pub const MARKDOWN: usize = 2048;
    pub const TITLE: usize = 128;
    pub const DESCRIPTION: usize = 512;
    pub const URL: usize = 2048;
    /// `btntxt`: at most 4 characters.
    pub const BTNTXT_CHARS: usize = 4;
    pub const AUTHOR: usize = 64;
    pub const DIGEST: usize = 512;
    pub const MPNEWS_CONTENT: usize = 666 * 1024;
    pub const ARTICLES: usize = 8;
}

/// Who receives a send. `all` is `touser=@all` (everyone in the app's visible range).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recipients {
    #[serde(default)]
    pub all: bool,
    /// userids.
    #[serde(default)]
    pub users: Vec<String>,
    /// Department ids.
    #[serde(default)]
    pub parties: Vec<i64>,
    /// Tag ids.
    #[serde(default)]
    pub tags: Vec<i64>,
}

impl Recipients {
    pub fn is_empty(&self) -> bool {
        !self.all && self.users.is_empty() && self.parties.is_empty() && self.tags.is_empty()
    }
}

/// A news (图文) article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewsItem {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub url: String,
    #[serde(default)]
    pub picurl: String,
}

/// An mpnews article (stored in WeCom; `thumb_media_id` is an uploaded image).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MpnewsItem {
    pub title: String,
    pub thumb_media_id: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub content_source_url: String,
    pub content: String,
    #[serde(default)]
    pub digest: String,
}

/// What a send carries, by `msgtype`; the fields are WeCom's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "msgtype", rename_all = "snake_case")]
pub enum AppMessageContent {
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
        #[serde(default)]
        title: String,
        #[serde(default)]
        description: String,
    },
    File {
        media_id: String,
    },
    Textcard {
        title: String,
        description: String,
        url: String,
        #[serde(default)]
        btntxt: String,
    },
    News {
        articles: Vec<NewsItem>,
    },
    Mpnews {
        articles: Vec<MpnewsItem>,
    },
    Markdown {
        content: String,
    },
}

impl AppMessageContent {
    pub fn msgtype(&self) -> &'static str {
        match self {
            AppMessageContent::Text { .. } => "text",
            AppMessageContent::Image { .. } => "image",
            AppMessageContent::Voice { .. } => "voice",
            AppMessageContent::Video { .. } => "video",
            AppMessageContent::File { .. } => "file",
            AppMessageContent::Textcard { .. } => "textcard",
            AppMessageContent::News { .. } => "news",
            AppMessageContent::Mpnews { .. } => "mpnews",
            AppMessageContent::Markdown { .. } => "markdown",
        }
    }

    /// A one-line preview for the log.
    pub fn summary(&self) -> String {
        let s = match self {
            AppMessageContent::Text { content } | AppMessageContent::Markdown { content } => {
                content.clone()
            }
            AppMessageContent::Image { media_id }
            | AppMessageContent::Voice { media_id }
            | AppMessageContent::File { media_id } => media_id.clone(),
            AppMessageContent::Video {
                title, media_id, ..
            } => {
                if title.is_empty() {
                    media_id.clone()
                } else {
                    title.clone()
                }
            }
            AppMessageContent::Textcard { title, .. } => title.clone(),
            AppMessageContent::News { articles } => articles
                .first()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
            AppMessageContent::Mpnews { articles } => articles
                .first()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
        };
        s.chars().take(80).collect()
    }
}

/// The message types in the order the composer offers them.
pub const MSG_TYPES: &[&str] = &[
    "text", "textcard", "markdown", "news", "mpnews", "image", "voice", "video", "file",
];

/// `safe`, `enable_id_trans`, `enable_duplicate_check` + `duplicate_check_interval`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendOptions {
    /// 保密消息 (watermarked, cannot be forwarded): text, image, video, file, textcard, mpnews.
    #[serde(default)]
    pub safe: bool,
    #[serde(default)]
    pub enable_id_trans: bool,
    #[serde(default)]
    pub enable_duplicate_check: bool,
    /// Seconds (1 – 14400), default 1800.
    #[serde(default)]
    pub duplicate_check_interval: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendAppMessageInput {
    pub recipients: Recipients,
    pub content: AppMessageContent,
    #[serde(default)]
    pub options: SendOptions,
}

/// A validation problem of a compose form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageRule {
    Required,
    TooLongBytes(usize),
    TooLongChars(usize),
    BadUrl,
    ArticleCount,
    NoRecipients,
    BadUserId,
    IntervalRange,
    SafeNotForType,
    /// `scheduled_at` is no RFC 3339 time.
    ScheduleFormat,
    /// `scheduled_at` is in the past.
    SchedulePast,
    /// `scheduled_at` is more than [`MAX_SCHEDULE_DAYS`] ahead.
    ScheduleTooFar,
    /// A message with temporary media scheduled after the media expire (3 days).
    ScheduleAfterMedia,
}

impl MessageRule {
    pub fn code(self) -> &'static str {
        match self {
            MessageRule::Required => "required",
            MessageRule::TooLongBytes(_) => "too_long_bytes",
            MessageRule::TooLongChars(_) => "too_long",
            MessageRule::BadUrl => "url_format",
            MessageRule::ArticleCount => "article_count",
            MessageRule::NoRecipients => "no_recipients",
            MessageRule::BadUserId => "userid_format",
            MessageRule::IntervalRange => "interval_range",
            MessageRule::SafeNotForType => "safe_not_for_type",
            MessageRule::ScheduleFormat => "schedule_format",
            MessageRule::SchedulePast => "schedule_past",
            MessageRule::ScheduleTooFar => "schedule_too_far",
            MessageRule::ScheduleAfterMedia => "schedule_after_media",
        }
    }

    /// The rule of a field issue the server sent (`code`, and its English `message` for the
    /// number of a length rule), so the SPA says it in the UI language.
    pub fn from_issue(code: &str, message: &str) -> Option<MessageRule> {
        let number = || -> usize {
            message
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        };
        Some(match code {
            "required" => MessageRule::Required,
            "too_long_bytes" => MessageRule::TooLongBytes(number()),
            "too_long" => MessageRule::TooLongChars(number()),
            "url_format" => MessageRule::BadUrl,
            "article_count" => MessageRule::ArticleCount,
            "no_recipients" => MessageRule::NoRecipients,
            "userid_format" => MessageRule::BadUserId,
            "interval_range" => MessageRule::IntervalRange,
            "safe_not_for_type" => MessageRule::SafeNotForType,
            "schedule_format" => MessageRule::ScheduleFormat,
            "schedule_past" => MessageRule::SchedulePast,
            "schedule_too_far" => MessageRule::ScheduleTooFar,
            "schedule_after_media" => MessageRule::ScheduleAfterMedia,
            _ => return None,
        })
    }

    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (MessageRule::Required, Lang::ZhCn) => "必填".into(),
            (MessageRule::Required, Lang::En) => "Required".into(),
            (MessageRule::TooLongBytes(n), Lang::ZhCn) => {
                format!("超过 {n} 字节（一个汉字约占 3 字节）")
            }
            (MessageRule::TooLongBytes(n), Lang::En) => {
                format!("Longer than {n} bytes (a Chinese character takes 3)")
            }
            (MessageRule::TooLongChars(n), Lang::ZhCn) => format!("最多 {n} 个字"),
            (MessageRule::TooLongChars(n), Lang::En) => format!("At most {n} characters"),
            (MessageRule::BadUrl, Lang::ZhCn) => "需以 http:// 或 https:// 开头".into(),
            (MessageRule::BadUrl, Lang::En) => "Must start with http:// or https://".into(),
            (MessageRule::ArticleCount, Lang::ZhCn) => "图文需 1 到 8 篇".into(),
            (MessageRule::ArticleCount, Lang::En) => "1 to 8 articles".into(),
            (MessageRule::NoRecipients, Lang::ZhCn) => {
                "请选择接收人：成员、部门、标签或全部成员".into()
            }
            (MessageRule::NoRecipients, Lang::En) => {
                "Choose recipients: members, departments, tags or everyone".into()
            }
            (MessageRule::BadUserId, Lang::ZhCn) => {
                "成员账号只能含字母、数字和 _-.@，最长 64 字节".into()
            }
            (MessageRule::BadUserId, Lang::En) => {
                "A userid has letters, digits and _-.@ only, at most 64 bytes".into()
            }
            (MessageRule::IntervalRange, Lang::ZhCn) => "去重间隔需在 1 到 14400 秒之间".into(),
            (MessageRule::IntervalRange, Lang::En) => {
                "The duplicate-check interval is 1 to 14400 seconds".into()
            }
            (MessageRule::SafeNotForType, Lang::ZhCn) => "该消息类型不支持保密消息".into(),
            (MessageRule::SafeNotForType, Lang::En) => {
                "This message type cannot be sent as confidential".into()
            }
            (MessageRule::ScheduleFormat, Lang::ZhCn) => {
                "请填写有效的发送时间（日期和时:分）".into()
            }
            (MessageRule::ScheduleFormat, Lang::En) => {
                "Enter a valid send time (date and hh:mm)".into()
            }
            (MessageRule::SchedulePast, Lang::ZhCn) => "发送时间已过，请选择将来的时间".into(),
            (MessageRule::SchedulePast, Lang::En) => {
                "That time has passed: choose a time in the future".into()
            }
            (MessageRule::ScheduleTooFar, Lang::ZhCn) => {
                format!("定时发送最多提前 {MAX_SCHEDULE_DAYS} 天")
            }
            (MessageRule::ScheduleTooFar, Lang::En) => {
                format!("A send can be scheduled at most {MAX_SCHEDULE_DAYS} days ahead")
            }
            (MessageRule::ScheduleAfterMedia, Lang::ZhCn) => {
                "临时素材 3 天后失效：含图片、语音、视频、文件或图文封面的消息需在上传后 3 天内发送"
                    .into()
            }
            (MessageRule::ScheduleAfterMedia, Lang::En) => {
                "Temporary media expire after 3 days: a message with an uploaded image, voice, video, file or cover must go within 3 days"
                    .into()
            }
        }
    }
}

fn bytes(out: &mut Vec<(String, MessageRule)>, field: &str, v: &str, max: usize, required: bool) {
    if required && v.trim().is_empty() {
        out.push((field.into(), MessageRule::Required));
    } else if v.len() > max {
        out.push((field.into(), MessageRule::TooLongBytes(max)));
    }
}

fn url(out: &mut Vec<(String, MessageRule)>, field: &str, v: &str, required: bool) {
    let before = out.len();
    bytes(out, field, v, limits::URL, required);
    if out.len() == before
        && !v.is_empty()
        && !(v.starts_with("http://") || v.starts_with("https://"))
    {
        out.push((field.into(), MessageRule::BadUrl));
    }
}

/// A WeCom userid: 1–64 bytes of letters, digits and `_-.@` (⚠️ WeCom's rule as recalled).
pub fn valid_userid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
}

/// Problems of a compose form, by field (`content.title`, `content.articles.0.url`, …).
pub fn validate_send(input: &SendAppMessageInput) -> Vec<(String, MessageRule)> {
    let mut out = Vec::new();
    if input.recipients.is_empty() {
        out.push(("recipients".into(), MessageRule::NoRecipients));
    }
    if input.recipients.users.iter().any(|u| !valid_userid(u)) {
        out.push(("recipients.users".into(), MessageRule::BadUserId));
    }
    let o = &mut out;
    match &input.content {
        AppMessageContent::Text { content } => {
            bytes(o, "content.content", content, limits::TEXT, true)
        }
        AppMessageContent::Markdown { content } => {
            bytes(o, "content.content", content, limits::MARKDOWN, true)
        }
        AppMessageContent::Image { media_id }
        | AppMessageContent::Voice { media_id }
        | AppMessageContent::File { media_id } => bytes(o, "content.media_id", media_id, 256, true),
        AppMessageContent::Video {
            media_id,
            title,
            description,
        } => {
            bytes(o, "content.media_id", media_id, 256, true);
            bytes(o, "content.title", title, limits::TITLE, false);
            bytes(
                o,
                "content.description",
                description,
                limits::DESCRIPTION,
                false,
            );
        }
        AppMessageContent::Textcard {
            title,
            description,
            url: u,
            btntxt,
        } => {
            bytes(o, "content.title", title, limits::TITLE, true);
            bytes(
                o,
                "content.description",
                description,
                limits::DESCRIPTION,
                true,
            );
            url(o, "content.url", u, true);
            if btntxt.chars().count() > limits::BTNTXT_CHARS {
                o.push((
                    "content.btntxt".into(),
                    MessageRule::TooLongChars(limits::BTNTXT_CHARS),
                ));
            }
        }
        AppMessageContent::News { articles } => {
            if articles.is_empty() || articles.len() > limits::ARTICLES {
                o.push(("content.articles".into(), MessageRule::ArticleCount));
            }
            for (i, a) in articles.iter().enumerate() {
                let f = |k: &str| format!("content.articles.{i}.{k}");
                bytes(o, &f("title"), &a.title, limits::TITLE, true);
                bytes(
                    o,
                    &f("description"),
                    &a.description,
                    limits::DESCRIPTION,
                    false,
                );
                url(o, &f("url"), &a.url, true);
                url(o, &f("picurl"), &a.picurl, false);
            }
        }
        AppMessageContent::Mpnews { articles } => {
            if articles.is_empty() || articles.len() > limits::ARTICLES {
                o.push(("content.articles".into(), MessageRule::ArticleCount));
            }
            for (i, a) in articles.iter().enumerate() {
                let f = |k: &str| format!("content.articles.{i}.{k}");
                bytes(o, &f("title"), &a.title, limits::TITLE, true);
                bytes(o, &f("thumb_media_id"), &a.thumb_media_id, 256, true);
                bytes(o, &f("author"), &a.author, limits::AUTHOR, false);
                url(o, &f("content_source_url"), &a.content_source_url, false);
                bytes(o, &f("content"), &a.content, limits::MPNEWS_CONTENT, true);
                bytes(o, &f("digest"), &a.digest, limits::DIGEST, false);
            }
        }
    }
    let safe_types = ["text", "image", "video", "file", "textcard", "mpnews"];
    if input.options.safe && !safe_types.contains(&input.content.msgtype()) {
        out.push(("options.safe".into(), MessageRule::SafeNotForType));
    }
    if let Some(i) = input.options.duplicate_check_interval
        && (i == 0 || i > DUPLICATE_INTERVAL_MAX)
    {
        out.push((
            "options.duplicate_check_interval".into(),
            MessageRule::IntervalRange,
        ));
    }
    out
}

pub fn to_field_issues(list: &[(String, MessageRule)]) -> Vec<FieldIssue> {
    list.iter()
        .map(|(field, rule)| FieldIssue {
            field: field.clone(),
            code: rule.code().to_string(),
            message: rule.message(Lang::En),
        })
        .collect()
}

/// A send's state. A part being sent for over two minutes (the process stopped mid-call) reads
/// as `unknown`: WeChat may or may not have delivered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    Pending,
    Sent,
    Partial,
    Failed,
    Unknown,
    Recalled,
}

impl SendState {
    pub fn as_str(self) -> &'static str {
        match self {
            SendState::Pending => "pending",
            SendState::Sent => "sent",
            SendState::Partial => "partial",
            SendState::Failed => "failed",
            SendState::Unknown => "unknown",
            SendState::Recalled => "recalled",
        }
    }
    pub fn parse(s: &str) -> Option<SendState> {
        [
            SendState::Pending,
            SendState::Sent,
            SendState::Partial,
            SendState::Failed,
            SendState::Unknown,
            SendState::Recalled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    pub const ALL: [SendState; 6] = [
        SendState::Pending,
        SendState::Sent,
        SendState::Partial,
        SendState::Failed,
        SendState::Unknown,
        SendState::Recalled,
    ];
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppMessageQuery {
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
    #[serde(default)]
    pub state: Option<SendState>,
    #[serde(default)]
    pub msgtype: Option<String>,
    /// `YYYY-MM-DD` (UTC), included.
    #[serde(default)]
    pub from: Option<String>,
    /// `YYYY-MM-DD` (UTC), included.
    #[serde(default)]
    pub to: Option<String>,
}

/// One `message/send` call of a send (a send over WeCom's receiver limits has several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SendPart {
    pub number: i32,
    /// `pending`, `sending`, `sent`, `failed`, `unknown` or `recalled`.
    pub state: String,
    pub recipients: Recipients,
    pub msgid: Option<String>,
    pub invalid_users: Vec<String>,
    pub invalid_parties: Vec<String>,
    pub invalid_tags: Vec<String>,
    pub unlicensed_users: Vec<String>,
    /// WeChat's errcode when it refused the call.
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub attempts: i32,
    pub sent_at: Option<String>,
    pub recalled_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppMessageSummary {
    pub id: i64,
    pub msgtype: String,
    pub summary: String,
    pub state: SendState,
    pub recipients: Recipients,
    /// Invalid + unlicensed receivers WeChat reported.
    pub invalid_count: usize,
    pub created_by: String,
    pub created_at: String,
    /// Until when it can be recalled (sent messages only).
    pub recallable_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppMessage {
    #[serde(flatten)]
    pub summary: AppMessageSummary,
    pub content: AppMessageContent,
    pub options: SendOptions,
    pub parts: Vec<SendPart>,
    pub can_retry: bool,
    pub can_recall: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UploadedMedia {
    pub media_id: String,
    /// image, voice, video or file.
    pub kind: String,
    pub filename: String,
    pub size: u64,
    /// Temporary media live 3 days.
    pub expires_at: String,
}

/// Upload limits of temporary media (bytes): image 10 MB (jpg/png), voice 2 MB (amr), video
/// 10 MB (mp4), file 20 MB; at least 5 bytes.
pub fn media_limit(kind: &str) -> Option<usize> {
    match kind {
        "image" | "video" => Some(10 << 20),
        "voice" => Some(2 << 20),
        "file" => Some(20 << 20),
        _ => None,
    }
}

/// The app's recent use against WeCom's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageUsage {
    /// Our `message/send` calls in the last hour / the limit we hold to.
    pub calls_last_hour: usize,
    pub calls_per_hour_limit: usize,
    /// WeCom's `message/get_statistics` count for today, when WeChat answered.
    pub wechat_today: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(content: AppMessageContent) -> SendAppMessageInput {
        SendAppMessageInput {
            recipients: Recipients {
                users: vec!["zhangsan".into()],
                ..Default::default()
            },
            content,
            options: SendOptions::default(),
        }
    }

    #[test]
    fn byte_limits_count_bytes_not_characters() {
        let ok = "长".repeat(682); // 2046 bytes
        assert!(validate_send(&input(AppMessageContent::Text { content: ok })).is_empty());
        let long = "长".repeat(683); // 2049 bytes
        let v = validate_send(&input(AppMessageContent::Text { content: long }));
        assert_eq!(
            v,
            vec![("content.content".into(), MessageRule::TooLongBytes(2048))]
        );
    }

    #[test]
    fn textcard_needs_title_description_and_http_url() {
        let v = validate_send(&input(AppMessageContent::Textcard {
            title: String::new(),
            description: "d".into(),
            url: "ftp://x".into(),
            btntxt: "详细信息多".into(),
        }));
        let fields: Vec<&str> = v.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["content.title", "content.url", "content.btntxt"]);
    }

    #[test]
    fn recipients_and_options_are_checked() {
        let mut i = input(AppMessageContent::Markdown {
            content: "x".into(),
        });
        i.recipients = Recipients::default();
        i.options.safe = true;
        i.options.duplicate_check_interval = Some(20_000);
        let codes: Vec<&str> = validate_send(&i).iter().map(|(_, r)| r.code()).collect();
        assert_eq!(
            codes,
            ["no_recipients", "safe_not_for_type", "interval_range"]
        );
        i.recipients.users = vec!["bad id".into()];
        assert!(
            validate_send(&i)
                .iter()
                .any(|(_, r)| *r == MessageRule::BadUserId)
        );
    }

    #[test]
    fn content_is_tagged_by_msgtype() {
        let c: AppMessageContent = serde_json::from_value(serde_json::json!(
            {"msgtype": "textcard", "title": "t", "description": "d", "url": "https://x"}
        ))
        .unwrap();
        assert_eq!(c.msgtype(), "textcard");
    }
}
