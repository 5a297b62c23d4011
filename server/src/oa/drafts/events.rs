//! The PUBLISHJOBFINISH event of an Official Account: the publish outcome applied to the draft
//! by publish_id (registered in [`crate::callback::dispatch::HANDLERS`]; the event is also kept
//! in `wechat_job_events`, where a publish whose submit answer was saved later finds it).

use async_trait::async_trait;
use sea_orm::ConnectionTrait;
use wechat::message::{Event, InboundMessage, MessageKind};

use super::publish;
use crate::{
    callback::dispatch::{EventHandler, NewMessage, Receiver},
    error::AppResult,
    state::AppState,
};

/// PUBLISHJOBFINISH → [`apply_event`].
pub struct Publish;

#[async_trait]
impl EventHandler for Publish {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::OfficialAccount
            && matches!(message.event(), Some(Event::PublishJobFinish { .. }))
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        apply_event(&state.db, message.account_id, message.msg).await
    }
}

/// Applies a PUBLISHJOBFINISH of an Official Account to the draft with its publish_id.
pub async fn apply_event<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    msg: &InboundMessage,
) -> AppResult<()> {
    let MessageKind::Event(Event::PublishJobFinish {
        publish_id,
        publish_status,
        article_id,
        articles,
        ..
    }) = &msg.kind
    else {
        return Ok(());
    };
    let mut items = articles.clone();
    items.sort_by_key(|(idx, _)| *idx);
    let urls = items.into_iter().map(|(_, u)| u).collect();
    if publish::apply_outcome(
        db,
        account_id,
        publish_id,
        *publish_status,
        article_id.clone(),
        urls,
    )
    .await?
    .is_none()
    {
        tracing::info!(
            account_id,
            publish_id,
            "PUBLISHJOBFINISH for a publish not started from the portal"
        );
    }
    Ok(())
}
