use api::followers::{
    BulkJob, BulkJobList, BulkKind, DriftReport, Follower, FollowerPage, FollowerQuery,
    MoveGroupRequest, ResolveDriftRequest, SyncJob, SyncState, Tag, TagInput, TaggingRequest,
    TagsAndGroups, UpdateFollowerRequest,
};
use axum::{Json, extract::State, http::StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{bulk, drift, service, sync};
use crate::auth::CurrentUser;
use crate::{
    entities::{account, follower_sync_job},
    error::{AppError, AppResult},
    http::extract::{self, Path, Query},
    state::AppState,
};

/// The account (404 unless it is an Official Account).
pub async fn official_account(state: &AppState, id: i64) -> AppResult<account::Model> {
    let m = crate::accounts::queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.kind != "official_account" {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<FollowerQuery>,
) -> AppResult<Json<FollowerPage>> {
    official_account(&state, id).await?;
    Ok(Json(service::list(&state.db, id, &q).await?))
}

pub async fn get(
    State(state): State<AppState>,
    Path((id, openid)): Path<(i64, String)>,
) -> AppResult<Json<Follower>> {
    official_account(&state, id).await?;
    Ok(Json(service::get(&state.db, id, &openid).await?))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, openid)): Path<(i64, String)>,
    body: extract::Json<UpdateFollowerRequest>,
) -> AppResult<Json<Follower>> {
    official_account(&state, id).await?;
    Ok(Json(
        service::update_remark(&state, &user.actor(), id, &openid, &body.value.remark).await?,
    ))
}

pub async fn sync_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<SyncState>> {
    official_account(&state, id).await?;
    Ok(Json(sync::status(&state.db, id).await?))
}

pub async fn sync_start(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<SyncJob>)> {
    official_account(&state, id).await?;
    let job = sync::start(&state, id, &user.username).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Starts tagging / untagging in the background: 202 with the job once the selection is valid.
pub async fn tagging(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<TaggingRequest>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    official_account(&state, id).await?;
    let b = body.value;
    let kind = if b.remove {
        BulkKind::Untag
    } else {
        BulkKind::Tag
    };
    let job = bulk::start(&state, &user.actor(), id, kind, b.tag_id, &b.selection).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Starts a group move in the background: 202 with the job once the selection is valid.
pub async fn move_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<MoveGroupRequest>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    official_account(&state, id).await?;
    let b = body.value;
    let job = bulk::start(
        &state,
        &user.actor(),
        id,
        BulkKind::MoveGroup,
        b.group_id,
        &b.selection,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

pub async fn bulk_jobs(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<BulkJobList>> {
    official_account(&state, id).await?;
    Ok(Json(bulk::list(&state.db, id).await?))
}

pub async fn bulk_job(
    State(state): State<AppState>,
    Path((id, job_id)): Path<(i64, i64)>,
) -> AppResult<Json<BulkJob>> {
    official_account(&state, id).await?;
    Ok(Json(bulk::get(&state.db, id, job_id).await?))
}

/// Drift compares against our copy: there is none before a completed sync.
async fn synced_once(state: &AppState, id: i64) -> AppResult<()> {
    let done = follower_sync_job::Entity::find()
        .filter(follower_sync_job::Column::AccountId.eq(id))
        .filter(follower_sync_job::Column::Status.eq("done"))
        .one(&state.db)
        .await?;
    if done.is_none() {
        return Err(AppError::Conflict(
            "sync the followers once before comparing with WeChat".into(),
        ));
    }
    Ok(())
}

pub async fn drift_report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<DriftReport>> {
    official_account(&state, id).await?;
    synced_once(&state, id).await?;
    Ok(Json(drift::report(&state, id).await?))
}

pub async fn drift_resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<ResolveDriftRequest>,
) -> AppResult<StatusCode> {
    official_account(&state, id).await?;
    synced_once(&state, id).await?;
    let b = body.value;
    drift::resolve(&state, &user.actor(), id, &b.item, b.winner).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn tags(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<TagsAndGroups>> {
    official_account(&state, id).await?;
    Ok(Json(service::tags_and_groups(&state.db, id).await?))
}

async fn create(
    state: AppState,
    user: CurrentUser,
    id: i64,
    name: &str,
    group: bool,
) -> AppResult<(StatusCode, Json<Tag>)> {
    official_account(&state, id).await?;
    let t = service::create(&state, &user.actor(), id, name, group).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

pub async fn create_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<TagInput>,
) -> AppResult<(StatusCode, Json<Tag>)> {
    create(state, user, id, &body.value.name, false).await
}

pub async fn create_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<TagInput>,
) -> AppResult<(StatusCode, Json<Tag>)> {
    create(state, user, id, &body.value.name, true).await
}

pub async fn rename_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, tag)): Path<(i64, i64)>,
    body: extract::Json<TagInput>,
) -> AppResult<StatusCode> {
    official_account(&state, id).await?;
    service::rename(&state, &user.actor(), id, tag, &body.value.name, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rename_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, group)): Path<(i64, i64)>,
    body: extract::Json<TagInput>,
) -> AppResult<StatusCode> {
    official_account(&state, id).await?;
    service::rename(&state, &user.actor(), id, group, &body.value.name, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_tag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, tag)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    official_account(&state, id).await?;
    service::delete(&state, &user.actor(), id, tag, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, group)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    official_account(&state, id).await?;
    service::delete(&state, &user.actor(), id, group, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
