//! MASSSENDJOBFINISH → the mass job's outcome (a callback event handler registered in
//! [`crate::callback::dispatch::HANDLERS`]).

use api::mass::{CopyrightItem, MassStatus};
use async_trait::async_trait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
use time::OffsetDateTime;
use wechat::message::Event;
use wechat::xml::Element;

use super::{queries::Copyright, send};
use crate::{
    callback::dispatch::{EventHandler, NewMessage, Receiver},
    entities::mass_job as job,
    error::AppResult,
    state::AppState,
};

pub struct MassFinish;

#[async_trait]
impl EventHandler for MassFinish {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::OfficialAccount
            && matches!(message.event(), Some(Event::MassSendJobFinish { .. }))
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        let Some(Event::MassSendJobFinish {
            msg_id,
            status,
            total_count,
            filter_count,
            sent_count,
            error_count,
        }) = message.event()
        else {
            return Ok(());
        };
        let account_id = message.account_id;
        let db = &state.db;
        let Ok(msg_id) = msg_id.trim().parse::<i64>() else {
            return Ok(());
        };
        let mut target = job::Entity::find()
            .filter(job::Column::AccountId.eq(account_id))
            .filter(job::Column::MsgId.eq(msg_id))
            .one(db)
            .await?;
        if target.is_none() {
            // A send recorded through 45065 has no msg_id; one mass send is in flight per
            // account, so the finish belongs to it.
            if let Some(id) = send::in_flight(db, account_id).await? {
                target = job::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .filter(|j| j.msg_id.is_none() && j.status == MassStatus::Submitted.as_str());
            }
        }
        let Some(j) = target else {
            // Sent from WeChat's own console: nothing of ours to update (the event itself is
            // kept in wechat_job_events).
            return Ok(());
        };
        let copyright = copyright_of(&message.msg.extra);
        let ok = status.trim().eq_ignore_ascii_case("send success");
        let now = OffsetDateTime::now_utc();
        let txn = db.begin().await?;
        job::Entity::update_many()
            .col_expr(
                job::Column::Status,
                Expr::value(
                    if ok {
                        MassStatus::Sent
                    } else {
                        MassStatus::Failed
                    }
                    .as_str(),
                ),
            )
            .col_expr(job::Column::MsgId, Expr::value(Some(msg_id)))
            .col_expr(
                job::Column::WechatStatus,
                Expr::value(Some(status.chars().take(128).collect::<String>())),
            )
            .col_expr(job::Column::TotalCount, Expr::value(*total_count))
            .col_expr(job::Column::FilterCount, Expr::value(*filter_count))
            .col_expr(job::Column::SentCount, Expr::value(*sent_count))
            .col_expr(job::Column::ErrorCount, Expr::value(*error_count))
            .col_expr(
                job::Column::Copyright,
                Expr::value(Some(serde_json::to_string(&copyright).unwrap_or_default())),
            )
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
            .filter(job::Column::Id.eq(j.id))
            .exec(&txn)
            .await?;
        send::release(&txn, account_id, j.id).await?;
        txn.commit().await?;
        Ok(())
    }
}

fn num(e: &Element, name: &str) -> i64 {
    e.child_text(name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// `CopyrightCheckResult` (kept by the parser among the message's extra elements).
pub fn copyright_of(extra: &[Element]) -> Copyright {
    let Some(c) = extra.iter().find(|e| e.name == "CopyrightCheckResult") else {
        return Copyright::default();
    };
    let items = c
        .child("ResultList")
        .map(|l| {
            l.children
                .iter()
                .filter(|i| i.name == "item")
                .map(|i| CopyrightItem {
                    article_idx: num(i, "ArticleIdx"),
                    user_declare_state: num(i, "UserDeclareState"),
                    audit_state: num(i, "AuditState"),
                    original_article_url: i
                        .child_text("OriginalArticleUrl")
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                    original_article_type: num(i, "OriginalArticleType"),
                    can_reprint: num(i, "CanReprint"),
                    need_replace_content: num(i, "NeedReplaceContent"),
                    need_show_reprint_source: num(i, "NeedShowReprintSource"),
                })
                .collect()
        })
        .unwrap_or_default();
    Copyright {
        check_state: c
            .child_text("CheckState")
            .and_then(|v| v.trim().parse().ok()),
        items,
    }
}
