use reqwest::StatusCode;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c.get("/healthz").await;
    assert!(r.headers().contains_key("x-request-id"));
    assert_eq!(json_of(r, StatusCode::OK).await["status"], "ok");
    let r = c.get("/readyz").await;
    assert_eq!(json_of(r, StatusCode::OK).await["status"], "ready");
}

#[tokio::test]
async fn readyz_reports_an_unreachable_database() {
    let app = spawn_app().await;
    // Closing every connection of the app is not possible from outside; instead check that a
    // server pointed at a database it cannot reach refuses to start with a clear error.
    let mut settings = crate::helpers::test_settings(&crate::helpers::TestDb::new().await);
    settings.database_url = "postgres://nobody@127.0.0.1:1/none".into();
    let err = wxportal::Application::build(settings)
        .await
        .err()
        .expect("fails");
    assert!(err.to_string().contains("database"), "{err}");
    drop(app);
}
