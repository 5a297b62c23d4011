use std::net::SocketAddr;

use api::auth::{ChangePasswordRequest, LoginRequest, Me, UpdateMeRequest};
use axum::{
    extract::{ConnectInfo, FromRequestParts, State},
    http::{StatusCode, request::Parts},
};
use tower_sessions::Session;

use super::service;
use crate::auth::CurrentUser;
use crate::{
    error::{AppError, AppResult},
    http::extract::Json,
    state::AppState,
};

/// The peer address of the connection (proxies are not trusted for this).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

fn me_json(me: Me) -> axum::Json<Me> {
    axum::Json(me)
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    body: Json<LoginRequest>,
) -> AppResult<axum::Json<Me>> {
    service::login(&state, &session, &ip, body.value)
        .await
        .map(me_json)
}

pub async fn logout(session: Session) -> AppResult<StatusCode> {
    service::logout(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(user: CurrentUser) -> axum::Json<Me> {
    me_json(service::me(&user.model))
}

pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Json<UpdateMeRequest>,
) -> AppResult<axum::Json<Me>> {
    service::update_me(&state, &user, body.value.lang)
        .await
        .map(me_json)
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    body: Json<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    service::change_password(&state, &session, &ip, &user, body.value).await?;
    Ok(StatusCode::NO_CONTENT)
}
