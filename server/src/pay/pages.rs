//! Public, server-rendered pages for payers (light and fast in WeChat's browser, mobile-first):
//! the product page with the mode-1 QR code, and the order page that follows the order's state
//! by polling a tiny JSON status endpoint.

use api::pay::{OrderState, OrderStatus, fen_to_yuan};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use time::OffsetDateTime;

use super::{merchant, orders, products};
use crate::{error::AppResult, http::extract::Path, state::AppState};

/// HTML-escapes text for element content and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

const CSS: &str = "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f5f5;color:#222}main{max-width:28rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;text-align:center}h1{font-size:1.25rem;margin:.25rem 0}.price{font-size:2rem;color:#07c160;font-weight:600}.qr{width:14rem;height:14rem;max-width:80vw;max-height:80vw}.muted{color:#888;font-size:.875rem}.state{font-size:1.5rem;font-weight:600}.paid{color:#07c160}.closed{color:#999}.waiting{color:#f0a020}";

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>",
        esc(title)
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

fn not_found() -> Response {
    let mut r = page(
        "Not found",
        "<div class=\"card\"><h1>商品不存在 · Not found</h1></div>",
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

/// `GET /pay/{merchant_id}/products/{product_id}`
pub async fn product_page(
    State(state): State<AppState>,
    Path((merchant_id, product_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let Some(m) = merchant::find(&state, merchant_id).await? else {
        return Ok(not_found());
    };
    let Some(p) = products::find(&state.db, product_id)
        .await?
        .filter(|p| p.account_id == merchant_id && p.active)
    else {
        return Ok(not_found());
    };
    let mode1 = mode1_code(&m, p.id);
    let mode2 = match super::client::native_order(&state, &m, &p, None).await {
        Ok(o) => {
            let code_url = o.code_url.unwrap_or_default();
            format!(
                "<div class=\"card\"><img class=\"qr\" data-testid=\"pay-qr-mode2\" alt=\"QR\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\"><p class=\"muted\">模式二 · Mode 2 — <a data-testid=\"pay-order-link\" href=\"/pay/{mid}/orders/{no}\">订单 · order {no}</a></p></div>",
                qr = esc(&urlencode(&code_url)),
                code = esc(&code_url),
                mid = m.id,
                no = esc(&o.out_trade_no),
            )
        }
        Err(e) => {
            tracing::warn!(merchant_id = m.id, error = %e, "mode-2 unified order failed");
            "<div class=\"card\" data-testid=\"pay-qr-mode2-unavailable\"><p class=\"muted\">模式二暂不可用 · Mode 2 is unavailable right now</p></div>".to_string()
        }
    };
    let body = format!(
        "<div class=\"card\" data-testid=\"pay-product\"><h1>{name}</h1><div class=\"price\" data-testid=\"pay-price\">¥{price}</div><p class=\"muted\">{desc}</p></div>\
         <div class=\"card\"><img class=\"qr\" data-testid=\"pay-qr-mode1\" alt=\"QR\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\"><p>微信扫一扫付款 · Scan with WeChat to pay</p><p class=\"muted\">模式一 · Mode 1</p></div>{mode2}",
        name = esc(&p.name),
        price = fen_to_yuan(p.price_fen),
        desc = esc(&p.description),
        qr = esc(&urlencode(&mode1)),
        code = esc(&mode1),
        mode2 = mode2,
    );
    Ok(page(&p.name, &body))
}

/// The signed mode-1 QR content (`weixin://wxpay/bizpayurl?sign=…&product_id=…`) of a product.
pub fn mode1_code(m: &merchant::Merchant, product_id: i64) -> String {
    wechat::pay::bizpayurl(
        &m.app_id,
        &m.mch_id,
        &product_id.to_string(),
        &OffsetDateTime::now_utc().unix_timestamp().to_string(),
        &wechat::types::random_alnum(16),
        &m.api_key,
    )
}

async fn status_of(
    state: &AppState,
    merchant_id: i64,
    out_trade_no: &str,
) -> AppResult<Option<OrderStatus>> {
    let Some(o) = orders::find_by_out_trade_no(&state.db, merchant_id, out_trade_no).await? else {
        return Ok(None);
    };
    let st = *o.state;
    Ok(Some(OrderStatus {
        expired: st.is_open() && o.time_expire <= OffsetDateTime::now_utc(),
        out_trade_no: o.out_trade_no,
        state: st,
        total_fee: o.total_fee,
    }))
}

/// `GET /pay/{merchant_id}/orders/{out_trade_no}/status`
pub async fn order_status(
    State(state): State<AppState>,
    Path((merchant_id, out_trade_no)): Path<(i64, String)>,
) -> AppResult<Response> {
    Ok(match status_of(&state, merchant_id, &out_trade_no).await? {
        Some(s) => ([(header::CACHE_CONTROL, "no-store")], Json(s)).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"error": "not_found"})),
        )
            .into_response(),
    })
}

