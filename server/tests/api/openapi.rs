use reqwest::StatusCode;
use wxportal::http::routes::ROUTES;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn the_document_lists_every_route_with_its_access() {
    let app = spawn_app().await;
    let doc = json_of(app.client().get("/api/openapi.json").await, StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for rule in ROUTES {
        let op = &doc["paths"][rule.path][rule.method.to_ascii_lowercase()];
        assert!(op.is_object(), "{} {} missing", rule.method, rule.path);
        assert_eq!(op["x-access"], rule.access.label());
        assert!(op["responses"].is_object());
        if let Some(req) = rule.request {
            let r = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap();
            let name = r.rsplit('/').next().unwrap();
            assert_eq!(name, req);
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "schema {name}"
            );
        }
        if let Some(resp) = rule.response {
            assert!(
                doc["components"]["schemas"][resp].is_object(),
                "schema {resp}"
            );
        }
    }
    let count: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| m.as_object().unwrap().len())
        .sum();
    // Every API route, plus /healthz and /readyz.
    assert_eq!(count, ROUTES.len() + 2);
    assert!(doc["paths"]["/readyz"]["get"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["name"],
        "wxportal_session"
    );
}

#[tokio::test]
async fn the_document_gives_each_route_the_status_it_answers_with() {
    let app = spawn_app().await;
    let doc = json_of(app.client().get("/api/openapi.json").await, StatusCode::OK).await;
    // What the handlers answer (their own tests assert these statuses on real requests).
    for (method, path, status) in [
        ("post", "/api/auth/login", "200"),
        ("post", "/api/accounts", "201"),
        ("post", "/api/accounts/{id}/reply-rules", "201"),
        ("post", "/api/accounts/{id}/menu/publish", "201"),
        ("post", "/api/accounts/{id}/followers/sync", "202"),
        ("post", "/api/accounts/{id}/followers/tagging", "202"),
        ("post", "/api/pay/orders/{id}/query", "200"),
        ("post", "/api/pay/orders/{id}/refunds", "200"),
        ("get", "/api/accounts", "200"),
    ] {
        let responses = doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} missing"));
        let success: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        assert_eq!(success, [status], "{method} {path}");
    }
}
