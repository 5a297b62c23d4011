use api::kf::{CreateKfAccount, InviteKfWorker, KfAccount, UpdateKfAccount};
use axum::{
    Json,
    extract::{Multipart, State, multipart::MultipartRejection},
    http::StatusCode,
};

use super::service;
use crate::{
    accounts::extract::OfficialAccount,
    auth::CurrentUser,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Vec<KfAccount>>> {
    Ok(Json(service::list(&state, account.id).await?))
}

pub async fn create(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    body: extract::Json<CreateKfAccount>,
) -> AppResult<(StatusCode, Json<KfAccount>)> {
    let kf = service::create(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(kf)))
}

pub async fn update(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    Path((_, kf_account)): Path<(i64, String)>,
    body: extract::Json<UpdateKfAccount>,
) -> AppResult<Json<KfAccount>> {
    Ok(Json(
        service::update(&state, &user.actor(), account.id, &kf_account, body.value).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    Path((_, kf_account)): Path<(i64, String)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), account.id, &kf_account).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn invite(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    Path((_, kf_account)): Path<(i64, String)>,
    body: extract::Json<InviteKfWorker>,
) -> AppResult<Json<KfAccount>> {
    Ok(Json(
        service::invite(&state, &user.actor(), account.id, &kf_account, body.value).await?,
    ))
}

pub async fn avatar(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    user: CurrentUser,
    Path((_, kf_account)): Path<(i64, String)>,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<KfAccount>> {
    let mut mp = mp.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(format!("expected a multipart/form-data upload: {e}"))
        }
    })?;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge);
            }
            Err(e) => return Err(AppError::BadRequest(format!("broken upload: {e}"))),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(format!("broken upload: {e}"))
            }
        })?;
        file = Some((name, bytes.to_vec()));
    }
    let (name, bytes) =
        file.ok_or_else(|| AppError::BadRequest("the upload has no field named file".into()))?;
    Ok(Json(
        service::avatar(&state, &user.actor(), account.id, &kf_account, &name, bytes).await?,
    ))
}
