//! Auto-reply rules per account (or global): CRUD, matching, the simulator, hit counts.

pub mod handlers;
pub mod matching;
pub mod service;

use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/reply-rules", get(handlers::list)),
        (
            "POST",
            "/api/accounts/{id}/reply-rules",
            post(handlers::create),
        ),
        (
            "POST",
            "/api/accounts/{id}/reply-rules/simulate",
            post(handlers::simulate),
        ),
        (
            "GET",
            "/api/accounts/{id}/reply-rules/{rule_id}",
            get(handlers::get),
        ),
        (
            "PATCH",
            "/api/accounts/{id}/reply-rules/{rule_id}",
            patch(handlers::update),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/reply-rules/{rule_id}",
            delete(handlers::delete),
        ),
    ]
}
