use api::staff::{CreateStaffRequest, StaffUser, UpdateStaffRequest};
use axum::{Json, extract::State, http::StatusCode};

use super::service;
use crate::auth::CurrentUser;
use crate::{
    error::AppResult,
    http::extract::{self, Path},
    state::AppState,
};

pub async fn list(State(state): State<AppState>) -> AppResult<Json<Vec<StaffUser>>> {
    Ok(Json(service::list(&state.db).await?))
}

pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<StaffUser>> {
    Ok(Json(service::view(&service::find(&state.db, id).await?)))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    body: extract::Json<CreateStaffRequest>,
) -> AppResult<(StatusCode, Json<StaffUser>)> {
    let created =
        service::create(&state.db, &state.passwords, &user.actor(), body.value, true).await?;
    Ok((StatusCode::CREATED, Json(service::view(&created))))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<UpdateStaffRequest>,
) -> AppResult<Json<StaffUser>> {
    let updated =
        service::update(&state.db, &state.passwords, &user.actor(), id, body.value).await?;
    Ok(Json(service::view(&updated)))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &user.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
