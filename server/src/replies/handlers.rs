use api::replies::{ReplyRule, ReplyRuleInput, SimulateRequest, SimulateResponse};
use axum::{Json, extract::State, http::StatusCode};

use super::service;
use crate::auth::CurrentUser;
use crate::{
    accounts::service::Stored,
    entities::account,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
};

/// The account (404 if missing); rules exist for Official Accounts and WeCom apps.
pub async fn account_of(state: &AppState, id: i64) -> AppResult<account::Model> {
    let m = crate::accounts::queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.kind != "official_account" && m.kind != "work_app" {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ReplyRule>>> {
    account_of(&state, id).await?;
    Ok(Json(service::list(&state.db, id).await?))
}

pub async fn get(
    State(state): State<AppState>,
    Path((id, rule_id)): Path<(i64, i64)>,
) -> AppResult<Json<ReplyRule>> {
    account_of(&state, id).await?;
    Ok(Json(service::get(&state.db, id, rule_id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<ReplyRuleInput>,
) -> AppResult<(StatusCode, Json<ReplyRule>)> {
    account_of(&state, id).await?;
    let rule = service::create(&state.db, &user.actor(), id, body.value).await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, rule_id)): Path<(i64, i64)>,
    body: extract::Json<ReplyRuleInput>,
) -> AppResult<Json<ReplyRule>> {
    account_of(&state, id).await?;
    Ok(Json(
        service::update(&state.db, &user.actor(), id, rule_id, body.value).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, rule_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    account_of(&state, id).await?;
    service::delete(&state.db, &user.actor(), id, rule_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn simulate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: extract::Json<SimulateRequest>,
) -> AppResult<Json<SimulateResponse>> {
    let account = account_of(&state, id).await?;
    let stored: Stored = serde_json::from_str(&account.settings).unwrap_or_default();
    let to_user = stored
        .original_id
        .or(stored.corp_id)
        .unwrap_or_else(|| "gh_simulated".into());
    Ok(Json(
        service::simulate(&state.db, id, &to_user, &body.value).await?,
    ))
}
