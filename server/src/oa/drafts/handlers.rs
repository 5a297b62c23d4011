use api::{
    Page, PageQuery,
    drafts::{Draft, DraftImportResult, DraftInput},
};
use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::{import as importer, publish as publisher, service};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::OfficialAccount,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
pub struct DraftQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<DraftQuery>,
) -> AppResult<Json<Page<Draft>>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    Ok(Json(
        service::list(&state.db, account.id, q.q, q.status, page).await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<Json<Draft>> {
    Ok(Json(service::get(&state.db, id, draft_id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<DraftInput>,
) -> AppResult<(StatusCode, Json<Draft>)> {
    let d = service::create(&state.db, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, draft_id)): Path<(i64, i64)>,
    body: extract::Json<DraftInput>,
) -> AppResult<Json<Draft>> {
    Ok(Json(
        service::update(&state.db, &user.actor(), id, draft_id, body.value).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), id, draft_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<Json<Draft>> {
    Ok(Json(
        publisher::publish(&state, &user.actor(), id, draft_id).await?,
    ))
}

/// Asks WeChat (`freepublish/get`) for the state of a publish in progress.
pub async fn refresh(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<Json<Draft>> {
    Ok(Json(publisher::refresh(&state, id, draft_id).await?))
}

/// Reads WeChat's draft box and published articles into the portal (idempotent).
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<DraftImportResult>> {
    Ok(Json(
        importer::import(&state, &user.actor(), account.id).await?,
    ))
}
