//! The audit log: who changed what (accounts, secrets replaced, staff, passwords), and
//! `GET /api/audit` for admins. Secret values never enter it, only field names.

pub mod handlers;
pub mod service;

use axum::routing::{MethodRouter, get};

use crate::state::AppState;

pub use service::{Actor, record};

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![("GET", "/api/audit", get(handlers::list))]
}
