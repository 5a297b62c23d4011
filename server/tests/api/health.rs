use reqwest::StatusCode;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c.get("/healthz").await;
    assert!(r.headers().contains_key("x-request-id"));
    assert_eq!(json_of(r, StatusCode::OK).await["status"], "ok");
    let r = c.get("/api/auth/me").await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    let r = c.get("/readyz").await;
    assert_eq!(json_of(r, StatusCode::OK).await["status"], "ready");
}

#[tokio::test]
async fn startup_fails_clearly_without_a_database() {
    let test_db = crate::helpers::TestDb::new().await;
    let mut settings = crate::helpers::test_settings(&test_db);
    settings.database_url = "sqlite:///proc/no-such-dir/wxportal.db?mode=rwc".into();
    let err = wxportal::Application::build(settings)
        .await
        .err()
        .expect("fails");
    assert!(err.to_string().starts_with("database:"), "{err}");
}

#[tokio::test]
async fn startup_refuses_a_different_master_key() {
    let app = crate::helpers::spawn_app().await;
    let c = app.admin().await;
    json_of(
        c.post(
            "/api/accounts",
            &crate::helpers::official_account("wxb11529c136998cb6"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mut settings = app.settings.clone();
    settings.master_key = Some("ff".repeat(32));
    let err = wxportal::Application::build(settings)
        .await
        .err()
        .expect("fails");
    assert!(err.to_string().contains("another master key"), "{err}");
    // The right key still starts.
    wxportal::Application::build(app.settings.clone())
        .await
        .expect("starts");
}

#[tokio::test]
async fn graceful_shutdown_stops_the_server() {
    let test_db = crate::helpers::TestDb::new().await;
    let app = wxportal::Application::build(crate::helpers::test_settings(&test_db))
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let r = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("server stops promptly")
        .unwrap()
        .unwrap();
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err());
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_gone() {
    let app = crate::helpers::spawn_app().await;
    let db = wxportal::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    let state = wxportal::state::AppState {
        db: db.clone(),
        settings: std::sync::Arc::new(app.settings.clone()),
        vault: std::sync::Arc::new(app.vault.clone()),
        passwords: app.passwords.clone(),
        wechat: wxportal::wechat_clients::WechatRuntime::new(
            db.clone(),
            std::sync::Arc::new(app.vault.clone()),
            None,
        ),
        callbacks: Default::default(),
        writer: Default::default(),
        product_pages: Default::default(),
        subscribed_counts: Default::default(),
    };
    db.close().await.unwrap();
    let (status, body) = wxportal::health::readyz(axum::extract::State(state)).await;
    assert_eq!(status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body.0["status"], "unavailable");
}
