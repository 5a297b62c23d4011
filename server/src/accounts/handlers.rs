use api::accounts::{
    Account, AccountKind, CreateAccountRequest, GeneratedCredentials, RevealSecretRequest,
    RevealedSecret, UpdateAccountRequest,
};
use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::service;
use crate::auth::CurrentUser;
use crate::{
    error::{AppError, AppResult},
    http::extract::{self, Path, Query},
    state::AppState,
};

/// `GET /api/accounts?kind=&q=`
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<Vec<Account>>> {
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(
            AccountKind::parse(k)
                .ok_or_else(|| AppError::BadRequest(format!("unknown kind {k:?}")))?,
        ),
        None => None,
    };
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    Ok(Json(service::list(&state, kind, q).await?))
}

pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<Account>> {
    Ok(Json(service::get(&state, id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: extract::Json<CreateAccountRequest>,
) -> AppResult<(StatusCode, Json<Account>)> {
    let environment_given = body.raw.get("environment").is_some_and(|v| !v.is_null());
    let account = service::create(&state, &user.actor(), body.value, environment_given).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<UpdateAccountRequest>,
) -> AppResult<Json<Account>> {
    let account = service::update(&state, &user, id, body.value).await?;
    // A merchant's name and key are on its product pages (other instances: `page_cache::TTL`).
    state.product_pages.forget_merchant(id);
    Ok(Json(account))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), id).await?;
    state.product_pages.forget_merchant(id);
    Ok(StatusCode::NO_CONTENT)
}

pub async fn reveal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<RevealSecretRequest>,
) -> AppResult<Json<RevealedSecret>> {
    let field = body.value.field;
    let value = service::reveal_for_admin(&state, &user.actor(), id, &field).await?;
    Ok(Json(RevealedSecret { field, value }))
}

pub async fn credentials() -> Json<GeneratedCredentials> {
    Json(service::generate_credentials())
}
