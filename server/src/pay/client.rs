//! The Pay v2 client of a merchant and the unified order.
//!
//! [`base_urls`] is the ONE place that decides where a merchant's requests go (production →
//! WeChat, sandbox → the emulator mounted at `{public_url}/sandbox` when running with
//! `--sandbox`). When `wechat_clients` (the per-account client factory) lands, this delegates to it.

use std::sync::Arc;

use api::pay::OrderState;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use time::OffsetDateTime;
use wechat::{
    client::{BaseUrls, HttpCore, pay::PayClient},
    pay::{PayCredentials, TradeType, UnifiedOrderRequest},
    types::{Fen, PayApiKey},
};

use super::{
    entities::{order, product},
    merchant::Merchant,
    orders,
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// How long a mode-2 code stays payable.
pub const ORDER_TTL: time::Duration = time::Duration::hours(2);

/// Where the merchant's Pay requests go.
pub fn base_urls(state: &AppState, m: &Merchant) -> AppResult<BaseUrls> {
    if m.environment == "sandbox" {
        if !state.settings.sandbox {
            return Err(AppError::Conflict(
                "this is a sandbox merchant and the sandbox is not running: start the server with --sandbox"
                    .into(),
            ));
        }
        Ok(BaseUrls::under(&format!(
            "{}/sandbox",
            state.settings.public_url.trim_end_matches('/')
        )))
    } else {
        Ok(BaseUrls::production())
    }
}

pub fn client(state: &AppState, m: &Merchant) -> AppResult<PayClient> {
    let core = Arc::new(HttpCore::new(base_urls(state, m)?));
    Ok(PayClient::new(
        core,
        PayCredentials {
            appid: m.app_id.clone(),
            mch_id: m.mch_id.clone(),
            api_key: PayApiKey::new(m.api_key.clone()),
            sign_type: m.sign_type,
        },
    ))
}

/// Our notification URL for merchant `id`.
pub fn notify_url(state: &AppState, merchant_id: i64) -> String {
    format!(
        "{}/pay/{merchant_id}/notify",
        state.settings.public_url.trim_end_matches('/')
    )
}

/// WeChat refused or could not be reached (409 until the server's `AppError::Wechat` lands).
fn wechat_err(e: wechat::Error) -> AppError {
    AppError::Conflict(format!("WeChat Pay: {e}"))
}

/// A NATIVE unified order for `p` (mode 2 when `openid` is `None`, mode 1 with the scanning
/// payer's openid). The order is stored only once WeChat accepted it.
pub async fn native_order(
    state: &AppState,
    m: &Merchant,
    p: &product::Model,
    openid: Option<&str>,
) -> AppResult<order::Model> {
    let pay = client(state, m)?;
    let now = OffsetDateTime::now_utc();
    let expire = now + ORDER_TTL;
    let out_trade_no = orders::new_out_trade_no(now);
    let body: String = p.name.chars().take(40).collect();
    let req = UnifiedOrderRequest {
        body: body.clone(),
        out_trade_no: out_trade_no.clone(),
        total_fee: Fen(p.price_fen),
        spbill_create_ip: "127.0.0.1".into(),
        notify_url: notify_url(state, m.id),
        trade_type: TradeType::Native,
        openid: openid.map(str::to_string),
        product_id: Some(p.id.to_string()),
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
        trade_type: Set("NATIVE".into()),
        sign_type: Set(m.sign_type.as_str().into()),
        state: Set(OrderState::NotPay.as_str().into()),
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
