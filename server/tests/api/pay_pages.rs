//! The payer's public pages: one language at a time, the merchant, a clear state with the
//! product, amount and time, a way back; gzip for the pages and the QR SVG; the icon.

use std::io::Read;

use api::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json_of, pay_merchant, spawn_app};

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .unwrap();
    out
}

/// A sandbox pay merchant named `name`; its id.
async fn sandbox_merchant(admin: &crate::helpers::Client, name: &str) -> i64 {
    let mut account = pay_merchant();
    account["environment"] = json!("sandbox");
    account["name"] = json!(name);
    json_of(
        admin.post("/api/accounts", &account).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_product_page_speaks_the_browsers_language_and_is_gzipped() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mid = sandbox_merchant(&admin, "Tea house").await;
    let (operator, _) = app.signed_in("op1", Role::Operator).await;
    let p = json_of(
        operator
            .post(
                &format!("/api/pay/merchants/{mid}/products"),
                &json!({"name": "Green tea", "price_fen": 1990, "description": "A pot for two"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let url = format!("{}/pay/{mid}/products/{}", app.base, p["id"]);

    // No Accept-Language: Chinese only, no jargon, the merchant's name, the phone hint.
    let zh = get(&url, &[]).await.text().await.unwrap();
    assert!(zh.contains("lang=\"zh-CN\""), "{zh}");
    assert!(zh.contains("Tea house"));
    assert!(zh.contains("长按识别二维码"));
    assert!(!zh.contains("Scan with WeChat"), "one language at a time");
    for jargon in ["模式一", "模式二", "Mode 1", "Mode 2"] {
        assert!(!zh.contains(jargon), "{jargon}");
    }
    assert!(zh.contains("/favicon.svg"));

    // An English browser gets English only.
    let en = get(&url, &[("accept-language", "en-GB,en;q=0.9")])
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("lang=\"en\""));
    assert!(en.contains("Press and hold the QR code"));
    assert!(!en.contains("长按"), "one language at a time");

    // Gzip when asked for, the same page once unpacked.
    let r = get(&url, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert!(
        r.headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("Accept-Encoding"))
    );
    let html = gunzip(&r.bytes().await.unwrap());
    assert!(html.contains("Green tea") && html.contains("长按识别二维码"));

    // The QR SVG too; the PNG is compressed already and is left alone.
    let qr = format!("{}/qr.svg?data=hello", app.base);
    let r = get(&qr, &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert!(gunzip(&r.bytes().await.unwrap()).starts_with("<svg"));
    let png = get(
        &format!("{}/qr.png?data=hello", app.base),
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert!(png.headers().get("content-encoding").is_none());
}

/// Views are answered from memory for a moment (`page_cache::FRESH`): an edit made on this
/// instance shows at once, one made on another instance once that moment has passed.
#[tokio::test]
async fn product_edits_show_on_the_page_at_once_here_and_within_a_second_elsewhere() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mid = sandbox_merchant(&admin, "Tea house").await;
    let p = json_of(
        admin
            .post(
                &format!("/api/pay/merchants/{mid}/products"),
                &json!({"name": "Green tea", "price_fen": 1990}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/pay/{mid}/products/{}", p["id"]);
    let url = format!("{}{path}", app.base);
    let page = |url: String| async move {
        let r = get(&url, &[]).await;
        (r.status(), r.text().await.unwrap())
    };
    assert!(page(url.clone()).await.1.contains("Green tea"));

    // Renamed here: the next view shows the new name.
    let edit = |body: serde_json::Value| {
        let admin = &admin;
        let path = format!("/api/pay/products/{}", p["id"]);
        async move { json_of(admin.patch(&path, &body).await, StatusCode::OK).await }
    };
    edit(json!({"name": "Oolong"})).await;
    let (status, html) = page(url.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Oolong") && !html.contains("Green tea"),
        "{html}"
    );

    // Another instance on the same database, its page seen once; then withdrawn here.
    let other = format!("{}{path}", app.second_instance().await);
    assert!(page(other.clone()).await.1.contains("Oolong"));
    edit(json!({"active": false})).await;
    assert_eq!(page(url).await.0, StatusCode::NOT_FOUND, "at once here");
    tokio::time::sleep(wxportal::pay::page_cache::FRESH).await;
    assert_eq!(
        page(other).await.0,
        StatusCode::NOT_FOUND,
        "withdrawn on the other instance within a second"
    );
}

#[tokio::test]
async fn the_favicon_is_served() {
    let app = spawn_app().await;
    for path in ["/favicon.ico", "/favicon.svg"] {
        let r = get(&format!("{}{path}", app.base), &[]).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
        assert!(r.text().await.unwrap().starts_with("<svg"));
    }
}

#[tokio::test]
async fn the_order_page_shows_the_merchant_product_amount_and_a_clear_state() {
    let app = spawn_app().await;
    let mid = crate::pay::merchant(&app).await;
    let no = "20260301000000888888888888888888";
    crate::pay::insert_order(&app, mid, no, "SUCCESS").await;
    let url = format!("{}/pay/{mid}/orders/{no}", app.base);
    let html = get(&url, &[]).await.text().await.unwrap();
    assert!(html.contains("Test merchant"), "the merchant's name");
    assert!(html.contains("Coffee"), "the product");
    assert!(html.contains("¥12.34"));
    assert!(
        html.contains("支付成功") && html.contains("下单时间"),
        "{html}"
    );
    assert!(!html.contains("Paid"), "one language at a time");
    let en = get(&url, &[("accept-language", "en")])
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains(">Paid<") && en.contains("Ordered at"), "{en}");
}

#[tokio::test]
async fn orders_export_as_csv_with_the_lists_filters() {
    let app = spawn_app().await;
    let mid = crate::pay::merchant(&app).await;
    crate::pay::insert_order(&app, mid, "20260301000000111111111111111111", "SUCCESS").await;
    crate::pay::insert_order(&app, mid, "20260301000000222222222222222222", "NOTPAY").await;
    let (viewer, _) = app.signed_in("viewer1", Role::Viewer).await;
    let r = viewer
        .get(&format!(
            "/api/pay/merchants/{mid}/orders/csv?state=SUCCESS"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = r.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("商户订单号"),
        "Chinese for a Chinese user"
    );
    assert!(lines[1].contains("20260301000000111111111111111111"));
    assert!(lines[1].contains("\"12.34\"") && lines[1].contains("已支付"));
}
