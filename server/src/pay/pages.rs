//! Public, server-rendered pages for payers (light and fast in WeChat's browser, mobile-first):
//! the product page with the mode-1 QR code and a button that asks for a mode-2 order, and the
//! order page (with the mode-2 code while it is payable) that follows the order's state by
//! polling a tiny JSON status endpoint.

use api::pay::{OrderState, OrderStatus, fen_to_yuan};
use axum::{
    Json,
    body::Bytes,
    extract::{Extension, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use time::OffsetDateTime;

use super::{
    entities::product, merchant, orders, page_cache::Page, products, throttle::OrderThrottle,
};
use crate::{
    auth::handlers::ClientIp, error::AppResult, http::csrf, http::encoding::accepts_gzip,
    http::extract::Path, state::AppState,
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

const CSS: &str = "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f5f5;color:#222}main{max-width:28rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;text-align:center}.merchant{display:flex;align-items:center;justify-content:center;gap:.5rem;color:#555;font-size:.9375rem;margin:.25rem 0 1rem}.merchant i{display:inline-grid;place-items:center;width:1.75rem;height:1.75rem;border-radius:.4rem;background:#07c160;color:#fff;font-style:normal;font-size:.8rem;font-weight:700}h1{font-size:1.25rem;margin:.25rem 0}.price{font-size:2rem;color:#07c160;font-weight:600}.qr{width:14rem;height:14rem;max-width:80vw;max-height:80vw}.muted{color:#888;font-size:.875rem}.state{font-size:1.5rem;font-weight:600}.paid{color:#07c160}.closed{color:#999}.waiting{color:#f0a020}.btn{display:block;width:100%;padding:.75rem;border:0;border-radius:.5rem;background:#07c160;color:#fff;font-size:1rem;font-weight:600}.link{display:inline-block;margin-top:.5rem;color:#576b95;text-decoration:none}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:1rem 0 0;text-align:left;font-size:.9375rem}dt{color:#888}dd{margin:0;word-break:break-all}.tip-phone{display:none}@media (hover:none) and (pointer:coarse){.tip-phone{display:block}.tip-desk{display:none}}";

/// The payer's language: the browser's (`Accept-Language`) when it prefers English over
/// Chinese, Simplified Chinese otherwise. One language per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageLang {
    Zh,
    En,
}

impl PageLang {
    pub fn of(headers: &HeaderMap) -> PageLang {
        let mut best: Option<(f32, PageLang)> = None;
        let accepted = headers
            .get_all(header::ACCEPT_LANGUAGE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        for item in accepted {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag == "zh" || tag.starts_with("zh-") {
                PageLang::Zh
            } else if tag == "en" || tag.starts_with("en-") {
                PageLang::En
            } else {
                continue;
            };
            // The first of equal weights wins, as in the header's order.
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(PageLang::Zh, |(_, l)| l)
    }

    /// The text in this language.
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            PageLang::Zh => zh,
            PageLang::En => en,
        }
    }

    fn html_lang(self) -> &'static str {
        self.t("zh-CN", "en")
    }
}

/// A time for payers: Beijing time, `2026-12-07 08:30`.
pub fn beijing(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::macros::offset!(+8));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// The merchant's name with its initial as a badge, at the top of every page.
fn merchant_line(name: &str) -> String {
    let initial: String = name
        .chars()
        .next()
        .map(|c| c.to_string())
        .unwrap_or_default();
    format!(
        "<p class=\"merchant\" data-testid=\"pay-merchant\"><i aria-hidden=\"true\">{}</i><span>{}</span></p>",
        esc(&initial),
        esc(name)
    )
}

fn page(lang: PageLang, title: &str, body: &str) -> Response {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::VARY, "Accept-Language"),
        ],
        Html(page_html(lang, title, body)),
    )
        .into_response()
}

fn page_html(lang: PageLang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{hl}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><style>{CSS}</style></head><body><main>{body}</main></body></html>",
        esc(title),
        hl = lang.html_lang(),
    )
}

