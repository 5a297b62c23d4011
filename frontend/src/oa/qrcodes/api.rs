//! Calls for parametric QR codes of one Official Account.

use api::Page;
use api::qrcodes::{CreateQrCode, QrCode, QrStats, UpdateQrCode};

use crate::api_client::{ClientError, delete, get, query_string, send};

/// One page of codes; `kind`: `permanent`, `temporary` or empty.
pub async fn list(
    account: i64,
    q: &str,
    kind: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<QrCode>, ClientError> {
    let q = query_string(&[
        ("q", Some(q.trim().to_string()).filter(|s| !s.is_empty())),
        ("kind", Some(kind.to_string()).filter(|s| !s.is_empty())),
        ("page", Some(page.to_string())),
        ("per_page", Some(per_page.to_string())),
    ]);
    get(&format!("/api/accounts/{account}/qrcodes?{q}")).await
}

pub async fn get_one(account: i64, qr: i64) -> Result<QrCode, ClientError> {
    get(&format!("/api/accounts/{account}/qrcodes/{qr}")).await
}

pub async fn create(account: i64, req: &CreateQrCode) -> Result<QrCode, ClientError> {
    send("POST", &format!("/api/accounts/{account}/qrcodes"), req).await
}

pub async fn update(account: i64, qr: i64, req: &UpdateQrCode) -> Result<QrCode, ClientError> {
    send(
        "PATCH",
        &format!("/api/accounts/{account}/qrcodes/{qr}"),
        req,
    )
    .await
}

pub async fn remove(account: i64, qr: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/qrcodes/{qr}")).await
}

pub async fn stats(account: i64, qr: i64, days: u32) -> Result<QrStats, ClientError> {
    get(&format!(
        "/api/accounts/{account}/qrcodes/{qr}/stats?days={days}"
    ))
    .await
}

/// The image, served by the portal (fetched from WeChat's showqrcode).
pub fn image_url(account: i64, qr: i64) -> String {
    format!("/api/accounts/{account}/qrcodes/{qr}/image")
}
