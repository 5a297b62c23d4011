//! The access guard: enforces each route's [`Access`] rule from the route declarations, on every request.
//!
//! Routes without a declaration are refused (fail closed). The signed-in user is re-read from the
//! database on each request, so disabling a user or changing a role takes effect immediately.

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use crate::{
    auth,
    error::AppError,
    http::routes::{Access, rule_for},
    state::AppState,
};

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
