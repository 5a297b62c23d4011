//! The callback inspector: the last deliveries on `/wx/{id}` per account (kept for
//! `callback_retention_days`) with their verification result, diagnosis, decryption outcome,
//! de-duplication hits, processing time against WeChat's 5-second timeout and the reply sent;
//! and replaying a stored delivery through the pipeline (marked as a replay, never counted
//! twice: the replay meets the de-duplication key of the original, so hit counts and follower
//! state stay as they are).

pub mod handlers;
pub mod service;

use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/deliveries", get(handlers::list)),
        (
            "GET",
            "/api/accounts/{id}/deliveries/{delivery_id}",
            get(handlers::detail),
        ),
        (
            "POST",
            "/api/accounts/{id}/deliveries/{delivery_id}/replay",
            post(handlers::replay),
        ),
    ]
}
