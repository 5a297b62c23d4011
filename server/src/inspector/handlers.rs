use api::{
    Page,
    messages::{DeliveryDetail, DeliveryQuery, DeliverySummary},
};
use axum::{Json, extract::State};

use super::service;
use crate::{
    accounts::extract::CallbackAccount,
    error::AppResult,
    http::extract::{Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    CallbackAccount(account): CallbackAccount,
    Query(q): Query<DeliveryQuery>,
) -> AppResult<Json<Page<DeliverySummary>>> {
    Ok(Json(service::list(&state, account.id, q).await?))
}

pub async fn detail(
    State(state): State<AppState>,
    CallbackAccount(_): CallbackAccount,
    Path((id, delivery_id)): Path<(i64, i64)>,
) -> AppResult<Json<DeliveryDetail>> {
    Ok(Json(service::detail(&state, id, delivery_id).await?))
}

pub async fn replay(
    State(state): State<AppState>,
    CallbackAccount(_): CallbackAccount,
    Path((id, delivery_id)): Path<(i64, i64)>,
) -> AppResult<Json<DeliveryDetail>> {
    Ok(Json(service::replay(&state, id, delivery_id).await?))
}
