//! Bills and reconciliation: download a day's bill (`downloadbill`, gzip), parse it with the
//! `wechat` crate's bill parser, compare it with our orders and refunds of that day, store the
//! report (one per merchant, day and bill type), show it and export it as CSV; a daily job does
//! yesterday's ALL bill of every merchant unattended.
//!
//! Claiming a day is race-safe across instances: the report row is unique per (merchant, day,
//! type) and carries a lease (`lease_holder`, `lease_until_ms`). Whoever inserts the row, or
//! takes over an expired lease with one conditional update, does the work; the others skip.

use std::collections::{HashMap, HashSet};

use api::pay::{
    BillType, MismatchKind, ReconcileRequest, Reconciliation, ReconciliationDetail,
    ReconciliationItem,
};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::days::{self, cst, date_str};
use wechat::pay::{Bill, DownloadBillRequest};

use super::{
    client,
    entities::{order, reconciliation, reconciliation_item, refund},
    merchant::{self, Merchant},
    refunds,
};
use crate::auth::CurrentUser;
use crate::{
    audit,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// How long a claim on a day protects the work from other instances.
const LEASE_MS: i64 = 10 * 60 * 1000;
/// A failed daily run is retried after this long.
const RETRY_MS: i64 = 60 * 60 * 1000;

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// The day `YYYY-MM-DD` as a date.
fn parse_date(s: &str) -> Option<Date> {
    let (y, m, d) = api::pay::parse_day(s)?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

fn view(r: reconciliation::Model) -> Reconciliation {
    Reconciliation {
        id: r.id,
        merchant_id: r.account_id,
        bill_type: BillType::parse(&r.bill_type).unwrap_or_default(),
        bill_date: r.bill_date,
        status: r.status,
        trigger: r.trigger,
        bill_rows: r.bill_rows,
        matched: r.matched,
        mismatches: r.mismatches,
        bill_paid_fee: r.bill_paid_fee,
        bill_refund_fee: r.bill_refund_fee,
        local_paid_fee: r.local_paid_fee,
        local_refund_fee: r.local_refund_fee,
        error: r.error,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
    }
}

fn item_view(i: reconciliation_item::Model) -> ReconciliationItem {
    ReconciliationItem {
        kind: MismatchKind::parse(&i.kind).unwrap_or(MismatchKind::StateDiffers),
        entity: i.entity,
        out_trade_no: i.out_trade_no,
        out_refund_no: i.out_refund_no,
        transaction_id: i.transaction_id,
        order_id: i.order_id,
        local_state: i.local_state,
        bill_state: i.bill_state,
        local_fee: i.local_fee,
        bill_fee: i.bill_fee,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing a bill with our records (pure, tested below)
// ---------------------------------------------------------------------------------------------

/// A payment row of a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillPayment {
    pub out_trade_no: String,
    pub transaction_id: String,
    pub state: String,
    pub fee: i64,
}

/// A refund row of a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillRefund {
    pub out_trade_no: String,
    pub out_refund_no: String,
    pub transaction_id: String,
    pub status: String,
    pub fee: i64,
}

/// The first of `names` the bill has, as an exact fen amount.
fn amount(bill: &Bill, row: &wechat::pay::BillRow, names: &[&str]) -> Result<i64, String> {
    for n in names {
        if bill.headers.iter().any(|h| h == n) {
            return row.amount(bill, n).map(|f| f.0).map_err(|e| e.to_string());
        }
    }
    Err(format!("the bill has none of the columns {names:?}"))
}

/// Splits a bill's rows into payments and refunds (by name, not position: WeChat's columns
/// changed over the years).
pub fn split_bill(bill: &Bill) -> Result<(Vec<BillPayment>, Vec<BillRefund>), String> {
    let mut payments = Vec::new();
    let mut refunds_out = Vec::new();
    for row in &bill.rows {
        let get = |n: &str| row.get(bill, n).unwrap_or("").trim().to_string();
        let out_trade_no = get("商户订单号");
        if out_trade_no.is_empty() {
            return Err("a bill row has no 商户订单号".into());
        }
        let state = get("交易状态");
        let out_refund_no = get("商户退款单号");
        if state == "REFUND" || (!out_refund_no.is_empty() && out_refund_no != "0") {
            refunds_out.push(BillRefund {
                out_trade_no,
                out_refund_no,
                transaction_id: get("微信订单号"),
                status: match get("退款状态") {
                    s if s.is_empty() => "SUCCESS".into(),
                    s => s,
                },
                fee: amount(bill, row, &["申请退款金额", "退款金额"])?,
            });
        } else {
            payments.push(BillPayment {
                out_trade_no,
                transaction_id: get("微信订单号"),
                state,
                fee: amount(bill, row, &["订单金额", "应结订单金额", "总金额"])?,
            });
        }
    }
    Ok((payments, refunds_out))
}

/// Our side of one order, as far as reconciliation cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOrder {
    pub id: i64,
    pub out_trade_no: String,
    pub state: String,
    pub total_fee: i64,
}

/// Our side of one refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRefund {
    pub order_id: i64,
    pub out_trade_no: String,
    pub out_refund_no: String,
    pub state: String,
    pub fee: i64,
}

