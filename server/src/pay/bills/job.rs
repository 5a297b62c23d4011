//! Running a reconciliation: claiming (merchant, day, bill type) through the unique report row
//! and its lease, downloading and comparing ([`super::compare`]), storing the report with its
//! items in one transaction; and the daily job that does yesterday's ALL bill of every
//! merchant, once across all instances.

use api::{
    accounts::{AccountKind, WechatEnv},
    followers::SyncStatus,
    pay::BillType,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use time::{Date, OffsetDateTime};

use super::compare::reconcile;
use crate::{
    entities::db_enum::DbEnum,
    error::AppResult,
    pay::{
        days::{cst, date_str},
        entities::{reconciliation, reconciliation_item},
        merchant::{self, Merchant},
    },
    state::AppState,
};

/// How long a claim on a day protects the work from other instances.
const LEASE_MS: i64 = 10 * 60 * 1000;
/// A failed daily run is retried after this long.
const RETRY_MS: i64 = 60 * 60 * 1000;

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Who runs a reconciliation.
#[derive(Debug, Clone, Copy)]
pub enum Trigger {
    Staff(i64),
    Daily,
}

/// Claims (merchant, day, type) for this run. Staff may redo a finished day; the daily job
/// only takes a day nobody finished (or whose failure is old enough to retry). `None`: another
/// run holds it.
async fn claim(
    state: &AppState,
    merchant_id: i64,
    day: &str,
    bill_type: BillType,
    trigger: Trigger,
    holder: &str,
) -> AppResult<Option<i64>> {
    let now = OffsetDateTime::now_utc();
    let ms = now_ms();
    let (trigger_name, staff_id) = match trigger {
        Trigger::Staff(id) => ("staff", Some(id)),
        Trigger::Daily => ("daily", None),
    };
    let key = || {
        Condition::all()
            .add(reconciliation::Column::AccountId.eq(merchant_id))
            .add(reconciliation::Column::BillDate.eq(day))
            .add(reconciliation::Column::BillType.eq(bill_type.as_str()))
    };
    let inserted = reconciliation::Entity::insert(reconciliation::ActiveModel {
        account_id: Set(merchant_id),
        bill_date: Set(day.to_string()),
        bill_type: Set(bill_type.as_str().into()),
        status: Set(SyncStatus::Running.into()),
        trigger: Set(trigger_name.into()),
        staff_id: Set(staff_id),
        lease_holder: Set(Some(holder.into())),
        lease_until_ms: Set(ms + LEASE_MS),
        bill_rows: Set(0),
        matched: Set(0),
        mismatches: Set(0),
        bill_paid_fee: Set(0),
        bill_refund_fee: Set(0),
        local_paid_fee: Set(0),
        local_refund_fee: Set(0),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if e.sql_err().is_some() => {
            // The row exists: take it over if the rules allow, with one conditional update.
            let takeable = match trigger {
                Trigger::Staff(_) => Condition::any()
                    .add(reconciliation::Column::Status.ne(DbEnum(SyncStatus::Running)))
                    .add(reconciliation::Column::LeaseUntilMs.lt(ms)),
                Trigger::Daily => Condition::all()
                    .add(reconciliation::Column::Status.ne(DbEnum(SyncStatus::Done)))
                    .add(reconciliation::Column::LeaseUntilMs.lt(ms)),
            };
            let res = reconciliation::Entity::update_many()
                .col_expr(
                    reconciliation::Column::Status,
                    Expr::value(DbEnum(SyncStatus::Running)),
                )
                .col_expr(reconciliation::Column::Trigger, Expr::value(trigger_name))
                .col_expr(reconciliation::Column::StaffId, Expr::value(staff_id))
                .col_expr(reconciliation::Column::LeaseHolder, Expr::value(holder))
                .col_expr(
                    reconciliation::Column::LeaseUntilMs,
                    Expr::value(ms + LEASE_MS),
                )
                .col_expr(reconciliation::Column::UpdatedAt, Expr::value(now))
                .filter(key())
                .filter(takeable)
                .exec(&state.db)
                .await?;
            if res.rows_affected != 1 {
                return Ok(None);
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(reconciliation::Entity::find()
        .filter(key())
        .filter(reconciliation::Column::LeaseHolder.eq(holder))
        .one(&state.db)
        .await?
        .map(|r| r.id))
}

/// Runs one reconciliation (claim → download → compare → store). `Ok(None)`: another run
/// holds that day. A WeChat failure is recorded on the report (status `failed`) and returned.
pub async fn run(
    state: &AppState,
    m: &Merchant,
    day: Date,
    bill_type: BillType,
    trigger: Trigger,
) -> AppResult<Option<reconciliation::Model>> {
    let holder = format!("{}-{}", std::process::id(), wechat::types::random_alnum(16));
    let day_s = date_str(day);
    let Some(id) = claim(state, m.id, &day_s, bill_type, trigger, &holder).await? else {
        return Ok(None);
    };
    let result = reconcile(state, m, day, bill_type).await;
    let now = OffsetDateTime::now_utc();
    let mine = || {
        Condition::all()
            .add(reconciliation::Column::Id.eq(id))
            .add(reconciliation::Column::LeaseHolder.eq(holder.as_str()))
    };
    match result {
        Ok((rows, c)) => {
            let txn = state.db.begin().await?;
            reconciliation_item::Entity::delete_many()
                .filter(reconciliation_item::Column::ReconciliationId.eq(id))
                .exec(&txn)
                .await?;
            let mismatches = c.items.len() as i64;
            for chunk in c.items.chunks(200) {
                reconciliation_item::Entity::insert_many(chunk.iter().map(|i| {
                    reconciliation_item::ActiveModel {
                        reconciliation_id: Set(id),
                        kind: Set(i.kind.as_str().into()),
                        entity: Set(i.entity.clone()),
                        out_trade_no: Set(i.out_trade_no.chars().take(64).collect()),
                        out_refund_no: Set(i.out_refund_no.clone()),
                        transaction_id: Set(i.transaction_id.clone()),
                        order_id: Set(i.order_id),
                        local_state: Set(i.local_state.clone()),
                        bill_state: Set(i.bill_state.clone()),
                        local_fee: Set(i.local_fee),
                        bill_fee: Set(i.bill_fee),
                        ..Default::default()
                    }
                }))
                .exec_without_returning(&txn)
                .await?;
            }
            let done = reconciliation::Entity::update_many()
                .col_expr(
                    reconciliation::Column::Status,
                    Expr::value(DbEnum(SyncStatus::Done)),
                )
                .col_expr(reconciliation::Column::BillRows, Expr::value(rows))
                .col_expr(reconciliation::Column::Matched, Expr::value(c.matched))
                .col_expr(reconciliation::Column::Mismatches, Expr::value(mismatches))
                .col_expr(
                    reconciliation::Column::BillPaidFee,
                    Expr::value(c.bill_paid_fee),
                )
                .col_expr(
                    reconciliation::Column::BillRefundFee,
                    Expr::value(c.bill_refund_fee),
                )
                .col_expr(
                    reconciliation::Column::LocalPaidFee,
                    Expr::value(c.local_paid_fee),
                )
                .col_expr(
                    reconciliation::Column::LocalRefundFee,
                    Expr::value(c.local_refund_fee),
                )
                .col_expr(
                    reconciliation::Column::Error,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(reconciliation::Column::LeaseUntilMs, Expr::value(0i64))
                .col_expr(reconciliation::Column::UpdatedAt, Expr::value(now))
                .filter(mine())
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                // Our lease ran out and another run took the day over: leave it to that run.
                txn.rollback().await?;
                return Ok(None);
            }
            txn.commit().await?;
        }
        Err(e) => {
            reconciliation::Entity::update_many()
                .col_expr(
                    reconciliation::Column::Status,
                    Expr::value(DbEnum(SyncStatus::Failed)),
                )
                .col_expr(reconciliation::Column::Error, Expr::value(e.to_string()))
                .col_expr(
                    reconciliation::Column::LeaseUntilMs,
                    Expr::value(now_ms() + RETRY_MS),
                )
                .col_expr(reconciliation::Column::UpdatedAt, Expr::value(now))
                .filter(mine())
                .exec(&state.db)
                .await?;
            return Err(e);
        }
    }
    Ok(reconciliation::Entity::find_by_id(id)
        .one(&state.db)
        .await?)
}

/// Yesterday's ALL bill of every pay merchant, once a day across all instances. Bills of day D
/// are published on D+1 (⚠️ the reference says around 9:00 Beijing time; we start at 10:00).
pub async fn daily_once(state: &AppState) -> AppResult<usize> {
    daily_once_at(state, OffsetDateTime::now_utc()).await
}

/// [`daily_once`] as if it were `now` (tests run "tomorrow's" pass today).
pub async fn daily_once_at(state: &AppState, now: OffsetDateTime) -> AppResult<usize> {
    let now = now.to_offset(cst());
    if now.hour() < 10 {
        return Ok(0);
    }
    let Some(yesterday) = now.date().previous_day() else {
        return Ok(0);
    };
    let ids: Vec<i64> = crate::accounts::queries::list(&state.db, None, None)
        .await?
        .into_iter()
        .filter(|a| a.kind == AccountKind::PayMerchant)
        .filter(|a| a.environment == WechatEnv::Production || state.settings.sandbox)
        .map(|a| a.id)
        .collect();
    let mut done = 0;
    for id in ids {
        let Some(m) = merchant::find(state, id).await? else {
            continue;
        };
        match run(state, &m, yesterday, BillType::All, Trigger::Daily).await {
            Ok(Some(r)) => {
                done += 1;
                tracing::info!(
                    merchant_id = id,
                    bill_date = %r.bill_date,
                    mismatches = r.mismatches,
                    "daily reconciliation done"
                );
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(merchant_id = id, error = %e, "daily reconciliation failed")
            }
        }
    }
    Ok(done)
}

/// Runs [`daily_once`] every 15 minutes (cheap when the day is already done), the first time
/// 5 minutes after start-up.
pub async fn daily_loop(state: AppState) {
    let every = std::time::Duration::from_secs(15 * 60);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(5 * 60);
    let mut tick = tokio::time::interval_at(first, every);
    loop {
        tick.tick().await;
        if let Err(e) = daily_once(&state).await {
            tracing::warn!(error = %e, "daily reconciliation pass failed");
        }
    }
}
