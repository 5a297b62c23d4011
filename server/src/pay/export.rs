//! `GET /api/pay/merchants/{id}/orders/csv`: the orders under the list's filters as CSV, in the
//! staff member's language, times in Beijing time (UTF-8 with BOM for spreadsheet programs).

use api::pay::{OrderQuery, OrderState};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use super::{bills::csv::csv_field, entities::order, staff::filters};
use crate::{
    accounts::extract::PayMerchant, auth::CurrentUser, error::AppResult, http::extract::Query,
    state::AppState,
};

/// More than a spreadsheet wants; a narrower filter gets the rest.
pub const MAX_ROWS: u64 = 50_000;

fn beijing(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::macros::offset!(+8));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn state_name(s: OrderState, partial: bool, zh: bool) -> &'static str {
    let (zh_name, en_name) = match s {
        OrderState::Refund if partial => ("部分退款", "Partially refunded"),
        OrderState::NotPay => ("待支付", "Not paid"),
        OrderState::UserPaying => ("支付中", "Paying"),
        OrderState::Success => ("已支付", "Paid"),
        OrderState::Refund => ("已退款", "Refunded"),
        OrderState::Closed => ("已关闭", "Closed"),
        OrderState::Revoked => ("已撤销", "Revoked"),
        OrderState::PayError => ("支付失败", "Payment failed"),
    };
    if zh { zh_name } else { en_name }
}

pub async fn orders_csv(
    State(state): State<AppState>,
    PayMerchant(merchant): PayMerchant,
    user: CurrentUser,
    Query(q): Query<OrderQuery>,
) -> AppResult<Response> {
    let zh = user.model.lang != "en";
    let rows = order::Entity::find()
        .filter(filters(merchant.id, &q)?)
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .limit(MAX_ROWS)
        .all(&state.db)
        .await?;
    let head: &[&str] = if zh {
        &[
            "商户订单号",
            "商品",
            "金额（元）",
            "已退款（元）",
            "状态",
            "付款人 OpenID",
            "微信支付订单号",
            "下单时间（北京时间）",
            "支付时间（北京时间）",
        ]
    } else {
        &[
            "out_trade_no",
            "product",
            "amount_yuan",
            "refunded_yuan",
            "state",
            "payer_openid",
            "transaction_id",
            "created_at_beijing",
            "paid_at_beijing",
        ]
    };
    let mut out = String::from("\u{feff}");
    out.push_str(
        &head
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for o in rows {
        let st = *o.state;
        let partial = o.refunded_fee < o.total_fee;
        let fields = [
            o.out_trade_no,
            o.body,
            api::pay::fen_to_yuan(o.total_fee),
            api::pay::fen_to_yuan(o.refunded_fee),
            state_name(st, partial, zh).to_string(),
            o.payer_openid.unwrap_or_default(),
            o.transaction_id.unwrap_or_default(),
            beijing(o.created_at),
            o.time_end.map(beijing).unwrap_or_default(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    let name = format!("orders-{}.csv", merchant.id);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        out,
    )
        .into_response())
}
