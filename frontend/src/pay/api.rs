//! Calls for WeChat Pay in the console: products, orders with their actions and refunds,
//! reconciliations and the dashboard of one merchant account.

use api::pay::{
    CreateProductRequest, CreateRefundRequest, Dashboard, OrderDetail, OrderPage, Product,
    ReconcileRequest, Reconciliation, ReconciliationDetail, UpdateProductRequest,
};

use crate::api_client::{ClientError, enc, get, send};

pub async fn products(merchant: i64) -> Result<Vec<Product>, ClientError> {
    get(&format!("/api/pay/merchants/{merchant}/products")).await
}

pub async fn create_product(
    merchant: i64,
    req: &CreateProductRequest,
) -> Result<Product, ClientError> {
    send(
        "POST",
        &format!("/api/pay/merchants/{merchant}/products"),
        req,
    )
    .await
}

pub async fn update_product(id: i64, req: &UpdateProductRequest) -> Result<Product, ClientError> {
    send("PATCH", &format!("/api/pay/products/{id}"), req).await
}

/// `query`: the URL query of the order filters (`page=1&per_page=20&state=…`).
pub async fn orders(merchant: i64, query: &str) -> Result<OrderPage, ClientError> {
    get(&format!("/api/pay/merchants/{merchant}/orders?{query}")).await
}

pub async fn order(id: i64) -> Result<OrderDetail, ClientError> {
    get(&format!("/api/pay/orders/{id}")).await
}

/// What an operator can ask WeChat about an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAction {
    /// Ask for the order's current state.
    Query,
    Close,
    /// Ask for one refund's current state.
    QueryRefund(i64),
}

pub async fn order_action(id: i64, action: OrderAction) -> Result<OrderDetail, ClientError> {
    let path = match action {
        OrderAction::Query => format!("/api/pay/orders/{id}/query"),
        OrderAction::Close => format!("/api/pay/orders/{id}/close"),
        OrderAction::QueryRefund(refund) => {
            format!("/api/pay/orders/{id}/refunds/{refund}/query")
        }
    };
    send("POST", &path, &serde_json::json!({})).await
}

pub async fn refund(id: i64, req: &CreateRefundRequest) -> Result<OrderDetail, ClientError> {
    send("POST", &format!("/api/pay/orders/{id}/refunds"), req).await
}

pub async fn reconciliations(merchant: i64) -> Result<Vec<Reconciliation>, ClientError> {
    get(&format!("/api/pay/merchants/{merchant}/reconciliations")).await
}

pub async fn reconcile(
    merchant: i64,
    req: &ReconcileRequest,
) -> Result<ReconciliationDetail, ClientError> {
    send(
        "POST",
        &format!("/api/pay/merchants/{merchant}/reconciliations"),
        req,
    )
    .await
}

pub async fn reconciliation(id: i64) -> Result<ReconciliationDetail, ClientError> {
    get(&format!("/api/pay/reconciliations/{id}")).await
}

/// Where the browser downloads a reconciliation report as CSV.
pub fn reconciliation_csv_url(id: i64) -> String {
    format!("/api/pay/reconciliations/{id}/csv")
}

/// Revenue and orders per day between two Beijing days (`YYYY-MM-DD`, inclusive).
pub async fn dashboard(merchant: i64, from: &str, to: &str) -> Result<Dashboard, ClientError> {
    get(&format!(
        "/api/pay/merchants/{merchant}/dashboard?from={}&to={}",
        enc(from),
        enc(to)
    ))
    .await
}
