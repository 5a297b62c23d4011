use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, USER_PASSWORD, assert_error, json_of, spawn_app};

#[tokio::test]
async fn first_admin_must_change_the_initial_password() {
    let app = spawn_app().await;
    assert_eq!(app.initial_admin_password.len(), 16);
    let c = app.client();
    let me = json_of(
        c.login("admin", &app.initial_admin_password).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["lang"], "zh-CN");

    assert_error(
        c.get("/api/accounts").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    assert_error(
        c.get("/api/staff").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    json_of(c.get("/api/auth/me").await, StatusCode::OK).await;

    // Policy applies to the new password.
    let weak = c
        .post(
            "/api/auth/password",
            &json!({"current_password": app.initial_admin_password, "new_password": "short"}),
        )
        .await;
    let body = assert_error(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["error"]["fields"][0]["field"], "new_password");
    // The current password must be right.
    let wrong = c
        .post(
            "/api/auth/password",
            &json!({"current_password": "nope", "new_password": ADMIN_PASSWORD}),
        )
        .await;
    assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;

    let r = c
        .post("/api/auth/password", &json!({"current_password": app.initial_admin_password, "new_password": ADMIN_PASSWORD}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let me = json_of(c.get("/api/auth/me").await, StatusCode::OK).await;
    assert_eq!(me["must_change_password"], false);
    json_of(c.get("/api/accounts").await, StatusCode::OK).await;

    // The initial password no longer works; the new one does.
    let fresh = app.client();
    assert_error(
        fresh.login("admin", &app.initial_admin_password).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    json_of(fresh.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let app = spawn_app().await;
    let c = app.client();
    let a = assert_error(
        c.login("admin", "wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let b = assert_error(
        c.login("nobody", "wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(a, b);
    assert_error(
        c.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_username() {
    let app = spawn_app().await;
    app.create_user("victim", api::staff::Role::Viewer).await;
    let c = app.client();
    for _ in 0..5 {
        assert_error(
            c.login("victim", "wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // Even the right password is refused while throttled.
    let r = c.login("victim", USER_PASSWORD).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Other usernames are unaffected.
    json_of(
        c.login("admin", &app.initial_admin_password).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_client_ip() {
    let app = spawn_app().await;
    let c = app.client();
    for i in 0..20 {
        let r = c.login(&format!("user{i}"), "wrong-password-1").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert_error(
        c.login("admin", &app.initial_admin_password).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn success_resets_the_failure_count() {
    let app = spawn_app().await;
    app.create_user("bob", api::staff::Role::Viewer).await;
    let c = app.client();
    for _ in 0..4 {
        c.login("bob", "wrong-password-1").await;
    }
    json_of(c.login("bob", USER_PASSWORD).await, StatusCode::OK).await;
    for _ in 0..4 {
        c.login("bob", "wrong-password-1").await;
    }
    json_of(c.login("bob", USER_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn language_is_remembered_per_user() {
    let app = spawn_app().await;
    let (c, _) = app.signed_in("lang", api::staff::Role::Viewer).await;
    let me = json_of(
        c.patch("/api/auth/me", &json!({"lang": "en"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["lang"], "en");
    let other = app.client();
    let me = json_of(other.login("lang", USER_PASSWORD).await, StatusCode::OK).await;
    assert_eq!(me["lang"], "en");
    assert_error(
        c.patch("/api/auth/me", &json!({"lang": "fr"})).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_lose_their_session() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (c, id) = app.signed_in("temp", api::staff::Role::Operator).await;
    json_of(c.get("/api/accounts").await, StatusCode::OK).await;
    json_of(
        admin
            .patch(&format!("/api/staff/{id}"), &json!({"disabled": true}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_error(
        c.get("/api/accounts").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        app.client().login("temp", USER_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}
