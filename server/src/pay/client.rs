//! The Pay v2 client of a merchant and the unified order.
//!
//! Clients come from [`crate::wechat_clients`], which alone decides where a merchant's requests
//! go (production → WeChat's hosts, sandbox → the emulator). WeChat failures become 502.

use api::{accounts::WechatEnv, pay::OrderState};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use time::OffsetDateTime;
use wechat::{
    client::pay::PayClient,
    pay::{TradeType, UnifiedOrderRequest},
    types::Fen,
};

use super::{
    entities::{order, product},
    merchant::Merchant,
    orders,
};
use crate::{error::AppResult, state::AppState, wechat_clients};

/// How long a new order (a mode-2 code) stays payable (`--pay-order-ttl-minutes`, default 2 h).
pub fn order_ttl(state: &AppState) -> time::Duration {
    time::Duration::minutes(state.settings.pay_order_ttl_minutes as i64)
}

/// The merchant's client (no certificate; see [`with_cert`]).
pub async fn client(state: &AppState, m: &Merchant) -> AppResult<PayClient> {
    wechat_clients::pay(state, m.id).await
}

/// The merchant's client with its API certificate (refunds); a clear 409 when it is missing.
pub async fn with_cert(state: &AppState, m: &Merchant) -> AppResult<PayClient> {
    wechat_clients::pay_with_cert(state, m.id).await
}

/// A `wechat` failure as the API's 502 (WeChat's errcode / err_code in the message).
pub fn wechat_err(e: wechat::Error) -> crate::error::AppError {
    wechat_clients::api_error(&e)
}

/// Where WeChat reaches this portal for merchant `m`: the public URL, or for a sandbox
/// merchant the address the in-process emulator calls back.
pub fn portal_base(state: &AppState, m: &Merchant) -> String {
    match state.wechat.sandbox() {
        Some(sbx) if m.environment == WechatEnv::Sandbox => sbx.callback_base.clone(),
        _ => state.settings.public_url.trim_end_matches('/').to_string(),
    }
}

/// Our payment notification URL for merchant `m`.
pub fn notify_url(state: &AppState, m: &Merchant) -> String {
    format!("{}/pay/{}/notify", portal_base(state, m), m.id)
}

/// Our refund notification URL for merchant `m`.
pub fn refund_notify_url(state: &AppState, m: &Merchant) -> String {
    format!("{}/pay/{}/refund-notify", portal_base(state, m), m.id)
}

/// A NATIVE unified order for `p` (mode 2 when `openid` is `None`, mode 1 with the scanning
/// payer's openid). The order is stored only once WeChat accepted it.
pub async fn native_order(
    state: &AppState,
    m: &Merchant,
    p: &product::Model,
    openid: Option<&str>,
) -> AppResult<order::Model> {
    unified_order(state, m, p, TradeType::Native, openid).await
}

/// A JSAPI unified order (公众号支付) for `p`, placed for the follower `openid` of the Official
/// Account whose app id the merchant carries: only that follower can pay it, inside WeChat.
pub async fn jsapi_order(
    state: &AppState,
    m: &Merchant,
    p: &product::Model,
    openid: &str,
) -> AppResult<order::Model> {
    unified_order(state, m, p, TradeType::Jsapi, Some(openid)).await
}

async fn unified_order(
    state: &AppState,
    m: &Merchant,
    p: &product::Model,
    trade_type: TradeType,
    openid: Option<&str>,
) -> AppResult<order::Model> {
    let pay = client(state, m).await?;
    let now = OffsetDateTime::now_utc();
    let expire = now + order_ttl(state);
    let out_trade_no = orders::new_out_trade_no(now);
    let body: String = p.name.chars().take(40).collect();
    let req = UnifiedOrderRequest {
        body: body.clone(),
        out_trade_no: out_trade_no.clone(),
        total_fee: Fen(p.price_fen),
        spbill_create_ip: "127.0.0.1".into(),
        notify_url: notify_url(state, m),
        trade_type,
        openid: openid.map(str::to_string),
        // Required for NATIVE only (the mode-1 product); JSAPI orders name their payer instead.
        product_id: (trade_type == TradeType::Native).then(|| p.id.to_string()),
        attach: None,
        detail: None,
        time_start: Some(orders::wechat_time(now)),
        time_expire: Some(orders::wechat_time(expire)),
        device_info: None,
        limit_pay: None,
        scene_info: None,
    };
    let resp = pay.unified_order(&req).await.map_err(wechat_err)?;
    let model = order::ActiveModel {
        account_id: Set(m.id),
        product_id: Set(Some(p.id)),
        out_trade_no: Set(out_trade_no),
        body: Set(body),
        detail: Set(None),
        attach: Set(None),
        total_fee: Set(p.price_fen),
        fee_type: Set("CNY".into()),
        trade_type: Set(trade_type.as_str().into()),
        sign_type: Set(m.sign_type.as_str().into()),
        state: Set(OrderState::NotPay.into()),
        payer_openid: Set(openid.map(str::to_string)),
        transaction_id: Set(None),
        prepay_id: Set(Some(resp.prepay_id)),
        code_url: Set(resp.code_url),
        refunded_fee: Set(0),
        time_start: Set(now),
        time_expire: Set(expire),
        time_end: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(model)
}
