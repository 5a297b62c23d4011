//! Events that are stored for other features: job-finish events against their job
//! (`wechat_job_events`: template and mass sends by `MsgID`, freepublish by `publish_id`), WeCom
//! `change_contact` (`wecom_contact_changes`, for the contacts feature), and the suite's
//! `suite_ticket` (kept in the token store, where the suite client reads it).

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, SqlErr};
use serde_json::json;
use time::OffsetDateTime;
use wechat::message::{ContactChange, Event, InboundMessage, MessageKind};

use crate::{
    entities::{wechat_job_event, wecom_contact_change},
    error::AppResult,
};

/// The job kinds of [`wechat_job_event`].
pub const JOB_TEMPLATE: &str = "template";
pub const JOB_MASS: &str = "mass";
pub const JOB_PUBLISH: &str = "publish";

/// Stores what `msg` says about jobs or contacts (nothing for other messages).
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    inbound_id: i64,
    msg: &InboundMessage,
    xml: &str,
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
        Event::ChangeContact(change) => {
            contact_change(db, account_id, Some(inbound_id), change, xml).await
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

/// Stores one contact change (from an app callback, or a suite instruction).
pub async fn contact_change<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    inbound_id: Option<i64>,
    change: &ContactChange,
    xml: &str,
) -> AppResult<()> {
    let (change_type, user_id, party_id) = match change {
        ContactChange::CreateUser(u) => ("create_user".to_string(), Some(u.user_id.clone()), None),
        ContactChange::UpdateUser(u) => ("update_user".to_string(), Some(u.user_id.clone()), None),
        ContactChange::DeleteUser { user_id } => {
            ("delete_user".to_string(), Some(user_id.clone()), None)
        }
        ContactChange::CreateParty(p) => ("create_party".to_string(), None, Some(p.id)),
        ContactChange::UpdateParty(p) => ("update_party".to_string(), None, Some(p.id)),
        ContactChange::DeleteParty { id } => ("delete_party".to_string(), None, Some(*id)),
        ContactChange::UpdateTag(_) => ("update_tag".to_string(), None, None),
        ContactChange::Unknown { change_type } => (change_type.clone(), None, None),
    };
    wecom_contact_change::ActiveModel {
        account_id: Set(account_id),
        change_type: Set(change_type.chars().take(32).collect()),
        user_id: Set(user_id.map(|u| u.chars().take(64).collect())),
        party_id: Set(party_id),
        detail: Set(xml.to_string()),
        inbound_id: Set(inbound_id),
        received_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