/// The outcome of comparing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub items: Vec<ReconciliationItem>,
    pub matched: i64,
    pub bill_paid_fee: i64,
    pub bill_refund_fee: i64,
    pub local_paid_fee: i64,
    pub local_refund_fee: i64,
}

fn was_paid(state: &str) -> bool {
    matches!(state, "SUCCESS" | "REFUND")
}

/// Compares a bill's rows with ours.
/// * `known_orders`: our orders named by the bill (any day), by `out_trade_no`;
/// * `paid_that_day`: our orders paid on the bill's day;
/// * `known_refunds`: our refunds named by the bill, by `out_refund_no`;
/// * `refunded_that_day`: our refunds that succeeded on the bill's day.
pub fn compare(
    payments: &[BillPayment],
    bill_refunds: &[BillRefund],
    known_orders: &HashMap<String, LocalOrder>,
    paid_that_day: &[LocalOrder],
    known_refunds: &HashMap<String, LocalRefund>,
    refunded_that_day: &[LocalRefund],
) -> Comparison {
    let mut c = Comparison::default();
    let item = |kind: MismatchKind, entity: &str, out_trade_no: &str| ReconciliationItem {
        kind,
        entity: entity.into(),
        out_trade_no: out_trade_no.into(),
        out_refund_no: None,
        transaction_id: None,
        order_id: None,
        local_state: None,
        bill_state: None,
        local_fee: None,
        bill_fee: None,
    };
    let mut seen_payments = HashSet::new();
    for p in payments {
        c.bill_paid_fee += p.fee;
        seen_payments.insert(p.out_trade_no.clone());
        let base = ReconciliationItem {
            transaction_id: Some(p.transaction_id.clone()).filter(|t| !t.is_empty()),
            bill_state: Some(p.state.clone()),
            bill_fee: Some(p.fee),
            ..item(MismatchKind::MissingHere, "payment", &p.out_trade_no)
        };
        match known_orders.get(&p.out_trade_no) {
            None => c.items.push(base),
            Some(o) => {
                let ours = ReconciliationItem {
                    order_id: Some(o.id),
                    local_state: Some(o.state.clone()),
                    local_fee: Some(o.total_fee),
                    ..base
                };
                if !was_paid(&o.state) {
                    c.items.push(ReconciliationItem {
                        kind: MismatchKind::StateDiffers,
                        ..ours
                    });
                } else if o.total_fee != p.fee {
                    c.items.push(ReconciliationItem {
                        kind: MismatchKind::AmountDiffers,
                        ..ours
                    });
                } else {
                    c.matched += 1;
                }
            }
        }
    }
    for o in paid_that_day {
        c.local_paid_fee += o.total_fee;
        if !seen_payments.contains(&o.out_trade_no) {
            c.items.push(ReconciliationItem {
                order_id: Some(o.id),
                local_state: Some(o.state.clone()),
                local_fee: Some(o.total_fee),
                ..item(MismatchKind::MissingThere, "payment", &o.out_trade_no)
            });
        }
    }
    let mut seen_refunds = HashSet::new();
    for r in bill_refunds {
        c.bill_refund_fee += r.fee;
        seen_refunds.insert(r.out_refund_no.clone());
        let base = ReconciliationItem {
            out_refund_no: Some(r.out_refund_no.clone()),
            transaction_id: Some(r.transaction_id.clone()).filter(|t| !t.is_empty()),
            bill_state: Some(r.status.clone()),
            bill_fee: Some(r.fee),
            ..item(MismatchKind::MissingHere, "refund", &r.out_trade_no)
        };
        match known_refunds.get(&r.out_refund_no) {
            None => c.items.push(base),
            Some(l) => {
                let ours = ReconciliationItem {
                    order_id: Some(l.order_id),
                    local_state: Some(l.state.clone()),
                    local_fee: Some(l.fee),
                    ..base
                };
                if l.state != r.status {
                    c.items.push(ReconciliationItem {
                        kind: MismatchKind::StateDiffers,
                        ..ours
                    });
                } else if l.fee != r.fee {
                    c.items.push(ReconciliationItem {
                        kind: MismatchKind::AmountDiffers,
                        ..ours
                    });
                } else {
                    c.matched += 1;
                }
            }
        }
    }
    for l in refunded_that_day {
        c.local_refund_fee += l.fee;
        if !seen_refunds.contains(&l.out_refund_no) {
            c.items.push(ReconciliationItem {
                out_refund_no: Some(l.out_refund_no.clone()),
                order_id: Some(l.order_id),
                local_state: Some(l.state.clone()),
                local_fee: Some(l.fee),
                ..item(MismatchKind::MissingThere, "refund", &l.out_trade_no)
            });
        }
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Loading our side
// ---------------------------------------------------------------------------------------------

fn local_order(o: &order::Model) -> LocalOrder {
    LocalOrder {
        id: o.id,
        out_trade_no: o.out_trade_no.clone(),
        state: o.state.clone(),
        total_fee: o.total_fee,
    }
}

async fn orders_named(
    state: &AppState,
    merchant_id: i64,
    names: Vec<String>,
) -> AppResult<HashMap<String, LocalOrder>> {
    let mut out = HashMap::new();
    for chunk in names.chunks(500) {
        for o in order::Entity::find()
            .filter(order::Column::AccountId.eq(merchant_id))
            .filter(order::Column::OutTradeNo.is_in(chunk.to_vec()))
            .all(&state.db)
            .await?
        {
            out.insert(o.out_trade_no.clone(), local_order(&o));
        }
    }
    Ok(out)
}

async fn refunds_named(
    state: &AppState,
    merchant_id: i64,
    names: Vec<String>,
) -> AppResult<HashMap<String, LocalRefund>> {
    let mut rows = Vec::new();
    for chunk in names.chunks(500) {
        rows.extend(
            refund::Entity::find()
                .filter(refund::Column::AccountId.eq(merchant_id))
                .filter(refund::Column::OutRefundNo.is_in(chunk.to_vec()))
                .all(&state.db)
                .await?,
        );
    }
    with_orders(state, rows).await.map(|v| {
        v.into_iter()
            .map(|r| (r.out_refund_no.clone(), r))
            .collect()
    })
}

async fn with_orders(state: &AppState, rows: Vec<refund::Model>) -> AppResult<Vec<LocalRefund>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.order_id).collect();
    let mut names = HashMap::new();
    for chunk in ids.chunks(500) {
        for o in order::Entity::find()
            .filter(order::Column::Id.is_in(chunk.to_vec()))
            .all(&state.db)
            .await?
        {
            names.insert(o.id, o.out_trade_no);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| LocalRefund {
            order_id: r.order_id,
            out_trade_no: names.get(&r.order_id).cloned().unwrap_or_default(),
            out_refund_no: r.out_refund_no,
            state: r.state,
            fee: r.refund_fee,
        })
        .collect())
}

