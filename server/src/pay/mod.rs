//! WeChat Pay v2: products, orders and their state machine, and the WeChat-facing endpoints
//! (`/pay/{merchant_id}/notify`, `/refund-notify`).
//!
//! The order state machine itself is [`api::pay::OrderState`] (a plain type, shared with the
//! SPA); [`orders`] applies it to stored rows race-safely; [`notify`] authenticates WeChat's
//! notifications with the `wechat` crate and applies them idempotently.

pub mod entities;
pub mod merchant;
pub mod notify;
pub mod orders;
pub mod products;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{MethodRouter, delete, get, patch, post},
};

use crate::state::AppState;

/// The staff API routes (each has its rule in [`crate::http::routes::ROUTES`]).
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            "GET",
            "/api/pay/merchants/{id}/products",
            get(products::list),
        ),
        (
            "POST",
            "/api/pay/merchants/{id}/products",
            post(products::create),
        ),
        ("GET", "/api/pay/products/{id}", get(products::get)),
        ("PATCH", "/api/pay/products/{id}", patch(products::update)),
        ("DELETE", "/api/pay/products/{id}", delete(products::delete)),
    ]
}

/// The WeChat-facing routes, outside sessions and CSRF.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/pay/{id}/notify", post(notify::pay_notify))
        .route("/pay/{id}/refund-notify", post(notify::refund_notify))
        .layer(DefaultBodyLimit::max(notify::BODY_LIMIT))
}
