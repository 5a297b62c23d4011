use api::{
    Page,
    messages::{
        Conversation, ConversationSummary, DailyActivity, DailyQuery, MessageDetail, MessageItem,
        MessageQuery, StaffReplyRequest,
    },
    page::PageQuery,
};
use axum::{Json, extract::State};
use serde::Deserialize;

use super::service::{self, MessageRef};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::MessagingAccount,
    error::{AppError, AppResult},
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn list(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
    Query(q): Query<MessageQuery>,
) -> AppResult<Json<Page<MessageItem>>> {
    Ok(Json(service::list(&state, account.id, q).await?))
}

pub async fn daily(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
    Query(q): Query<DailyQuery>,
) -> AppResult<Json<DailyActivity>> {
    let now = time::OffsetDateTime::now_utc();
    Ok(Json(
        super::stats::daily(&state.db, account.id, &q, now).await?,
    ))
}

pub async fn detail(
    State(state): State<AppState>,
    MessagingAccount(_): MessagingAccount,
    Path((id, message_id)): Path<(i64, String)>,
) -> AppResult<Json<MessageDetail>> {
    let r = MessageRef::parse(&message_id).ok_or(AppError::NotFound)?;
    Ok(Json(service::detail(&state, id, r).await?))
}

#[derive(Debug, Deserialize)]
pub struct ConversationQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

pub async fn conversations(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
    Query(q): Query<ConversationQuery>,
) -> AppResult<Json<Page<ConversationSummary>>> {
    Ok(Json(
        service::conversations(
            &state,
            &account,
            q.q,
            PageQuery {
                page: q.page.unwrap_or(1),
                per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
            },
        )
        .await?,
    ))
}

pub async fn conversation(
    State(state): State<AppState>,
    MessagingAccount(account): MessagingAccount,
    Path((_, user)): Path<(i64, String)>,
) -> AppResult<Json<Conversation>> {
    Ok(Json(service::conversation(&state, &account, &user).await?))
}

pub async fn reply(
    State(state): State<AppState>,
    user: CurrentUser,
    MessagingAccount(account): MessagingAccount,
    body: extract::Json<StaffReplyRequest>,
) -> AppResult<Json<MessageItem>> {
    Ok(Json(
        service::reply(&state, user.id, &account, body.value).await?,
    ))
}
