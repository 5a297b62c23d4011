//! Orders: the state machine applied to stored rows, race-safe across instances.
//!
//! A change of state is one conditional `UPDATE … SET state = :to WHERE id = :id AND state =
//! :from` and, only when that touched a row, one transition row — in one transaction. Two
//! instances applying the same notification at once: one update matches, the other sees zero
//! rows, re-reads the order and finds it already in the target state (a duplicate).

use api::pay::{Applied, IllegalTransition, Order, OrderState, OrderTransition, TransitionCause};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};
use time::OffsetDateTime;

use super::entities::{order, transition};
use crate::{
    entities::db_enum::DbEnum,
    error::{AppError, AppResult},
    util::rfc3339,
};

/// What a caller learns from [`transition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This call moved the order (exactly one transition row was written).
    Changed { from: OrderState, to: OrderState },
    /// The order already was in the target state: nothing written.
    Duplicate,
    /// The state machine refuses the change: nothing written.
    Illegal(IllegalTransition),
}

/// Facts that come with a change (from a notification or a query).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub transaction_id: Option<String>,
    pub payer_openid: Option<String>,
    pub time_end: Option<OffsetDateTime>,
}

/// Why and by whom.
#[derive(Debug, Clone)]
pub struct Cause {
    pub cause: TransitionCause,
    pub staff_id: Option<i64>,
    pub note: Option<String>,
    /// The raw payload that caused it (notification body, query response).
    pub raw: Option<String>,
}

impl Cause {
    pub fn new(cause: TransitionCause) -> Cause {
        Cause {
            cause,
            staff_id: None,
            note: None,
            raw: None,
        }
    }
}

pub async fn find_by_out_trade_no<C: ConnectionTrait>(
    db: &C,
    merchant_id: i64,
    out_trade_no: &str,
) -> AppResult<Option<order::Model>> {
    Ok(order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .filter(order::Column::AccountId.eq(merchant_id))
        .one(db)
        .await?)
}

/// Moves order `order_id` to `to`, idempotently. Retries a lost race a few times (another
/// instance may have moved the order to an intermediate state meanwhile).
pub async fn transition(
    db: &DatabaseConnection,
    order_id: i64,
    to: OrderState,
    facts: &Facts,
    cause: &Cause,
) -> AppResult<Outcome> {
    for _ in 0..4 {
        let current = order::Entity::find_by_id(order_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let from = *current.state;
        match from.apply(to) {
            Ok(Applied::Unchanged(_)) => return Ok(Outcome::Duplicate),
            Err(e) => return Ok(Outcome::Illegal(e)),
            Ok(Applied::Changed { from, to }) => {
                if try_move(db, order_id, from, to, facts, cause).await? {
                    return Ok(Outcome::Changed { from, to });
                }
            }
        }
    }
    Err(AppError::refused(
        "order_busy",
        format!("order {order_id} keeps changing; try again"),
    ))
}

/// The conditional update + transition row; `false` if the order was no longer in `from`.
async fn try_move(
    db: &DatabaseConnection,
    order_id: i64,
    from: OrderState,
    to: OrderState,
    facts: &Facts,
    cause: &Cause,
) -> AppResult<bool> {
    let txn = db.begin().await?;
    if move_in(&txn, order_id, from, to, facts, cause).await? {
        txn.commit().await?;
        Ok(true)
    } else {
        txn.rollback().await?;
        Ok(false)
    }
}

/// Inside the caller's transaction: moves the order from `from` to `to` with one conditional
/// update and writes its transition row; `false` (nothing written) if it was no longer in
/// `from`.
pub async fn move_in<C: ConnectionTrait>(
    txn: &C,
    order_id: i64,
    from: OrderState,
    to: OrderState,
    facts: &Facts,
    cause: &Cause,
) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::State, Expr::value(DbEnum(to)))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::State.eq(DbEnum(from)));
    if let Some(t) = &facts.transaction_id {
        update = update.col_expr(order::Column::TransactionId, Expr::value(t.clone()));
    }
    if let Some(o) = &facts.payer_openid {
        update = update.col_expr(order::Column::PayerOpenid, Expr::value(o.clone()));
    }
    if let Some(t) = facts.time_end {
        update = update.col_expr(order::Column::TimeEnd, Expr::value(t));
    }
    let res = update.exec(txn).await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    transition::Entity::insert(transition::ActiveModel {
        order_id: Set(order_id),
        from_state: Set(from.into()),
        to_state: Set(to.into()),
        cause: Set(cause.cause.into()),
        staff_id: Set(cause.staff_id),
        note: Set(cause.note.clone()),
        raw_payload: Set(cause.raw.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(true)
}

pub async fn transitions<C: ConnectionTrait>(
    db: &C,
    order_id: i64,
) -> AppResult<Vec<OrderTransition>> {
    let rows = transition::Entity::find()
        .filter(transition::Column::OrderId.eq(order_id))
        .order_by_asc(transition::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|t| OrderTransition {
            id: t.id,
            from_state: *t.from_state,
            to_state: *t.to_state,
            cause: *t.cause,
            staff_id: t.staff_id,
            note: t.note,
            created_at: rfc3339(t.created_at),
        })
        .collect())
}

pub fn view(m: order::Model) -> AppResult<Order> {
    let state = *m.state;
    Ok(Order {
        id: m.id,
        merchant_id: m.account_id,
        product_id: m.product_id,
        out_trade_no: m.out_trade_no,
        body: m.body,
        detail: m.detail,
        attach: m.attach,
        total_fee: m.total_fee,
        refunded_fee: m.refunded_fee,
        trade_type: m.trade_type,
        state,
        payer_openid: m.payer_openid,
        transaction_id: m.transaction_id,
        code_url: m.code_url,
        time_start: rfc3339(m.time_start),
        time_expire: rfc3339(m.time_expire),
        time_end: m.time_end.map(rfc3339),
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    })
}

/// A new `out_trade_no`: `yyyyMMddHHmmss` + 18 random digits = 32 characters, unique by the
/// database's unique index (and practically by the randomness).
pub fn new_out_trade_no(now: OffsetDateTime) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let digits: String = (0..18)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    format!("{}{digits}", wechat_time(now))
}

