//! The access guard: enforces each route's [`Access`] rule from the route table, on every request.
//!
//! Routes missing from the table are refused (fail closed). The signed-in user is re-read from the
//! database on each request, so disabling a user or changing a role takes effect immediately.

use api::staff::Role;
use axum::{
    extract::{FromRequestParts, MatchedPath, Request, State},
    http::request::Parts,
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use crate::{
    auth,
    entities::staff_user,
    error::AppError,
    http::routes::{Access, rule_for},
    state::AppState,
};

/// The signed-in staff member of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub must_change_password: bool,
    pub model: staff_user::Model,
}

impl CurrentUser {
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::user(self.id, &self.username)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Route layer: look up the rule of the matched route and enforce it.
pub async fn enforce(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, mut req: Request) -> Result<Request, AppError> {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let Some(rule) = rule_for(req.method().as_str(), &path) else {
        return Err(AppError::Internal(format!(
            "route {} {path} has no access rule",
            req.method()
        )));
    };
    if rule.access == Access::Public {
        return Ok(req);
    }
    let session = req
        .extensions()
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::internal("session layer missing"))?;
    let user = auth::service::session_user(state, &session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if let Access::Role(needed) = rule.access {
        if user.must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        if !user.role.allows(needed) {
            return Err(AppError::Forbidden(format!(
                "this needs the {} role",
                needed.as_str()
            )));
        }
    }
    req.extensions_mut().insert(user);
    Ok(req)
}
