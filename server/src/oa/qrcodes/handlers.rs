use api::{
    Page,
    qrcodes::{CreateQrCode, QrCode, QrCodeQuery, QrStats, QrStatsQuery, UpdateQrCode},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::service;
use crate::{
    accounts::extract::OfficialAccount,
    auth::CurrentUser,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<QrCodeQuery>,
) -> AppResult<Json<Page<QrCode>>> {
    Ok(Json(service::list(&state.db, account.id, q).await?))
}

pub async fn create(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    body: extract::Json<CreateQrCode>,
) -> AppResult<(StatusCode, Json<QrCode>)> {
    let qr = service::create(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(qr)))
}

pub async fn get(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, qr_id)): Path<(i64, i64)>,
) -> AppResult<Json<QrCode>> {
    Ok(Json(service::get(&state.db, id, qr_id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    user: CurrentUser,
    Path((id, qr_id)): Path<(i64, i64)>,
    body: extract::Json<UpdateQrCode>,
) -> AppResult<Json<QrCode>> {
    Ok(Json(
        service::update(&state.db, &user.actor(), id, qr_id, body.value).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    user: CurrentUser,
    Path((id, qr_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &user.actor(), id, qr_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct ImageQuery {
    #[serde(default)]
    pub download: Option<u8>,
}

pub async fn image(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, qr_id)): Path<(i64, i64)>,
    Query(q): Query<ImageQuery>,
) -> AppResult<Response> {
    let (qr, content_type, bytes) = service::image(&state, id, qr_id).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if q.download == Some(1) {
        let ext = if content_type == "image/png" {
            "png"
        } else {
            "jpg"
        };
        // An ASCII file name: the code's id and scene are enough to tell files apart.
        let scene: String = qr
            .scene
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .take(40)
            .collect();
        let value = format!("attachment; filename=\"qrcode-{}-{scene}.{ext}\"", qr.id);
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}

pub async fn stats(
    State(state): State<AppState>,
    OfficialAccount(_): OfficialAccount,
    Path((id, qr_id)): Path<(i64, i64)>,
    Query(q): Query<QrStatsQuery>,
) -> AppResult<Json<QrStats>> {
    Ok(Json(service::stats(&state.db, id, qr_id, q).await?))
}
