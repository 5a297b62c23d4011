//! Auto-reply rules per account (or global): CRUD, matching, the simulator, hit counts.

pub mod handlers;
pub mod matching;
pub mod service;

use api::replies::{ReplyRule, ReplyRuleInput, SimulateRequest, SimulateResponse};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/reply-rules", handlers::list)
            .viewer()
            .summary("Auto-reply rules of an account (with global rules), with hit counts")
            .response::<Vec<ReplyRule>>(),
        Route::post("/api/accounts/{id}/reply-rules", handlers::create)
            .operator()
            .summary("Create an auto-reply rule")
            .request::<ReplyRuleInput>()
            .response::<ReplyRule>()
            .status(201),
        Route::post(
            "/api/accounts/{id}/reply-rules/simulate",
            handlers::simulate,
        )
        .viewer()
        .summary("Which rule fires for a message, why the others do not, and the exact reply XML")
        .request::<SimulateRequest>()
        .response::<SimulateResponse>(),
        Route::get("/api/accounts/{id}/reply-rules/{rule_id}", handlers::get)
            .viewer()
            .summary("One auto-reply rule")
            .response::<ReplyRule>(),
        Route::patch("/api/accounts/{id}/reply-rules/{rule_id}", handlers::update)
            .operator()
            .summary("Update an auto-reply rule")
            .request::<ReplyRuleInput>()
            .response::<ReplyRule>(),
        Route::delete("/api/accounts/{id}/reply-rules/{rule_id}", handlers::delete)
            .operator()
            .summary("Delete an auto-reply rule"),
    ]
}
