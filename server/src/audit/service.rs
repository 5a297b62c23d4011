use api::{Page, PageQuery, audit::AuditEntry, audit::AuditQuery};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;
use time::OffsetDateTime;

use crate::{entities::audit_log, error::AppResult, util::rfc3339};

/// Who did it: a staff member, or `system` (start-up, CLI).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor {
            id: Some(id),
            name: name.to_string(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            id: None,
            name: "system".into(),
        }
    }
}

/// Append one entry. Call inside the same transaction as the change when there is one.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: &str,
    target_type: &str,
    target_id: Option<i64>,
    summary: String,
    detail: Value,
) -> AppResult<()> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        at: Set(OffsetDateTime::now_utc()),
        actor: Set(actor.name.clone()),
        actor_id: Set(actor.id),
        action: Set(action.to_string()),
        target_type: Set(target_type.to_string()),
        target_id: Set(target_id),
        summary: Set(summary),
        detail: Set(detail.to_string()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn view(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        at: rfc3339(m.at),
        actor: m.actor,
        action: m.action,
        target_type: m.target_type,
        target_id: m.target_id,
        summary: m.summary,
        detail: serde_json::from_str(&m.detail).unwrap_or(Value::Null),
    }
}

pub async fn list<C: ConnectionTrait>(db: &C, q: AuditQuery) -> AppResult<Page<AuditEntry>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let mut select = audit_log::Entity::find();
    if let Some(actor) = q.actor.filter(|a| !a.is_empty()) {
        select = select.filter(audit_log::Column::Actor.eq(actor));
    }
    if let Some(t) = q.target_type.filter(|t| !t.is_empty()) {
        select = select.filter(audit_log::Column::TargetType.eq(t));
    }
    if let Some(id) = q.target_id {
        select = select.filter(audit_log::Column::TargetId.eq(id));
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(audit_log::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
