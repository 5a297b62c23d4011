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
pub mod merchant;
pub mod notify;
pub mod orders;
pub mod pages;
pub mod products;
pub mod qr;
pub mod refunds;
pub mod staff;

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
        ("GET", "/api/pay/merchants/{id}/orders", get(staff::list)),
        ("GET", "/api/pay/orders/{id}", get(staff::detail)),
        ("POST", "/api/pay/orders/{id}/query", post(actions::query)),
        ("POST", "/api/pay/orders/{id}/close", post(actions::close)),
        (
            "POST",
            "/api/pay/orders/{id}/refunds",
            post(actions::refund),
        ),
        (
            "POST",
            "/api/pay/orders/{id}/refunds/{refund_id}/query",
            post(actions::refund_query),
        ),
        (
            "GET",
            "/api/pay/merchants/{id}/reconciliations",
            get(bills::list),
        ),
        (
            "POST",
            "/api/pay/merchants/{id}/reconciliations",
            post(bills::create),
        ),
        ("GET", "/api/pay/reconciliations/{id}", get(bills::detail)),
        ("GET", "/api/pay/reconciliations/{id}/csv", get(bills::csv)),
        (
            "GET",
            "/api/pay/merchants/{id}/dashboard",
            get(dashboard::get),
        ),
    ]
}

/// The WeChat-facing routes, outside sessions and CSRF.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/pay/{id}/notify", post(notify::pay_notify))
        .route("/pay/{id}/refund-notify", post(notify::refund_notify))
        .route("/pay/{id}/scan-callback", post(notify::scan_callback))
        .layer(DefaultBodyLimit::max(notify::BODY_LIMIT))
        .route("/pay/{id}/products/{product_id}", get(pages::product_page))
        .route("/pay/{id}/orders/{out_trade_no}", get(pages::order_page))
        .route(
            "/pay/{id}/orders/{out_trade_no}/status",
            get(pages::order_status),
        )
        .route("/qr.png", get(qr::png))
        .route("/qr.svg", get(qr::svg))
}

