//! Refund states: applying what WeChat says about a refund (its notification or a refund
//! query) to our row, once, and moving the order to REFUND when money went back.

use api::pay::{Applied, OrderState, TransitionCause};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use time::OffsetDateTime;

use super::{
    entities::{order, refund},
    orders::{self, Cause, Facts},
};
use crate::{
    entities::db_enum::{DbEnum, StoredEnum, stored_enum},
    error::AppResult,
    state::AppState,
};

/// A refund's state: WeChat's `refund_status`, or `FAILED` when WeChat refused the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundState {
    Processing,
    Success,
    /// The money could not go back to the payer's account (WeChat: 退款异常).
    Change,
    RefundClose,
    /// Ours: the refund request itself failed, nothing was refunded.
    Failed,
}

stored_enum!(RefundState {
    RefundState::Processing => "PROCESSING",
    RefundState::Success => "SUCCESS",
    RefundState::Change => "CHANGE",
    RefundState::RefundClose => "REFUNDCLOSE",
    RefundState::Failed => "FAILED",
});

impl RefundState {
    /// A state WeChat reports that a refund may reach from PROCESSING and never leaves.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            RefundState::Success | RefundState::Change | RefundState::RefundClose
        )
    }

    /// A `refund_status` WeChat reports (a notification or a refund query).
    pub fn reported(status: &str) -> Option<RefundState> {
        RefundState::parse(status).filter(|s| *s != RefundState::Failed)
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Applied,
    /// Already in that state (or still processing).
    Unchanged,
    /// The refund is final in another state: staff must look.
    Conflict(String),
}

/// WeChat reports refund `r` (of order `o`) in `status`. Conditional update from PROCESSING (so
/// two reports at once apply once); on SUCCESS the order's refunded amount grows in the same
/// transaction and the order moves to REFUND (cause `refund_notify` or `query`).
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    state: &AppState,
    o: &order::Model,
    r: &refund::Model,
    status: RefundState,
    refund_id: Option<String>,
    success_time: Option<OffsetDateTime>,
    cause: TransitionCause,
    raw: String,
) -> AppResult<RefundOutcome> {
    if r.state == status || status == RefundState::Processing {
        return Ok(RefundOutcome::Unchanged);
    }
    if r.state != RefundState::Processing {
        return Ok(RefundOutcome::Conflict(format!(
            "refund is {} and cannot become {}",
            r.state.as_str(),
            status.as_str()
        )));
    }
    let now = OffsetDateTime::now_utc();
    let success_time = success_time.or((status == RefundState::Success).then_some(now));
    let cause = Cause {
        note: Some(format!("refund {} succeeded", r.out_refund_no)),
        raw: Some(raw),
        ..Cause::new(cause)
    };
    // The refund's state, the order's refunded amount and its move to REFUND: one transaction,
    // retried if another writer moved the order meanwhile.
    for _ in 0..4 {
        let txn = state.db.begin().await?;
        let mut update = refund::Entity::update_many()
            .col_expr(refund::Column::State, Expr::value(DbEnum(status)))
            .col_expr(refund::Column::SuccessTime, Expr::value(success_time))
            .col_expr(refund::Column::UpdatedAt, Expr::value(now))
            .filter(refund::Column::Id.eq(r.id))
            .filter(refund::Column::State.eq(DbEnum(RefundState::Processing)));
        if let Some(id) = refund_id.clone() {
            update = update.col_expr(refund::Column::RefundId, Expr::value(id));
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(RefundOutcome::Unchanged);
        }
        if status == RefundState::Success {
            order::Entity::update_many()
                .col_expr(
                    order::Column::RefundedFee,
                    Expr::col(order::Column::RefundedFee).add(r.refund_fee),
                )
                .col_expr(order::Column::UpdatedAt, Expr::value(now))
                .filter(order::Column::Id.eq(o.id))
                .exec(&txn)
                .await?;
            let current = order::Entity::find_by_id(o.id)
                .one(&txn)
                .await?
                .ok_or(crate::error::AppError::NotFound)?;
            if let Ok(Applied::Changed { from, to }) = current.state.apply(OrderState::Refund)
                && !orders::move_in(&txn, o.id, from, to, &Facts::default(), &cause).await?
            {
                txn.rollback().await?;
                continue;
            }
        }
        txn.commit().await?;
        return Ok(RefundOutcome::Applied);
    }
    Err(crate::error::AppError::refused(
        "order_busy",
        format!("order {} keeps changing; try again", o.id),
    ))
}

/// `success_time` of a refund (notification or query): `yyyy-MM-dd HH:mm:ss`, Beijing time.
pub fn parse_success_time(s: &str) -> Option<OffsetDateTime> {
    wechat::pay::parse_success_time(s)
}
