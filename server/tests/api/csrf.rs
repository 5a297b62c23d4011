//! Cross-site protection and the request-shape rules of the JSON API.

use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{assert_error, json_of, official_account, spawn_app};

#[tokio::test]
async fn cross_site_unsafe_requests_are_refused() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let body = official_account("wxb11529c136998cb6");
    let r = c
        .http
        .post(c.url("/api/accounts"))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "csrf").await;
    let r = c
        .http
        .post(c.url("/api/accounts"))
        .header(header::ORIGIN, "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "csrf").await;
    // Nothing was created.
    assert_eq!(
        json_of(c.get("/api/accounts").await, StatusCode::OK).await,
        json!([])
    );

    // Same-origin requests (as the SPA sends them) pass.
    let r = c
        .http
        .post(c.url("/api/accounts"))
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, c.base.clone())
        .json(&body)
        .send()
        .await
        .unwrap();
    json_of(r, StatusCode::CREATED).await;
    // The configured public URL is an accepted origin too.
    let r = c
        .http
        .post(c.url("/api/auth/logout"))
        .header(header::ORIGIN, "http://wxportal.test")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn login_is_protected_too() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c
        .http
        .post(c.url("/api/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"username": "admin", "password": app.initial_admin_password}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "csrf").await;
}

#[tokio::test]
async fn bodies_must_be_json() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c
        .http
        .post(c.url("/api/auth/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("username=admin&password=x")
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let r = c
        .http
        .post(c.url("/api/auth/login"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn malformed_json_and_unknown_fields_are_bad_requests() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let r = c
        .http
        .post(c.url("/api/auth/login"))
        .header(header::CONTENT_TYPE, "application/json")
        .body("{\"username\":")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = c
        .post(
            "/api/auth/login",
            &json!({"username": "a", "password": "b", "admin": true}),
        )
        .await;
    let body = assert_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("admin"));
    let mut oa = official_account("wxb11529c136998cb6");
    oa["is_admin"] = json!(true);
    assert_error(
        c.post("/api/accounts", &oa).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_error(
        c.patch("/api/staff/1", &json!({"rolee": "admin"})).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let huge = "a".repeat(2 * 1024 * 1024);
    let r = c
        .post(
            "/api/auth/login",
            &json!({"username": huge, "password": "x"}),
        )
        .await;
    assert_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // Accounts accept at most 256 KiB.
    let mut pm = crate::helpers::pay_merchant();
    pm["client_cert_p12_base64"] = json!("QUFB".repeat(100_000));
    assert_error(
        c.post("/api/accounts", &pm).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let app = spawn_app().await;
    let c = app.client();
    assert_error(
        c.get("/api/does-not-exist").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.get("/api/accounts/1/nope").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.delete("/api/auth/login").await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    assert_error(
        c.request("PUT", "/api/accounts", Some(&json!({}))).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}
