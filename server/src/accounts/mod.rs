//! Accounts of four kinds (official_account, work_app, pay_merchant, work_suite): CRUD, secrets
//! encrypted at rest and shown masked, callback URLs, and the Token/EncodingAESKey generator.

pub mod extract;
pub mod handlers;
pub mod queries;
pub mod service;

use axum::{
    extract::DefaultBodyLimit,
    routing::{MethodRouter, delete, get, patch, post},
};

use crate::state::AppState;

/// Account bodies carry at most a 64 KiB certificate (as base64).
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts", get(handlers::list)),
        (
            "POST",
            "/api/accounts",
            post(handlers::create).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        ),
        ("GET", "/api/accounts/{id}", get(handlers::get)),
        (
            "PATCH",
            "/api/accounts/{id}",
            patch(handlers::update).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        ),
        ("DELETE", "/api/accounts/{id}", delete(handlers::delete)),
        ("GET", "/api/tools/credentials", get(handlers::credentials)),
    ]
}
