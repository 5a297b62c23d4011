//! Public, server-rendered pages for payers (light and fast in WeChat's browser, mobile-first):
//! the product page with the mode-1 QR code and a button that asks for a mode-2 order, and the
//! order page (with the mode-2 code while it is payable) that follows the order's state by
//! polling a tiny JSON status endpoint.

use api::pay::{OrderState, OrderStatus, fen_to_yuan};
use axum::{
    Json,
    extract::{Extension, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use time::OffsetDateTime;

use super::{entities::product, merchant, orders, products, throttle::OrderThrottle};
use crate::{
    auth::handlers::ClientIp, error::AppResult, http::csrf, http::extract::Path, state::AppState,
};

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

const CSS: &str = "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f5f5;color:#222}main{max-width:28rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;text-align:center}h1{font-size:1.25rem;margin:.25rem 0}.price{font-size:2rem;color:#07c160;font-weight:600}.qr{width:14rem;height:14rem;max-width:80vw;max-height:80vw}.muted{color:#888;font-size:.875rem}.state{font-size:1.5rem;font-weight:600}.paid{color:#07c160}.closed{color:#999}.waiting{color:#f0a020}.btn{display:block;width:100%;padding:.75rem;border:0;border-radius:.5rem;background:#07c160;color:#fff;font-size:1rem;font-weight:600}";

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

/// How long browsers and shared caches may keep a product page: it creates nothing and only
/// changes when staff edit the product.
pub const PRODUCT_PAGE_CACHE: &str = "public, max-age=60";

/// The active product `product_id` of merchant `merchant_id` with the merchant.
async fn product_of(
    state: &AppState,
    merchant_id: i64,
    product_id: i64,
) -> AppResult<Option<(merchant::Merchant, product::Model)>> {
    let Some(m) = merchant::find(state, merchant_id).await? else {
        return Ok(None);
    };
    Ok(products::find(&state.db, product_id)
        .await?
        .filter(|p| p.account_id == merchant_id && p.active)
        .map(|p| (m, p)))
}

/// `GET /pay/{merchant_id}/products/{product_id}`: the product, its mode-1 code (an order is
/// made only when a payer scans it) and a button that asks for a mode-2 order. Creates nothing,
/// so it is cacheable: link previews and refreshes cost no order.
pub async fn product_page(
    State(state): State<AppState>,
    Path((merchant_id, product_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let Some((m, p)) = product_of(&state, merchant_id, product_id).await? else {
        return Ok(not_found());
    };
    let mode1 = mode1_code(&m, p.id);
    let body = format!(
        "<div class=\"card\" data-testid=\"pay-product\"><p class=\"muted\" data-testid=\"pay-merchant\">{merchant}</p><h1>{name}</h1><div class=\"price\" data-testid=\"pay-price\">¥{price}</div><p class=\"muted\">{desc}</p></div>\
         <div class=\"card\"><img class=\"qr\" data-testid=\"pay-qr-mode1\" alt=\"QR\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\"><p>微信扫一扫付款 · Scan with WeChat to pay</p><p class=\"muted\">模式一 · Mode 1</p></div>\
         <form class=\"card\" method=\"post\" action=\"/pay/{mid}/products/{pid}/order\"><button class=\"btn\" type=\"submit\" data-testid=\"pay-order-create\">生成付款码 · Get a payment code</button><p class=\"muted\">模式二 · Mode 2</p></form>",
        merchant = esc(&m.name),
        name = esc(&p.name),
        price = fen_to_yuan(p.price_fen),
        desc = esc(&p.description),
        qr = esc(&urlencode(&mode1)),
        code = esc(&mode1),
        mid = m.id,
        pid = p.id,
    );
    let mut r = page(&p.name, &body);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PRODUCT_PAGE_CACHE),
    );
    Ok(r)
}

/// The cookie that remembers a browser's open mode-2 order of a product (its out_trade_no,
/// already public in the order page's address), scoped to the product's path.
const ORDER_COOKIE: &str = "wxpay_order";

/// An order is reused only while it stays payable for at least this long.
const REUSE_MARGIN: time::Duration = time::Duration::minutes(5);

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn order_url(merchant_id: i64, out_trade_no: &str) -> String {
    format!("/pay/{merchant_id}/orders/{}", urlencode(out_trade_no))
}

fn refused(status: StatusCode, message: &str) -> Response {
    let mut r = page(
        "支付 · Pay",
        &format!("<div class=\"card\"><h1>{}</h1></div>", esc(message)),
    );
    *r.status_mut() = status;
    r
}

/// `POST /pay/{merchant_id}/products/{product_id}/order`: the payer asks for a mode-2 order.
/// Only a same-origin form post is accepted (a browser always sends `Origin` with a post).
/// The browser's open order of the product is reused; otherwise a new one is made, at most
/// [`throttle::ORDERS_PER_WINDOW`] per client IP per window. Redirects to the order page.
pub async fn order_product(
    State(state): State<AppState>,
    Extension(throttle): Extension<OrderThrottle>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path((merchant_id, product_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    if !headers.contains_key(header::ORIGIN)
        || csrf::same_origin(&state.settings.public_url, &headers).is_err()
    {
        return Ok(refused(
            StatusCode::FORBIDDEN,
            "请从商品页面下单 · Please order from the product page",
        ));
    }
    let Some((m, p)) = product_of(&state, merchant_id, product_id).await? else {
        return Ok(not_found());
    };
    let now = OffsetDateTime::now_utc();
    if let Some(no) = cookie_value(&headers, ORDER_COOKIE)
        && let Some(o) = orders::find_by_out_trade_no(&state.db, m.id, no).await?
        && o.product_id == Some(p.id)
        && o.payer_openid.is_none()
        && *o.state == OrderState::NotPay
        && o.time_expire > now + REUSE_MARGIN
    {
        return Ok(Redirect::to(&order_url(m.id, &o.out_trade_no)).into_response());
    }
    if let Err(retry_after) = throttle.hit(&ip, std::time::Instant::now()) {
        tracing::warn!(merchant_id = m.id, ip = %ip, "too many new orders from one client");
        let mut r = refused(
            StatusCode::TOO_MANY_REQUESTS,
            "请求过于频繁，请稍后再试 · Too many orders, please try again later",
        );
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after.as_secs().max(1)),
        );
        return Ok(r);
    }
    let o = match super::client::native_order(&state, &m, &p, None).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(merchant_id = m.id, error = %e, "mode-2 unified order failed");
            return Ok(refused(
                StatusCode::BAD_GATEWAY,
                "模式二暂不可用 · Mode 2 is unavailable right now",
            ));
        }
    };
    let secure = if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{ORDER_COOKIE}={}; Path=/pay/{}/products/{}; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        o.out_trade_no,
        m.id,
        p.id,
        (o.time_expire - now).whole_seconds().max(0),
    );
    let mut r = Redirect::to(&order_url(m.id, &o.out_trade_no)).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
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

