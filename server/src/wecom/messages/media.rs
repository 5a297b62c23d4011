//! Temporary media for app messages (`media/upload`, 3 days): image, voice, video and file
//! messages carry a media id uploaded first.

use api::wecom_messages::{UploadedMedia, media_limit};
use axum::extract::{Multipart, multipart::MultipartRejection};
use axum::http::StatusCode;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use wechat::client::UploadFile;

use crate::{
    audit::{self, Actor},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

#[derive(Debug, Default)]
pub struct Upload {
    pub kind: String,
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

fn broken(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(format!("broken upload: {e}"))
    }
}

/// Reads the multipart form: `type` and `file`.
pub async fn read_form(mp: Result<Multipart, MultipartRejection>) -> AppResult<Upload> {
    let mut mp = mp.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(format!("expected a multipart/form-data upload: {e}"))
        }
    })?;
    let mut up = Upload::default();
    while let Some(field) = mp.next_field().await.map_err(broken)? {
        match field.name().unwrap_or("") {
            "file" => {
                up.file_name = field.file_name().unwrap_or("").to_string();
                up.content_type = field.content_type().map(str::to_string);
                up.bytes = field.bytes().await.map_err(broken)?.to_vec();
            }
            "type" => up.kind = field.text().await.map_err(broken)?,
            _ => {}
        }
    }
    Ok(up)
}

pub async fn upload(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    up: Upload,
) -> AppResult<UploadedMedia> {
    let limit = media_limit(&up.kind)
        .ok_or_else(|| AppError::BadRequest("type must be image, voice, video or file".into()))?;
    if up.bytes.len() < 5 {
        return Err(AppError::BadRequest(
            "the file is empty (WeCom needs at least 5 bytes)".into(),
        ));
    }
    if up.bytes.len() > limit {
        return Err(AppError::BadRequest(format!(
            "the file is larger than WeCom's {} MB limit for {}",
            limit >> 20,
            up.kind
        )));
    }
    let name = if up.file_name.trim().is_empty() {
        format!("{}.bin", up.kind)
    } else {
        up.file_name.clone()
    };
    let size = up.bytes.len() as u64;
    let content_type = up
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let client = wechat_clients::work(state, account_id).await?;
    let r = client
        .media_upload(
            &up.kind,
            &UploadFile::from_bytes(name.clone(), content_type, up.bytes),
        )
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let created = r
        .created_at
        .as_str()
        .and_then(|s| s.parse::<i64>().ok())
        .or_else(|| r.created_at.as_i64())
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .unwrap_or_else(OffsetDateTime::now_utc);
    audit::service::record(
        &state.db,
        actor,
        "wecom.media.upload",
        "account",
        Some(account_id),
        format!("temporary {} uploaded for an app message", up.kind),
        json!({"kind": up.kind, "size": size}),
    )
    .await?;
    Ok(UploadedMedia {
        media_id: r.media_id,
        kind: up.kind,
        filename: name,
        size,
        expires_at: rfc3339(created + Duration::days(3)),
    })
}
