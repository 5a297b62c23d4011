use api::{
    Page,
    materials::{Material, MaterialCounts, MaterialQuery, MaterialSyncResult, UploadedImage},
};
use axum::{
    Json,
    extract::{Multipart, State, multipart::MultipartRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::service::{self, Upload};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::OfficialAccount,
    error::{AppError, AppResult},
    http::extract::{Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<MaterialQuery>,
) -> AppResult<Json<Page<Material>>> {
    Ok(Json(service::list(&state.db, account.id, q).await?))
}

pub async fn get(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, material_id)): Path<(i64, i64)>,
) -> AppResult<Json<Material>> {
    Ok(Json(service::get(&state.db, id, material_id).await?))
}

/// Reads the multipart form: `file` plus text fields.
async fn read_form(mp: Result<Multipart, MultipartRejection>) -> AppResult<Upload> {
    let mut mp = mp.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(format!("expected a multipart/form-data upload: {e}"))
        }
    })?;
    let mut up = Upload::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge);
            }
            Err(e) => return Err(AppError::BadRequest(format!("broken upload: {e}"))),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.file_name = field.file_name().unwrap_or("").to_string();
            up.content_type = field.content_type().map(str::to_string);
            up.bytes = field
                .bytes()
                .await
                .map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::PayloadTooLarge
                    } else {
                        AppError::BadRequest(format!("broken upload: {e}"))
                    }
                })?
                .to_vec();
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|e| AppError::BadRequest(format!("broken upload: {e}")))?;
        match name.as_str() {
            "kind" => up.kind = text,
            "temporary" => up.temporary = text == "true" || text == "1",
            "title" => up.title = text,
            "introduction" => up.introduction = text,
            _ => {}
        }
    }
    Ok(up)
}

/// `POST …/materials` (multipart: `kind`, `temporary`, `title`, `introduction`, `file`).
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<Material>)> {
    let up = read_form(mp).await?;
    let m = service::upload(&state, &user.actor(), account.id, up).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// `POST …/materials/uploadimg` (multipart `file`): an image URL for article content.
pub async fn upload_img(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<UploadedImage>> {
    let up = read_form(mp).await?;
    Ok(Json(
        service::upload_img(&state, &user.actor(), account.id, up).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(_): OfficialAccount,
    Path((id, material_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), id, material_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn sync(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<MaterialSyncResult>> {
    Ok(Json(
        service::sync(&state, &user.actor(), account.id).await?,
    ))
}

pub async fn counts(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<MaterialCounts>> {
    Ok(Json(service::counts(&state, account.id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct ContentQuery {
    /// `1`: as an attachment (download) rather than inline (preview).
    #[serde(default)]
    pub download: Option<u8>,
}

/// The file's bytes, fetched from WeChat (`get_material` / `media/get`).
pub async fn content(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, material_id)): Path<(i64, i64)>,
    Query(q): Query<ContentQuery>,
) -> AppResult<Response> {
    let (m, content_type, bytes) = service::content(&state, id, material_id).await?;
    let disposition = if q.download == Some(1) {
        "attachment"
    } else {
        "inline"
    };
    // RFC 5987 file name: the stored name may be Chinese.
    let encoded: String = m
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{disposition}; filename=\"material\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Material bytes never change for a media_id: previews may be cached by this browser.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(res)
}
