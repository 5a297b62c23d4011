//! A WeCom third-party suite (第三方应用), mirroring `wechat::client::suite` and `sim::suite`:
//!
//! - [`instructions`]: what the instruction URL receives (`suite_ticket`, `create_auth`,
//!   `change_auth`, `cancel_auth`, `reset_permanent_code`, `change_contact`);
//! - [`install`]: the install link with its QR code, and the page WeCom returns the admin to;
//! - [`corps`]: the authorised corps (permanent code sealed, one exchange per auth code, the
//!   corp's client through the token store);
//! - [`provider`]: the provider side (服务商): the login URLs, the logins, the provider check,
//!   60020 on provider and suite calls explained;
//! - [`login`]: the provider's public login page (`get_login_info`, one use per auth code);
//! - [`handlers`]: the staff API below.

pub mod corps;
pub mod data_callbacks;
pub mod handlers;
pub mod install;
pub mod instructions;
pub mod login;
pub mod managed;
pub mod provider;

use api::wecom_suite::{InstallLink, InstallLinkRequest, SuiteCorp, SuiteCorpList, SuiteOverview};
use axum::{Extension, Router, routing::get};

pub use instructions::apply;

use crate::{http::routes::Route, oa::web::PageThrottle, state::AppState};

pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/api/accounts/{id}/suite/overview", handlers::overview)
            .viewer()
            .summary("A suite's health: the newest suite_ticket and whether it is stale, the instruction URL, corps counts")
            .response::<SuiteOverview>(),
        Route::post("/api/accounts/{id}/suite/install-link", handlers::install_link)
            .operator()
            .summary("A pre-auth code, session info (test authorisation or not) and the install link with its QR code")
            .request::<InstallLinkRequest>()
            .response::<InstallLink>(),
        Route::get("/api/accounts/{id}/suite/corps", handlers::list)
            .viewer()
            .summary("The corps that authorised the suite, with their apps and privileges (never the permanent code)")
            .response::<SuiteCorpList>(),
        Route::post("/api/accounts/{id}/suite/corps/{corp_id}/refresh", handlers::refresh)
            .operator()
            .summary("Read the corp's apps and privileges again (get_auth_info)")
            .response::<SuiteCorp>(),
    ];
    routes.extend(provider::routes());
    routes
}

/// The page WeCom sends an installing admin back to (outside sessions and CSRF), limited per IP.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/suite/{id}/installed", get(install::installed))
        .route("/suite/{id}/login", get(login::page_handler))
        .layer(Extension(PageThrottle::default()))
}
