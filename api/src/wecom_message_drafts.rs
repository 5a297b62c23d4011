//! Drafts and scheduled sends of WeCom app messages (发送消息 → 草稿 / 定时发送).
//!
//! * `GET /api/accounts/{id}/wecom/message-drafts` → `Vec<`[`MessageDraft`]`>` (drafts,
//!   scheduled sends, and those sent or failed in the last day);
//! * `POST …/message-drafts` [`MessageDraftInput`] → [`MessageDraft`] (201): without `scheduled_at` a
//!   draft (incomplete forms allowed, WeChat's length limits still held), with it a scheduled
//!   send (the whole form checked as for a send, and the time);
//! * `GET|PUT|DELETE …/message-drafts/{draft_id}` (a send being sent or sent cannot change);
//! * `POST …/message-drafts/{draft_id}/cancel` → [`MessageDraft`]: a scheduled send goes back to
//!   being a draft, before it goes.

use serde::{Deserialize, Serialize};

use crate::wecom_messages::{
    AppMessageContent, MessageRule, Recipients, SendAppMessageInput, SendOptions, SendState,
    validate_send,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageDraftInput {
    #[serde(default)]
    pub recipients: Recipients,
    pub content: AppMessageContent,
    #[serde(default)]
    pub options: SendOptions,
    /// RFC 3339 (the SPA sends Beijing time, `+08:00`); absent or null: a draft.
    #[serde(default)]
    pub scheduled_at: Option<String>,
}

impl MessageDraftInput {
    pub fn as_send(&self) -> SendAppMessageInput {
        SendAppMessageInput {
            recipients: self.recipients.clone(),
            content: self.content.clone(),
            options: self.options.clone(),
        }
    }
}

/// Whether a message carries temporary media (which WeCom keeps 3 days).
pub fn uses_media(c: &AppMessageContent) -> bool {
    matches!(
        c,
        AppMessageContent::Image { .. }
            | AppMessageContent::Voice { .. }
            | AppMessageContent::Video { .. }
            | AppMessageContent::File { .. }
            | AppMessageContent::Mpnews { .. }
    )
}

/// Problems of a draft: a draft may be unfinished (nothing is required), but what is there
/// keeps WeChat's limits. A scheduled send is checked like a send ([`validate_send`]).
pub fn validate_draft(input: &MessageDraftInput) -> Vec<(String, MessageRule)> {
    let all = validate_send(&input.as_send());
    if input.scheduled_at.is_some() {
        return all;
    }
    all.into_iter()
        .filter(|(_, r)| {
            !matches!(
                r,
                MessageRule::Required | MessageRule::NoRecipients | MessageRule::ArticleCount
            )
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Kept to edit; never sent by itself.
    Draft,
    /// Waiting for `scheduled_at`.
    Scheduled,
    /// A worker is sending it.
    Sending,
    /// It became the send `message_id` (see the send log for WeChat's answer).
    Sent,
    /// It could not be sent (`error`); edit and schedule it again, or delete it.
    Failed,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Scheduled => "scheduled",
            DraftState::Sending => "sending",
            DraftState::Sent => "sent",
            DraftState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<DraftState> {
        [
            DraftState::Draft,
            DraftState::Scheduled,
            DraftState::Sending,
            DraftState::Sent,
            DraftState::Failed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    /// Whether staff may still edit, cancel or delete it.
    pub fn editable(self) -> bool {
        matches!(
            self,
            DraftState::Draft | DraftState::Scheduled | DraftState::Failed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageDraft {
    pub id: i64,
    pub state: DraftState,
    pub msgtype: String,
    pub summary: String,
    pub recipients: Recipients,
    pub content: AppMessageContent,
    pub options: SendOptions,
    /// RFC 3339 (UTC).
    pub scheduled_at: Option<String>,
    /// The send it became, and that send's state.
    pub message_id: Option<i64>,
    pub message_state: Option<SendState>,
    /// Why it could not be sent, or why it waits (WeCom's rate limit).
    pub error: Option<String>,
    pub attempts: i32,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_may_be_unfinished_but_keeps_the_limits() {
        let mut d = MessageDraftInput {
            recipients: Recipients::default(),
            content: AppMessageContent::Textcard {
                title: String::new(),
                description: String::new(),
                url: "ftp://x".into(),
                btntxt: String::new(),
            },
            options: SendOptions::default(),
            scheduled_at: None,
        };
        let codes: Vec<&str> = validate_draft(&d).iter().map(|(_, r)| r.code()).collect();
        assert_eq!(codes, ["url_format"]);
        d.scheduled_at = Some("2030-01-01T08:00:00+08:00".into());
        let codes: Vec<&str> = validate_draft(&d).iter().map(|(_, r)| r.code()).collect();
        assert_eq!(
            codes,
            ["no_recipients", "required", "required", "url_format"]
        );
    }

    #[test]
    fn rules_come_back_from_their_codes() {
        for r in [
            MessageRule::SchedulePast,
            MessageRule::ScheduleTooFar,
            MessageRule::TooLongBytes(2048),
        ] {
            assert_eq!(
                MessageRule::from_issue(r.code(), &r.message(crate::Lang::En)),
                Some(r)
            );
        }
    }
}
