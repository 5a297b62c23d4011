//! Sending scheduled app messages when they are due, exactly once across instances.
//!
//! Every instance runs [`worker_loop`]. A due send is claimed by one conditional update
//! (`scheduled`, due and not waiting, or `sending` whose lease ran out → `sending`, a new lease,
//! attempts + 1); the claim's attempt number is its token. The send it becomes (a
//! `wecom_messages` row with its calls, through the same path as an immediate send: split over
//! WeCom's receiver limits, held to its rate limits, audited) is recorded in the transaction
//! that checks the token and stores `message_id`, so a worker whose lease lapsed and was taken
//! over records nothing. The calls then go out as for an immediate send, each claimed on its
//! own (`pending` → `sending`); a worker that died mid-way is followed by the next claim, which
//! sends only the calls still `pending`. Over WeCom's rate limits the send waits (back to
//! `scheduled`, not before the limit allows) and can still be cancelled.

use api::wecom_message_drafts::DraftState;
use api::wecom_messages::{AppMessageContent, Recipients, SendAppMessageInput, SendOptions};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use time::{Duration, OffsetDateTime};

use super::{queries, service, split::split};
use crate::{
    audit::Actor,
    entities::wecom_message_draft as draft,
    error::{AppError, AppResult},
    state::AppState,
};

/// How long a claim lasts; a worker that died is followed after it.
pub const LEASE: Duration = Duration::seconds(60);
/// Claims before a send that keeps failing (or keeps waiting for the rate limit) is given up.
pub const MAX_ATTEMPTS: i32 = 10;
/// The worker's tick.
const TICK: std::time::Duration = std::time::Duration::from_secs(2);

fn due(now: OffsetDateTime) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(draft::Column::State.eq(DraftState::Scheduled.as_str()))
                .add(draft::Column::ScheduledAt.lte(now))
                .add(
                    Condition::any()
                        .add(draft::Column::LeaseUntil.is_null())
                        .add(draft::Column::LeaseUntil.lt(now)),
                ),
        )
        .add(
            Condition::all()
                .add(draft::Column::State.eq(DraftState::Sending.as_str()))
                .add(draft::Column::LeaseUntil.lt(now)),
        )
}

/// Claims scheduled send `id` if it is due (see the module comment).
pub async fn claim(state: &AppState, id: i64) -> AppResult<Option<draft::Model>> {
    let now = OffsetDateTime::now_utc();
    let r = draft::Entity::update_many()
        .col_expr(
            draft::Column::State,
            Expr::value(DraftState::Sending.as_str()),
        )
        .col_expr(draft::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(
            draft::Column::Attempts,
            Expr::col(draft::Column::Attempts).add(1),
        )
        .col_expr(draft::Column::UpdatedAt, Expr::value(now))
        .filter(draft::Column::Id.eq(id))
        .filter(due(now))
        .exec(&state.db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(None);
    }
    Ok(draft::Entity::find_by_id(id).one(&state.db).await?)
}

/// Settles a claimed send, if the claim (its attempt number) is still the current one.
async fn settle(
    state: &AppState,
    d: &draft::Model,
    to: DraftState,
    lease_until: Option<OffsetDateTime>,
    error: Option<String>,
) -> AppResult<()> {
    draft::Entity::update_many()
        .col_expr(draft::Column::State, Expr::value(to.as_str()))
        .col_expr(draft::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(draft::Column::Error, Expr::value(error))
        .col_expr(
            draft::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(draft::Column::Id.eq(d.id))
        .filter(draft::Column::State.eq(DraftState::Sending.as_str()))
        .filter(draft::Column::Attempts.eq(d.attempts))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Sends a claimed scheduled message (see the module comment).
pub async fn send_claimed(state: &AppState, d: draft::Model) -> AppResult<()> {
    if d.attempts > MAX_ATTEMPTS {
        let why = d
            .error
            .clone()
            .unwrap_or_else(|| "interrupted too often".into());
        return settle(
            state,
            &d,
            DraftState::Failed,
            None,
            Some(format!("gave up after {MAX_ATTEMPTS} attempts: {why}")),
        )
        .await;
    }
    let message_id = match d.message_id {
        Some(id) => id,
        None => {
            let input = SendAppMessageInput {
                recipients: serde_json::from_str::<Recipients>(&d.recipients)
                    .map_err(AppError::internal)?,
                content: serde_json::from_str::<AppMessageContent>(&d.content)
                    .map_err(AppError::internal)?,
                options: serde_json::from_str::<SendOptions>(&d.options).unwrap_or_default(),
            };
            let calls = split(&input.recipients);
            let now = OffsetDateTime::now_utc();
            match service::check_rate(&state.db, d.account_id, &calls, now).await {
                Ok(()) => {}
                // Wait for the limit, still cancellable.
                Err(AppError::WechatRateLimit {
                    retry_after,
                    message,
                }) => {
                    let until = now + Duration::try_from(retry_after).unwrap_or(LEASE);
                    return settle(state, &d, DraftState::Scheduled, Some(until), Some(message))
                        .await;
                }
                Err(e) => return Err(e),
            }
            let txn = state.db.begin().await?;
            // Still this claim's: nobody took it over and it became no send yet.
            let mine = draft::Entity::update_many()
                .col_expr(draft::Column::UpdatedAt, Expr::value(now))
                .filter(draft::Column::Id.eq(d.id))
                .filter(draft::Column::State.eq(DraftState::Sending.as_str()))
                .filter(draft::Column::Attempts.eq(d.attempts))
                .filter(draft::Column::MessageId.is_null())
                .exec(&txn)
                .await?;
            if mine.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(());
            }
            let actor = Actor {
                id: None,
                name: d.updated_by.clone(),
            };
            let m = service::record(
                &txn,
                &actor,
                d.account_id,
                &input,
                &calls,
                now,
                "wecom.message.scheduled_send",
            )
            .await?;
            draft::Entity::update_many()
                .col_expr(draft::Column::MessageId, Expr::value(Some(m.id)))
                .filter(draft::Column::Id.eq(d.id))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            m.id
        }
    };
    let m = queries::message(&state.db, d.account_id, message_id)
        .await?
        .ok_or(AppError::NotFound)?;
    service::dispatch(state, d.account_id, &m).await?;
    settle(state, &d, DraftState::Sent, None, None).await
}

/// Sends every due scheduled message (and resumes those whose worker died); how many it sent.
pub async fn send_due(state: &AppState) -> AppResult<usize> {
    let now = OffsetDateTime::now_utc();
    let ids: Vec<i64> = draft::Entity::find()
        .select_only()
        .column(draft::Column::Id)
        .filter(due(now))
        .order_by_asc(draft::Column::ScheduledAt)
        .limit(20)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for id in ids {
        if let Some(d) = claim(state, id).await? {
            send_claimed(state, d).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Every instance runs this: scheduled app messages go out when due.
pub async fn worker_loop(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = send_due(&state).await {
            tracing::warn!(error = %e, "scheduled app message worker failed");
        }
    }
}