/// Downloads, parses and compares the bill of `day` (Beijing time) for merchant `m`.
async fn reconcile(
    state: &AppState,
    m: &Merchant,
    day: Date,
    bill_type: BillType,
) -> AppResult<(i64, Comparison)> {
    let pay = client::client(state, m).await?;
    let bill = match pay
        .download_bill(&DownloadBillRequest {
            bill_date: format!(
                "{:04}{:02}{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            ),
            bill_type: bill_type.as_str().into(),
            gzip: true,
        })
        .await
    {
        Ok(b) => b,
        // A past day without payments has no bill: everything of ours that day is "missing
        // there". Today's bill does not exist yet (WeChat publishes it the next day).
        Err(wechat::Error::Pay(wechat::error::PayError::ReturnFail { return_msg }))
            if return_msg.contains("No Bill Exist") =>
        {
            if day >= days::today() {
                return Err(AppError::Conflict(
                    "WeChat has no bill for this day yet: bills appear the next morning (Beijing time)"
                        .into(),
                ));
            }
            Bill::default()
        }
        Err(e) => return Err(wechat_clients::api_error(&e)),
    };
    let (payments, bill_refunds) =
        split_bill(&bill).map_err(|e| AppError::Wechat(format!("WeChat Pay bill: {e}")))?;
    let (start, end) = days::bounds(day);
    let with_payments = bill_type != BillType::Refund;
    let with_refunds = bill_type != BillType::Success;
    let paid_that_day: Vec<LocalOrder> = if with_payments {
        order::Entity::find()
            .filter(order::Column::AccountId.eq(m.id))
            .filter(order::Column::State.is_in(["SUCCESS", "REFUND"]))
            .filter(order::Column::TimeEnd.gte(start))
            .filter(order::Column::TimeEnd.lt(end))
            .all(&state.db)
            .await?
            .iter()
            .map(local_order)
            .collect()
    } else {
        Vec::new()
    };
    let refunded_that_day = if with_refunds {
        let rows = refund::Entity::find()
            .filter(refund::Column::AccountId.eq(m.id))
            .filter(refund::Column::State.eq(refunds::SUCCESS))
            .filter(refund::Column::SuccessTime.gte(start))
            .filter(refund::Column::SuccessTime.lt(end))
            .all(&state.db)
            .await?;
        with_orders(state, rows).await?
    } else {
        Vec::new()
    };
    let known_orders = orders_named(
        state,
        m.id,
        payments.iter().map(|p| p.out_trade_no.clone()).collect(),
    )
    .await?;
    let known_refunds = refunds_named(
        state,
        m.id,
        bill_refunds
            .iter()
            .map(|r| r.out_refund_no.clone())
            .collect(),
    )
    .await?;
    let c = compare(
        &payments,
        &bill_refunds,
        &known_orders,
        &paid_that_day,
        &known_refunds,
        &refunded_that_day,
    );
    Ok((bill.rows.len() as i64, c))
}

// ---------------------------------------------------------------------------------------------
// Claiming, running, storing
// ---------------------------------------------------------------------------------------------

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
        status: Set("running".into()),
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
                    .add(reconciliation::Column::Status.ne("running"))
                    .add(reconciliation::Column::LeaseUntilMs.lt(ms)),
                Trigger::Daily => Condition::all()
                    .add(reconciliation::Column::Status.ne("done"))
                    .add(reconciliation::Column::LeaseUntilMs.lt(ms)),
            };
            let res = reconciliation::Entity::update_many()
                .col_expr(reconciliation::Column::Status, Expr::value("running"))
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
                .col_expr(reconciliation::Column::Status, Expr::value("done"))
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
                .col_expr(reconciliation::Column::Status, Expr::value("failed"))
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
    let now = OffsetDateTime::now_utc().to_offset(cst());
    if now.hour() < 10 {
        return Ok(0);
    }
    let Some(yesterday) = now.date().previous_day() else {
        return Ok(0);
    };
    let ids: Vec<i64> = crate::accounts::queries::list(&state.db, None, None)
        .await?
        .into_iter()
        .filter(|a| a.kind == "pay_merchant")
        .filter(|a| a.environment == "production" || state.settings.sandbox)
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

