use api::Page;
use api::wecom_message_drafts::{MessageDraft, MessageDraftInput};
use api::wecom_messages::{
    AppMessage, AppMessageQuery, AppMessageSummary, MessageUsage, SendAppMessageInput,
    UploadedMedia,
};
use axum::{
    Json,
    extract::{Multipart, State, multipart::MultipartRejection},
    http::StatusCode,
};

use super::{drafts as draft_service, media, service};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::WorkApp,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<SendAppMessageInput>,
) -> AppResult<(StatusCode, Json<AppMessage>)> {
    let m = service::send(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub async fn list(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
    Query(q): Query<AppMessageQuery>,
) -> AppResult<Json<Page<AppMessageSummary>>> {
    Ok(Json(service::list(&state, account.id, &q).await?))
}

pub async fn get(
    State(state): State<AppState>,
    WorkApp(_): WorkApp,
    Path((id, message_id)): Path<(i64, i64)>,
) -> AppResult<Json<AppMessage>> {
    Ok(Json(service::get(&state, id, message_id).await?))
}

pub async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(_): WorkApp,
    Path((id, message_id)): Path<(i64, i64)>,
) -> AppResult<Json<AppMessage>> {
    Ok(Json(
        service::retry(&state, &user.actor(), id, message_id).await?,
    ))
}

pub async fn recall(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(_): WorkApp,
    Path((id, message_id)): Path<(i64, i64)>,
) -> AppResult<Json<AppMessage>> {
    Ok(Json(
        service::recall(&state, &user.actor(), id, message_id).await?,
    ))
}

pub async fn usage(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<MessageUsage>> {
    Ok(Json(service::usage(&state, account.id).await?))
}

pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    mp: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<UploadedMedia>)> {
    let up = media::read_form(mp).await?;
    let m = media::upload(&state, &user.actor(), account.id, up).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub async fn drafts(
    State(state): State<AppState>,
    WorkApp(account): WorkApp,
) -> AppResult<Json<Vec<MessageDraft>>> {
    Ok(Json(draft_service::list(&state, account.id).await?))
}

pub async fn draft(
    State(state): State<AppState>,
    WorkApp(_): WorkApp,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<Json<MessageDraft>> {
    Ok(Json(draft_service::get(&state, id, draft_id).await?))
}

pub async fn create_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(account): WorkApp,
    body: extract::Json<MessageDraftInput>,
) -> AppResult<(StatusCode, Json<MessageDraft>)> {
    let d = draft_service::create(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

pub async fn update_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(_): WorkApp,
    Path((id, draft_id)): Path<(i64, i64)>,
    body: extract::Json<MessageDraftInput>,
) -> AppResult<Json<MessageDraft>> {
    Ok(Json(
        draft_service::update(&state, &user.actor(), id, draft_id, body.value).await?,
    ))
}

pub async fn cancel_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(_): WorkApp,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<Json<MessageDraft>> {
    Ok(Json(
        draft_service::cancel(&state, &user.actor(), id, draft_id).await?,
    ))
}

pub async fn delete_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    WorkApp(_): WorkApp,
    Path((id, draft_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    draft_service::delete(&state, &user.actor(), id, draft_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
