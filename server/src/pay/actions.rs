//! Staff actions on an order, against WeChat: query (sync), close, refund, refund query.

use api::pay::{CreateRefundRequest, OrderDetail, OrderState, TransitionCause};
use axum::{Json, extract::State};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use time::OffsetDateTime;
use wechat::{
    pay::{OrderRef, RefundQueryRef, RefundRequest},
    types::Fen,
};

use super::{
    client::{self, wechat_err},
    entities::{order, refund},
    merchant::{self, Merchant},
    orders::{self, Cause, Facts, Outcome},
    refunds::{self, RefundOutcome, RefundState},
    staff,
};
use crate::auth::CurrentUser;
use crate::{
    audit,
    entities::db_enum::DbEnum,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
};

async fn load(state: &AppState, id: i64) -> AppResult<(order::Model, Merchant)> {
    let o = order::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = merchant::require(state, o.account_id).await?;
    Ok((o, m))
}

fn staff_cause(user: &CurrentUser, note: String) -> Cause {
    Cause {
        staff_id: Some(user.id),
        note: Some(note),
        ..Cause::new(TransitionCause::Staff)
    }
}

fn refuse_illegal(outcome: Outcome) -> AppResult<()> {
    match outcome {
        Outcome::Illegal(e) => Err(AppError::Refused {
            reason: "order_state_refused",
            message: e.to_string(),
        }),
        _ => Ok(()),
    }
}

/// `POST /api/pay/orders/{id}/query`: asks WeChat and applies what it says (cause `query`).
pub async fn query(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<OrderDetail>> {
    let (o, m) = load(&state, id).await?;
    let pay = client::client(&state, &m).await?;
    let r = pay
        .order_query(&OrderRef::OutTradeNo(o.out_trade_no.clone()))
        .await
        .map_err(wechat_err)?;
    let to = OrderState::parse(&r.trade_state).ok_or_else(|| {
        AppError::Wechat(format!("WeChat Pay: unknown trade_state {}", r.trade_state))
    })?;
    if let Some(fee) = r.total_fee
        && fee.0 != o.total_fee
    {
        return Err(AppError::Wechat(format!(
            "WeChat Pay reports total_fee {} for an order of {}",
            fee.0, o.total_fee
        )));
    }
    let facts = Facts {
        transaction_id: r.transaction_id.clone(),
        payer_openid: r.openid.clone(),
        time_end: r.time_end.as_deref().and_then(orders::parse_wechat_time),
    };
    let cause = Cause {
        raw: Some(r.raw.to_xml()),
        ..Cause::new(TransitionCause::Query)
    };
    refuse_illegal(orders::transition(&state.db, o.id, to, &facts, &cause).await?)?;
    staff::detail(State(state), Path(id)).await
}

/// `POST /api/pay/orders/{id}/close`: closes an unpaid order at WeChat, then here.
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<OrderDetail>> {
    let (o, m) = load(&state, id).await?;
    let current = *o.state;
    if !current.is_open() {
        return Err(AppError::refused(
            "order_not_open",
            format!("an order in {current} cannot be closed"),
        ));
    }
    client::client(&state, &m)
        .await?
        .close_order(&o.out_trade_no)
        .await
        .map_err(wechat_err)?;
    let outcome = orders::transition(
        &state.db,
        o.id,
        OrderState::Closed,
        &Facts::default(),
        &staff_cause(&user, "closed by staff".into()),
    )
    .await?;
    refuse_illegal(outcome)?;
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_order.close",
        "pay_order",
        Some(o.id),
        format!("closed order {}", o.out_trade_no),
        json!({"merchant_id": m.id}),
    )
    .await?;
    staff::detail(State(state), Path(id)).await
}

