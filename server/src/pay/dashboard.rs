//! The payments dashboard: per day (Beijing time) orders created, orders paid and revenue,
//! refunds; orders by state; paid orders by product.

use std::collections::BTreeMap;

use api::pay::{
    Dashboard, DashboardDay, DashboardProduct, DashboardQuery, DashboardState, OrderState,
};
use axum::{Json, extract::State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use time::{Date, OffsetDateTime};

use super::days::{self, date_str, day_of};

use super::{
    entities::{order, product, refund},
    refunds::RefundState,
};
use crate::{
    accounts::extract::PayMerchant,
    entities::db_enum::DbEnum,
    error::{AppError, AppResult},
    http::extract::Query,
    state::AppState,
};

/// The longest range a dashboard covers.
pub const MAX_DAYS: i64 = 366;

fn parse(s: Option<&str>, field: &str) -> AppResult<Option<Date>> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let (y, m, d) = api::pay::parse_day(s)
        .ok_or_else(|| AppError::BadRequest(format!("{field} must be YYYY-MM-DD")))?;
    let month =
        time::Month::try_from(m).map_err(|_| AppError::BadRequest(format!("{field}: month")))?;
    Date::from_calendar_date(y, month, d)
        .map(Some)
        .map_err(|_| AppError::BadRequest(format!("{field} is not a date")))
}

/// `GET /api/pay/merchants/{id}/dashboard?from=&to=`
pub async fn get(
    State(state): State<AppState>,
    PayMerchant(merchant): PayMerchant,
    Query(q): Query<DashboardQuery>,
) -> AppResult<Json<Dashboard>> {
    let merchant_id = merchant.id;
    let today = day_of(OffsetDateTime::now_utc());
    let to = parse(q.to.as_deref(), "to")?.unwrap_or(today);
    let from = parse(q.from.as_deref(), "from")?.unwrap_or(to - time::Duration::days(29));
    if from > to {
        return Err(AppError::BadRequest("from is after to".into()));
    }
    if (to - from).whole_days() >= MAX_DAYS {
        return Err(AppError::BadRequest(format!(
            "a dashboard covers at most {MAX_DAYS} days"
        )));
    }
    let (start, _) = days::bounds(from);
    let (_, end) = days::bounds(to);

    let mut days: BTreeMap<Date, DashboardDay> = BTreeMap::new();
    let mut d = from;
    loop {
        days.insert(
            d,
            DashboardDay {
                date: date_str(d),
                orders: 0,
                paid: 0,
                revenue_fee: 0,
                refunded_fee: 0,
            },
        );
        match d.next_day() {
            Some(n) if n <= to => d = n,
            _ => break,
        }
    }

    // Orders created in the range: per day and per state.
    let created: Vec<(String, i64, OffsetDateTime)> = order::Entity::find()
        .select_only()
        .column(order::Column::State)
        .column(order::Column::TotalFee)
        .column(order::Column::CreatedAt)
        .filter(order::Column::AccountId.eq(merchant_id))
        .filter(order::Column::CreatedAt.gte(start))
        .filter(order::Column::CreatedAt.lt(end))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut by_state: BTreeMap<&'static str, DashboardState> = BTreeMap::new();
    for (st, fee, at) in &created {
        if let Some(day) = days.get_mut(&day_of(*at)) {
            day.orders += 1;
        }
        if let Some(s) = OrderState::parse(st) {
            let e = by_state.entry(s.as_str()).or_insert(DashboardState {
                state: s,
                count: 0,
                total_fee: 0,
            });
            e.count += 1;
            e.total_fee += fee;
        }
    }

    // Orders paid in the range: revenue per day and per product.
    let paid: Vec<(Option<i64>, String, i64, Option<OffsetDateTime>)> = order::Entity::find()
        .select_only()
        .column(order::Column::ProductId)
        .column(order::Column::Body)
        .column(order::Column::TotalFee)
        .column(order::Column::TimeEnd)
        .filter(order::Column::AccountId.eq(merchant_id))
        .filter(
            order::Column::State.is_in([DbEnum(OrderState::Success), DbEnum(OrderState::Refund)]),
        )
        .filter(order::Column::TimeEnd.gte(start))
        .filter(order::Column::TimeEnd.lt(end))
        .into_tuple()
        .all(&state.db)
        .await?;
    let names: BTreeMap<i64, String> = product::Entity::find()
        .filter(product::Column::AccountId.eq(merchant_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut by_product: BTreeMap<Option<i64>, DashboardProduct> = BTreeMap::new();
    for (pid, body, fee, at) in &paid {
        if let Some(day) = at.and_then(|t| days.get_mut(&day_of(t))) {
            day.paid += 1;
            day.revenue_fee += fee;
        }
        let e = by_product.entry(*pid).or_insert_with(|| DashboardProduct {
            product_id: *pid,
            name: pid
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| body.clone()),
            paid: 0,
            revenue_fee: 0,
        });
        e.paid += 1;
        e.revenue_fee += fee;
    }

    // Successful refunds in the range.
    let refunded: Vec<(i64, Option<OffsetDateTime>)> = refund::Entity::find()
        .select_only()
        .column(refund::Column::RefundFee)
        .column(refund::Column::SuccessTime)
        .filter(refund::Column::AccountId.eq(merchant_id))
        .filter(refund::Column::State.eq(DbEnum(RefundState::Success)))
        .filter(refund::Column::SuccessTime.gte(start))
        .filter(refund::Column::SuccessTime.lt(end))
        .into_tuple()
        .all(&state.db)
        .await?;
    for (fee, at) in &refunded {
        if let Some(day) = at.and_then(|t| days.get_mut(&day_of(t))) {
            day.refunded_fee += fee;
        }
    }

    let mut by_product: Vec<DashboardProduct> = by_product.into_values().collect();
    by_product.sort_by(|a, b| b.revenue_fee.cmp(&a.revenue_fee).then(a.name.cmp(&b.name)));
    let mut by_state: Vec<DashboardState> = by_state.into_values().collect();
    by_state.sort_by_key(|s| OrderState::ALL.iter().position(|x| *x == s.state));
    Ok(Json(Dashboard {
        from: date_str(from),
        to: date_str(to),
        orders: created.len() as i64,
        paid: paid.len() as i64,
        revenue_fee: paid.iter().map(|p| p.2).sum(),
        refunded_fee: refunded.iter().map(|r| r.0).sum(),
        days: days.into_values().collect(),
        by_state,
        by_product,
    }))
}