fn not_found(lang: PageLang) -> Response {
    let text = lang.t(
        "页面不存在或商品已下架",
        "This page does not exist or the product is no longer sold",
    );
    let mut r = page(
        lang,
        text,
        &format!("<div class=\"card\"><h1>{}</h1></div>", esc(text)),
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
/// so it is cacheable: link previews and refreshes cost no order. Rendered pages are reused
/// while the product row is unchanged, and for a moment without reading it ([`PageCache`]).
pub async fn product_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((merchant_id, product_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let lang = PageLang::of(&headers);
    let cache = &state.product_pages;
    if let Some(page) = cache.fresh(merchant_id, product_id, lang) {
        return Ok(product_response(&headers, &page));
    }
    let Some(p) = products::find(&state.db, product_id)
        .await?
        .filter(|p| p.account_id == merchant_id && p.active)
    else {
        return Ok(not_found(lang));
    };
    if let Some(page) = cache.get(merchant_id, p.id, lang, p.updated_at) {
        return Ok(product_response(&headers, &page));
    }
    let Some(m) = merchant::find(&state, merchant_id).await? else {
        return Ok(not_found(lang));
    };
    let html = Bytes::from(page_html(lang, &p.name, &product_body(lang, &m, &p)));
    let page = cache.put(merchant_id, p.id, lang, p.updated_at, html);
    Ok(product_response(&headers, &page))
}

/// The page with its caching headers, gzipped from the cache when the client accepts it (the
/// gzip middleware leaves a response that already has a `Content-Encoding` alone).
fn product_response(request: &HeaderMap, page: &Page) -> Response {
    let headers = [
        (header::CACHE_CONTROL, PRODUCT_PAGE_CACHE),
        (header::VARY, "Accept-Language, Accept-Encoding"),
    ];
    if accepts_gzip(request)
        && let Some(gz) = page.gzip()
    {
        let mut r = (headers, Html(gz)).into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return r;
    }
    (headers, Html(page.html.clone())).into_response()
}

fn product_body(lang: PageLang, m: &merchant::Merchant, p: &product::Model) -> String {
    let mode1 = mode1_code(m, p.id);
    let desc = if p.description.trim().is_empty() {
        String::new()
    } else {
        format!("<p class=\"muted\">{}</p>", esc(&p.description))
    };
    format!(
        "{merchant}<div class=\"card\" data-testid=\"pay-product\"><h1>{name}</h1><div class=\"price\" data-testid=\"pay-price\">¥{price}</div>{desc}</div>\
         <div class=\"card\"><img class=\"qr\" data-testid=\"pay-qr-mode1\" alt=\"{qr_alt}\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\">\
         <p class=\"tip-phone\" data-testid=\"pay-tip-phone\">{tip_phone}</p><p class=\"tip-desk\">{tip_desk}</p></div>\
         <form class=\"card\" method=\"post\" action=\"/pay/{mid}/products/{pid}/order\"><button class=\"btn\" type=\"submit\" data-testid=\"pay-order-create\">{button}</button><p class=\"muted\">{button_hint}</p></form>",
        merchant = merchant_line(&m.name),
        name = esc(&p.name),
        price = fen_to_yuan(p.price_fen),
        qr_alt = lang.t("付款二维码", "Payment QR code"),
        qr = esc(&urlencode(&mode1)),
        code = esc(&mode1),
        tip_phone = lang.t("长按识别二维码付款", "Press and hold the QR code to pay"),
        tip_desk = lang.t("请用微信“扫一扫”扫码付款", "Scan with WeChat to pay"),
        button = lang.t("生成本次付款码", "Get a payment code for this purchase"),
        button_hint = lang.t(
            "扫码不方便时，可生成一张只用于本次购买的付款码",
            "If scanning this code does not work, get a code for this one purchase"
        ),
        mid = m.id,
        pid = p.id,
    )
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

fn refused(lang: PageLang, status: StatusCode, message: &str) -> Response {
    let mut r = page(
        lang,
        lang.t("支付", "Pay"),
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
    let lang = PageLang::of(&headers);
    if !headers.contains_key(header::ORIGIN)
        || csrf::same_origin(&state.settings.public_url, &headers).is_err()
    {
        return Ok(refused(
            lang,
            StatusCode::FORBIDDEN,
            lang.t("请从商品页面下单", "Please order from the product page"),
        ));
    }
    let Some((m, p)) = product_of(&state, merchant_id, product_id).await? else {
        return Ok(not_found(lang));
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
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            lang.t(
                "请求过于频繁，请稍后再试",
                "Too many orders, please try again later",
            ),
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
                lang,
                StatusCode::BAD_GATEWAY,
                lang.t(
                    "暂时无法生成付款码，请稍后再试",
                    "A payment code cannot be made right now, please try again later",
                ),
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
pub fn state_label(lang: PageLang, s: OrderState, expired: bool) -> (&'static str, &'static str) {
    let t = |zh, en| lang.t(zh, en);
    match s {
        _ if expired => (t("已过期", "Expired"), "closed"),
        OrderState::NotPay | OrderState::UserPaying => {
            (t("待支付", "Waiting for payment"), "waiting")
        }
        OrderState::Success => (t("支付成功", "Paid"), "paid"),
        OrderState::Refund => (t("已退款", "Refunded"), "closed"),
        OrderState::Closed => (t("已关闭", "Closed"), "closed"),
        OrderState::Revoked => (t("已撤销", "Revoked"), "closed"),
        OrderState::PayError => (t("支付失败", "Payment failed"), "closed"),
    }
}

/// What a payer should know under the state.
fn state_note(lang: PageLang, s: OrderState, expired: bool) -> &'static str {
    let t = |zh, en| lang.t(zh, en);
    match s {
        _ if expired => t(
            "付款码已失效，请返回商品页重新下单。",
            "This code has expired: go back to the product to order again.",
        ),
        OrderState::NotPay | OrderState::UserPaying => t(
            "付款后本页会自动更新。",
            "This page updates by itself once you have paid.",
        ),
        OrderState::Success => t("感谢您的购买。", "Thank you for your purchase."),
        OrderState::Refund => t(
            "款项已退回您的微信支付账户。",
            "The money went back to your WeChat Pay account.",
        ),
        _ => t(
            "此订单已不能付款，如需购买请重新下单。",
            "This order can no longer be paid; order again to buy.",
        ),
    }
}

/// `GET /pay/{merchant_id}/orders/{out_trade_no}`: the merchant, product, amount, state and
/// time; polls the status every 2 s until final.
pub async fn order_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((merchant_id, out_trade_no)): Path<(i64, String)>,
) -> AppResult<Response> {
    let lang = PageLang::of(&headers);
    let Some((s, code)) = order_of(&state, merchant_id, &out_trade_no).await? else {
        return Ok(not_found(lang));
    };
    let Some(o) = orders::find_by_out_trade_no(&state.db, merchant_id, &out_trade_no).await? else {
        return Ok(not_found(lang));
    };
    let merchant_name = merchant::find(&state, merchant_id)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let qr = code.map_or_else(String::new, |c| format!(
        "<div class=\"card\" id=\"qr2\"><img class=\"qr\" data-testid=\"pay-qr-mode2\" alt=\"{alt}\" src=\"/qr.svg?size=256&amp;data={qr}\" data-code=\"{code}\"><p class=\"tip-phone\">{tip_phone}</p><p class=\"tip-desk\">{tip_desk}</p></div>",
        alt = lang.t("付款二维码", "Payment QR code"),
        qr = esc(&urlencode(&c)),
        code = esc(&c),
        tip_phone = lang.t("长按识别二维码付款", "Press and hold the QR code to pay"),
        tip_desk = lang.t("请用微信“扫一扫”扫码付款", "Scan with WeChat to pay"),
    ));
    let (label, class) = state_label(lang, s.state, s.expired);
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
        let (l, c) = state_label(lang, *st, false);
        let n = state_note(lang, *st, false);
        format!("\"{k}\":[\"{l}\",\"{c}\",\"{n}\"],")
    })
    .collect();
    let (expired_label, _) = state_label(lang, OrderState::Closed, true);
    let expired_note = state_note(lang, OrderState::Closed, true);
    let status_url = format!(
        "/pay/{merchant_id}/orders/{}/status",
        urlencode(&s.out_trade_no)
    );
    // The time that matters: when it was paid, else when it was placed.
    let (time_label, time) = match o.time_end {
        Some(t) if s.state.is_paid() => (lang.t("支付时间", "Paid at"), t),
        _ => (lang.t("下单时间", "Ordered at"), o.created_at),
    };
    let back = o.product_id.map_or_else(String::new, |pid| {
        format!(
            "<a class=\"link\" data-testid=\"pay-back\" href=\"/pay/{merchant_id}/products/{pid}\">{}</a>",
            lang.t("‹ 返回商品", "‹ Back to the product")
        )
    });
    let body = format!(
        "{merchant}<div class=\"card\" data-testid=\"pay-order\"><h1>{product}</h1><div class=\"price\">¥{price}</div>\
         <div id=\"state\" class=\"state {class}\" data-testid=\"pay-order-state\" data-state=\"{st}\">{label}</div>\
         <p id=\"note\" class=\"muted\">{note}</p>\
         <dl><dt>{time_label}</dt><dd data-testid=\"pay-order-time\">{time}</dd><dt>{no_label}</dt><dd>{no}</dd></dl>{back}</div>{qr}\
         <script>(function(){{var L={{{labels}}},el=document.getElementById('state'),nt=document.getElementById('note');\
         function show(s){{var l=s.expired?['{expired_label}','closed','{expired_note}']:(L[s.state]||[s.state,'','']);el.textContent=l[0];el.className='state '+l[1];nt.textContent=l[2];el.setAttribute('data-state',s.expired?'EXPIRED':s.state);var q=document.getElementById('qr2');if(q&&(s.expired||s.state!=='NOTPAY'))q.remove();return s.expired||(s.state!=='NOTPAY'&&s.state!=='USERPAYING');}}\
         function poll(){{fetch('{url}',{{cache:'no-store'}}).then(function(r){{return r.json()}}).then(function(s){{if(!show(s))setTimeout(poll,2000)}},function(){{setTimeout(poll,5000)}})}}\
         if(el.getAttribute('data-state')==='NOTPAY'||el.getAttribute('data-state')==='USERPAYING')setTimeout(poll,2000);}})();</script>",
        merchant = merchant_line(&merchant_name),
        product = esc(&o.body),
        price = fen_to_yuan(s.total_fee),
        note = state_note(lang, s.state, s.expired),
        time = beijing(time),
        no_label = lang.t("订单号", "Order no."),
        no = esc(&s.out_trade_no),
        st = if s.expired {
            "EXPIRED"
        } else {
            s.state.as_str()
        },
        url = esc(&status_url),
    );
    Ok(page(lang, lang.t("订单详情", "Your order"), &body))
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

    #[test]
    fn the_page_language_follows_the_browser_with_chinese_by_default() {
        let lang = |v: Option<&str>| {
            let mut h = HeaderMap::new();
            if let Some(v) = v {
                h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
            }
            PageLang::of(&h)
        };
        assert_eq!(lang(None), PageLang::Zh);
        assert_eq!(lang(Some("fr-FR")), PageLang::Zh);
        assert_eq!(lang(Some("en-US,en;q=0.9")), PageLang::En);
        assert_eq!(lang(Some("zh-CN,zh;q=0.9,en;q=0.8")), PageLang::Zh);
        assert_eq!(lang(Some("fr;q=1,en;q=0.5,zh;q=0.4")), PageLang::En);
        assert_eq!(lang(Some("en;q=0,zh-TW")), PageLang::Zh);
    }
}
