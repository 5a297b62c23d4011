//! Official Account materials: permanent materials (image, voice, video, thumb) and temporary
//! media (3 days), uploaded through the portal, listed with previews served through the portal,
//! downloaded, deleted, synced from WeChat (`batchget_material`) with counts against the quotas,
//! and `uploadimg` for images inside articles. The bytes stay in WeChat.

pub mod handlers;
pub mod queries;
pub mod service;

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, delete, get, post};

use crate::state::AppState;

/// The largest upload body: WeChat's largest file (10 MB) plus the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = (10 << 20) + (64 << 10);

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/materials", get(handlers::list)),
        (
            "POST",
            "/api/accounts/{id}/materials",
            post(handlers::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        ),
        (
            "GET",
            "/api/accounts/{id}/materials/counts",
            get(handlers::counts),
        ),
        (
            "POST",
            "/api/accounts/{id}/materials/sync",
            post(handlers::sync),
        ),
        (
            "POST",
            "/api/accounts/{id}/materials/uploadimg",
            post(handlers::upload_img).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        ),
        (
            "GET",
            "/api/accounts/{id}/materials/{material_id}",
            get(handlers::get),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/materials/{material_id}",
            delete(handlers::delete),
        ),
        (
            "GET",
            "/api/accounts/{id}/materials/{material_id}/content",
            get(handlers::content),
        ),
    ]
}

/// The material types of the OpenAPI document.
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let b = json!({"type": "boolean"});
    let material = obj(
        &[
            "id",
            "kind",
            "temporary",
            "media_id",
            "name",
            "created_at",
            "expired",
            "created_by",
        ],
        json!({"id": i, "kind": {"type": "string", "enum": api::materials::KINDS}, "temporary": b, "media_id": s, "name": s, "url": s, "size": i, "title": s, "introduction": s, "created_at": s, "expires_at": s, "expired": b, "synced_at": s, "created_by": s}),
    );
    let counts = obj(
        &[
            "image",
            "voice",
            "video",
            "news",
            "image_quota",
            "voice_quota",
            "video_quota",
        ],
        json!({"image": i, "voice": i, "video": i, "news": i, "image_quota": i, "voice_quota": i, "video_quota": i}),
    );
    let entries = [
        ("Material", material),
        (
            "MaterialPage",
            obj(
                &["items", "total", "page", "per_page"],
                json!({"items": {"type": "array", "items": r("Material")}, "total": i, "page": i, "per_page": i}),
            ),
        ),
        ("MaterialCounts", counts),
        (
            "MaterialSyncResult",
            obj(
                &["added", "updated", "removed", "counts"],
                json!({"added": i, "updated": i, "removed": i, "counts": r("MaterialCounts")}),
            ),
        ),
        ("UploadedImage", obj(&["url"], json!({"url": s}))),
        (
            "MaterialContent",
            json!({"type": "string", "format": "binary", "description": "The file's bytes as WeChat serves them"}),
        ),
    ];
    if let Some(map) = all.as_object_mut() {
        for (name, schema) in entries {
            map.insert(name.into(), schema);
        }
    }
}
