//! Article drafts of 1 to 8 articles: edited in the portal ([`service`]), saved to WeChat's
//! draft box (`draft/add`/`update`) and published through `freepublish/submit` ([`publish`]),
//! the outcome followed through the PUBLISHJOBFINISH event (see [`events`]) and
//! `freepublish/get`; published links are kept. What exists at WeChat already is imported by
//! [`import`].

pub mod events;
pub mod handlers;
pub mod import;
pub mod publish;
pub mod queries;
pub mod service;

use api::Page;
use api::drafts::{Draft, DraftImportResult, DraftInput};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/drafts", handlers::list)
            .viewer()
            .summary("Article drafts, newest first")
            .response::<Page<Draft>>()
            .query_params(&["q", "status", "page", "per_page"]),
        Route::post("/api/accounts/{id}/drafts", handlers::create)
            .operator()
            .summary("Create an article draft of 1 to 8 articles")
            .request::<DraftInput>()
            .response::<Draft>()
            .status(201),
        Route::post("/api/accounts/{id}/drafts/import", handlers::import)
            .operator()
            .summary("Import the drafts of WeChat's draft box (draft/batchget) and the published articles (freepublish/batchget) the portal does not hold yet")
            .response::<DraftImportResult>(),
        Route::get("/api/accounts/{id}/drafts/{draft_id}", handlers::get)
            .viewer()
            .summary("One article draft with its publishing state and links")
            .response::<Draft>(),
        Route::put("/api/accounts/{id}/drafts/{draft_id}", handlers::update)
            .operator()
            .summary("Edit an article draft: its articles, in order")
            .request::<DraftInput>()
            .response::<Draft>(),
        Route::delete("/api/accounts/{id}/drafts/{draft_id}", handlers::delete)
            .operator()
            .summary("Delete an article draft (and from WeChat's draft box)"),
        Route::post("/api/accounts/{id}/drafts/{draft_id}/publish", handlers::publish)
            .operator()
            .summary("Save the draft in WeChat's draft box and publish it (freepublish); the result arrives as PUBLISHJOBFINISH")
            .response::<Draft>(),
        Route::post("/api/accounts/{id}/drafts/{draft_id}/refresh", handlers::refresh)
            .viewer()
            .summary("Ask WeChat (freepublish/get) how a publish in progress is going")
            .response::<Draft>(),
    ]
}