/// The label and class shown for a state.
pub fn state_label(s: OrderState, expired: bool) -> (&'static str, &'static str) {
    match s {
        _ if expired => ("已过期 · Expired", "closed"),
        OrderState::NotPay | OrderState::UserPaying => ("待支付 · Waiting for payment", "waiting"),
        OrderState::Success => ("已支付 · Paid", "paid"),
        OrderState::Refund => ("已退款 · Refunded", "closed"),
        OrderState::Closed => ("已关闭 · Closed", "closed"),
        OrderState::Revoked => ("已撤销 · Revoked", "closed"),
        OrderState::PayError => ("支付失败 · Payment failed", "closed"),
    }
}

/// `GET /pay/{merchant_id}/orders/{out_trade_no}`: polls the status every 2 s until final.
pub async fn order_page(
    State(state): State<AppState>,
    Path((merchant_id, out_trade_no)): Path<(i64, String)>,
) -> AppResult<Response> {
    let Some(s) = status_of(&state, merchant_id, &out_trade_no).await? else {
        return Ok(not_found());
    };
    let (label, class) = state_label(s.state, s.expired);
    let labels: String = [
        ("NOTPAY", OrderState::NotPay),
        ("USERPAYING", OrderState::UserPaying),
        ("SUCCESS", OrderState::Success),
        ("REFUND", OrderState::Refund),
        ("CLOSED", OrderState::Closed),
        ("REVOKED", OrderState::Revoked),
        ("PAYERROR", OrderState::PayError),
    ]
    .iter()
    .map(|(k, st)| {
        let (l, c) = state_label(*st, false);
        format!("\"{k}\":[\"{l}\",\"{c}\"],")
    })
    .collect();
    let status_url = format!(
        "/pay/{merchant_id}/orders/{}/status",
        urlencode(&s.out_trade_no)
    );
    let body = format!(
        "<div class=\"card\"><p class=\"muted\">订单 · Order {no}</p><div class=\"price\">¥{price}</div>\
         <div id=\"state\" class=\"state {class}\" data-testid=\"pay-order-state\" data-state=\"{st}\">{label}</div></div>\
         <script>(function(){{var L={{{labels}}},el=document.getElementById('state');\
         function show(s){{var l=s.expired?['已过期 · Expired','closed']:(L[s.state]||[s.state,'']);el.textContent=l[0];el.className='state '+l[1];el.setAttribute('data-state',s.expired?'EXPIRED':s.state);return s.expired||(s.state!=='NOTPAY'&&s.state!=='USERPAYING');}}\
         function poll(){{fetch('{url}',{{cache:'no-store'}}).then(function(r){{return r.json()}}).then(function(s){{if(!show(s))setTimeout(poll,2000)}},function(){{setTimeout(poll,5000)}})}}\
         if(el.getAttribute('data-state')==='NOTPAY'||el.getAttribute('data-state')==='USERPAYING')setTimeout(poll,2000);}})();</script>",
        no = esc(&s.out_trade_no),
        price = fen_to_yuan(s.total_fee),
        st = if s.expired {
            "EXPIRED"
        } else {
            s.state.as_str()
        },
        url = esc(&status_url),
    );
    Ok(page("订单 · Order", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
        assert_eq!(
            urlencode("weixin://a?b=c&d"),
            "weixin%3A%2F%2Fa%3Fb%3Dc%26d"
        );
    }
}
