//! Staff API over orders: list with filters and totals, detail with transitions, refunds and
//! the raw notifications.

use api::{
    PageQuery,
    pay::{OrderDetail, OrderPage, OrderQuery, OrderState, OrderTotals, PayNotification, Refund},
};
use axum::{Json, extract::State};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};
use time::{Date, macros::format_description};

use super::{
    days,
    entities::{notification, order, refund},
    orders,
};
use crate::{
    accounts::extract::PayMerchant,
    entities::db_enum::DbEnum,
    error::{AppError, AppResult},
    http::extract::{Path, Query},
    state::AppState,
    util::rfc3339,
};

fn day(s: &str, field: &str) -> AppResult<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| AppError::BadRequest(format!("{field} must be YYYY-MM-DD")))
}

pub(super) fn filters(merchant_id: i64, q: &OrderQuery) -> AppResult<Condition> {
    let mut c = Condition::all().add(order::Column::AccountId.eq(merchant_id));
    if let Some(s) = q.state {
        c = c.add(order::Column::State.eq(DbEnum(s)));
    }
    if let Some(f) = q.from.as_deref().filter(|s| !s.is_empty()) {
        let (start, _) = days::bounds(day(f, "from")?);
        c = c.add(order::Column::CreatedAt.gte(start));
    }
    if let Some(t) = q.to.as_deref().filter(|s| !s.is_empty()) {
        let (_, end) = days::bounds(day(t, "to")?);
        c = c.add(order::Column::CreatedAt.lt(end));
    }
    if let Some(p) = q.product_id {
        c = c.add(order::Column::ProductId.eq(p));
    }
    if let Some(v) = q.min_fee {
        c = c.add(order::Column::TotalFee.gte(v));
    }
    if let Some(v) = q.max_fee {
        c = c.add(order::Column::TotalFee.lte(v));
    }
    if let Some(p) = q.payer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        c = c.add(order::Column::PayerOpenid.eq(p));
    }
    if let Some(n) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        c = c.add(
            Condition::any()
                .add(order::Column::OutTradeNo.eq(n))
                .add(order::Column::TransactionId.eq(n)),
        );
    }
    Ok(c)
}

/// `SUM(col)` as a BIGINT on every backend (PostgreSQL and MySQL widen it to numeric/decimal).
fn sum(backend: DbBackend, col: &str) -> Expr {
    Expr::cust(match backend {
        DbBackend::Postgres => format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT)"),
        DbBackend::MySql => format!("CAST(COALESCE(SUM({col}), 0) AS SIGNED)"),
        _ => format!("COALESCE(SUM({col}), 0)"),
    })
}

async fn totals<C: ConnectionTrait>(db: &C, cond: Condition) -> AppResult<OrderTotals> {
    let backend = db.get_database_backend();
    let (count, total_fee, refunded_fee): (i64, i64, i64) = order::Entity::find()
        .filter(cond.clone())
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(sum(backend, "total_fee"), "t")
        .column_as(sum(backend, "refunded_fee"), "r")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    let paid: Option<i64> = order::Entity::find()
        .filter(cond.add(
            order::Column::State.is_in([OrderState::Success.as_str(), OrderState::Refund.as_str()]),
        ))
        .select_only()
        .column_as(sum(backend, "total_fee"), "t")
        .into_tuple()
        .one(db)
        .await?;
    Ok(OrderTotals {
        count: count.max(0) as u64,
        total_fee,
        paid_fee: paid.unwrap_or(0),
        refunded_fee,
    })
}

/// `GET /api/pay/merchants/{id}/orders`
pub async fn list(
    State(state): State<AppState>,
    PayMerchant(merchant): PayMerchant,
    Query(q): Query<OrderQuery>,
) -> AppResult<Json<OrderPage>> {
    let merchant_id = merchant.id;
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let cond = filters(merchant_id, &q)?;
    let total = order::Entity::find()
        .filter(cond.clone())
        .count(&state.db)
        .await?;
    let rows = order::Entity::find()
        .filter(cond.clone())
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(orders::view)
        .collect::<AppResult<_>>()?;
    Ok(Json(OrderPage {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
        totals: totals(&state.db, cond).await?,
    }))
}

fn refund_view(r: refund::Model) -> Refund {
    Refund {
        id: r.id,
        out_refund_no: r.out_refund_no,
        refund_id: r.refund_id,
        refund_fee: r.refund_fee,
        total_fee: r.total_fee,
        state: r.state.as_str().to_string(),
        reason: r.reason,
        success_time: r.success_time.map(rfc3339),
        created_at: rfc3339(r.created_at),
    }
}

/// `GET /api/pay/orders/{id}`
pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<OrderDetail>> {
    let o = order::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let transitions = orders::transitions(&state.db, id).await?;
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(id))
        .order_by_asc(refund::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(refund_view)
        .collect();
    let notifications = notification::Entity::find()
        .filter(notification::Column::OrderId.eq(id))
        .order_by_asc(notification::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|n| PayNotification {
            id: n.id,
            kind: n.kind,
            outcome: n.outcome,
            reason: n.reason,
            body: n.body,
            received_at: rfc3339(n.received_at),
        })
        .collect();
    Ok(Json(OrderDetail {
        order: orders::view(o)?,
        transitions,
        refunds,
        notifications,
    }))
}