/// `POST /api/pay/orders/{id}/refunds`: a full or partial refund; the result arrives with the
/// refund notification (or a refund query).
pub async fn refund(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<CreateRefundRequest>,
) -> AppResult<Json<OrderDetail>> {
    let req = body.value;
    let (o, m) = load(&state, id).await?;
    let current = *o.state;
    if !current.is_paid() {
        return Err(AppError::refused(
            "order_not_paid",
            format!("an order in {current} cannot be refunded"),
        ));
    }
    let pending: i64 = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(o.id))
        .filter(refund::Column::State.eq(DbEnum(RefundState::Processing)))
        .all(&state.db)
        .await?
        .iter()
        .map(|r| r.refund_fee)
        .sum();
    let left = o.total_fee - o.refunded_fee - pending;
    if req.refund_fee < 1 || req.refund_fee > left {
        return Err(AppError::Validation(vec![api::FieldIssue {
            field: "refund_fee".into(),
            code: "refund_range".into(),
            message: format!(
                "The refund must be between 0.01 and {} yuan.",
                api::pay::fen_to_yuan(left.max(0))
            ),
        }]));
    }
    // A missing or unusable certificate is a clear 409 before anything is recorded or sent.
    let pay = client::with_cert(&state, &m).await?;
    let now = OffsetDateTime::now_utc();
    let out_refund_no = format!("R{}", orders::new_out_trade_no(now));
    let row = refund::ActiveModel {
        account_id: Set(m.id),
        order_id: Set(o.id),
        out_refund_no: Set(out_refund_no.clone()),
        refund_id: Set(None),
        refund_fee: Set(req.refund_fee),
        total_fee: Set(o.total_fee),
        state: Set(RefundState::Processing.into()),
        reason: Set(req.reason.clone()),
        staff_id: Set(Some(user.id)),
        success_time: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    let result = pay
        .refund(&RefundRequest {
            order: OrderRef::OutTradeNo(o.out_trade_no.clone()),
            out_refund_no: out_refund_no.clone(),
            total_fee: Fen(o.total_fee),
            refund_fee: Fen(req.refund_fee),
            refund_desc: req.reason.clone(),
            notify_url: Some(client::refund_notify_url(&state, &m)),
        })
        .await;
    match result {
        Ok(r) => {
            let mut a: refund::ActiveModel = row.into();
            a.refund_id = Set(Some(r.refund_id));
            a.updated_at = Set(OffsetDateTime::now_utc());
            a.update(&state.db).await?;
        }
        Err(e) => {
            let mut a: refund::ActiveModel = row.into();
            a.state = Set(RefundState::Failed.into());
            a.reason = Set(Some(crate::wechat_clients::describe(&e)));
            a.updated_at = Set(OffsetDateTime::now_utc());
            a.update(&state.db).await?;
            return Err(wechat_err(e));
        }
    }
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_order.refund",
        "pay_order",
        Some(o.id),
        format!(
            "refund {} of {} yuan for order {}",
            out_refund_no,
            api::pay::fen_to_yuan(req.refund_fee),
            o.out_trade_no
        ),
        json!({"merchant_id": m.id, "refund_fee": req.refund_fee}),
    )
    .await?;
    staff::detail(State(state), Path(id)).await
}

/// `POST /api/pay/orders/{id}/refunds/{refund_id}/query`: asks WeChat about one refund (by its
/// `out_refund_no`) and applies the answer (a SUCCESS moves the order to REFUND, cause `query`).
pub async fn refund_query(
    State(state): State<AppState>,
    Path((id, refund_row)): Path<(i64, i64)>,
) -> AppResult<Json<OrderDetail>> {
    let (o, m) = load(&state, id).await?;
    let r = refund::Entity::find_by_id(refund_row)
        .filter(refund::Column::OrderId.eq(o.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let answer = client::client(&state, &m)
        .await?
        .refund_query(&RefundQueryRef::OutRefundNo(r.out_refund_no.clone()))
        .await
        .map_err(wechat_err)?;
    let item = answer
        .refunds
        .iter()
        .find(|i| i.out_refund_no == r.out_refund_no)
        .ok_or_else(|| {
            AppError::Wechat(format!(
                "WeChat Pay does not list refund {}",
                r.out_refund_no
            ))
        })?;
    let Some(status) = RefundState::reported(&item.refund_status) else {
        return Err(AppError::Wechat(format!(
            "WeChat Pay reports an unknown refund_status {}",
            item.refund_status
        )));
    };
    if item.refund_fee.0 != r.refund_fee {
        return Err(AppError::Wechat(format!(
            "WeChat Pay reports refund_fee {} for a refund of {}",
            item.refund_fee.0, r.refund_fee
        )));
    }
    let n = answer
        .refunds
        .iter()
        .position(|i| i.out_refund_no == r.out_refund_no)
        .unwrap_or(0);
    let success_time = answer
        .raw
        .get(&format!("refund_success_time_{n}"))
        .and_then(refunds::parse_success_time);
    let outcome = refunds::apply(
        &state,
        &o,
        &r,
        status,
        Some(item.refund_id.clone()),
        success_time,
        TransitionCause::Query,
        answer.raw.to_xml(),
    )
    .await?;
    if let RefundOutcome::Conflict(why) = outcome {
        return Err(AppError::Refused {
            reason: "refund_settled",
            message: why,
        });
    }
    staff::detail(State(state), Path(id)).await
}
