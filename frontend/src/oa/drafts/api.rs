//! Calls for article drafts and their publishing.

use api::Page;
use api::drafts::{Draft, DraftImportResult, DraftInput};

use crate::api_client::{ClientError, delete, enc, get, send};

/// One page of drafts; `q` searches titles, `status` filters when not empty.
pub async fn list(
    account: i64,
    q: &str,
    status: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<Draft>, ClientError> {
    let mut url = format!("/api/accounts/{account}/drafts?page={page}&per_page={per_page}");
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", enc(q.trim())));
    }
    if !status.is_empty() {
        url.push_str(&format!("&status={}", enc(status)));
    }
    get(&url).await
}

pub async fn get_one(account: i64, draft: i64) -> Result<Draft, ClientError> {
    get(&format!("/api/accounts/{account}/drafts/{draft}")).await
}

/// Creates a draft, or replaces draft `draft`.
pub async fn save(
    account: i64,
    draft: Option<i64>,
    input: &DraftInput,
) -> Result<Draft, ClientError> {
    match draft {
        Some(d) => send("PUT", &format!("/api/accounts/{account}/drafts/{d}"), input).await,
        None => send("POST", &format!("/api/accounts/{account}/drafts"), input).await,
    }
}

/// Submits the draft to WeChat's free publishing.
pub async fn publish(account: i64, draft: i64) -> Result<Draft, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/drafts/{draft}/publish"),
        &serde_json::json!({}),
    )
    .await
}

/// Asks WeChat for the publishing state now.
pub async fn refresh(account: i64, draft: i64) -> Result<Draft, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/drafts/{draft}/refresh"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn remove(account: i64, draft: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/drafts/{draft}")).await
}

/// Reads WeChat's draft box and published articles into the portal (what is there already
/// is left as it is).
pub async fn import(account: i64) -> Result<DraftImportResult, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/drafts/import"),
        &serde_json::json!({}),
    )
    .await
}
