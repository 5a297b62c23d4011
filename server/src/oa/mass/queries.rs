//! Reading mass jobs and what they refer to.

use api::mass::{CopyrightItem, MassJob, MassMessage, MassStatus, MassTargetSummary};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::{
    entities::{article_draft, mass_job as job, material, oa_group, oa_tag},
    error::{AppError, AppResult},
    util::rfc3339,
};

/// The `copyright` column.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Copyright {
    pub check_state: Option<i64>,
    pub items: Vec<CopyrightItem>,
}

pub fn to_api(m: &job::Model) -> MassJob {
    let message: MassMessage = serde_json::from_str(&m.content).unwrap_or(MassMessage::Text {
        content: String::new(),
    });
    let openids: Vec<String> = serde_json::from_str(&m.openids).unwrap_or_default();
    let copyright: Copyright = m
        .copyright
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default();
    MassJob {
        id: m.id,
        status: MassStatus::parse(&m.status),
        message,
        summary: m.summary.clone(),
        target: MassTargetSummary {
            kind: m.target_kind.clone(),
            id: m.target_id,
            followers: openids.len() as u64,
        },
        send_ignore_reprint: m.send_ignore_reprint,
        scheduled_at: rfc3339(m.scheduled_at),
        msg_id: m.msg_id,
        msg_data_id: m.msg_data_id,
        wechat_status: m.wechat_status.clone(),
        total_count: m.total_count,
        filter_count: m.filter_count,
        sent_count: m.sent_count,
        error_count: m.error_count,
        copyright_check_state: copyright.check_state,
        copyright: copyright.items,
        deleted_articles: serde_json::from_str(&m.deleted_articles).unwrap_or_default(),
        errcode: m.errcode,
        error: m.error.clone(),
        attempts: i64::from(m.attempts),
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
        submitted_at: m.submitted_at.map(rfc3339),
        finished_at: m.finished_at.map(rfc3339),
    }
}

pub async fn find<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<job::Model> {
    job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(job::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn by_clientmsgid<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    clientmsgid: &str,
) -> AppResult<Option<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(job::Column::Clientmsgid.eq(clientmsgid))
        .one(db)
        .await?)
}

pub async fn tag_name<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
) -> AppResult<Option<String>> {
    Ok(oa_tag::Entity::find()
        .filter(oa_tag::Column::AccountId.eq(account_id))
        .filter(oa_tag::Column::WxId.eq(wx_id))
        .one(db)
        .await?
        .map(|t| t.name))
}

pub async fn group_name<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
) -> AppResult<Option<String>> {
    Ok(oa_group::Entity::find()
        .filter(oa_group::Column::AccountId.eq(account_id))
        .filter(oa_group::Column::WxId.eq(wx_id))
        .one(db)
        .await?
        .map(|g| g.name))
}

/// The name of the material or saved draft a message names, if the portal knows it with a kind
/// that fits.
pub async fn media_name<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    message: &MassMessage,
) -> AppResult<Option<String>> {
    let (kind, id) = match message {
        MassMessage::Text { .. } => return Ok(None),
        MassMessage::Mpnews { media_id } => {
            return Ok(article_draft::Entity::find()
                .filter(article_draft::Column::AccountId.eq(account_id))
                .filter(article_draft::Column::MediaId.eq(media_id.as_str()))
                .one(db)
                .await?
                .map(|d| d.title));
        }
        MassMessage::Image { media_id } => ("image", media_id),
        MassMessage::Voice { media_id } => ("voice", media_id),
        MassMessage::Video { media_id, .. } => ("video", media_id),
    };
    Ok(material::Entity::find()
        .filter(material::Column::AccountId.eq(account_id))
        .filter(material::Column::Kind.eq(kind))
        .filter(material::Column::MediaId.eq(id.as_str()))
        .one(db)
        .await?
        .map(|m| m.title.filter(|t| !t.is_empty()).unwrap_or(m.name)))
}