/// The pay module's schemas in the OpenAPI document (merged into `components.schemas`).
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let ns = json!({"type": ["string", "null"]});
    let ni = json!({"type": ["integer", "null"]});
    let state = json!({"type": "string", "enum": api::pay::OrderState::ALL.map(|s| s.as_str())});
    let order = obj(
        &[
            "id",
            "merchant_id",
            "out_trade_no",
            "body",
            "total_fee",
            "refunded_fee",
            "trade_type",
            "state",
            "time_start",
            "time_expire",
            "created_at",
            "updated_at",
        ],
        json!({
            "id": i, "merchant_id": i, "product_id": ni, "out_trade_no": s, "body": s,
            "detail": ns, "attach": ns, "total_fee": i, "refunded_fee": i, "trade_type": s,
            "state": state, "payer_openid": ns, "transaction_id": ns, "code_url": ns,
            "time_start": s, "time_expire": s, "time_end": ns, "created_at": s, "updated_at": s
        }),
    );
    let totals = obj(
        &["count", "total_fee", "paid_fee", "refunded_fee"],
        json!({"count": i, "total_fee": i, "paid_fee": i, "refunded_fee": i}),
    );
    let page = obj(
        &["items", "total", "page", "per_page", "totals"],
        json!({"items": {"type": "array", "items": r("Order")}, "total": i, "page": i, "per_page": i, "totals": totals}),
    );
    let transition = obj(
        &["id", "from_state", "to_state", "cause", "created_at"],
        json!({
            "id": i, "from_state": state, "to_state": state,
            "cause": {"type": "string", "enum": ["notify", "query", "staff", "expiry", "refund_notify"]},
            "staff_id": ni, "note": ns, "created_at": s
        }),
    );
    let refund = obj(
        &[
            "id",
            "out_refund_no",
            "refund_fee",
            "total_fee",
            "state",
            "created_at",
        ],
        json!({
            "id": i, "out_refund_no": s, "refund_id": ns, "refund_fee": i, "total_fee": i,
            "state": s, "reason": ns, "success_time": ns, "created_at": s
        }),
    );
    let notification = obj(
        &["id", "kind", "outcome", "body", "received_at"],
        json!({"id": i, "kind": s, "outcome": s, "reason": ns, "body": s, "received_at": s}),
    );
    let detail = obj(
        &["order", "transitions", "refunds", "notifications"],
        json!({
            "order": r("Order"),
            "transitions": {"type": "array", "items": transition},
            "refunds": {"type": "array", "items": refund},
            "notifications": {"type": "array", "items": notification}
        }),
    );
    let bill_type =
        json!({"type": "string", "enum": api::pay::BillType::ALL_TYPES.map(|t| t.as_str())});
    let reconciliation = obj(
        &[
            "id",
            "merchant_id",
            "bill_date",
            "bill_type",
            "status",
            "trigger",
            "bill_rows",
            "matched",
            "mismatches",
            "bill_paid_fee",
            "bill_refund_fee",
            "local_paid_fee",
            "local_refund_fee",
            "created_at",
            "updated_at",
        ],
        json!({
            "id": i, "merchant_id": i, "bill_date": s, "bill_type": bill_type,
            "status": {"type": "string", "enum": ["running", "done", "failed"]},
            "trigger": {"type": "string", "enum": ["staff", "daily"]},
            "bill_rows": i, "matched": i, "mismatches": i, "bill_paid_fee": i,
            "bill_refund_fee": i, "local_paid_fee": i, "local_refund_fee": i, "error": ns,
            "created_at": s, "updated_at": s
        }),
    );
    let item = obj(
        &["kind", "entity", "out_trade_no"],
        json!({
            "kind": {"type": "string", "enum": api::pay::MismatchKind::ALL.map(|k| k.as_str())},
            "entity": {"type": "string", "enum": ["payment", "refund"]},
            "out_trade_no": s, "out_refund_no": ns, "transaction_id": ns, "order_id": ni,
            "local_state": ns, "bill_state": ns, "local_fee": ni, "bill_fee": ni
        }),
    );
    let day = obj(
        &["date", "orders", "paid", "revenue_fee", "refunded_fee"],
        json!({"date": s, "orders": i, "paid": i, "revenue_fee": i, "refunded_fee": i}),
    );
    let dashboard = obj(
        &[
            "from",
            "to",
            "days",
            "by_state",
            "by_product",
            "orders",
            "paid",
            "revenue_fee",
            "refunded_fee",
        ],
        json!({
            "from": s, "to": s,
            "days": {"type": "array", "items": day},
            "by_state": {"type": "array", "items": obj(&["state", "count", "total_fee"], json!({"state": state, "count": i, "total_fee": i}))},
            "by_product": {"type": "array", "items": obj(&["name", "paid", "revenue_fee"], json!({"product_id": ni, "name": s, "paid": i, "revenue_fee": i}))},
            "orders": i, "paid": i, "revenue_fee": i, "refunded_fee": i
        }),
    );
    if let Some(map) = all.as_object_mut() {
        map.insert("Reconciliation".into(), reconciliation.clone());
        map.insert(
            "ReconciliationList".into(),
            json!({"type": "array", "items": r("Reconciliation")}),
        );
        map.insert(
            "ReconciliationDetail".into(),
            obj(
                &["reconciliation", "items"],
                json!({"reconciliation": r("Reconciliation"), "items": {"type": "array", "items": item}}),
            ),
        );
        map.insert(
            "ReconcileRequest".into(),
            obj(
                &["bill_date"],
                json!({"bill_date": s, "bill_type": bill_type}),
            ),
        );
        map.insert(
            "ReconciliationCsv".into(),
            json!({"type": "string", "description": "text/csv (UTF-8 with BOM): the summary, then one line per mismatch"}),
        );
        map.insert("Dashboard".into(), dashboard);
        map.insert("Order".into(), order);
        map.insert("OrderPage".into(), page);
        map.insert("OrderDetail".into(), detail);
        map.insert(
            "CreateRefundRequest".into(),
            obj(&["refund_fee"], json!({"refund_fee": i, "reason": s})),
        );
    }
}
