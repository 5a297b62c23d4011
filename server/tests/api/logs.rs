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

/// A username with a newline cannot forge a log line, in the text format (JSON escapes anyway).
#[tokio::test]
async fn user_input_cannot_forge_log_lines() {
    let app = spawn_app().await;
    // A text-format subscriber for this thread; the app's tasks run on it too (current-thread
    // runtime), so it sees the server's log lines.
    let text = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = text.clone();
    let subscriber = wxportal::telemetry::subscriber(
        "info",
        wxportal::config::LogFormat::Text,
        false,
        move || crate::helpers::LogWriter::new(sink.clone()),
    );
    let _guard = tracing::subscriber::set_default(subscriber);
    let c = app.client();
    assert_eq!(
        c.login("bob\nFAKE LINE admin signed in", "wrong-password-1")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    app.create_user("carol", api::staff::Role::Viewer).await;
    assert_eq!(
        c.login("carol\r\nFAKE", "wrong-password-1").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let logs = String::from_utf8_lossy(&text.lock().unwrap()).into_owned();
    assert!(logs.contains("failed sign-in"), "log capture works: {logs}");
    for line in logs.lines() {
        assert!(
            !line.trim_start().to_lowercase().starts_with("fake"),
            "forged line: {line:?}"
        );
    }
    // The username is there, escaped.
    assert!(logs.contains("bob\\nfake line"), "{logs}");
}
