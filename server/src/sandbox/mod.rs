//! The built-in sandbox (`wxportal serve --sandbox`): the WeChat emulator (`wechat_sim`) mounted
//! under `/sandbox/` in the same process, demo accounts of every kind created on first start,
//! and the "simulate" API (act as a follower / member of a sandbox account).
//!
//! The sandbox is for trying the product and testing integrations, not for production: its
//! control API (`/sandbox/_sim/…`: reset, act, faults, clock, and account secrets) only answers
//! loopback clients that send the per-start control token (printed at start, or set with
//! `--sandbox-control-token`) in `X-Wxportal-Sandbox-Token`: a reverse proxy on the same host
//! makes every visitor "loopback", so loopback alone proves nothing. The emulated WeChat hosts (`/sandbox/api.weixin.qq.com/…`) answer anyone who can reach
//! the portal. Emulator state lives in memory: on every start it is rebuilt from the portal's
//! stored sandbox accounts (same credentials, deterministic followers and members).

pub mod demo;
pub mod handlers;
pub mod people;
pub mod service;

use api::Page;
use api::sandbox::{
    FollowersQuery, SandboxActRequest, SandboxActResult, SandboxPerson, TestConnectionResult,
};

use crate::http::routes::Route;
use std::{net::SocketAddr, sync::Arc};

use subtle::ConstantTimeEq;

use axum::{
    Router,
    extract::{ConnectInfo, Request},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
};

use crate::{
    state::AppState,
    wechat_clients::emulator::{Emulator, PREFIX},
};

/// `/sandbox/*`: the emulator, outside sessions and CSRF (it speaks WeChat's protocols);
/// `/sandbox/_sim/*` only for loopback clients with the control token.
pub fn router(sandbox: &Emulator) -> Router<AppState> {
    let token = Arc::new(sandbox.control_token.clone());
    Router::new().nest(
        PREFIX,
        wechat_sim::router_with::<AppState>(sandbox.sim.clone()).layer(middleware::from_fn(
            move |req: Request, next: Next| control_api_guard(token.clone(), req, next),
        )),
    )
}

/// The header carrying the sandbox control token.
pub const CONTROL_TOKEN_HEADER: &str = "x-wxportal-sandbox-token";

async fn control_api_guard(token: Arc<String>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let control = path.starts_with("/_sim") || path.starts_with(&format!("{PREFIX}/_sim"));
    if control {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        if !peer.is_some_and(|ip| ip.is_loopback()) {
            return (
                StatusCode::FORBIDDEN,
                "the sandbox control API answers loopback clients only",
            )
                .into_response();
        }
        let sent = req
            .headers()
            .get(CONTROL_TOKEN_HEADER)
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if !bool::from(sent.ct_eq(token.as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                "the sandbox control API needs the control token printed at start, in the X-Wxportal-Sandbox-Token header",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// The `/api` routes of the sandbox (see `http::routes`).
pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/api/accounts/{id}/test-connection", handlers::test_connection)
            .operator()
            .summary("Test the account's credentials against WeChat (or the sandbox); never returns the token")
            .response::<TestConnectionResult>(),
        Route::post("/api/accounts/{id}/sandbox/act", handlers::act)
            .operator()
            .summary("Act as a follower/member of a sandbox account; returns the callback delivery (409 for production accounts)")
            .request::<SandboxActRequest>()
            .response::<SandboxActResult>(),
        Route::get("/api/accounts/{id}/sandbox/followers", handlers::followers)
            .operator()
            .summary("Followers (OA) or members (WeCom) of a sandbox account")
            .response::<Page<SandboxPerson>>()
            .query::<FollowersQuery>(),
    ]
}
