use reqwest::{StatusCode, header};

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn deep_links_get_the_spa_and_api_misses_get_json() {
    let app = spawn_app().await;
    let c = app.client();
    for path in [
        "/",
        "/accounts",
        "/accounts/12/edit",
        "/login?next=%2Fstaff",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let ct = r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(r.text().await.unwrap().to_lowercase().contains("<html"));
    }
    assert_error(c.get("/api/nope").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(c.get("/api").await, StatusCode::NOT_FOUND, "not_found").await;
    let r = c.get("/missing-file.js").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c.get("/").await;
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
}
