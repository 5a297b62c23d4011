//! Calls for the contacts mirror of one WeCom app: departments, members, tags and the sync.

use api::wecom_contacts::{
    BatchDeleteInput, ContactSyncJob, ContactSyncState, Department, DepartmentInput,
    DepartmentTree, DepartmentUpdate, DriftRepairInput, DriftReport, EnableInput, LastDriftRun,
    Member, MemberInput, MemberPage, MemberQuery, MemberStatus, Tag, TagDetail, TagInput, TagList,
    TagMembersInput, TagMembersResult,
};

use api::wecom_extattr::{InviteInput, InviteResult};

use crate::api_client::{ClientError, delete, enc, get, query_string, send, send_no_content};

fn base(account: i64) -> String {
    format!("/api/accounts/{account}/contacts")
}

/// The status as the query string spells it.
pub fn status_value(s: MemberStatus) -> &'static str {
    match s {
        MemberStatus::Active => "active",
        MemberStatus::Disabled => "disabled",
        MemberStatus::NotJoined => "not_joined",
        MemberStatus::Quit => "quit",
    }
}

pub async fn departments(account: i64) -> Result<Vec<Department>, ClientError> {
    let t: DepartmentTree = get(&format!("{}/departments", base(account))).await?;
    Ok(t.departments)
}

pub async fn create_department(
    account: i64,
    req: &DepartmentInput,
) -> Result<Department, ClientError> {
    send("POST", &format!("{}/departments", base(account)), req).await
}

pub async fn update_department(
    account: i64,
    dept: i64,
    req: &DepartmentUpdate,
) -> Result<Department, ClientError> {
    send(
        "PATCH",
        &format!("{}/departments/{dept}", base(account)),
        req,
    )
    .await
}

pub async fn delete_department(account: i64, dept: i64) -> Result<(), ClientError> {
    delete(&format!("{}/departments/{dept}", base(account))).await
}

pub async fn members(account: i64, q: &MemberQuery) -> Result<MemberPage, ClientError> {
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    let qs = query_string(&[
        ("q", q.q.clone()),
        ("department", n(q.department)),
        ("tag", n(q.tag)),
        ("status", q.status.map(|s| status_value(s).to_string())),
        ("page", q.page.map(|v| v.to_string())),
        ("per_page", q.per_page.map(|v| v.to_string())),
    ]);
    get(&format!("{}/members?{qs}", base(account))).await
}

pub async fn member(account: i64, userid: &str) -> Result<Member, ClientError> {
    get(&format!("{}/members/{}", base(account), enc(userid))).await
}

pub async fn create_member(account: i64, req: &MemberInput) -> Result<Member, ClientError> {
    send("POST", &format!("{}/members", base(account)), req).await
}

pub async fn update_member(
    account: i64,
    userid: &str,
    req: &MemberInput,
) -> Result<Member, ClientError> {
    send(
        "PUT",
        &format!("{}/members/{}", base(account), enc(userid)),
        req,
    )
    .await
}

pub async fn set_enabled(account: i64, userid: &str, enabled: bool) -> Result<Member, ClientError> {
    send(
        "POST",
        &format!("{}/members/{}/enabled", base(account), enc(userid)),
        &EnableInput { enabled },
    )
    .await
}

pub async fn batch_delete(account: i64, userids: Vec<String>) -> Result<(), ClientError> {
    send_no_content(
        "POST",
        &format!("{}/members/batch-delete", base(account)),
        &BatchDeleteInput { userids },
    )
    .await
}

pub async fn invite(account: i64, req: &InviteInput) -> Result<InviteResult, ClientError> {
    send("POST", &format!("{}/invite", base(account)), req).await
}

pub async fn tags(account: i64) -> Result<Vec<Tag>, ClientError> {
    let t: TagList = get(&format!("{}/tags", base(account))).await?;
    Ok(t.tags)
}

pub async fn tag(account: i64, tag: i64) -> Result<TagDetail, ClientError> {
    get(&format!("{}/tags/{tag}", base(account))).await
}

pub async fn create_tag(account: i64, name: &str) -> Result<Tag, ClientError> {
    send(
        "POST",
        &format!("{}/tags", base(account)),
        &TagInput { name: name.into() },
    )
    .await
}

pub async fn rename_tag(account: i64, tag: i64, name: &str) -> Result<Tag, ClientError> {
    send(
        "PATCH",
        &format!("{}/tags/{tag}", base(account)),
        &TagInput { name: name.into() },
    )
    .await
}

pub async fn delete_tag(account: i64, tag: i64) -> Result<(), ClientError> {
    delete(&format!("{}/tags/{tag}", base(account))).await
}

/// Adds (`remove` false) or removes members and departments of a tag.
pub async fn tag_members(
    account: i64,
    tag: i64,
    req: &TagMembersInput,
    remove: bool,
) -> Result<TagMembersResult, ClientError> {
    let path = if remove {
        format!("{}/tags/{tag}/members/remove", base(account))
    } else {
        format!("{}/tags/{tag}/members", base(account))
    };
    send("POST", &path, req).await
}

pub async fn sync_state(account: i64) -> Result<ContactSyncState, ClientError> {
    get(&format!("{}/sync", base(account))).await
}

/// Starts a full sync, or resumes the failed one.
pub async fn start_sync(account: i64) -> Result<ContactSyncJob, ClientError> {
    send(
        "POST",
        &format!("{}/sync", base(account)),
        &serde_json::json!({}),
    )
    .await
}

/// Compares the mirror with WeCom.
pub async fn drift(account: i64) -> Result<DriftReport, ClientError> {
    get(&format!("{}/drift", base(account))).await
}

/// The last nightly reconcile, with what it found.
pub async fn drift_last(account: i64) -> Result<LastDriftRun, ClientError> {
    get(&format!("{}/drift/last", base(account))).await
}

/// Re-reads one item from WeCom into the mirror.
pub async fn drift_repair(account: i64, req: &DriftRepairInput) -> Result<(), ClientError> {
    send_no_content("POST", &format!("{}/drift/repair", base(account)), req).await
}
