use api::wecom_contacts::{
    BatchDeleteInput, ContactSyncJob, ContactSyncState, Department, DepartmentInput,
    DepartmentTree, DepartmentUpdate, DriftRepairInput, DriftReport, EnableInput, LastDriftRun,
    Member, MemberInput, MemberPage, MemberQuery, Tag, TagDetail, TagInput, TagList,
    TagMembersInput, TagMembersResult,
};
use api::wecom_extattr::{InviteInput, InviteResult};
use axum::{Json, extract::State, http::StatusCode};

use super::{drift, queries, service, sync};
use crate::{
    accounts::extract::WorkApp,
    auth::CurrentUser,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn departments(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<DepartmentTree>> {
    Ok(Json(DepartmentTree {
        departments: queries::departments(&state.db, account.id).await?,
    }))
}

pub async fn create_department(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<DepartmentInput>,
) -> AppResult<(StatusCode, Json<Department>)> {
    let d = service::create_department(&state, &user.actor(), account.id, &body.value).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

pub async fn update_department(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, dept_id)): Path<(i64, i64)>,
    body: extract::Json<DepartmentUpdate>,
) -> AppResult<Json<Department>> {
    Ok(Json(
        service::update_department(&state, &user.actor(), account.id, dept_id, &body.value).await?,
    ))
}

pub async fn delete_department(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, dept_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete_department(&state, &user.actor(), account.id, dept_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn members(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
    Query(q): Query<MemberQuery>,
) -> AppResult<Json<MemberPage>> {
    Ok(Json(queries::members(&state.db, account.id, &q).await?))
}

pub async fn member(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
    Path((_, userid)): Path<(i64, String)>,
) -> AppResult<Json<Member>> {
    Ok(Json(queries::member(&state.db, account.id, &userid).await?))
}

pub async fn create_member(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<MemberInput>,
) -> AppResult<(StatusCode, Json<Member>)> {
    let m = service::create_member(&state, &user.actor(), account.id, &body.value).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub async fn update_member(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, userid)): Path<(i64, String)>,
    body: extract::Json<MemberInput>,
) -> AppResult<Json<Member>> {
    Ok(Json(
        service::update_member(&state, &user.actor(), account.id, &userid, &body.value).await?,
    ))
}

pub async fn set_enabled(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, userid)): Path<(i64, String)>,
    body: extract::Json<EnableInput>,
) -> AppResult<Json<Member>> {
    Ok(Json(
        service::set_enabled(
            &state,
            &user.actor(),
            account.id,
            &userid,
            body.value.enabled,
        )
        .await?,
    ))
}

pub async fn batch_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<BatchDeleteInput>,
) -> AppResult<StatusCode> {
    service::delete_members(&state, &user.actor(), account.id, &body.value.userids).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<InviteInput>,
) -> AppResult<Json<InviteResult>> {
    Ok(Json(
        super::invite::invite(&state, &user.actor(), account.id, &body.value).await?,
    ))
}

pub async fn tags(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<TagList>> {
    Ok(Json(TagList {
        tags: queries::tags(&state.db, account.id).await?,
    }))
}

pub async fn tag(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
    Path((_, tag_id)): Path<(i64, i64)>,
) -> AppResult<Json<TagDetail>> {
    Ok(Json(
        queries::tag_detail(&state.db, account.id, tag_id).await?,
    ))
}

pub async fn create_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<TagInput>,
) -> AppResult<(StatusCode, Json<Tag>)> {
    let t = service::create_tag(&state, &user.actor(), account.id, &body.value.name).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

pub async fn rename_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, tag_id)): Path<(i64, i64)>,
    body: extract::Json<TagInput>,
) -> AppResult<Json<Tag>> {
    Ok(Json(
        service::rename_tag(&state, &user.actor(), account.id, tag_id, &body.value.name).await?,
    ))
}

pub async fn delete_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, tag_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete_tag(&state, &user.actor(), account.id, tag_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_tag_members(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, tag_id)): Path<(i64, i64)>,
    body: extract::Json<TagMembersInput>,
) -> AppResult<Json<TagMembersResult>> {
    Ok(Json(
        service::tag_members(&state, &user.actor(), account.id, tag_id, &body.value, true).await?,
    ))
}

pub async fn remove_tag_members(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    Path((_, tag_id)): Path<(i64, i64)>,
    body: extract::Json<TagMembersInput>,
) -> AppResult<Json<TagMembersResult>> {
    Ok(Json(
        service::tag_members(
            &state,
            &user.actor(),
            account.id,
            tag_id,
            &body.value,
            false,
        )
        .await?,
    ))
}

pub async fn sync_status(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<ContactSyncState>> {
    Ok(Json(sync::status(&state, account.id).await?))
}

pub async fn sync_start(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
) -> AppResult<(StatusCode, Json<ContactSyncJob>)> {
    let job = sync::start(&state, account.id, &user.username).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

pub async fn drift(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<DriftReport>> {
    Ok(Json(drift::check(&state, account.id).await?))
}

pub async fn drift_last(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<LastDriftRun>> {
    Ok(Json(LastDriftRun {
        run: super::nightly::last(&state, account.id, true).await?,
    }))
}

pub async fn drift_repair(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<DriftRepairInput>,
) -> AppResult<StatusCode> {
    drift::repair(&state, &user.actor(), account.id, &body.value).await?;
    Ok(StatusCode::NO_CONTENT)
}