/// WeChat's `yyyyMMddHHmmss` in Beijing time (UTC+8).
pub fn wechat_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(super::days::cst());
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses WeChat's `yyyyMMddHHmmss` (Beijing time).
pub fn parse_wechat_time(s: &str) -> Option<OffsetDateTime> {
    // Stored as UTC like every other timestamp (SQLite compares them as text).
    wechat::pay::parse_time(s)
}

/// Unpaid orders are closed this long after their `time_expire` (in-flight notifications land
/// first; WeChat refuses payment after `time_expire` anyway).
pub const EXPIRY_GRACE: time::Duration = time::Duration::minutes(5);

/// Closes (cause `expiry`) every still-open order whose `time_expire` + [`EXPIRY_GRACE`] has
/// passed; returns how many this call closed. Safe to run on every instance at once.
pub async fn expire_due(db: &DatabaseConnection, now: OffsetDateTime) -> AppResult<u64> {
    let due = order::Entity::find()
        .filter(
            order::Column::State
                .is_in([DbEnum(OrderState::NotPay), DbEnum(OrderState::UserPaying)]),
        )
        .filter(order::Column::TimeExpire.lte(now - EXPIRY_GRACE))
        .order_by_asc(order::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let mut closed = 0;
    for o in due {
        let cause = Cause {
            note: Some("time_expire passed".into()),
            ..Cause::new(TransitionCause::Expiry)
        };
        if let Outcome::Changed { .. } =
            transition(db, o.id, OrderState::Closed, &Facts::default(), &cause).await?
        {
            closed += 1;
        }
    }
    Ok(closed)
}

/// Runs [`expire_due`] every minute.
pub async fn expiry_loop(db: DatabaseConnection) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match expire_due(&db, OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "expired pay orders closed"),
            Err(e) => tracing::warn!(error = %e, "pay order expiry failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_trade_no_is_32_digits() {
        let n = new_out_trade_no(OffsetDateTime::now_utc());
        assert_eq!(n.len(), 32);
        assert!(n.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(n, new_out_trade_no(OffsetDateTime::now_utc()));
    }

    #[test]
    fn wechat_time_round_trips_in_beijing_time() {
        let t = time::macros::datetime!(2026-03-01 16:30:05 UTC);
        assert_eq!(wechat_time(t), "20260302003005");
        assert_eq!(parse_wechat_time("20260302003005"), Some(t));
        assert_eq!(parse_wechat_time("2026030200300"), None);
        assert_eq!(parse_wechat_time("20261302003005"), None);
    }
}
