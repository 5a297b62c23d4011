//! Storage of app message sends and their calls.

use api::wecom_messages::{AppMessageQuery, Recipients, SendState};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use time::{Date, Duration, OffsetDateTime, Time, format_description::well_known::Iso8601};

use crate::{
    entities::{wecom_message as message, wecom_message_part as part},
    error::{AppError, AppResult},
};

/// Part states.
pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
pub const UNKNOWN: &str = "unknown";
pub const RECALLED: &str = "recalled";

pub async fn insert_message<C: ConnectionTrait>(
    db: &C,
    m: message::ActiveModel,
) -> AppResult<message::Model> {
    Ok(m.insert(db).await?)
}

pub async fn insert_part<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    message_id: i64,
    number: i32,
    recipients: &Recipients,
) -> AppResult<part::Model> {
    Ok(part::ActiveModel {
        message_id: Set(message_id),
        account_id: Set(account_id),
        number: Set(number),
        state: Set(PENDING.into()),
        recipients: Set(serde_json::to_string(recipients).expect("recipients serialise")),
        attempts: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn message<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> AppResult<Option<message::Model>> {
    Ok(message::Entity::find_by_id(id)
        .filter(message::Column::AccountId.eq(account_id))
        .one(db)
        .await?)
}

pub async fn parts<C: ConnectionTrait>(db: &C, message_id: i64) -> AppResult<Vec<part::Model>> {
    Ok(part::Entity::find()
        .filter(part::Column::MessageId.eq(message_id))
        .order_by_asc(part::Column::Number)
        .all(db)
        .await?)
}

pub async fn parts_of<C: ConnectionTrait>(
    db: &C,
    message_ids: &[i64],
) -> AppResult<Vec<part::Model>> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(part::Entity::find()
        .filter(part::Column::MessageId.is_in(message_ids.iter().copied()))
        .order_by_asc(part::Column::Number)
        .all(db)
        .await?)
}

/// Claims a part for a call: `pending` → `sending`, one more attempt. False when another
/// request claimed it first.
pub async fn claim<C: ConnectionTrait>(db: &C, id: i64, now: OffsetDateTime) -> AppResult<bool> {
    let r = part::Entity::update_many()
        .col_expr(part::Column::State, Expr::value(SENDING))
        .col_expr(
            part::Column::Attempts,
            Expr::col(part::Column::Attempts).add(1),
        )
        .col_expr(part::Column::AttemptedAt, Expr::value(Some(now)))
        .filter(part::Column::Id.eq(id))
        .filter(part::Column::State.eq(PENDING))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts `failed` / `unknown` parts of a send back to `pending` for a retry; how many.
pub async fn reopen<C: ConnectionTrait>(db: &C, message_id: i64) -> AppResult<u64> {
    let r = part::Entity::update_many()
        .col_expr(part::Column::State, Expr::value(PENDING))
        .filter(part::Column::MessageId.eq(message_id))
        .filter(part::Column::State.is_in([FAILED, UNKNOWN]))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

pub async fn save_part<C: ConnectionTrait>(db: &C, m: part::ActiveModel) -> AppResult<()> {
    m.update(db).await?;
    Ok(())
}

pub async fn set_state<C: ConnectionTrait>(
    db: &C,
    message_id: i64,
    state: SendState,
    now: OffsetDateTime,
) -> AppResult<()> {
    message::Entity::update_many()
        .col_expr(message::Column::State, Expr::value(state.as_str()))
        .col_expr(message::Column::UpdatedAt, Expr::value(now))
        .filter(message::Column::Id.eq(message_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sends of an account still `pending` and untouched since `before` (the process stopped
/// mid-send): their parts are settled by the caller.
pub async fn stale_pending<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    before: OffsetDateTime,
) -> AppResult<Vec<i64>> {
    Ok(message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::AccountId.eq(account_id))
        .filter(message::Column::State.eq(SendState::Pending.as_str()))
        .filter(message::Column::UpdatedAt.lt(before))
        .into_tuple()
        .all(db)
        .await?)
}

/// Parts that count against the rate limits: called (or about to be) since `since`.
pub async fn recent_calls<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    since: OffsetDateTime,
) -> AppResult<Vec<part::Model>> {
    Ok(part::Entity::find()
        .filter(part::Column::AccountId.eq(account_id))
        .filter(part::Column::State.ne(FAILED))
        .filter(
            part::Column::AttemptedAt
                .gte(since)
                .or(part::Column::State.eq(PENDING)),
        )
        .all(db)
        .await?)
}

fn parse_day(field: &str, s: &str) -> AppResult<OffsetDateTime> {
    let d = Date::parse(s.trim(), &Iso8601::DATE)
        .map_err(|_| AppError::BadRequest(format!("{field} must be a date YYYY-MM-DD")))?;
    Ok(d.with_time(Time::MIDNIGHT).assume_utc())
}

/// A page of sends, newest first, with the total.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    q: &AppMessageQuery,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<message::Model>, u64)> {
    let mut find = message::Entity::find().filter(message::Column::AccountId.eq(account_id));
    if let Some(s) = q.state {
        find = find.filter(message::Column::State.eq(s.as_str()));
    }
    if let Some(t) = q
        .msgtype
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        find = find.filter(message::Column::Msgtype.eq(t));
    }
    if let Some(f) = q.from.as_deref().filter(|s| !s.trim().is_empty()) {
        find = find.filter(message::Column::CreatedAt.gte(parse_day("from", f)?));
    }
    if let Some(t) = q.to.as_deref().filter(|s| !s.trim().is_empty()) {
        let until = parse_day("to", t)? + Duration::days(1);
        find = find.filter(message::Column::CreatedAt.lt(until));
    }
    let total = find.clone().count(db).await?;
    let rows = find
        .order_by_desc(message::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}
