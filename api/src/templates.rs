//! Template messages (模板消息, `template/*`, `message/template/send`): the industry, the
//! account's private templates with their fields, send jobs and each recipient's delivery state
//! from TEMPLATESENDJOBFINISH. Server module `oa::templates`, `wechat` client
//! `client/oa/template.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::followers::Selection;

/// Recipients per send job.
pub const RECIPIENTS_MAX: usize = 10_000;
/// A field value's limit (characters; ⚠️ WeChat truncates long values).
pub const VALUE_MAX_CHARS: usize = 200;

/// The keys of a template's content: `{{first.DATA}}` → `first`, in order, each once.
pub fn template_keys(content: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        if let Some(key) = after[..end].strip_suffix(".DATA") {
            let key = key.trim();
            if !key.is_empty() && !keys.iter().any(|k| k == key) {
                keys.push(key.to_string());
            }
        }
        rest = &after[end + 2..];
    }
    keys
}

/// A colour as WeChat takes it: `#` and six hex digits.
pub fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndustryClass {
    pub first_class: String,
    pub second_class: String,
}

/// `GET /api/accounts/{id}/templates/industry` (none: not set at WeChat yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Industry {
    pub primary: Option<IndustryClass>,
    pub secondary: Option<IndustryClass>,
}

/// `PUT /api/accounts/{id}/templates/industry`: WeChat's industry codes (1–41).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndustryInput {
    pub industry_id1: i64,
    pub industry_id2: i64,
}

/// A private template, as last synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Template {
    pub template_id: String,
    pub title: String,
    pub primary_industry: String,
    pub deputy_industry: String,
    pub content: String,
    pub example: String,
    /// The `{{key.DATA}}` fields of `content`.
    pub keys: Vec<String>,
    pub synced_at: String,
}

/// `POST /api/accounts/{id}/templates`: a template of WeChat's library by its short id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddTemplateInput {
    pub template_id_short: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldValue {
    pub value: String,
    #[serde(default)]
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MiniProgram {
    pub appid: String,
    #[serde(default)]
    pub pagepath: String,
}

/// `POST /api/accounts/{id}/templates/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TemplateSendInput {
    pub template_id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub miniprogram: Option<MiniProgram>,
    /// One value per template key.
    pub data: BTreeMap<String, FieldValue>,
    pub recipients: Selection,
}

/// A recipient's delivery state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not sent yet.
    Pending,
    /// Being handed to WeChat.
    Sending,
    /// WeChat took it (msgid); waiting for TEMPLATESENDJOBFINISH.
    Sent,
    /// TEMPLATESENDJOBFINISH `success`.
    Delivered,
    /// `failed:user block`.
    UserBlock,
    /// `failed: system failed`.
    SystemFailed,
    /// WeChat refused the call (errcode kept).
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::UserBlock => "user_block",
            DeliveryState::SystemFailed => "system_failed",
            DeliveryState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> DeliveryState {
        match s {
            "pending" => DeliveryState::Pending,
            "sending" => DeliveryState::Sending,
            "sent" => DeliveryState::Sent,
            "delivered" => DeliveryState::Delivered,
            "user_block" => DeliveryState::UserBlock,
            "system_failed" => DeliveryState::SystemFailed,
            _ => DeliveryState::Failed,
        }
    }
    /// The state a TEMPLATESENDJOBFINISH `Status` reports.
    pub fn from_wechat(status: &str) -> DeliveryState {
        let s = status.trim();
        if s == "success" {
            DeliveryState::Delivered
        } else if s.contains("user block") {
            DeliveryState::UserBlock
        } else {
            DeliveryState::SystemFailed
        }
    }
}

/// `running`, `done` or `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateJobStatus {
    Running,
    Done,
    Failed,
}

/// A send job with its delivery report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TemplateJob {
    pub id: i64,
    pub template_id: String,
    /// The template's title, while the template is still in the account's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_title: Option<String>,
    pub status: TemplateJobStatus,
    pub total: u64,
    /// Recipients handled so far (sent or refused).
    pub processed: u64,
    /// Count per delivery state.
    pub states: BTreeMap<String, u64>,
    pub error: Option<String>,
    pub started_by: String,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// One recipient of a job (the job's report, or a follower's log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TemplateRecipient {
    pub job_id: i64,
    pub openid: String,
    pub state: DeliveryState,
    pub msgid: Option<String>,
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub sent_at: Option<String>,
    pub finished_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_data_placeholders_in_order() {
        let c = "{{first.DATA}}\n项目：{{keyword1.DATA}}\n时间：{{keyword2.DATA}}\n{{remark.DATA}}{{first.DATA}}{{broken";
        assert_eq!(
            template_keys(c),
            ["first", "keyword1", "keyword2", "remark"]
        );
        assert!(valid_color("#173177"));
        assert!(!valid_color("red"));
        assert_eq!(
            DeliveryState::from_wechat("failed:user block"),
            DeliveryState::UserBlock
        );
        assert_eq!(
            DeliveryState::from_wechat("failed: system failed"),
            DeliveryState::SystemFailed
        );
    }
}
