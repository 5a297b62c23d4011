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
