//! WeChat-facing endpoints: payment notifications and refund notifications.
//!
//! Mounted outside sessions and CSRF; authenticated by WeChat's signature (payments, verified
//! with the sign type of OUR order, since notifications usually omit `sign_type`) or by the
//! API-key-derived encryption of `req_info` (refunds). Every notification is stored raw with
//! its outcome; a rejected one changes nothing else and is answered with WeChat's FAIL XML.

use api::pay::{Applied, OrderState, TransitionCause};
use axum::{
    body::Bytes,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use time::OffsetDateTime;
use wechat::pay::{NOTIFY_SUCCESS_REPLY, PayNotify, RefundNotify, SignType, notify_fail_reply};

use super::{
    entities::{notification, order, refund},
    merchant::{self, Merchant},
    orders::{self, Cause, Facts, Outcome},
    refunds::{self, RefundOutcome, RefundState},
};
use crate::{
    error::{AppError, AppResult},
    group_commit::Step,
    http::extract::Path,
    state::AppState,
    util,
};

/// Largest notification body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// How a notification was handled (stored in `pay_notifications.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Applied,
    Duplicate,
    Rejected,
    /// Authentic, but the order cannot take it (e.g. paid after we closed it): staff must look.
    Conflict,
}

impl Handled {
    pub fn as_str(self) -> &'static str {
        match self {
            Handled::Applied => "applied",
            Handled::Duplicate => "duplicate",
            Handled::Rejected => "rejected",
            Handled::Conflict => "conflict",
        }
    }
}

