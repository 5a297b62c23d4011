//! The audit log: who changed what (accounts, secrets replaced, staff, passwords), and
//! `GET /api/audit` for admins. Secret values never enter it, only field names.

pub mod handlers;
pub mod service;

use api::Page;
use api::audit::{AuditEntry, AuditQuery};

use crate::http::routes::Route;

pub use service::{Actor, record};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/audit", handlers::list)
            .admin()
            .summary("Audit log, newest first")
            .response::<Page<AuditEntry>>()
            .query::<AuditQuery>(),
    ]
}
