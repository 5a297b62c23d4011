//! A WeCom third-party suite (第三方应用), mirroring `wechat::client::suite` and `sim::suite`:
//!
//! - [`instructions`]: what the instruction URL receives (`suite_ticket`, `create_auth`,
//!   `change_auth`, `cancel_auth`, `reset_permanent_code`, `change_contact`);
//! - [`install`]: the install link with its QR code, and the page WeCom returns the admin to;
//! - [`corps`]: the authorised corps (permanent code sealed, one exchange per auth code, the
//!   corp's client through the token store);
//! - [`licences`]: each corp's interface licences (接口许可) read with the provider token;
//! - [`provider`]: the provider side (服务商): the login URLs, the logins, the provider check,
//!   60020 on provider and suite calls explained;
//! - [`login`]: the provider's public login page (`get_login_info`, one use per auth code);
//! - [`handlers`]: the staff API below.

pub mod corps;
pub mod data_callbacks;
pub mod handlers;
pub mod install;
pub mod instructions;
pub mod licences;
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
            .summary("Read the corp's apps and privileges again (get_auth_info), then its licences")
            .response::<SuiteCorp>(),
        Route::post("/api/accounts/{id}/suite/corps/{corp_id}/licences", handlers::refresh_licences)
            .operator()
            .summary("Read the corp's interface licences (接口许可) again with the provider token: status, trial, check time, active accounts by type")
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

/// The start of the suite's public pages (`/installed`, `/login`): the per-IP limit, the suite
/// account, and the code WeCom appended (present, and no longer than a code can be: WeCom's are
/// 64 characters or so). `Err` is the page to answer instead; `missing` says what to do when the
/// code is absent.
async fn public_page_start(
    state: &AppState,
    throttle: &PageThrottle,
    ip: &str,
    id: i64,
    lang: crate::oa::web::pages::Lang,
    code: Option<String>,
    missing: &str,
) -> Result<(crate::entities::account::Model, String), axum::response::Response> {
    use crate::oa::web::pages::{error_page, limited};
    if let Err(wait) = throttle.0.hit(ip, std::time::Instant::now()) {
        return Err(limited(lang, wait));
    }
    let account = match crate::accounts::queries::find(&state.db, id).await {
        Ok(Some(a)) if *a.kind == api::accounts::AccountKind::WorkSuite => a,
        _ => {
            return Err(error_page(
                lang,
                404,
                lang.pick("页面不存在", "Page not found"),
            ));
        }
    };
    let code = code.unwrap_or_default();
    if code.is_empty() || code.len() > 512 {
        return Err(error_page(lang, 400, missing));
    }
    Ok((account, code))
}
