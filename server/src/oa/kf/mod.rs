//! Customer-service accounts (客服帐号) of an Official Account: the list with binding and online
//! state read live from WeChat (`getkflist` + `getonlinekflist`), add, invite a WeChat user to
//! bind, nickname, avatar, delete. Staff replies can be sent as one of them
//! (`messages::service::reply`, `customservice.kf_account`).

pub mod handlers;
pub mod service;

use api::kf::{CreateKfAccount, InviteKfWorker, KfAccount, UpdateKfAccount};
use serde_json::json;

use crate::http::routes::Route;

/// The largest avatar upload: WeChat's image limit plus the multipart envelope.
pub const AVATAR_BODY_LIMIT: usize = (1 << 20) + (16 << 10);

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/kf", handlers::list)
            .viewer()
            .summary("Customer-service accounts with their binding and online state (read from WeChat)")
            .response::<Vec<KfAccount>>(),
        Route::post("/api/accounts/{id}/kf", handlers::create)
            .operator()
            .summary("Add a customer-service account at WeChat (customservice/kfaccount/add)")
            .request::<CreateKfAccount>()
            .response::<KfAccount>()
            .status(201),
        Route::patch("/api/accounts/{id}/kf/{kf_account}", handlers::update)
            .operator()
            .summary("Change a customer-service account's nickname")
            .request::<UpdateKfAccount>()
            .response::<KfAccount>()
            .text_params(&["kf_account"]),
        Route::delete("/api/accounts/{id}/kf/{kf_account}", handlers::delete)
            .operator()
            .summary("Delete a customer-service account at WeChat")
            .text_params(&["kf_account"]),
        Route::post("/api/accounts/{id}/kf/{kf_account}/invite", handlers::invite)
            .operator()
            .summary("Invite a WeChat user (by WeChat ID) to bind to the customer-service account")
            .request::<InviteKfWorker>()
            .response::<KfAccount>()
            .text_params(&["kf_account"]),
        Route::post("/api/accounts/{id}/kf/{kf_account}/avatar", handlers::avatar)
            .operator()
            .summary("Upload the account's avatar (multipart/form-data with header x-wxportal-upload, field file; JPG or PNG up to 1 MB)")
            .request_other("multipart/form-data", || json!({"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}))
            .response::<KfAccount>()
            .text_params(&["kf_account"])
            .body_limit(AVATAR_BODY_LIMIT),
    ]
}
