//! A WeCom app's overview and preflight (`/api/accounts/{id}/wecom/overview|preflight`): what
//! the contacts mirror holds, the last contacts sync, callback health from
//! `callback_deliveries`, the newest sends (`service`); and a live check of both credentials
//! against WeCom with a specific fix per refusal (`preflight`: 40001/40013/40014/42001,
//! 60020 with the outbound IP WeCom names, 48009, 48002, 301002/60011, 42009).

pub mod handlers;
pub mod preflight;
pub mod service;

use api::wecom_overview::{PreflightReport, WecomOverview};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/wecom/overview", handlers::overview)
            .viewer()
            .summary("A WeCom app at a glance: mirror counts, the last contacts sync, callback health (24 h), the newest sends")
            .response::<WecomOverview>(),
        Route::post("/api/accounts/{id}/wecom/preflight", handlers::preflight)
            .operator()
            .summary("Check both credentials against WeCom (tokens, agent, visible range, contacts listing, trusted IP) and name the fix for each refusal")
            .response::<PreflightReport>(),
    ]
}