/// The order and its public status.
async fn order_of(
    state: &AppState,
    merchant_id: i64,
    out_trade_no: &str,
) -> AppResult<Option<(OrderStatus, Option<String>)>> {
    let Some(o) = orders::find_by_out_trade_no(&state.db, merchant_id, out_trade_no).await? else {
        return Ok(None);
    };
    let st = *o.state;
    // A mode-2 order (no payer yet) shows its code while it can be paid.
    let expired = st.is_open() && o.time_expire <= OffsetDateTime::now_utc();
    let code = (st == OrderState::NotPay && !expired && o.payer_openid.is_none())
        .then_some(o.code_url)
        .flatten();
    Ok(Some((
        OrderStatus {
            expired,
            out_trade_no: o.out_trade_no,
            state: st,
            total_fee: o.total_fee,
        },
        code,
    )))
}

async fn status_of(
    state: &AppState,
    merchant_id: i64,
    out_trade_no: &str,
) -> AppResult<Option<OrderStatus>> {
    Ok(order_of(state, merchant_id, out_trade_no)
        .await?
        .map(|(s, _)| s))
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
    let Some((s, code)) = order_of(&state, merchant_id, &out_trade_no).await? else {
        return Ok(not_found());
    };
    let qr = code.map_or_else(String::new, |c| format!(
        "<div class=\"card\" id=\"qr2\"><img class=\"qr\" data-testid=\"pay-qr-mode2\" alt=\"QR\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\"><p>微信扫一扫付款 · Scan with WeChat to pay</p><p class=\"muted\">模式二 · Mode 2</p></div>",
        qr = esc(&urlencode(&c)),
        code = esc(&c),
    ));
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
         <div id=\"state\" class=\"state {class}\" data-testid=\"pay-order-state\" data-state=\"{st}\">{label}</div></div>{qr}\
         <script>(function(){{var L={{{labels}}},el=document.getElementById('state');\
         function show(s){{var l=s.expired?['已过期 · Expired','closed']:(L[s.state]||[s.state,'']);el.textContent=l[0];el.className='state '+l[1];el.setAttribute('data-state',s.expired?'EXPIRED':s.state);var q=document.getElementById('qr2');if(q&&(s.expired||s.state!=='NOTPAY'))q.remove();return s.expired||(s.state!=='NOTPAY'&&s.state!=='USERPAYING');}}\
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
