//! Calls for the material library (permanent and temporary media).

use api::Page;
use api::materials::{Material, MaterialCounts, MaterialSyncResult, UploadedImage};
use web_sys::FormData;

use crate::api_client::{ClientError, delete, enc, get, send, upload};

/// One page of materials. `kind`: `image`, `voice`, `video`, `thumb` or empty for all;
/// `lifetime`: `permanent`, `temporary` or empty for both.
pub async fn list(
    account: i64,
    kind: &str,
    lifetime: &str,
    q: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<Material>, ClientError> {
    let mut url = format!("/api/accounts/{account}/materials?page={page}&per_page={per_page}");
    if !kind.is_empty() {
        url.push_str(&format!("&kind={}", enc(kind)));
    }
    match lifetime {
        "permanent" => url.push_str("&temporary=false"),
        "temporary" => url.push_str("&temporary=true"),
        _ => {}
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", enc(q.trim())));
    }
    get(&url).await
}

/// The URL the portal serves a material's bytes at.
pub fn content_url(account: i64, m: &Material) -> String {
    format!("/api/accounts/{account}/materials/{}/content", m.id)
}

pub async fn counts(account: i64) -> Result<MaterialCounts, ClientError> {
    get(&format!("/api/accounts/{account}/materials/counts")).await
}

/// Reads WeChat's permanent materials into the library.
pub async fn sync(account: i64) -> Result<MaterialSyncResult, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/materials/sync"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn remove(account: i64, material: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/materials/{material}")).await
}

/// `form`: the file with its kind, lifetime and (videos) title and introduction.
pub async fn upload_material(account: i64, form: &FormData) -> Result<Material, ClientError> {
    upload(&format!("/api/accounts/{account}/materials"), form).await
}

/// An image for article content (WeChat's `uploadimg`): not a material, just a URL.
pub async fn upload_article_image(
    account: i64,
    form: &FormData,
) -> Result<UploadedImage, ClientError> {
    upload(
        &format!("/api/accounts/{account}/materials/uploadimg"),
        form,
    )
    .await
}
