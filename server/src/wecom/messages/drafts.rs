//! Drafts and scheduled sends of app messages: a composed message kept to edit later (nothing
//! required yet, WeChat's limits held), or checked like a send and scheduled for a time. A
//! scheduled one is sent by the worker (`scheduled`); staff may edit, cancel (back to a draft)
//! or delete it until a worker claims it — every change is one conditional update on the state,
//! so a change and the worker's claim never both win.

use api::wecom_message_drafts::{
    DraftState, MessageDraft, MessageDraftInput, uses_media, validate_draft,
};
use api::wecom_messages::{
    self as wm, MAX_SCHEDULE_DAYS, MEDIA_LIFETIME_SECS, MessageRule, SCHEDULE_GRACE_SECS, SendState,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{
    audit::{self, Actor},
    entities::{wecom_message as message, wecom_message_draft as draft},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
};

/// Sent and failed ones stay in the list this long (then the send log has them).
const LIST_DONE_FOR: Duration = Duration::days(1);
/// The most a list holds.
const LIST_MAX: u64 = 200;

const EDITABLE: [&str; 3] = ["draft", "scheduled", "failed"];

/// The input with an empty `scheduled_at` read as none, checked; the scheduled time, if any.
fn check(
    mut input: MessageDraftInput,
    now: OffsetDateTime,
) -> AppResult<(MessageDraftInput, Option<OffsetDateTime>)> {
    if input
        .scheduled_at
        .as_deref()
        .is_some_and(|s| s.trim().is_empty())
    {
        input.scheduled_at = None;
    }
    let mut issues = validate_draft(&input);
    let mut at = None;
    if let Some(s) = input.scheduled_at.as_deref() {
        match OffsetDateTime::parse(s.trim(), &Rfc3339) {
            Err(_) => issues.push(("scheduled_at".into(), MessageRule::ScheduleFormat)),
            Ok(t) if t < now - Duration::seconds(SCHEDULE_GRACE_SECS) => {
                issues.push(("scheduled_at".into(), MessageRule::SchedulePast))
            }
            Ok(t) if t > now + Duration::days(MAX_SCHEDULE_DAYS) => {
                issues.push(("scheduled_at".into(), MessageRule::ScheduleTooFar))
            }
            // The media were uploaded before now: at the scheduled time they may be gone.
            Ok(t)
                if uses_media(&input.content)
                    && t > now + Duration::seconds(MEDIA_LIFETIME_SECS) =>
            {
                issues.push(("scheduled_at".into(), MessageRule::ScheduleAfterMedia))
            }
            // Stored in UTC: the databases compare the times as they are stored.
            Ok(t) => at = Some(t.to_offset(time::UtcOffset::UTC)),
        }
    }
    if !issues.is_empty() {
        return Err(AppError::Validation(wm::to_field_issues(&issues)));
    }
    Ok((input, at))
}

fn view(d: &draft::Model, message_state: Option<SendState>) -> AppResult<MessageDraft> {
    Ok(MessageDraft {
        id: d.id,
        state: DraftState::parse(&d.state).unwrap_or(DraftState::Failed),
        msgtype: d.msgtype.clone(),
        summary: d.summary.clone(),
        recipients: serde_json::from_str(&d.recipients).unwrap_or_default(),
        content: serde_json::from_str(&d.content).map_err(AppError::internal)?,
        options: serde_json::from_str(&d.options).unwrap_or_default(),
        scheduled_at: d.scheduled_at.map(rfc3339),
        message_id: d.message_id,
        message_state,
        error: d.error.clone(),
        attempts: d.attempts,
        created_by: d.created_by.clone(),
        updated_by: d.updated_by.clone(),
        created_at: rfc3339(d.created_at),
        updated_at: rfc3339(d.updated_at),
    })
}

async fn message_states<C: ConnectionTrait>(
    db: &C,
    rows: &[draft::Model],
) -> AppResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = rows.iter().filter_map(|d| d.message_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .column(message::Column::State)
        .filter(message::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?)
}

async fn views<C: ConnectionTrait>(db: &C, rows: &[draft::Model]) -> AppResult<Vec<MessageDraft>> {
    let states = message_states(db, rows).await?;
    rows.iter()
        .map(|d| {
            let st = d.message_id.and_then(|id| {
                states
                    .iter()
                    .find(|(m, _)| *m == id)
                    .and_then(|(_, s)| SendState::parse(s))
            });
            view(d, st)
        })
        .collect()
}

async fn find(state: &AppState, account_id: i64, id: i64) -> AppResult<draft::Model> {
    draft::Entity::find_by_id(id)
        .filter(draft::Column::AccountId.eq(account_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn one(state: &AppState, account_id: i64, id: i64) -> AppResult<MessageDraft> {
    let d = find(state, account_id, id).await?;
    Ok(views(&state.db, std::slice::from_ref(&d))
        .await?
        .pop()
        .expect("one view"))
}

/// Why a change found no editable row: gone, or already claimed by a worker / sent.
async fn not_changed(state: &AppState, account_id: i64, id: i64) -> AppError {
    match find(state, account_id, id).await {
        Ok(_) => AppError::refused(
            "message_draft_locked",
            "this message is being sent or was sent: it can no longer be changed",
        ),
        Err(e) => e,
    }
}

/// Drafts, scheduled sends and those sent or failed in the last day, newest first.
pub async fn list(state: &AppState, account_id: i64) -> AppResult<Vec<MessageDraft>> {
    let since = OffsetDateTime::now_utc() - LIST_DONE_FOR;
    let rows = draft::Entity::find()
        .filter(draft::Column::AccountId.eq(account_id))
        .filter(
            Condition::any()
                .add(draft::Column::State.is_in(["draft", "scheduled", "sending"]))
                .add(draft::Column::UpdatedAt.gte(since)),
        )
        .order_by_desc(draft::Column::Id)
        .limit(LIST_MAX)
        .all(&state.db)
        .await?;
    views(&state.db, &rows).await
}

pub async fn get(state: &AppState, account_id: i64, id: i64) -> AppResult<MessageDraft> {
    one(state, account_id, id).await
}

fn state_of(at: Option<OffsetDateTime>) -> DraftState {
    if at.is_some() {
        DraftState::Scheduled
    } else {
        DraftState::Draft
    }
}

fn describe(at: Option<OffsetDateTime>) -> String {
    at.map_or_else(
        || "draft".to_string(),
        |t| format!("scheduled for {}", rfc3339(t)),
    )
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: MessageDraftInput,
) -> AppResult<MessageDraft> {
    let now = OffsetDateTime::now_utc();
    let (input, at) = check(input, now)?;
    let txn = state.db.begin().await?;
    let d = draft::ActiveModel {
        account_id: Set(account_id),
        msgtype: Set(input.content.msgtype().into()),
        summary: Set(input.content.summary()),
        content: Set(serde_json::to_string(&input.content).map_err(AppError::internal)?),
        recipients: Set(serde_json::to_string(&input.recipients).map_err(AppError::internal)?),
        options: Set(serde_json::to_string(&input.options).map_err(AppError::internal)?),
        state: Set(state_of(at).as_str().into()),
        scheduled_at: Set(at),
        lease_until: Set(None),
        attempts: Set(0),
        message_id: Set(None),
        error: Set(None),
        created_by: Set(actor.name.clone()),
        updated_by: Set(actor.name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::service::record(
        &txn,
        actor,
        "wecom.message.draft_save",
        "account",
        Some(account_id),
        format!(
            "app message draft {} ({}): {}",
            d.id,
            d.msgtype,
            describe(at)
        ),
        json!({"draft_id": d.id, "scheduled_at": at.map(rfc3339)}),
    )
    .await?;
    txn.commit().await?;
    one(state, account_id, d.id).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: MessageDraftInput,
) -> AppResult<MessageDraft> {
    let now = OffsetDateTime::now_utc();
    let (input, at) = check(input, now)?;
    let txn = state.db.begin().await?;
    let r = draft::Entity::update_many()
        .col_expr(draft::Column::Msgtype, Expr::value(input.content.msgtype()))
        .col_expr(draft::Column::Summary, Expr::value(input.content.summary()))
        .col_expr(
            draft::Column::Content,
            Expr::value(serde_json::to_string(&input.content).map_err(AppError::internal)?),
        )
        .col_expr(
            draft::Column::Recipients,
            Expr::value(serde_json::to_string(&input.recipients).map_err(AppError::internal)?),
        )
        .col_expr(
            draft::Column::Options,
            Expr::value(serde_json::to_string(&input.options).map_err(AppError::internal)?),
        )
        .col_expr(draft::Column::State, Expr::value(state_of(at).as_str()))
        .col_expr(draft::Column::ScheduledAt, Expr::value(at))
        .col_expr(
            draft::Column::LeaseUntil,
            Expr::value(None::<OffsetDateTime>),
        )
        .col_expr(draft::Column::Attempts, Expr::value(0))
        .col_expr(draft::Column::Error, Expr::value(None::<String>))
        .col_expr(draft::Column::UpdatedBy, Expr::value(actor.name.clone()))
        .col_expr(draft::Column::UpdatedAt, Expr::value(now))
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::AccountId.eq(account_id))
        .filter(draft::Column::State.is_in(EDITABLE))
        .exec(&txn)
        .await?;
    if r.rows_affected != 1 {
        txn.rollback().await?;
        return Err(not_changed(state, account_id, id).await);
    }
    audit::service::record(
        &txn,
        actor,
        "wecom.message.draft_save",
        "account",
        Some(account_id),
        format!("app message draft {id} edited: {}", describe(at)),
        json!({"draft_id": id, "scheduled_at": at.map(rfc3339)}),
    )
    .await?;
    txn.commit().await?;
    one(state, account_id, id).await
}

/// A scheduled send back to a draft, before a worker claims it.
pub async fn cancel(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<MessageDraft> {
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    let r = draft::Entity::update_many()
        .col_expr(
            draft::Column::State,
            Expr::value(DraftState::Draft.as_str()),
        )
        .col_expr(
            draft::Column::LeaseUntil,
            Expr::value(None::<OffsetDateTime>),
        )
        .col_expr(draft::Column::UpdatedBy, Expr::value(actor.name.clone()))
        .col_expr(draft::Column::UpdatedAt, Expr::value(now))
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::AccountId.eq(account_id))
        .filter(draft::Column::State.eq(DraftState::Scheduled.as_str()))
        .exec(&txn)
        .await?;
    if r.rows_affected != 1 {
        txn.rollback().await?;
        let d = find(state, account_id, id).await?;
        return Err(if d.state == DraftState::Draft.as_str() {
            AppError::refused(
                "message_draft_not_scheduled",
                "this draft is not scheduled: there is nothing to cancel",
            )
        } else {
            not_changed(state, account_id, id).await
        });
    }
    audit::service::record(
        &txn,
        actor,
        "wecom.message.schedule_cancel",
        "account",
        Some(account_id),
        format!("scheduled app message {id} cancelled (kept as a draft)"),
        json!({"draft_id": id}),
    )
    .await?;
    txn.commit().await?;
    one(state, account_id, id).await
}

pub async fn delete(state: &AppState, actor: &Actor, account_id: i64, id: i64) -> AppResult<()> {
    let txn = state.db.begin().await?;
    let r = draft::Entity::delete_many()
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::AccountId.eq(account_id))
        .filter(
            Condition::any()
                .add(draft::Column::State.is_in(EDITABLE))
                .add(draft::Column::State.eq(DraftState::Sent.as_str())),
        )
        .exec(&txn)
        .await?;
    if r.rows_affected != 1 {
        txn.rollback().await?;
        return Err(not_changed(state, account_id, id).await);
    }
    audit::service::record(
        &txn,
        actor,
        "wecom.message.draft_delete",
        "account",
        Some(account_id),
        format!("app message draft {id} deleted"),
        json!({"draft_id": id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
