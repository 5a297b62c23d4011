use api::menus::{
    ConditionalMenu, ConditionalMenuInput, MenuCheck, MenuCompare, MenuDraftInput, MenuOverview,
    MenuVersion, PublishMenuInput, RollbackInput, TryMatchInput, TryMatchResult,
};
use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::service;
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::{MenuAccount, OfficialAccount},
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn overview(
    State(state): State<AppState>,
    MenuAccount(account): MenuAccount,
) -> AppResult<Json<MenuOverview>> {
    Ok(Json(service::overview(&state.db, account.id).await?))
}

pub async fn save_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    MenuAccount(account): MenuAccount,
    body: extract::Json<MenuDraftInput>,
) -> AppResult<Json<MenuCheck>> {
    Ok(Json(
        service::save_draft(&state.db, &user.actor(), account.id, body.value.buttons).await?,
    ))
}

pub async fn validate(
    State(state): State<AppState>,
    MenuAccount(account): MenuAccount,
    body: extract::Json<MenuDraftInput>,
) -> AppResult<Json<MenuCheck>> {
    Ok(Json(
        service::check(&state.db, account.id, &body.value.buttons).await?,
    ))
}

pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    MenuAccount(account): MenuAccount,
    body: extract::Json<PublishMenuInput>,
) -> AppResult<(StatusCode, Json<MenuVersion>)> {
    let v = service::publish(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    MenuAccount(account): MenuAccount,
) -> AppResult<(StatusCode, Json<MenuVersion>)> {
    let v = service::import(&state, &user.actor(), account.id).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    MenuAccount(account): MenuAccount,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), account.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn versions(
    State(state): State<AppState>,
    MenuAccount(account): MenuAccount,
) -> AppResult<Json<Vec<MenuVersion>>> {
    Ok(Json(service::versions(&state.db, account.id).await?))
}

pub async fn version(
    State(state): State<AppState>,
    MenuAccount(_): MenuAccount,
    Path((id, version_id)): Path<(i64, i64)>,
) -> AppResult<Json<MenuVersion>> {
    Ok(Json(service::version(&state.db, id, version_id).await?))
}

pub async fn rollback(
    State(state): State<AppState>,
    user: CurrentUser,
    MenuAccount(_): MenuAccount,
    Path((id, version_id)): Path<(i64, i64)>,
    body: extract::Json<RollbackInput>,
) -> AppResult<(StatusCode, Json<MenuVersion>)> {
    let v = service::rollback(&state, &user.actor(), id, version_id, body.value.note).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    pub from: i64,
    #[serde(default)]
    pub to: Option<i64>,
}

pub async fn compare(
    State(state): State<AppState>,
    MenuAccount(account): MenuAccount,
    Query(q): Query<CompareQuery>,
) -> AppResult<Json<MenuCompare>> {
    Ok(Json(
        service::compare(&state.db, account.id, q.from, q.to).await?,
    ))
}

pub async fn conditional_list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Vec<ConditionalMenu>>> {
    Ok(Json(
        service::conditional_list(&state.db, account.id).await?,
    ))
}

pub async fn conditional_create(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<ConditionalMenuInput>,
) -> AppResult<(StatusCode, Json<ConditionalMenu>)> {
    let m = service::conditional_create(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub async fn conditional_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, menu_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::conditional_delete(&state, &user.actor(), id, menu_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn try_match(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<TryMatchInput>,
) -> AppResult<Json<TryMatchResult>> {
    Ok(Json(
        service::try_match(&state, account.id, &body.value.user_id).await?,
    ))
}
