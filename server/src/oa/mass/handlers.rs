use api::{
    Page, PageQuery,
    mass::{
        MassDeleteInput, MassInput, MassJob, MassPreviewInput, MassQuota, MassSettingsInput,
        MassSpeed, MassSpeedInput,
    },
};
use axum::{Json, extract::State, http::StatusCode};

use super::service;
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::OfficialAccount,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Page<MassJob>>> {
    Ok(Json(
        service::list(&state.db, account.id, q.clamped()).await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Path((_, job_id)): Path<(i64, i64)>,
) -> AppResult<Json<MassJob>> {
    Ok(Json(service::get(&state.db, account.id, job_id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<MassInput>,
) -> AppResult<(StatusCode, Json<MassJob>)> {
    let job = service::create(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(job)))
}

pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<MassPreviewInput>,
) -> AppResult<StatusCode> {
    service::preview(&state, &user.actor(), account.id, body.value).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    Path((_, job_id)): Path<(i64, i64)>,
) -> AppResult<Json<MassJob>> {
    Ok(Json(
        service::cancel(&state.db, &user.actor(), account.id, job_id).await?,
    ))
}

pub async fn delete_article(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    Path((_, job_id)): Path<(i64, i64)>,
    body: extract::Json<MassDeleteInput>,
) -> AppResult<Json<MassJob>> {
    Ok(Json(
        service::delete_article(&state, &user.actor(), account.id, job_id, body.value).await?,
    ))
}

pub async fn quota(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<MassQuota>> {
    Ok(Json(service::quota(&state.db, account.id).await?))
}

pub async fn settings(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<MassSettingsInput>,
) -> AppResult<Json<MassQuota>> {
    Ok(Json(
        service::set_account_type(
            &state.db,
            &user.actor(),
            account.id,
            body.value.account_type,
        )
        .await?,
    ))
}

pub async fn speed(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<MassSpeed>> {
    Ok(Json(service::speed(&state, account.id).await?))
}

pub async fn set_speed(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<MassSpeedInput>,
) -> AppResult<Json<MassSpeed>> {
    Ok(Json(
        service::set_speed(&state, &user.actor(), account.id, body.value).await?,
    ))
}
