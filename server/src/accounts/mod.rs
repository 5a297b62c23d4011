//! Accounts of four kinds (official_account, work_app, pay_merchant, work_suite): CRUD, secrets
//! encrypted at rest and shown masked, callback URLs, and the Token/EncodingAESKey generator.

pub mod extract;
pub mod handlers;
pub mod queries;
pub mod service;

use api::accounts::{
    Account, CreateAccountRequest, GeneratedCredentials, RevealSecretRequest, RevealedSecret,
    UpdateAccountRequest,
};

use crate::http::routes::Route;

/// Account bodies carry at most a 64 KiB certificate (as base64).
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts", handlers::list)
            .viewer()
            .summary("List accounts")
            .response::<Vec<Account>>()
            .query_params(&["kind", "q"]),
        Route::post("/api/accounts", handlers::create)
            .operator()
            .summary("Create an account")
            .request::<CreateAccountRequest>()
            .response::<Account>()
            .status(201)
            .body_limit(BODY_LIMIT),
        Route::get("/api/accounts/{id}", handlers::get)
            .viewer()
            .summary("One account")
            .response::<Account>(),
        Route::patch("/api/accounts/{id}", handlers::update)
            .operator()
            .summary("Update an account (replacing a secret or Token, lowering the message mode or signature, or switching environment needs admin)")
            .request::<UpdateAccountRequest>()
            .response::<Account>()
            .body_limit(BODY_LIMIT),
        Route::delete("/api/accounts/{id}", handlers::delete)
            .admin()
            .summary("Delete an account and its data (admin; 409 for a merchant with paid orders)"),
        Route::post("/api/accounts/{id}/reveal", handlers::reveal)
            .admin()
            .summary("Reveal the Token or EncodingAESKey to paste into WeChat's console (admin, audited)")
            .request::<RevealSecretRequest>()
            .response::<RevealedSecret>(),
        Route::get("/api/tools/credentials", handlers::credentials)
            .operator()
            .summary("Random Token and EncodingAESKey")
            .response::<GeneratedCredentials>(),
    ]
}
