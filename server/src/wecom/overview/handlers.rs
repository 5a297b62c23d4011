use api::wecom_overview::{PreflightReport, WecomOverview};
use axum::{Json, extract::State};

use super::{preflight, service};
use crate::{accounts::extract::WorkApp, error::AppResult, state::AppState};

pub async fn overview(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<WecomOverview>> {
    Ok(Json(service::overview(&state, &account).await?))
}

pub async fn preflight(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<PreflightReport>> {
    Ok(Json(preflight::run(&state, account.id).await?))
}
