//! The built-in sandbox (`wxportal serve --sandbox`): the WeChat emulator (`wechat_sim`) mounted
//! under `/sandbox/` in the same process, demo accounts of every kind created on first start,
//! and the "simulate" API (act as a follower / member of a sandbox account).
//!
//! The sandbox is for trying the product and testing integrations, not for production: its
//! control API (`/sandbox/_sim/…`: reset, act, faults, clock) only answers loopback clients,
//! and the emulated WeChat hosts (`/sandbox/api.weixin.qq.com/…`) answer anyone who can reach
//! the portal. Emulator state lives in memory: on every start it is rebuilt from the portal's
//! stored sandbox accounts (same credentials, deterministic followers and members).

pub mod demo;
pub mod handlers;
pub mod people;
pub mod service;

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Router,
    extract::{ConnectInfo, Request},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{MethodRouter, get, post},
};
use wechat_sim::{Sim, SimConfig};

use crate::state::AppState;

/// Where the sandbox is mounted.
pub const PREFIX: &str = "/sandbox";

/// The running emulator and how to reach it.
pub struct Sandbox {
    pub sim: Arc<Sim>,
    /// The emulator's root as the portal's own clients reach it, e.g.
    /// `http://127.0.0.1:8080/sandbox` (the `wechat` client appends `/api.weixin.qq.com/…`).
    pub root: String,
    /// Base URL under which the emulator calls the portal back (`{callback_base}/wx/{id}`):
    /// the public URL when it is a loopback address, else the listener's loopback address.
    pub callback_base: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("root", &self.root)
            .field("callback_base", &self.callback_base)
            .finish_non_exhaustive()
    }
}

/// `addr` with an unspecified IP (0.0.0.0 / ::) replaced by loopback.
pub fn loopback_of(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn is_loopback_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or("");
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl Sandbox {
    /// A fresh emulator for a portal listening on `local_addr` with `public_url`.
    pub fn start(local_addr: SocketAddr, public_url: &str) -> Arc<Sandbox> {
        let local = loopback_of(local_addr);
        let own = format!("http://{local}");
        let callback_base = if is_loopback_url(public_url) {
            public_url.trim_end_matches('/').to_string()
        } else {
            own.clone()
        };
        Arc::new(Sandbox {
            sim: Sim::new(SimConfig::default()),
            root: format!("{own}{PREFIX}"),
            callback_base,
        })
    }

    /// The URL the emulator calls for account `id`.
    pub fn callback_url(&self, id: i64) -> String {
        format!("{}/wx/{id}", self.callback_base)
    }
}

/// `/sandbox/*`: the emulator, outside sessions and CSRF (it speaks WeChat's protocols);
/// `/sandbox/_sim/*` only for loopback clients.
pub fn router(sandbox: &Sandbox) -> Router<AppState> {
    Router::new().nest(
        PREFIX,
        wechat_sim::router_with::<AppState>(sandbox.sim.clone())
            .layer(middleware::from_fn(control_api_loopback_only)),
    )
}

async fn control_api_loopback_only(req: Request, next: Next) -> Response {
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
    }
    next.run(req).await
}

/// The `/api` routes of the sandbox (see `http::routes`).
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            "POST",
            "/api/accounts/{id}/test-connection",
            post(handlers::test_connection),
        ),
        (
            "POST",
            "/api/accounts/{id}/sandbox/act",
            post(handlers::act),
        ),
        (
            "GET",
            "/api/accounts/{id}/sandbox/followers",
            get(handlers::followers),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn callbacks_use_the_public_url_only_when_it_is_local() {
        let addr: SocketAddr = "0.0.0.0:8093".parse().unwrap();
        let s = Sandbox::start(addr, "https://wx.example.com");
        assert_eq!(s.root, "http://127.0.0.1:8093/sandbox");
        assert_eq!(s.callback_url(7), "http://127.0.0.1:8093/wx/7");
        let s = Sandbox::start(addr, "http://localhost:8093/");
        assert_eq!(s.callback_url(7), "http://localhost:8093/wx/7");
    }
}