fn xml(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn success() -> Response {
    xml(NOTIFY_SUCCESS_REPLY.to_string())
}

fn fail(msg: &str) -> Response {
    xml(notify_fail_reply(msg))
}

async fn record<C: ConnectionTrait>(
    db: &C,
    merchant_id: i64,
    order_id: Option<i64>,
    kind: &str,
    outcome: Handled,
    reason: Option<String>,
    body: &str,
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    // A rejected notification keeps a bounded prefix (none past the per-minute allowance) with
    // its length and hash: junk notifications must not fill the disk.
    let (body, reason) = if outcome == Handled::Rejected {
        let recent = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(merchant_id))
            .filter(notification::Column::Outcome.eq(Handled::Rejected.as_str()))
            .filter(notification::Column::ReceivedAt.gt(now - time::Duration::MINUTE))
            .count(db)
            .await?;
        let (kept, note) = util::rejected_body(body, recent < util::REJECTED_BODIES_PER_MINUTE);
        (kept, util::with_note(reason, note))
    } else {
        (body.to_string(), reason)
    };
    notification::Entity::insert(notification::ActiveModel {
        account_id: Set(merchant_id),
        order_id: Set(order_id),
        kind: Set(kind.to_string()),
        outcome: Set(outcome.as_str().to_string()),
        reason: Set(reason),
        body: Set(body),
        received_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Deletes notifications received before `older_than` that are of orders settled (no longer
/// payable) before then, or of no order at all (rejected junk). Open orders keep theirs.
pub async fn prune_notifications<C: ConnectionTrait>(
    db: &C,
    older_than: OffsetDateTime,
) -> AppResult<u64> {
    use sea_orm::{QuerySelect, QueryTrait, sea_query::Condition};
    let settled = OrderState::ALL
        .into_iter()
        .filter(|s| !s.is_open())
        .map(|s| s.as_str());
    let settled_orders = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::State.is_in(settled))
        .filter(order::Column::UpdatedAt.lt(older_than))
        .into_query();
    Ok(notification::Entity::delete_many()
        .filter(notification::Column::ReceivedAt.lt(older_than))
        .filter(
            Condition::any()
                .add(notification::Column::OrderId.is_null())
                .add(notification::Column::OrderId.in_subquery(settled_orders)),
        )
        .exec(db)
        .await?
        .rows_affected)
}

fn sign_type_of_order(o: &order::Model) -> SignType {
    SignType::parse(&o.sign_type).unwrap_or(SignType::Md5)
}

/// Logs a notification that was not applied, records every one with its outcome, and answers
/// WeChat: SUCCESS for applied or duplicate, FAIL with the reason otherwise.
async fn answer(
    state: &AppState,
    merchant_id: i64,
    kind: &'static str,
    text: &str,
    (handled, order_id, reason): (Handled, Option<i64>, Option<String>),
) -> AppResult<Response> {
    if handled == Handled::Rejected || handled == Handled::Conflict {
        tracing::warn!(
            merchant_id,
            order_id,
            kind,
            outcome = handled.as_str(),
            reason = reason.as_deref().unwrap_or(""),
            "notification not applied"
        );
    }
    record(
        &state.db,
        merchant_id,
        order_id,
        kind,
        handled,
        reason.clone(),
        text,
    )
    .await?;
    Ok(match handled {
        Handled::Applied | Handled::Duplicate => success(),
        Handled::Rejected | Handled::Conflict => fail(reason.as_deref().unwrap_or("rejected")),
    })
}

/// `POST /pay/{merchant_id}/notify`
pub async fn pay_notify(
    State(state): State<AppState>,
    Path(merchant_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let Some(m) = merchant::find(&state, merchant_id).await? else {
        return Ok(fail("unknown merchant"));
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    match handle_pay_notify(&state, &m, &text).await? {
        Notified::Stored => Ok(success()),
        Notified::Verdict(v) => answer(&state, merchant_id, "pay", &text, v).await,
    }
}

/// What handling a payment notification came to.
enum Notified {
    /// Applied, and stored with the transition in the same transaction (the common case).
    Stored,
    /// To be recorded and answered by [`answer`].
    Verdict((Handled, Option<i64>, Option<String>)),
}

async fn handle_pay_notify(state: &AppState, m: &Merchant, text: &str) -> AppResult<Notified> {
    let reject = |order: Option<i64>, why: &str| {
        Ok(Notified::Verdict((
            Handled::Rejected,
            order,
            Some(why.into()),
        )))
    };
    // The order decides the sign type, so look it up first (unverified input used only as a key).
    let out_trade_no = match wechat::pay::PayMap::from_xml(text) {
        Ok(map) => map.get("out_trade_no").map(str::to_string),
        Err(_) => return reject(None, "malformed XML"),
    };
    let Some(out_trade_no) = out_trade_no.filter(|s| !s.is_empty() && s.len() <= 32) else {
        return reject(None, "missing out_trade_no");
    };
    let Some(order) = orders::find_by_out_trade_no(&state.db, m.id, &out_trade_no).await? else {
        return reject(None, "unknown out_trade_no");
    };
    let n = match PayNotify::parse_and_verify(text, &m.api_key, sign_type_of_order(&order)) {
        Ok(n) => n,
        Err(e) => return reject(Some(order.id), &format!("not accepted: {e}")),
    };
    if n.appid != m.app_id {
        return reject(Some(order.id), "appid does not match the merchant");
    }
    if n.mch_id != m.mch_id {
        return reject(Some(order.id), "mch_id does not match the merchant");
    }
    if n.total_fee.0 != order.total_fee {
        return reject(Some(order.id), "total_fee does not match the order");
    }
    // On doubt (an authentic notification that does not report a plain success with its
    // transaction id), WeChat's order query decides, not the notification.
    if !n.is_success() || n.transaction_id.is_none() {
        return settle_by_query(state, m, &order, "the notification is not a plain success")
            .await
            .map(Notified::Verdict);
    }
    let facts = Facts {
        transaction_id: n.transaction_id.clone(),
        payer_openid: n.openid.clone(),
        time_end: n.time_end.as_deref().and_then(orders::parse_wechat_time),
    };
    let cause = Cause {
        raw: Some(text.to_string()),
        ..Cause::new(TransitionCause::Notify)
    };
    // The order as just read decides; the conditional update keeps it race-safe. One
    // transaction holds the state change, its transition row and the stored notification.
    match (*order.state).apply(OrderState::Success) {
        Ok(Applied::Unchanged(_)) => {
            return Ok(Notified::Verdict((
                Handled::Duplicate,
                Some(order.id),
                None,
            )));
        }
        Err(e) => {
            return Ok(Notified::Verdict((
                Handled::Conflict,
                Some(order.id),
                Some(e.to_string()),
            )));
        }
        Ok(Applied::Changed { from, to }) => {
            // In the shared writer's next batch (`group_commit`): concurrent notifications
            // share one commit, and WeChat hears SUCCESS only once this one's has happened.
            let (order_id, merchant_id, text) = (order.id, m.id, text.to_string());
            let (facts, cause) = (facts.clone(), cause.clone());
            let moved = state
                .writer
                .run(&state.db, move |part| {
                    Box::pin(async move {
                        if !orders::move_in(part.txn, order_id, from, to, &facts, &cause).await? {
                            return Ok::<_, AppError>(Step::Discard(None));
                        }
                        record(
                            part.txn,
                            merchant_id,
                            Some(order_id),
                            "pay",
                            Handled::Applied,
                            None,
                            &text,
                        )
                        .await?;
                        Ok(Step::Keep(Some(())))
                    })
                })
                .await?;
            if moved.is_some() {
                return Ok(Notified::Stored);
            }
            // Another writer moved the order meanwhile: decide again on a fresh read.
        }
    }
    Ok(Notified::Verdict(
        match orders::transition(&state.db, order.id, OrderState::Success, &facts, &cause).await? {
            Outcome::Changed { .. } => (Handled::Applied, Some(order.id), None),
            Outcome::Duplicate => (Handled::Duplicate, Some(order.id), None),
            Outcome::Illegal(e) => (Handled::Conflict, Some(order.id), Some(e.to_string())),
        },
    ))
}

/// Asks WeChat for the order and applies its answer (cause `query`). When the query fails the
/// notification is answered FAIL, so that WeChat sends it again later.
async fn settle_by_query(
    state: &AppState,
    m: &Merchant,
    order: &order::Model,
    why: &str,
) -> AppResult<(Handled, Option<i64>, Option<String>)> {
    let doubt = |reason: String| Ok((Handled::Rejected, Some(order.id), Some(reason)));
    let pay = match super::client::client(state, m).await {
        Ok(p) => p,
        Err(e) => return doubt(format!("{why}; cannot query the order: {e}")),
    };
    let r = match pay
        .order_query(&wechat::pay::OrderRef::OutTradeNo(
            order.out_trade_no.clone(),
        ))
        .await
    {
        Ok(r) => r,
        Err(e) => {
            return doubt(format!(
                "{why}; the order query failed: {}",
                crate::wechat_clients::describe(&e)
            ));
        }
    };
    let Some(to) = OrderState::parse(&r.trade_state) else {
        return doubt(format!(
            "{why}; the query reports trade_state {}",
            r.trade_state
        ));
    };
    if r.total_fee.is_some_and(|fee| fee.0 != order.total_fee) {
        return doubt(format!("{why}; the query reports another total_fee"));
    }
    let facts = Facts {
        transaction_id: r.transaction_id.clone(),
        payer_openid: r.openid.clone(),
        time_end: r.time_end.as_deref().and_then(orders::parse_wechat_time),
    };
    let cause = Cause {
        note: Some(format!("{why}: settled by an order query")),
        raw: Some(r.raw.to_xml()),
        ..Cause::new(TransitionCause::Query)
    };
    Ok(
        match orders::transition(&state.db, order.id, to, &facts, &cause).await? {
            Outcome::Changed { .. } => (
                Handled::Applied,
                Some(order.id),
                Some(cause.note.unwrap_or_default()),
            ),
            Outcome::Duplicate => (
                Handled::Duplicate,
                Some(order.id),
                Some(format!("{why}; WeChat reports {to}")),
            ),
            Outcome::Illegal(e) => (Handled::Conflict, Some(order.id), Some(e.to_string())),
        },
    )
}

/// `POST /pay/{merchant_id}/refund-notify`
pub async fn refund_notify(
    State(state): State<AppState>,
    Path(merchant_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let Some(m) = merchant::find(&state, merchant_id).await? else {
        return Ok(fail("unknown merchant"));
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let outcome = handle_refund_notify(&state, &m, &text).await?;
    answer(&state, merchant_id, "refund", &text, outcome).await
}

async fn handle_refund_notify(
    state: &AppState,
    m: &Merchant,
    text: &str,
) -> AppResult<(Handled, Option<i64>, Option<String>)> {
    let reject = |order: Option<i64>, why: &str| Ok((Handled::Rejected, order, Some(why.into())));
    let n = match RefundNotify::parse(text, &m.api_key) {
        Ok(n) => n,
        Err(e) => return reject(None, &format!("not accepted: {e}")),
    };
    if n.appid != m.app_id {
        return reject(None, "appid does not match the merchant");
    }
    if n.mch_id != m.mch_id {
        return reject(None, "mch_id does not match the merchant");
    }
    let info = &n.info;
    let Some(order) = orders::find_by_out_trade_no(&state.db, m.id, &info.out_trade_no).await?
    else {
        return reject(None, "unknown out_trade_no");
    };
    let Some(r) = refund::Entity::find()
        .filter(refund::Column::OutRefundNo.eq(&info.out_refund_no))
        .filter(refund::Column::OrderId.eq(order.id))
        .one(&state.db)
        .await?
    else {
        return reject(Some(order.id), "unknown out_refund_no");
    };
    if info.refund_fee.0 != r.refund_fee {
        return reject(Some(order.id), "refund_fee does not match the refund");
    }
    let Some(status) = RefundState::reported(&info.refund_status).filter(|s| s.is_final()) else {
        return reject(Some(order.id), "unknown refund_status");
    };
    let outcome = refunds::apply(
        state,
        &order,
        &r,
        status,
        Some(info.refund_id.clone()),
        info.success_time
            .as_deref()
            .and_then(refunds::parse_success_time),
        TransitionCause::RefundNotify,
        info.raw.to_xml(),
    )
    .await?;
    Ok(match outcome {
        RefundOutcome::Applied => (Handled::Applied, Some(order.id), None),
        RefundOutcome::Unchanged => (Handled::Duplicate, Some(order.id), None),
        RefundOutcome::Conflict(why) => (Handled::Conflict, Some(order.id), Some(why)),
    })
}

/// `POST /pay/{merchant_id}/scan-callback` (native mode 1): WeChat reports a scan of a product's
/// `bizpayurl`; we create a NATIVE unified order for that product and payer and answer the signed
/// reply with its `prepay_id` (a signed FAIL with a reason for an unknown or inactive product).
pub async fn scan_callback(
    State(state): State<AppState>,
    Path(merchant_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let Some(m) = merchant::find(&state, merchant_id).await? else {
        return Ok(fail("unknown merchant"));
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    // WeChat signs scan callbacks with the merchant's configured type; MD5 is accepted too (the
    // key is required either way), and the reply uses whichever verified.
    let verified = [m.sign_type, SignType::Md5].into_iter().find_map(|st| {
        wechat::pay::ScanCallbackRequest::parse_and_verify(&text, &m.api_key, st)
            .ok()
            .map(|r| (r, st))
    });
    let Some((req, st)) = verified else {
        record(
            &state.db,
            m.id,
            None,
            "scan",
            Handled::Rejected,
            Some("signature or fields not accepted".into()),
            &text,
        )
        .await?;
        return Ok(fail("signature not accepted"));
    };
    if req.appid != m.app_id || req.mch_id != m.mch_id {
        record(
            &state.db,
            m.id,
            None,
            "scan",
            Handled::Rejected,
            Some("appid or mch_id does not match the merchant".into()),
            &text,
        )
        .await?;
        return Ok(fail("appid or mch_id does not match"));
    }
    let reply = |r: Result<&str, &str>| {
        xml(wechat::pay::scan_callback_reply(
            &m.app_id, &m.mch_id, r, &m.api_key, st,
        ))
    };
    let product = match req.product_id.parse::<i64>() {
        Ok(pid) => super::products::find(&state.db, pid)
            .await?
            .filter(|p| p.account_id == m.id && p.active),
        Err(_) => None,
    };
    let Some(product) = product else {
        record(
            &state.db,
            m.id,
            None,
            "scan",
            Handled::Rejected,
            Some("unknown or inactive product".into()),
            &text,
        )
        .await?;
        return Ok(reply(Err(
            "商品不存在或已下架 (unknown or inactive product)",
        )));
    };
    match super::client::native_order(&state, &m, &product, Some(&req.openid)).await {
        Ok(o) => {
            record(
                &state.db,
                m.id,
                Some(o.id),
                "scan",
                Handled::Applied,
                None,
                &text,
            )
            .await?;
            Ok(reply(Ok(o.prepay_id.as_deref().unwrap_or_default())))
        }
        Err(e) => {
            tracing::warn!(merchant_id = m.id, error = %e, "mode-1 unified order failed");
            record(
                &state.db,
                m.id,
                None,
                "scan",
                Handled::Rejected,
                Some(format!("unified order failed: {e}")),
                &text,
            )
            .await?;
            Ok(reply(Err("下单失败 (could not create the order)")))
        }
    }
}
