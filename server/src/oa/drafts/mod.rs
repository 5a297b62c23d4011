//! Article drafts: edited in the portal, saved to WeChat's draft box (`draft/add`/`update`),
//! published through `freepublish/submit`, the outcome followed through the PUBLISHJOBFINISH
//! event (see [`events`]) and `freepublish/get`; published links are kept.

pub mod events;
pub mod handlers;
pub mod queries;
pub mod service;

use axum::routing::{MethodRouter, delete, get, post, put};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/drafts", get(handlers::list)),
        ("POST", "/api/accounts/{id}/drafts", post(handlers::create)),
        (
            "GET",
            "/api/accounts/{id}/drafts/{draft_id}",
            get(handlers::get),
        ),
        (
            "PUT",
            "/api/accounts/{id}/drafts/{draft_id}",
            put(handlers::update),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/drafts/{draft_id}",
            delete(handlers::delete),
        ),
        (
            "POST",
            "/api/accounts/{id}/drafts/{draft_id}/publish",
            post(handlers::publish),
        ),
        (
            "POST",
            "/api/accounts/{id}/drafts/{draft_id}/refresh",
            post(handlers::refresh),
        ),
    ]
}

/// The draft types of the OpenAPI document.
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let b = json!({"type": "boolean"});
    let input_props = json!({"title": s, "author": s, "digest": s, "content": s, "content_source_url": s, "thumb_media_id": s, "need_open_comment": b, "only_fans_can_comment": b});
    let mut props = input_props.clone();
    if let Some(p) = props.as_object_mut() {
        for (k, v) in [
            ("id", i.clone()),
            (
                "status",
                json!({"type": "string", "enum": ["draft", "publishing", "published", "failed"]}),
            ),
            ("media_id", s.clone()),
            ("publish_id", s.clone()),
            ("article_id", s.clone()),
            ("article_urls", json!({"type": "array", "items": s})),
            ("publish_error", s.clone()),
            ("created_by", s.clone()),
            ("created_at", s.clone()),
            ("updated_at", s.clone()),
        ] {
            p.insert(k.into(), v);
        }
    }
    let entries = [
        (
            "ArticleDraft",
            obj(
                &[
                    "id",
                    "title",
                    "content",
                    "thumb_media_id",
                    "status",
                    "created_at",
                    "updated_at",
                ],
                props,
            ),
        ),
        (
            "ArticleDraftPage",
            obj(
                &["items", "total", "page", "per_page"],
                json!({"items": {"type": "array", "items": r("ArticleDraft")}, "total": i, "page": i, "per_page": i}),
            ),
        ),
        (
            "ArticleDraftInput",
            obj(&["title", "content", "thumb_media_id"], input_props),
        ),
    ];
    if let Some(map) = all.as_object_mut() {
        for (name, schema) in entries {
            map.insert(name.into(), schema);
        }
    }
}
