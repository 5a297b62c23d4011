//! The callback inspector: the last deliveries on `/wx/{id}` per account (kept for
//! `callback_retention_days`) with their verification result, diagnosis, decryption outcome,
//! de-duplication hits, processing time against WeChat's 5-second timeout and the reply sent;
//! and replaying a stored delivery through the pipeline (marked as a replay, never counted
//! twice: the replay meets the de-duplication key of the original, so hit counts and follower
//! state stay as they are).

pub mod handlers;
pub mod service;

use api::Page;
use api::messages::{DeliveryDetail, DeliveryQuery, DeliverySummary};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/deliveries", handlers::list)
            .viewer()
            .summary("Callback inspector: the last deliveries on /wx/{id}, newest first")
            .response::<Page<DeliverySummary>>()
            .query::<DeliveryQuery>(),
        Route::get("/api/accounts/{id}/deliveries/{delivery_id}", handlers::detail)
            .viewer()
            .summary("One callback delivery: query, body, decrypted XML, diagnosis, reply")
            .response::<DeliveryDetail>(),
        Route::post("/api/accounts/{id}/deliveries/{delivery_id}/replay", handlers::replay)
            .operator()
            .summary("Replay a stored delivery through the pipeline (marked as a replay, never counted twice)")
            .response::<DeliveryDetail>(),
    ]
}
