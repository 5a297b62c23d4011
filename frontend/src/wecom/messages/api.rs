//! Calls for a WeCom app's messages (发送消息) and the contacts reads its recipient picker uses.

use api::Page;
use api::wecom_contacts::{DepartmentTree, Member, TagDetail, TagList};
use api::wecom_message_drafts::{MessageDraft, MessageDraftInput};
use api::wecom_messages::{
    AppMessage, AppMessageSummary, MessageUsage, SendAppMessageInput, UploadedMedia,
};
use web_sys::FormData;

use crate::api_client::{ClientError, delete, get, query_string, send, upload};

pub async fn send_message(
    account: i64,
    req: &SendAppMessageInput,
) -> Result<AppMessage, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/wecom/messages"),
        req,
    )
    .await
}

/// The send log; `state` and `msgtype` empty for "any".
pub async fn list(
    account: i64,
    state: String,
    msgtype: String,
    page: u64,
    per_page: u64,
) -> Result<Page<AppMessageSummary>, ClientError> {
    let q = query_string(&[
        ("state", Some(state)),
        ("msgtype", Some(msgtype)),
        ("page", Some(page.to_string())),
        ("per_page", Some(per_page.to_string())),
    ]);
    get(&format!("/api/accounts/{account}/wecom/messages?{q}")).await
}

pub async fn one(account: i64, message: i64) -> Result<AppMessage, ClientError> {
    get(&format!("/api/accounts/{account}/wecom/messages/{message}")).await
}

pub async fn usage(account: i64) -> Result<MessageUsage, ClientError> {
    get(&format!("/api/accounts/{account}/wecom/messages/usage")).await
}

pub async fn retry(account: i64, message: i64) -> Result<AppMessage, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/wecom/messages/{message}/retry"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn recall(account: i64, message: i64) -> Result<AppMessage, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/wecom/messages/{message}/recall"),
        &serde_json::json!({}),
    )
    .await
}

/// A temporary medium (`type`: image, voice, video or file) for an app message.
pub async fn upload_media(account: i64, form: &FormData) -> Result<UploadedMedia, ClientError> {
    upload(&format!("/api/accounts/{account}/wecom/media"), form).await
}

pub async fn departments(account: i64) -> Result<DepartmentTree, ClientError> {
    get(&format!("/api/accounts/{account}/contacts/departments")).await
}

/// Mirrored members: search text, department subtree or tag, one page.
pub async fn members(
    account: i64,
    q: Option<String>,
    department: Option<i64>,
    tag: Option<i64>,
    page: u64,
    per_page: u64,
) -> Result<Page<Member>, ClientError> {
    let qs = query_string(&[
        ("q", q),
        ("department", department.map(|d| d.to_string())),
        ("tag", tag.map(|t| t.to_string())),
        ("page", Some(page.to_string())),
        ("per_page", Some(per_page.to_string())),
    ]);
    get(&format!("/api/accounts/{account}/contacts/members?{qs}")).await
}

pub async fn tags(account: i64) -> Result<TagList, ClientError> {
    get(&format!("/api/accounts/{account}/contacts/tags")).await
}

pub async fn tag(account: i64, tag: i64) -> Result<TagDetail, ClientError> {
    get(&format!("/api/accounts/{account}/contacts/tags/{tag}")).await
}

/// Drafts and scheduled sends (and those sent or failed in the last day).
pub async fn drafts(account: i64) -> Result<Vec<MessageDraft>, ClientError> {
    get(&format!("/api/accounts/{account}/wecom/message-drafts")).await
}

/// Saves a new draft (or scheduled send), or `draft`'s changes.
pub async fn save_draft(
    account: i64,
    draft: Option<i64>,
    req: &MessageDraftInput,
) -> Result<MessageDraft, ClientError> {
    match draft {
        Some(d) => {
            send(
                "PUT",
                &format!("/api/accounts/{account}/wecom/message-drafts/{d}"),
                req,
            )
            .await
        }
        None => {
            send(
                "POST",
                &format!("/api/accounts/{account}/wecom/message-drafts"),
                req,
            )
            .await
        }
    }
}

pub async fn cancel_schedule(account: i64, draft: i64) -> Result<MessageDraft, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/wecom/message-drafts/{draft}/cancel"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn delete_draft(account: i64, draft: i64) -> Result<(), ClientError> {
    delete(&format!(
        "/api/accounts/{account}/wecom/message-drafts/{draft}"
    ))
    .await
}