// ---------------------------------------------------------------------------------------------
// Staff API
// ---------------------------------------------------------------------------------------------

async fn detail_of(state: &AppState, r: reconciliation::Model) -> AppResult<ReconciliationDetail> {
    let items = reconciliation_item::Entity::find()
        .filter(reconciliation_item::Column::ReconciliationId.eq(r.id))
        .order_by_asc(reconciliation_item::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(item_view)
        .collect();
    Ok(ReconciliationDetail {
        reconciliation: view(r),
        items,
    })
}

/// `POST /api/pay/merchants/{id}/reconciliations`: download a past day's bill and reconcile it.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(merchant_id): Path<i64>,
    body: extract::Json<ReconcileRequest>,
) -> AppResult<(StatusCode, Json<ReconciliationDetail>)> {
    let req = body.value;
    let issues = req.validate();
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let m = merchant::require(&state, merchant_id).await?;
    let day = parse_date(&req.bill_date).ok_or_else(|| AppError::BadRequest("bill_date".into()))?;
    if day > days::today() {
        return Err(AppError::Validation(vec![api::FieldIssue {
            field: "bill_date".into(),
            code: "bill_date_past".into(),
            message: "Bills exist only for past days (Beijing time).".into(),
        }]));
    }
    let r = run(&state, &m, day, req.bill_type, Trigger::Staff(user.id))
        .await?
        .ok_or_else(|| {
            AppError::Conflict("this day's bill is being reconciled right now; try again".into())
        })?;
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_bill.reconcile",
        "pay_reconciliation",
        Some(r.id),
        format!(
            "reconciled the {} bill of {} ({} mismatches)",
            r.bill_type, r.bill_date, r.mismatches
        ),
        json!({"merchant_id": merchant_id}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, r).await?)))
}

