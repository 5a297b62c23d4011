use api::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, assert_error, json_of, spawn_app};

#[tokio::test]
async fn admins_manage_staff() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let created = json_of(
        c.post(
            "/api/staff",
            &json!({"username": "olga", "password": "first-pass-123", "role": "operator"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["username"], "olga");
    assert_eq!(created["role"], "operator");
    assert_eq!(created["must_change_password"], true);
    assert_eq!(created["disabled"], false);
    assert!(created["last_login_at"].is_null());
    assert!(created.get("password_hash").is_none());
    let id = created["id"].as_i64().unwrap();

    let list = json_of(c.get("/api/staff").await, StatusCode::OK).await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "olga"]);

    let one = json_of(c.get(&format!("/api/staff/{id}")).await, StatusCode::OK).await;
    assert_eq!(one, created);

    let updated = json_of(
        c.patch(&format!("/api/staff/{id}"), &json!({"role": "viewer"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["role"], "viewer");

    // A user created by an admin must change the password at first login.
    let olga = app.client();
    let me = json_of(olga.login("olga", "first-pass-123").await, StatusCode::OK).await;
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["role"], "viewer");
    assert_error(
        olga.get("/api/accounts").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    let r = olga
        .post(
            "/api/auth/password",
            &json!({"current_password": "first-pass-123", "new_password": "second-pass-456"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    json_of(olga.get("/api/accounts").await, StatusCode::OK).await;

    // A password set by an admin forces a change again.
    let reset = json_of(
        c.patch(
            &format!("/api/staff/{id}"),
            &json!({"password": "reset-pass-789"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reset["must_change_password"], true);
    assert_error(
        olga.get("/api/accounts").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let me = json_of(
        app.client().login("olga", "reset-pass-789").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["must_change_password"], true);

    let r = c.delete(&format!("/api/staff/{id}")).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_error(
        c.get(&format!("/api/staff/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.delete(&format!("/api/staff/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_input_is_validated() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let body = assert_error(
        c.post(
            "/api/staff",
            &json!({"username": "Bad Name", "password": "short", "role": "viewer"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["username", "password"]);
    assert_eq!(body["error"]["fields"][0]["code"], "username_format");
    assert_error(
        c.post(
            "/api/staff",
            &json!({"username": "admin", "password": "some-pass-123", "role": "viewer"}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        c.post(
            "/api/staff",
            &json!({"username": "x1y", "password": "some-pass-123", "role": "root"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_error(
        c.get("/api/staff/999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        c.get("/api/staff/abc").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn admins_cannot_lock_themselves_or_everyone_out() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let me = json_of(c.get("/api/auth/me").await, StatusCode::OK).await;
    let my_id = me["id"].as_i64().unwrap();
    assert_error(
        c.delete(&format!("/api/staff/{my_id}")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        c.patch(&format!("/api/staff/{my_id}"), &json!({"disabled": true}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        c.patch(&format!("/api/staff/{my_id}"), &json!({"role": "viewer"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // With a second admin, the first may be demoted by the second, but not the last one standing.
    let other = app.create_user("root2", Role::Admin).await;
    let c2 = app.client();
    json_of(
        c2.login("root2", crate::helpers::USER_PASSWORD).await,
        StatusCode::OK,
    )
    .await;
    json_of(
        c2.patch(&format!("/api/staff/{my_id}"), &json!({"role": "operator"}))
            .await,
        StatusCode::OK,
    )
    .await;
    // Now root2 is the last admin: an (ex-)admin cannot touch it, and it cannot demote itself.
    assert_error(
        c2.patch(&format!("/api/staff/{other}"), &json!({"role": "viewer"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let _ = ADMIN_PASSWORD;
}

#[tokio::test]
async fn common_and_predictable_passwords_are_refused() {
    let app = spawn_app().await;
    let c = app.admin().await;
    for (password, code) in [
        ("Password2026!", "password_common"),
        ("wxportal123456", "password_common"),
        ("1qaz2wsx3edc", "password_common"),
        ("kbcdefgh1234", "password_too_weak"),
        ("aaaaaaaaaa12", "password_too_weak"),
    ] {
        let body = assert_error(
            c.post(
                "/api/staff",
                &json!({"username": "pat", "password": password, "role": "viewer"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(
            body["error"]["fields"][0]["field"], "password",
            "{password}"
        );
        assert_eq!(body["error"]["fields"][0]["code"], code, "{password}");
    }
    // Nothing was created by the refusals; a decent password still works.
    let r = c
        .post(
            "/api/staff",
            &json!({"username": "pat", "password": "tidy-heron-73", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
