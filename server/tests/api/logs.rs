//! Secrets and passwords never reach the log.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{captured_logs, json_of, spawn_app};

#[tokio::test]
async fn no_secret_or_password_is_logged() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let app_secret = "LOGCANARYs3cr3tLOGCANARYs3cr3t00";
    let aes_key = "LOGCANARYaeskeyLOGCANARYaeskeyLOGCANARYaes1";
    let api_key = "LOGCANARYapikeyLOGCANARYapikey00";
    let mut oa = crate::helpers::official_account("wxb11529c136998cb6");
    oa["app_secret"] = json!(app_secret);
    oa["encoding_aes_key"] = json!(aes_key);
    let created = json_of(c.post("/api/accounts", &oa).await, StatusCode::CREATED).await;
    let id = created["id"].as_i64().unwrap();
    json_of(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"app_secret": app_secret.replace("00", "11")}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut pm = crate::helpers::pay_merchant();
    pm["api_key"] = json!(api_key);
    json_of(c.post("/api/accounts", &pm).await, StatusCode::CREATED).await;

    // Passwords: a failed and a successful sign-in, a password change, a staff creation.
    let password = "LOGCANARYpassword42";
    let wrong = "LOGCANARYwrongpassword42";
    c.post(
        "/api/staff",
        &json!({"username": "canary", "password": password, "role": "viewer"}),
    )
    .await;
    let u = app.client();
    assert_eq!(
        u.login("canary", wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(u.login("canary", password).await.status(), StatusCode::OK);
    let new_password = "LOGCANARYnewpassword42";
    u.post(
        "/api/auth/password",
        &json!({"current_password": password, "new_password": new_password}),
    )
    .await;
    // A validation failure that echoes nothing either.
    c.post("/api/accounts", &json!({"kind": "official_account", "name": "x", "app_id": "wx1", "app_secret": "LOGCANARYbad", "token": "t", "original_id": "gh_1"})).await;

    let logs = captured_logs();
    assert!(logs.contains("/api/accounts"), "log capture works");
    assert!(logs.contains("signed in"));
    for needle in [
        "LOGCANARY",
        app_secret,
        aes_key,
        api_key,
        password,
        wrong,
        new_password,
        &app.initial_admin_password,
    ] {
        assert!(!logs.contains(needle), "log contains {needle}");
    }
}
