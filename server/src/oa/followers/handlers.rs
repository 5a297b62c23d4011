use api::followers::{
    BulkJob, BulkJobList, BulkKind, DriftReport, Follower, FollowerPage, FollowerQuery,
    MoveGroupRequest, ResolveDriftRequest, SyncJob, SyncStartQuery, SyncState, SyncStatus, Tag,
    TagInput, TaggingRequest, TagsAndGroups, UpdateFollowerRequest,
};
use axum::{Json, extract::State, http::StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{bulk, drift, service, sync};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::OfficialAccount,
    entities::{db_enum::DbEnum, follower_sync_job},
    error::{AppError, AppResult},
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<FollowerQuery>,
) -> AppResult<Json<FollowerPage>> {
    Ok(Json(service::list(&state.db, account.id, &q).await?))
}

pub async fn get(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, openid)): Path<(i64, String)>,
) -> AppResult<Json<Follower>> {
    Ok(Json(service::get(&state.db, id, &openid).await?))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, openid)): Path<(i64, String)>,
    body: extract::Json<UpdateFollowerRequest>,
) -> AppResult<Json<Follower>> {
    Ok(Json(
        service::update_remark(&state, &user.actor(), id, &openid, &body.value.remark).await?,
    ))
}

pub async fn sync_status(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<SyncState>> {
    Ok(Json(sync::status(&state, account.id).await?))
}

pub async fn sync_start(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<SyncStartQuery>,
) -> AppResult<(StatusCode, Json<SyncJob>)> {
    let job = sync::start(&state, account.id, &user.username, q.fresh).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Starts tagging / untagging in the background: 202 with the job once the selection is valid.
pub async fn tagging(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<TaggingRequest>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    let b = body.value;
    let kind = if b.remove {
        BulkKind::Untag
    } else {
        BulkKind::Tag
    };
    let job = bulk::start(
        &state,
        &user.actor(),
        account.id,
        kind,
        b.tag_id,
        &b.selection,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Starts a group move in the background: 202 with the job once the selection is valid.
pub async fn move_group(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<MoveGroupRequest>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    let b = body.value;
    let job = bulk::start(
        &state,
        &user.actor(),
        account.id,
        BulkKind::MoveGroup,
        b.group_id,
        &b.selection,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

pub async fn bulk_jobs(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<BulkJobList>> {
    Ok(Json(bulk::list(&state.db, account.id).await?))
}

pub async fn bulk_job(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, job_id)): Path<(i64, i64)>,
) -> AppResult<Json<BulkJob>> {
    Ok(Json(bulk::get(&state.db, id, job_id).await?))
}

/// Drift compares against our copy: there is none before a completed sync.
async fn synced_once(state: &AppState, id: i64) -> AppResult<()> {
    let done = follower_sync_job::Entity::find()
        .filter(follower_sync_job::Column::AccountId.eq(id))
        .filter(follower_sync_job::Column::Status.eq(DbEnum(SyncStatus::Done)))
        .one(&state.db)
        .await?;
    if done.is_none() {
        return Err(AppError::refused(
            "followers_never_synced",
            "sync the followers once before comparing with WeChat",
        ));
    }
    Ok(())
}

pub async fn drift_report(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<DriftReport>> {
    let id = account.id;
    synced_once(&state, id).await?;
    Ok(Json(drift::report(&state, id).await?))
}

pub async fn drift_resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<ResolveDriftRequest>,
) -> AppResult<StatusCode> {
    let id = account.id;
    synced_once(&state, id).await?;
    let b = body.value;
    drift::resolve(&state, &user.actor(), id, &b.item, b.winner).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn tags(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<TagsAndGroups>> {
    Ok(Json(service::tags_and_groups(&state.db, account.id).await?))
}

async fn create(
    state: AppState,
    user: CurrentUser,
    id: i64,
    name: &str,
    group: bool,
) -> AppResult<(StatusCode, Json<Tag>)> {
    let t = service::create(&state, &user.actor(), id, name, group).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

pub async fn create_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<TagInput>,
) -> AppResult<(StatusCode, Json<Tag>)> {
    create(state, user, account.id, &body.value.name, false).await
}

pub async fn create_group(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<TagInput>,
) -> AppResult<(StatusCode, Json<Tag>)> {
    create(state, user, account.id, &body.value.name, true).await
}

pub async fn rename_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, tag)): Path<(i64, i64)>,
    body: extract::Json<TagInput>,
) -> AppResult<StatusCode> {
    service::rename(&state, &user.actor(), id, tag, &body.value.name, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rename_group(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, group)): Path<(i64, i64)>,
    body: extract::Json<TagInput>,
) -> AppResult<StatusCode> {
    service::rename(&state, &user.actor(), id, group, &body.value.name, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, tag)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), id, tag, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_group(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, group)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), id, group, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
