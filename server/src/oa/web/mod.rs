//! Follower-facing pages of an Official Account, opened from a menu `view` button inside
//! WeChat: OAuth 2.0 web authorisation (`snsapi_base` / `snsapi_userinfo`) built into the
//! portal's public pages (`oauth`: the `state` bound to the browser by a short-lived cookie, the
//! code exchanged once, the follower kept in a sealed cookie), the follower's own page (`pages`),
//! the follower's "my orders / pay" page with JSAPI pay (`shop`, `shop_data`, `shop_html`),
//! and the JS-SDK `wx.config` endpoint for pages hosted elsewhere (`jsapi`: the ticket cached
//! through the token broker, signed per URL). Every route does bounded work per request and is
//! limited per client IP.

pub mod jsapi;
pub mod oauth;
pub mod pages;
pub mod shop;
pub mod shop_data;
pub mod shop_html;

use std::time::Duration;

use axum::{
    Extension, Router,
    routing::{get, post},
};

use crate::{pay::throttle::OrderThrottle, state::AppState};

/// Requests one client IP may make to these pages per minute (each may call WeChat).
pub const REQUESTS_PER_MINUTE: u32 = 60;
/// Client IPs tracked at once.
pub const MAX_CLIENTS: usize = 4096;

/// The per-IP limiter of these pages (its own instance of the pay pages' limiter).
#[derive(Clone)]
pub struct PageThrottle(pub OrderThrottle);

impl Default for PageThrottle {
    fn default() -> Self {
        PageThrottle(OrderThrottle::new(
            REQUESTS_PER_MINUTE,
            Duration::from_secs(60),
            MAX_CLIENTS,
        ))
    }
}

pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/oa/{id}/me", get(pages::me))
        .route("/oa/{id}/oauth/callback", get(oauth::callback))
        .route("/oa/{id}/jsapi-config", get(jsapi::config))
        .route("/oa/{id}/orders", get(shop::list).post(shop::buy))
        .route("/oa/{id}/orders/{out_trade_no}", get(shop::detail))
        .route("/oa/{id}/orders/{out_trade_no}/status", get(shop::status))
        .route(
            "/oa/{id}/orders/{out_trade_no}/sandbox-pay",
            post(shop::sandbox_pay),
        )
        .layer(Extension(PageThrottle::default()))
        .layer(Extension(shop::FollowerOrderThrottle::default()))
}