/// `GET /api/pay/merchants/{id}/reconciliations`: the reports, newest day first (100 at most).
pub async fn list(
    State(state): State<AppState>,
    Path(merchant_id): Path<i64>,
) -> AppResult<Json<Vec<Reconciliation>>> {
    if !merchant::is_merchant(&state, merchant_id).await? {
        return Err(AppError::NotFound);
    }
    let rows = reconciliation::Entity::find()
        .filter(reconciliation::Column::AccountId.eq(merchant_id))
        .order_by_desc(reconciliation::Column::BillDate)
        .order_by_asc(reconciliation::Column::BillType)
        .limit(100)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect()))
}

async fn find(state: &AppState, id: i64) -> AppResult<reconciliation::Model> {
    reconciliation::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /api/pay/reconciliations/{id}`
pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<ReconciliationDetail>> {
    let r = find(&state, id).await?;
    Ok(Json(detail_of(&state, r).await?))
}

fn csv_field(s: &str) -> String {
    // Quote everything; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The report as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese right).
pub fn to_csv(d: &ReconciliationDetail) -> String {
    let yuan = |f: Option<i64>| f.map(api::pay::fen_to_yuan).unwrap_or_default();
    let mut out = String::from("\u{feff}");
    let r = &d.reconciliation;
    out.push_str("bill_date,bill_type,status,bill_rows,matched,mismatches,bill_paid_yuan,local_paid_yuan,bill_refund_yuan,local_refund_yuan\r\n");
    out.push_str(
        &[
            r.bill_date.clone(),
            r.bill_type.as_str().into(),
            r.status.clone(),
            r.bill_rows.to_string(),
            r.matched.to_string(),
            r.mismatches.to_string(),
            api::pay::fen_to_yuan(r.bill_paid_fee),
            api::pay::fen_to_yuan(r.local_paid_fee),
            api::pay::fen_to_yuan(r.bill_refund_fee),
            api::pay::fen_to_yuan(r.local_refund_fee),
        ]
        .iter()
        .map(|s| csv_field(s))
        .collect::<Vec<_>>()
        .join(","),
    );
    out.push_str("\r\n\r\nkind,entity,out_trade_no,out_refund_no,transaction_id,local_state,bill_state,local_yuan,bill_yuan\r\n");
    for i in &d.items {
        let fields = [
            i.kind.as_str().to_string(),
            i.entity.clone(),
            i.out_trade_no.clone(),
            i.out_refund_no.clone().unwrap_or_default(),
            i.transaction_id.clone().unwrap_or_default(),
            i.local_state.clone().unwrap_or_default(),
            i.bill_state.clone().unwrap_or_default(),
            yuan(i.local_fee),
            yuan(i.bill_fee),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|s| csv_field(s))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// `GET /api/pay/reconciliations/{id}/csv`
pub async fn csv(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let r = find(&state, id).await?;
    let name = format!(
        "reconciliation-{}-{}-{}.csv",
        r.account_id,
        r.bill_date,
        r.bill_type.to_ascii_lowercase()
    );
    let d = detail_of(&state, r).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        to_csv(&d),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BILL: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n\
`2026-03-01 10:00:00,`wx1,`1900000001,`0,`,`4200001,`A,`o1,`NATIVE,`SUCCESS,`CFT,`CNY,`18.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Latte,`,`0.11000,`0.60%,`18.00,`0.00,`\r\n\
`2026-03-01 10:01:00,`wx1,`1900000001,`0,`,`4200002,`B,`o1,`NATIVE,`SUCCESS,`CFT,`CNY,`20.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Mocha,`,`0.12000,`0.60%,`20.00,`0.00,`\r\n\
`2026-03-01 10:02:00,`wx1,`1900000001,`0,`,`4200003,`X,`o2,`NATIVE,`SUCCESS,`CFT,`CNY,`1.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Ghost,`,`0.01000,`0.60%,`1.00,`0.00,`\r\n\
`2026-03-01 11:00:00,`wx1,`1900000001,`0,`,`4200001,`A,`o1,`NATIVE,`REFUND,`CFT,`CNY,`0.00,`0.00,`5000001,`RA,`5.00,`0.00,`ORIGINAL,`SUCCESS,`Latte,`,`-0.03000,`0.60%,`0.00,`5.00,`\r\n\
总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\
`4,`39.00,`5.00,`0.00,`0.21000,`39.00,`5.00\r\n";

    fn o(id: i64, no: &str, state: &str, fee: i64) -> LocalOrder {
        LocalOrder {
            id,
            out_trade_no: no.into(),
            state: state.into(),
            total_fee: fee,
        }
    }

    #[test]
    fn every_kind_of_difference_is_found() {
        let bill = Bill::parse(BILL.as_bytes()).unwrap();
        let (payments, refunds) = split_bill(&bill).unwrap();
        assert_eq!(payments.len(), 3);
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].fee, 500);
        // A: refunded here, amount agrees. B: ours says 19.00. X: unknown here.
        // C: paid here that day, not in the bill. D: in the bill? no. RA: refund agrees.
        let a = o(1, "A", "REFUND", 1800);
        let b = o(2, "B", "SUCCESS", 1900);
        let c = o(3, "C", "SUCCESS", 700);
        let known: HashMap<_, _> = [a.clone(), b.clone()]
            .into_iter()
            .map(|x| (x.out_trade_no.clone(), x))
            .collect();
        let ra = LocalRefund {
            order_id: 1,
            out_trade_no: "A".into(),
            out_refund_no: "RA".into(),
            state: "SUCCESS".into(),
            fee: 500,
        };
        let rb = LocalRefund {
            order_id: 2,
            out_trade_no: "B".into(),
            out_refund_no: "RB".into(),
            state: "SUCCESS".into(),
            fee: 100,
        };
        let known_refunds: HashMap<_, _> = [("RA".to_string(), ra.clone())].into();
        let cmp = compare(
            &payments,
            &refunds,
            &known,
            &[a, b, c],
            &known_refunds,
            &[ra, rb],
        );
        let kinds: Vec<(&str, &str, &str)> = cmp
            .items
            .iter()
            .map(|i| (i.kind.as_str(), i.entity.as_str(), i.out_trade_no.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("amount_differs", "payment", "B"),
                ("missing_here", "payment", "X"),
                ("missing_there", "payment", "C"),
                ("missing_there", "refund", "B"),
            ]
        );
        assert_eq!(cmp.matched, 2);
        assert_eq!(cmp.bill_paid_fee, 3900);
        assert_eq!(cmp.local_paid_fee, 1800 + 1900 + 700);
        assert_eq!(cmp.bill_refund_fee, 500);
        assert_eq!(cmp.local_refund_fee, 600);
        assert_eq!(cmp.items[0].bill_fee, Some(2000));
        assert_eq!(cmp.items[0].local_fee, Some(1900));
        // An order we never saw paid is a state difference.
        let unpaid: HashMap<_, _> = [("X".to_string(), o(9, "X", "NOTPAY", 100))].into();
        let cmp = compare(&payments[2..], &[], &unpaid, &[], &HashMap::new(), &[]);
        assert_eq!(cmp.items[0].kind, MismatchKind::StateDiffers);
        assert_eq!(cmp.items[0].local_state.as_deref(), Some("NOTPAY"));
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let d = ReconciliationDetail {
            reconciliation: Reconciliation {
                id: 1,
                merchant_id: 2,
                bill_date: "2026-03-01".into(),
                bill_type: BillType::All,
                status: "done".into(),
                trigger: "staff".into(),
                bill_rows: 1,
                matched: 0,
                mismatches: 1,
                bill_paid_fee: 100,
                bill_refund_fee: 0,
                local_paid_fee: 0,
                local_refund_fee: 0,
                error: None,
                created_at: String::new(),
                updated_at: String::new(),
            },
            items: vec![ReconciliationItem {
                kind: MismatchKind::MissingHere,
                entity: "payment".into(),
                out_trade_no: "=HYPERLINK(\"x\")".into(),
                out_refund_no: None,
                transaction_id: None,
                order_id: None,
                local_state: None,
                bill_state: Some("SUCCESS".into()),
                local_fee: None,
                bill_fee: Some(100),
            }],
        };
        let csv = to_csv(&d);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"missing_here\",\"payment\",\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(csv.contains("\"1.00\"\r\n"));
    }

    #[test]
    fn bill_days_are_beijing_days() {
        let d = parse_date("2026-03-01").unwrap();
        let (s, e) = days::bounds(d);
        assert_eq!(s, time::macros::datetime!(2026-02-28 16:00 UTC));
        assert_eq!(e - s, time::Duration::days(1));
        assert!(parse_date("2026-02-30").is_none());
        assert_eq!(date_str(d), "2026-03-01");
    }
}
