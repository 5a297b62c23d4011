//! What the follower's "my orders / pay" page reads and writes: the pay merchants linked to
//! the Official Account (a merchant carries the app id its JSAPI orders are placed for, so the
//! OA's followers' openids are its payers' openids), their products, the follower's own orders,
//! and the signed `getBrandWCPayRequest` parameters of an order.

use api::{accounts::AccountKind, pay::OrderState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;
use wechat::pay::JsapiPayParams;

use crate::{
    accounts::{queries as accounts, service::Stored},
    entities::{account, db_enum::DbEnum},
    error::{AppError, AppResult},
    pay::{
        entities::{order, product},
        merchant::{self, Merchant},
    },
    state::AppState,
};

/// Products shown at most (a menu page, not a catalogue).
pub const MAX_PRODUCTS: u64 = 50;
/// The follower's newest orders shown.
pub const MAX_ORDERS: u64 = 20;

/// The pay merchants of the same environment whose app id is the Official Account's.
pub async fn linked_merchants(state: &AppState, oa: &account::Model) -> AppResult<Vec<Merchant>> {
    let app_id = serde_json::from_str::<Stored>(&oa.settings)
        .map_err(AppError::internal)?
        .app_id
        .unwrap_or_default();
    if app_id.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for m in accounts::list(&state.db, Some(AccountKind::PayMerchant), None).await? {
        if m.environment != oa.environment {
            continue;
        }
        let linked = serde_json::from_str::<Stored>(&m.settings)
            .ok()
            .and_then(|s| s.app_id)
            .is_some_and(|a| a == app_id);
        if linked && let Some(found) = merchant::find(state, m.id).await? {
            out.push(found);
        }
    }
    Ok(out)
}

fn ids(merchants: &[Merchant]) -> Vec<i64> {
    merchants.iter().map(|m| m.id).collect()
}

/// The active products of the linked merchants, in the staff's order (oldest first).
pub async fn products(state: &AppState, merchants: &[Merchant]) -> AppResult<Vec<product::Model>> {
    if merchants.is_empty() {
        return Ok(Vec::new());
    }
    Ok(product::Entity::find()
        .filter(product::Column::AccountId.is_in(ids(merchants)))
        .filter(product::Column::Active.eq(true))
        .order_by_asc(product::Column::Id)
        .limit(MAX_PRODUCTS)
        .all(&state.db)
        .await?)
}

/// One active product of a linked merchant, with its merchant.
pub async fn product<'a>(
    state: &AppState,
    merchants: &'a [Merchant],
    product_id: i64,
) -> AppResult<Option<(&'a Merchant, product::Model)>> {
    let Some(p) = crate::pay::products::find(&state.db, product_id).await? else {
        return Ok(None);
    };
    Ok(merchants
        .iter()
        .find(|m| m.id == p.account_id)
        .filter(|_| p.active)
        .map(|m| (m, p)))
}

/// The follower's orders at the linked merchants, newest first.
pub async fn follower_orders(
    state: &AppState,
    merchants: &[Merchant],
    openid: &str,
) -> AppResult<Vec<order::Model>> {
    if merchants.is_empty() {
        return Ok(Vec::new());
    }
    Ok(order::Entity::find()
        .filter(order::Column::PayerOpenid.eq(openid))
        .filter(order::Column::AccountId.is_in(ids(merchants)))
        .order_by_desc(order::Column::Id)
        .limit(MAX_ORDERS)
        .all(&state.db)
        .await?)
}

/// The order `out_trade_no` if it is this follower's, at a linked merchant; another
/// follower's order is `None`, like an order that does not exist.
pub async fn owned_order<'a>(
    state: &AppState,
    merchants: &'a [Merchant],
    openid: &str,
    out_trade_no: &str,
) -> AppResult<Option<(&'a Merchant, order::Model)>> {
    if merchants.is_empty() {
        return Ok(None);
    }
    let found = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .filter(order::Column::PayerOpenid.eq(openid))
        .filter(order::Column::AccountId.is_in(ids(merchants)))
        .one(&state.db)
        .await?;
    Ok(found.and_then(|o| {
        merchants
            .iter()
            .find(|m| m.id == o.account_id)
            .map(|m| (m, o))
    }))
}

/// An open JSAPI order of this follower for the product that stays payable for at least
/// `margin`: asking to buy again returns to it instead of placing another order.
pub async fn open_order(
    state: &AppState,
    merchant_id: i64,
    product_id: i64,
    openid: &str,
    margin: time::Duration,
) -> AppResult<Option<order::Model>> {
    let o = order::Entity::find()
        .filter(order::Column::AccountId.eq(merchant_id))
        .filter(order::Column::ProductId.eq(product_id))
        .filter(order::Column::PayerOpenid.eq(openid))
        .filter(order::Column::TradeType.eq("JSAPI"))
        .filter(order::Column::State.eq(DbEnum(OrderState::NotPay)))
        .order_by_desc(order::Column::Id)
        .one(&state.db)
        .await?;
    Ok(o.filter(|o| o.time_expire > OffsetDateTime::now_utc() + margin))
}

/// Whether the order can still be paid from the page: a JSAPI order, not paid, not expired.
pub fn payable(o: &order::Model) -> bool {
    o.trade_type == "JSAPI"
        && *o.state == OrderState::NotPay
        && o.prepay_id.is_some()
        && o.time_expire > OffsetDateTime::now_utc()
}

/// The `getBrandWCPayRequest` parameters of a payable order, freshly signed with the
/// merchant's key and the sign type the order was placed with.
pub fn pay_params(m: &Merchant, o: &order::Model) -> Option<JsapiPayParams> {
    let prepay_id = o.prepay_id.as_deref()?;
    let sign_type = wechat::pay::SignType::parse(&o.sign_type).unwrap_or(m.sign_type);
    Some(JsapiPayParams::new(
        &m.app_id,
        prepay_id,
        &m.api_key,
        sign_type,
        &OffsetDateTime::now_utc().unix_timestamp().to_string(),
        &wechat::types::random_alnum(32),
    ))
}
