use api::replies::{ReplyRule, ReplyRuleInput, SimulateRequest, SimulateResponse};
use axum::{Json, extract::State, http::StatusCode};

use super::service;
use crate::auth::CurrentUser;
use crate::{
    accounts::{extract::MessagingAccount, service::Stored},
    error::AppResult,
    http::extract::{self, Path},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
) -> AppResult<Json<Vec<ReplyRule>>> {
    Ok(Json(service::list(&state.db, account.id).await?))
}

pub async fn get(
    State(state): State<AppState>,
    MessagingAccount(_): MessagingAccount,
    Path((id, rule_id)): Path<(i64, i64)>,
) -> AppResult<Json<ReplyRule>> {
    Ok(Json(service::get(&state.db, id, rule_id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    MessagingAccount(account): MessagingAccount,
    body: extract::Json<ReplyRuleInput>,
) -> AppResult<(StatusCode, Json<ReplyRule>)> {
    let rule = service::create(&state.db, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    MessagingAccount(_): MessagingAccount,
    Path((id, rule_id)): Path<(i64, i64)>,
    body: extract::Json<ReplyRuleInput>,
) -> AppResult<Json<ReplyRule>> {
    Ok(Json(
        service::update(&state.db, &user.actor(), id, rule_id, body.value).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    MessagingAccount(_): MessagingAccount,
    Path((id, rule_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &user.actor(), id, rule_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn simulate(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
    body: extract::Json<SimulateRequest>,
) -> AppResult<Json<SimulateResponse>> {
    let stored: Stored = serde_json::from_str(&account.settings).unwrap_or_default();
    let to_user = stored
        .original_id
        .or(stored.corp_id)
        .unwrap_or_else(|| "gh_simulated".into());
    Ok(Json(
        service::simulate(&state.db, account.id, &to_user, &body.value).await?,
    ))
}
