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

#[tokio::test]
async fn the_spa_forbids_inline_scripts_and_framing() {
    let app = spawn_app().await;
    let r = app.client().get("/accounts").await;
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    // Plain HTTP deployments must not be told to insist on HTTPS.
    assert!(r.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

#[tokio::test]
async fn secure_cookies_come_with_hsts() {
    let app = crate::helpers::spawn_app_with(|s| s.cookie_secure = true).await;
    for path in ["/", "/api/auth/session", "/healthz"] {
        let r = app.client().get(path).await;
        assert_eq!(
            r.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000",
            "{path}"
        );
    }
}
