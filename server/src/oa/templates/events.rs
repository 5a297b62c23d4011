//! TEMPLATESENDJOBFINISH → the recipient's delivery state, by msgid (a callback event handler
//! registered in [`crate::callback::dispatch::HANDLERS`]). A finish that arrives before its
//! msgid is stored stays in `wechat_job_events` and is applied when the msgid is stored.

use api::templates::DeliveryState;
use async_trait::async_trait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use time::OffsetDateTime;
use wechat::message::Event;

use crate::{
    callback::{
        dispatch::{EventHandler, NewMessage, Receiver},
        events::JOB_TEMPLATE,
    },
    entities::{template_recipient as rcpt, wechat_job_event},
    error::AppResult,
    state::AppState,
};

pub struct TemplateFinish;

#[async_trait]
impl EventHandler for TemplateFinish {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::OfficialAccount
            && matches!(message.event(), Some(Event::TemplateSendJobFinish { .. }))
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        if let Some(Event::TemplateSendJobFinish { msg_id, status }) = message.event() {
            set_state(&state.db, message.account_id, msg_id.trim(), status).await?;
        }
        Ok(())
    }
}

/// Moves the recipient with this msgid from `sent` to what WeChat reported.
async fn set_state<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    msgid: &str,
    status: &str,
) -> AppResult<()> {
    rcpt::Entity::update_many()
        .col_expr(
            rcpt::Column::State,
            Expr::value(DeliveryState::from_wechat(status).as_str()),
        )
        .col_expr(
            rcpt::Column::FinishedAt,
            Expr::value(Some(OffsetDateTime::now_utc())),
        )
        .filter(rcpt::Column::AccountId.eq(account_id))
        .filter(rcpt::Column::Msgid.eq(msgid))
        .filter(rcpt::Column::State.eq(DeliveryState::Sent.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Applies a finish already stored for `msgid` (it came before the msgid was recorded).
pub async fn apply_stored<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    msgid: &str,
) -> AppResult<()> {
    let stored = wechat_job_event::Entity::find()
        .filter(wechat_job_event::Column::AccountId.eq(account_id))
        .filter(wechat_job_event::Column::JobKind.eq(JOB_TEMPLATE))
        .filter(wechat_job_event::Column::JobId.eq(msgid))
        .one(db)
        .await?;
    if let Some(e) = stored {
        set_state(db, account_id, msgid, &e.status).await?;
    }
    Ok(())
}
