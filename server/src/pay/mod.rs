//! WeChat Pay v2: products, orders and their state machine, and the WeChat-facing endpoints
//! (`/pay/{merchant_id}/notify`, `/refund-notify`), the public payer pages ([`pages`]) and the
//! QR image endpoints ([`qr`]).
//!
//! The order state machine itself is [`api::pay::OrderState`] (a plain type, shared with the
//! SPA); [`orders`] applies it to stored rows race-safely; [`notify`] authenticates WeChat's
//! notifications with the `wechat` crate and applies them idempotently (querying the order when
//! a notification is in doubt); [`refunds`] applies refund results (notification or query);
//! [`bills`] downloads and reconciles a day's bill (staff, and a daily job); [`dashboard`]
//! sums revenue and orders per day, state and product.

pub mod actions;
pub mod bills;
pub mod client;
pub mod dashboard;
pub mod days;
pub mod entities;
pub mod export;
pub mod merchant;
pub mod notify;
pub mod orders;
pub mod page_cache;
pub mod pages;
pub mod products;
pub mod qr;
pub mod refunds;
pub mod staff;
pub mod throttle;

use api::pay::{
    CreateProductRequest, CreateRefundRequest, Dashboard, DashboardQuery, OrderDetail, OrderPage,
    OrderQuery, Product, ReconcileRequest, Reconciliation, ReconciliationDetail,
    UpdateProductRequest,
};
use serde_json::json;

use axum::{
    Router,
    extract::{DefaultBodyLimit, Extension},
    routing::{get, post},
};

use crate::{http::routes::Route, state::AppState};

/// The staff API routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/pay/merchants/{id}/products", products::list)
            .viewer()
            .summary("Products of a pay merchant")
            .response::<Vec<Product>>(),
        Route::post("/api/pay/merchants/{id}/products", products::create)
            .operator()
            .summary("Create a product (its id is the mode-1 product_id)")
            .request::<CreateProductRequest>()
            .response::<Product>()
            .status(201),
        Route::get("/api/pay/products/{id}", products::get)
            .viewer()
            .summary("One product")
            .response::<Product>(),
        Route::patch("/api/pay/products/{id}", products::update)
            .operator()
            .summary("Update a product")
            .request::<UpdateProductRequest>()
            .response::<Product>(),
        Route::delete("/api/pay/products/{id}", products::delete)
            .operator()
            .summary("Delete a product (its orders are kept)"),
        Route::get("/api/pay/merchants/{id}/orders", staff::list)
            .viewer()
            .summary("Orders of a pay merchant, newest first, with totals over the filter")
            .response::<OrderPage>()
            .query::<OrderQuery>(),
        Route::get("/api/pay/merchants/{id}/orders/csv", export::orders_csv)
            .viewer()
            .summary("The orders under the list's filters as CSV (at most 50,000, newest first)")
            .query::<OrderQuery>()
            .response_other("text/csv", || json!({"type": "string", "description": "UTF-8 with BOM: one line per order, headers and states in the staff member's language, times in Beijing time"})),
        Route::get("/api/pay/orders/{id}", staff::detail)
            .viewer()
            .summary("One order with its transitions, refunds and raw notifications")
            .response::<OrderDetail>(),
        Route::post("/api/pay/orders/{id}/query", actions::query)
            .operator()
            .summary("Query the order at WeChat and apply its state")
            .response::<OrderDetail>(),
        Route::post("/api/pay/orders/{id}/close", actions::close)
            .operator()
            .summary("Close an unpaid order at WeChat")
            .response::<OrderDetail>(),
        Route::post("/api/pay/orders/{id}/refunds", actions::refund)
            .operator()
            .summary("Refund a paid order, fully or partly (needs the merchant certificate)")
            .request::<CreateRefundRequest>()
            .response::<OrderDetail>(),
        Route::post("/api/pay/orders/{id}/refunds/{refund_id}/query", actions::refund_query)
            .operator()
            .summary("Ask WeChat about one refund and apply its state")
            .response::<OrderDetail>(),
        Route::get("/api/pay/merchants/{id}/reconciliations", bills::list)
            .viewer()
            .summary("Bill reconciliation reports of a pay merchant, newest day first")
            .response::<Vec<Reconciliation>>(),
        Route::post("/api/pay/merchants/{id}/reconciliations", bills::create)
            .operator()
            .summary("Download a past day's bill (gzip) and reconcile it with the orders")
            .request::<ReconcileRequest>()
            .response::<ReconciliationDetail>()
            .status(201),
        Route::get("/api/pay/reconciliations/{id}", bills::detail)
            .viewer()
            .summary("One reconciliation report with its mismatches")
            .response::<ReconciliationDetail>(),
        Route::get("/api/pay/reconciliations/{id}/csv", bills::csv)
            .viewer()
            .summary("One reconciliation report as CSV")
            .response_other("text/csv", || json!({"type": "string", "description": "UTF-8 with BOM: the summary, then one line per mismatch"})),
        Route::get("/api/pay/merchants/{id}/dashboard", dashboard::get)
            .viewer()
            .summary("Revenue and order counts per day, by state and by product")
            .response::<Dashboard>()
            .query::<DashboardQuery>(),
    ]
}

/// The WeChat-facing routes, outside sessions and CSRF.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/pay/{id}/notify", post(notify::pay_notify))
        .route("/pay/{id}/refund-notify", post(notify::refund_notify))
        .route("/pay/{id}/scan-callback", post(notify::scan_callback))
        .layer(DefaultBodyLimit::max(notify::BODY_LIMIT))
        .route(
            "/pay/{id}/products/{product_id}/order",
            post(pages::order_product).layer(Extension(throttle::OrderThrottle::default())),
        )
        .route(
            "/pay/{id}/orders/{out_trade_no}/status",
            get(pages::order_status),
        )
        .route("/qr.png", get(qr::png))
        // What a payer's phone loads: the pages and the QR SVG, gzipped.
        .merge(
            Router::new()
                .route("/pay/{id}/products/{product_id}", get(pages::product_page))
                .route("/pay/{id}/orders/{out_trade_no}", get(pages::order_page))
                .route("/qr.svg", get(qr::svg))
                .layer(axum::middleware::from_fn(crate::http::compress::gzip)),
        )
}
