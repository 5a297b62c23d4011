//! Official Account materials: permanent materials (image, voice, video, thumb) and temporary
//! media (3 days), uploaded through the portal, listed with previews served through the portal,
//! downloaded, deleted, synced from WeChat (`batchget_material`) with counts against the quotas,
//! and `uploadimg` for images inside articles. The bytes stay in WeChat, except those of
//! article images, kept to be shown without hot-linking ([`article_images`]).

pub mod article_images;
pub mod handlers;
pub mod queries;
pub mod service;

use api::Page;
use api::materials::{Material, MaterialCounts, MaterialQuery, MaterialSyncResult, UploadedImage};
use serde_json::json;

use crate::http::routes::Route;

/// The largest upload body: WeChat's largest file (10 MB) plus the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = (10 << 20) + (64 << 10);

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/materials", handlers::list)
            .viewer()
            .summary("Materials and temporary media of an Official Account (filter by kind, search by name)")
            .response::<Page<Material>>()
            .query::<MaterialQuery>(),
        Route::post("/api/accounts/{id}/materials", handlers::upload)
            .operator()
            .summary("Upload a material or temporary medium (multipart/form-data with header x-wxportal-upload: kind, temporary, title, introduction, file); WeChat's size and type limits checked first")
            .request_other("multipart/form-data", || json!({"type": "object", "required": ["kind", "file"], "properties": {"kind": {"type": "string", "description": "image, voice, video or thumb"}, "temporary": {"type": "string", "description": "true or 1: a temporary medium (3 days)"}, "title": {"type": "string"}, "introduction": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}))
            .response::<Material>()
            .status(201)
            .body_limit(UPLOAD_BODY_LIMIT),
        Route::get("/api/accounts/{id}/materials/counts", handlers::counts)
            .viewer()
            .summary("Material counts against WeChat's quotas (get_materialcount)")
            .response::<MaterialCounts>(),
        Route::post("/api/accounts/{id}/materials/sync", handlers::sync)
            .operator()
            .summary("Read every permanent image, voice and video from WeChat (batchget_material) and update the list")
            .response::<MaterialSyncResult>(),
        Route::post("/api/accounts/{id}/materials/uploadimg", handlers::upload_img)
            .operator()
            .summary("Upload an image for article content (media/uploadimg; multipart/form-data with header x-wxportal-upload, field file)")
            .request_other("multipart/form-data", || json!({"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}))
            .response::<UploadedImage>()
            .body_limit(UPLOAD_BODY_LIMIT),
        Route::get("/api/accounts/{id}/materials/article-image", article_images::serve)
            .viewer()
            .summary("An image uploaded for article content, by the address uploadimg gave (served by the portal, not hot-linked)")
            .response_other("image/*", || json!({"type": "string", "format": "binary", "description": "The image's bytes"}))
            .query_params(&["url"]),
        Route::get("/api/accounts/{id}/materials/{material_id}", handlers::get)
            .viewer()
            .summary("One material")
            .response::<Material>(),
        Route::delete("/api/accounts/{id}/materials/{material_id}", handlers::delete)
            .operator()
            .summary("Delete a material (in WeChat too; temporary media just expire there)"),
        Route::get("/api/accounts/{id}/materials/{material_id}/content", handlers::content)
            .viewer()
            .summary("The material's bytes, fetched from WeChat (preview inline; download=1 as an attachment)")
            .response_other("*/*", || json!({"type": "string", "format": "binary", "description": "The file's bytes as WeChat serves them, with their content type"}))
            .query_params(&["download"]),
    ]
}
