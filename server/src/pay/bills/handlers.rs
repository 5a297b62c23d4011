//! The staff API of bills: reconcile a past day, the reports of a merchant, one report with its
//! items, and its CSV download.

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
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use time::Date;

use super::{
    csv::to_csv,
    job::{Trigger, run},
};
use crate::{
    accounts::extract::PayMerchant,
    audit,
    auth::CurrentUser,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    pay::{
        days,
        entities::{reconciliation, reconciliation_item},
        merchant,
    },
    state::AppState,
    util::rfc3339,
};

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
        status: r.status.as_str().to_string(),
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
            AppError::refused(
                "bill_running",
                "this day's bill is being reconciled right now; try again",
            )
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
    PayMerchant(merchant): PayMerchant,
) -> AppResult<Json<Vec<Reconciliation>>> {
    let merchant_id = merchant.id;
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
    use crate::pay::days::date_str;

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
