//! Calls for followers, tags and legacy groups of one Official Account.

use api::followers::{
    BulkJob, BulkJobList, DriftReport, Follower, FollowerPage, FollowerQuery, MoveGroupRequest,
    ResolveDriftRequest, SyncJob, SyncState, Tag, TagInput, TaggingRequest, TagsAndGroups,
    UpdateFollowerRequest,
};

use crate::api_client::{ClientError, delete, enc, get, query_string, send, send_no_content};

/// `q=…&tag=…` of the follower list.
fn query(q: &FollowerQuery) -> String {
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    query_string(&[
        ("q", q.q.clone()),
        ("tag", n(q.tag)),
        ("group", n(q.group)),
        ("subscribed", q.subscribed.map(|v| v.to_string())),
        ("scene", q.scene.clone()),
        ("qr_scene", q.qr_scene.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("sort", q.sort.map(|s| s.as_str().to_string())),
        ("page", q.page.map(|v| v.to_string())),
        ("per_page", q.per_page.map(|v| v.to_string())),
    ])
}

pub async fn list(account: i64, q: &FollowerQuery) -> Result<FollowerPage, ClientError> {
    get(&format!("/api/accounts/{account}/followers?{}", query(q))).await
}

pub async fn get_one(account: i64, openid: &str) -> Result<Follower, ClientError> {
    get(&format!(
        "/api/accounts/{account}/followers/{}",
        enc(openid)
    ))
    .await
}

pub async fn update(
    account: i64,
    openid: &str,
    req: &UpdateFollowerRequest,
) -> Result<Follower, ClientError> {
    send(
        "PATCH",
        &format!("/api/accounts/{account}/followers/{}", enc(openid)),
        req,
    )
    .await
}

pub async fn sync_state(account: i64) -> Result<SyncState, ClientError> {
    get(&format!("/api/accounts/{account}/followers/sync")).await
}

/// Starts (or resumes) a full sync; `fresh` abandons a failed one instead of resuming it.
pub async fn start_sync(account: i64, fresh: bool) -> Result<SyncJob, ClientError> {
    let query = if fresh { "?fresh=true" } else { "" };
    send(
        "POST",
        &format!("/api/accounts/{account}/followers/sync{query}"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn tagging(account: i64, req: &TaggingRequest) -> Result<BulkJob, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/followers/tagging"),
        req,
    )
    .await
}

pub async fn move_group(account: i64, req: &MoveGroupRequest) -> Result<BulkJob, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/followers/move-group"),
        req,
    )
    .await
}

/// The account's latest bulk jobs, newest first.
pub async fn bulk_jobs(account: i64) -> Result<BulkJobList, ClientError> {
    get(&format!("/api/accounts/{account}/followers/bulk-jobs")).await
}

pub async fn bulk_job(account: i64, job_id: i64) -> Result<BulkJob, ClientError> {
    get(&format!(
        "/api/accounts/{account}/followers/bulk-jobs/{job_id}"
    ))
    .await
}

pub async fn tags(account: i64) -> Result<TagsAndGroups, ClientError> {
    get(&format!("/api/accounts/{account}/tags")).await
}

/// `kind`: `tags` or `groups`.
pub async fn create_tag(account: i64, kind: &str, req: &TagInput) -> Result<Tag, ClientError> {
    send("POST", &format!("/api/accounts/{account}/{kind}"), req).await
}

pub async fn rename_tag(
    account: i64,
    kind: &str,
    tag: i64,
    req: &TagInput,
) -> Result<(), ClientError> {
    send_no_content(
        "PATCH",
        &format!("/api/accounts/{account}/{kind}/{tag}"),
        req,
    )
    .await
}

pub async fn delete_tag(account: i64, kind: &str, tag: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/{kind}/{tag}")).await
}

pub async fn drift(account: i64) -> Result<DriftReport, ClientError> {
    get(&format!("/api/accounts/{account}/followers/drift")).await
}

pub async fn resolve_drift(account: i64, req: &ResolveDriftRequest) -> Result<(), ClientError> {
    send_no_content(
        "POST",
        &format!("/api/accounts/{account}/followers/drift/resolve"),
        req,
    )
    .await
}
