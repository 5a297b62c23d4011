//! Staff users (admin only): `GET|POST /api/staff`, `GET|PATCH|DELETE /api/staff/{id}`,
//! the first-start admin, and `wxportal user add`.

pub mod handlers;
pub mod service;

use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/staff", get(handlers::list)),
        ("POST", "/api/staff", post(handlers::create)),
        ("GET", "/api/staff/{id}", get(handlers::get)),
        ("PATCH", "/api/staff/{id}", patch(handlers::update)),
        ("DELETE", "/api/staff/{id}", delete(handlers::delete)),
    ]
}
