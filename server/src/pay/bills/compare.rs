//! Comparing a day's bill with our records: the bill's rows split into payments and refunds
//! (by column name), our orders and refunds of that day loaded, and the comparison itself
//! ([`compare`], pure) that yields `missing_here`, `missing_there`, `amount_differs` and
//! `state_differs` items.

use std::collections::{HashMap, HashSet};

use api::pay::{BillType, MismatchKind, OrderState, ReconciliationItem};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use time::Date;
use wechat::pay::{Bill, DownloadBillRequest};

use crate::{
    entities::db_enum::{DbEnum, StoredEnum},
    error::{AppError, AppResult},
    pay::{
        client, days,
        entities::{order, refund},
        merchant::Merchant,
        refunds::RefundState,
    },
    state::AppState,
    wechat_clients,
};

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
        if state == OrderState::Refund.as_str()
            || (!out_refund_no.is_empty() && out_refund_no != "0")
        {
            refunds_out.push(BillRefund {
                out_trade_no,
                out_refund_no,
                transaction_id: get("微信订单号"),
                status: match get("退款状态") {
                    s if s.is_empty() => RefundState::Success.as_str().into(),
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
    pub state: OrderState,
    pub total_fee: i64,
}

/// Our side of one refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRefund {
    pub order_id: i64,
    pub out_trade_no: String,
    pub out_refund_no: String,
    pub state: RefundState,
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
                    local_state: Some(o.state.as_str().into()),
                    local_fee: Some(o.total_fee),
                    ..base
                };
                if !o.state.is_paid() {
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
                local_state: Some(o.state.as_str().into()),
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
                    local_state: Some(l.state.as_str().into()),
                    local_fee: Some(l.fee),
                    ..base
                };
                if l.state.as_str() != r.status {
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
                local_state: Some(l.state.as_str().into()),
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
        state: *o.state,
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
            state: *r.state,
            fee: r.refund_fee,
        })
        .collect())
}

/// Downloads, parses and compares the bill of `day` (Beijing time) for merchant `m`.
pub(super) async fn reconcile(
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
                return Err(AppError::refused(
                    "bill_not_ready",
                    "WeChat has no bill for this day yet: bills appear the next morning (Beijing time)",
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
            .filter(
                order::Column::State
                    .is_in([DbEnum(OrderState::Success), DbEnum(OrderState::Refund)]),
            )
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
            .filter(refund::Column::State.eq(DbEnum(RefundState::Success)))
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
            state: OrderState::parse(state).unwrap(),
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
            state: RefundState::Success,
            fee: 500,
        };
        let rb = LocalRefund {
            order_id: 2,
            out_trade_no: "B".into(),
            out_refund_no: "RB".into(),
            state: RefundState::Success,
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
}
