//! Job-finish events stored for other features, against their job in `wechat_job_events`:
//! template and mass sends by `MsgID`, freepublish by `publish_id` (registered in
//! [`super::dispatch::HANDLERS`]). WeCom `change_contact` is recorded by
//! [`crate::wecom::contacts`], a suite's `suite_ticket` by [`crate::wecom::suite`].

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, SqlErr};
use serde_json::json;
use time::OffsetDateTime;
use wechat::message::{Event, InboundMessage, MessageKind};

use super::dispatch::{EventHandler, NewMessage};
use crate::{entities::wechat_job_event, error::AppResult, state::AppState};

/// The job kinds of [`wechat_job_event`].
pub const JOB_TEMPLATE: &str = "template";
pub const JOB_MASS: &str = "mass";
pub const JOB_PUBLISH: &str = "publish";

/// TEMPLATESENDJOBFINISH / MASSSENDJOBFINISH / PUBLISHJOBFINISH (of any account kind) →
/// [`apply`].
pub struct JobEvents;

#[async_trait]
impl EventHandler for JobEvents {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        matches!(
            message.event(),
            Some(
                Event::TemplateSendJobFinish { .. }
                    | Event::MassSendJobFinish { .. }
                    | Event::PublishJobFinish { .. }
            )
        )
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        apply(
            &state.db,
            message.account_id,
            message.inbound_id,
            message.msg,
        )
        .await
    }
}

/// Stores what `msg` says about a job (nothing for other messages).
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    inbound_id: i64,
    msg: &InboundMessage,
) -> AppResult<()> {
    let MessageKind::Event(event) = &msg.kind else {
        return Ok(());
    };
    match event {
        Event::TemplateSendJobFinish { msg_id, status } => {
            job(
                db,
                account_id,
                inbound_id,
                JOB_TEMPLATE,
                msg_id,
                status,
                json!({}),
            )
            .await
        }
        Event::MassSendJobFinish {
            msg_id,
            status,
            total_count,
            filter_count,
            sent_count,
            error_count,
        } => {
            let detail = json!({
                "total_count": total_count,
                "filter_count": filter_count,
                "sent_count": sent_count,
                "error_count": error_count,
            });
            job(db, account_id, inbound_id, JOB_MASS, msg_id, status, detail).await
        }
        Event::PublishJobFinish {
            publish_id,
            publish_status,
            article_id,
            articles,
            fail_idx,
        } => {
            let detail = json!({
                "article_id": article_id,
                "articles": articles.iter().map(|(idx, url)| json!({"idx": idx, "url": url})).collect::<Vec<_>>(),
                "fail_idx": fail_idx,
            });
            job(
                db,
                account_id,
                inbound_id,
                JOB_PUBLISH,
                publish_id,
                &publish_status.to_string(),
                detail,
            )
            .await
        }
        _ => Ok(()),
    }
}

async fn job<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    inbound_id: i64,
    kind: &str,
    job_id: &str,
    status: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    let am = wechat_job_event::ActiveModel {
        account_id: Set(account_id),
        job_kind: Set(kind.to_string()),
        job_id: Set(job_id.chars().take(64).collect()),
        status: Set(status.chars().take(128).collect()),
        detail: Set(detail.to_string()),
        inbound_id: Set(Some(inbound_id)),
        received_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    match am.insert(db).await {
        Ok(_) => Ok(()),
        // The same job finishing twice (a different CreateTime): the first record stands.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
