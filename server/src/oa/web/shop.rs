//! The follower's "my orders / pay" page (`/oa/{id}/orders`), opened from a menu `view` button:
//! the products of the pay merchants linked to the account and the follower's own orders;
//! buying places a JSAPI unified order (公众号支付) for the follower's openid, and the order page
//! calls `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` with parameters signed by the
//! merchant's key. The order turns paid by the normal notify path (`pay::notify`).
//!
//! Outside WeChat there is no `WeixinJSBridge`: for a sandbox account the page then posts the
//! same parameters to `…/sandbox-pay`, which hands them to the emulator as WeChat's browser
//! would (it checks the `paySign`, the `appId` and that the follower is the order's payer).
//!
//! Every route needs the follower cookie (`oauth`) and counts against the pages' per-IP limit;
//! new orders are also limited per follower. Only the follower's own orders are found at all.

use std::time::Instant;

use api::pay::{OrderState, OrderStatus, fen_to_yuan};
use axum::{
    Extension, Form, Json,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use wechat::client::oa::OAuthScope;
use wechat_sim::pay::payer::{BrandWcPayRequest, PayerAction};

use super::{
    PageThrottle, oauth,
    pages::{Lang, error_page, limited, page},
    shop_data as data,
};
use crate::{
    auth::handlers::ClientIp,
    entities::account,
    http::{csrf, extract::Path},
    pay::{
        entities::{order, product},
        pages::{PageLang, beijing, esc, state_label, urlencode},
        throttle::OrderThrottle,
    },
    state::AppState,
};

/// The per-follower limit on new orders (its own instance of the pay pages' limiter, keyed by
/// openid: followers behind one carrier address are not limited together).
#[derive(Clone, Default)]
pub struct FollowerOrderThrottle(pub OrderThrottle);

/// An open order is returned to only while it stays payable for at least this long.
const REUSE_MARGIN: time::Duration = time::Duration::minutes(5);

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: Option<String>,
}

fn page_lang(lang: Lang) -> PageLang {
    match lang {
        Lang::Zh => PageLang::Zh,
        Lang::En => PageLang::En,
    }
}

fn list_url(id: i64, lang: Lang) -> String {
    format!("/oa/{id}/orders?lang={}", lang.code())
}

fn order_url(id: i64, out_trade_no: &str, lang: Lang) -> String {
    format!(
        "/oa/{id}/orders/{}?lang={}",
        urlencode(out_trade_no),
        lang.code()
    )
}

/// The state a follower reads, with `expired` for an open order past its time.
fn shown_state(o: &order::Model) -> (OrderState, bool) {
    let st = *o.state;
    (
        st,
        st.is_open() && o.time_expire <= OffsetDateTime::now_utc(),
    )
}

fn state_badge(lang: Lang, o: &order::Model) -> String {
    let (st, expired) = shown_state(o);
    let (label, class) = state_label(page_lang(lang), st, expired);
    let data = if expired { "EXPIRED" } else { st.as_str() };
    format!(
        "<span class=\"state {class}\" data-testid=\"oa-order-state\" data-state=\"{data}\">{}</span>",
        esc(label)
    )
}

fn lang_switch(href_of: impl Fn(Lang) -> String, lang: Lang) -> String {
    let (other, label) = match lang {
        Lang::Zh => (Lang::En, "English"),
        Lang::En => (Lang::Zh, "中文"),
    };
    format!(
        "<a class=\"lang\" href=\"{}\">{label}</a>",
        esc(&href_of(other))
    )
}

/// The follower, or the response that sends the browser through OAuth first.
async fn follower_or_sign_in(
    state: &AppState,
    account: &account::Model,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<oauth::Follower, Response> {
    match oauth::follower(state, account.id, headers) {
        Some(w) => Ok(w),
        None => Err(oauth::start(
            state,
            account,
            OAuthScope::Base,
            oauth::Landing::Orders,
            lang,
        )
        .await),
    }
}

fn failed(lang: Lang, e: &crate::error::AppError) -> Response {
    tracing::warn!(error = %e, "follower orders page failed");
    error_page(
        lang,
        500,
        lang.pick(
            "页面暂时无法显示，请稍后再试",
            "The page cannot be shown right now: try again shortly",
        ),
    )
}

/// `GET /oa/{id}/orders`: the products to buy and the follower's orders.
pub async fn list(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(q.lang.as_deref());
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        return limited(lang, wait);
    }
    let Some(account) = oauth::official_account(&state, id).await else {
        return error_page(lang, 404, lang.pick("页面不存在", "Page not found"));
    };
    let who = match follower_or_sign_in(&state, &account, &headers, lang).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let loaded = async {
        let merchants = data::linked_merchants(&state, &account).await?;
        let products = data::products(&state, &merchants).await?;
        let orders = data::follower_orders(&state, &merchants, &who.openid).await?;
        Ok::<_, crate::error::AppError>((products, orders))
    }
    .await;
    let (products, orders) = match loaded {
        Ok(x) => x,
        Err(e) => return failed(lang, &e),
    };
    page(
        lang,
        lang.pick("我的订单", "My orders"),
        &list_body(id, lang, &account.name, &products, &orders),
    )
}

fn list_body(
    id: i64,
    lang: Lang,
    account_name: &str,
    products: &[product::Model],
    orders: &[order::Model],
) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let mut b = lang_switch(|l| list_url(id, l), lang);
    b.push_str(&format!(
        "<div class=\"card\"><h1>{}</h1><p class=\"muted\" data-user-content>{}</p></div>",
        t("我的订单与支付", "My orders and payments"),
        esc(account_name)
    ));
    b.push_str(&format!("<h2>{}</h2>", t("商品", "Products")));
    if products.is_empty() {
        b.push_str(&format!(
            "<div class=\"card muted\" data-testid=\"oa-no-products\">{}</div>",
            t(
                "本公众号暂时没有可购买的商品",
                "Nothing is for sale here at the moment"
            )
        ));
    }
    for p in products {
        let desc = if p.description.trim().is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"muted\" data-user-content>{}</p>",
                esc(&p.description)
            )
        };
        b.push_str(&format!(
            "<form class=\"card\" method=\"post\" action=\"/oa/{id}/orders\" data-testid=\"oa-product\">\
             <div class=\"row\"><strong data-user-content>{name}</strong><span class=\"price\">¥{price}</span></div>{desc}\
             <input type=\"hidden\" name=\"product_id\" value=\"{pid}\"><input type=\"hidden\" name=\"lang\" value=\"{lc}\">\
             <button class=\"btn\" type=\"submit\" data-testid=\"oa-buy\">{buy}</button></form>",
            lc = lang.code(),
            name = esc(&p.name),
            price = fen_to_yuan(p.price_fen),
            pid = p.id,
            buy = t("购买", "Buy"),
        ));
    }
    b.push_str(&format!("<h2>{}</h2>", t("我的订单", "My orders")));
    if orders.is_empty() {
        b.push_str(&format!(
            "<div class=\"card muted\" data-testid=\"oa-no-orders\">{}</div>",
            t("你还没有订单", "You have no orders yet")
        ));
    }
    for o in orders {
        b.push_str(&format!(
            "<a class=\"card order\" href=\"{href}\" data-testid=\"oa-order\" data-out-trade-no=\"{no}\">\
             <div class=\"row\"><strong data-user-content>{body}</strong><span class=\"price\">¥{price}</span></div>\
             <div class=\"row\"><span class=\"muted\">{time}</span>{badge}</div>{refunded}</a>",
            href = esc(&order_url(id, &o.out_trade_no, lang)),
            no = esc(&o.out_trade_no),
            body = esc(&o.body),
            price = fen_to_yuan(o.total_fee),
            time = beijing(o.created_at),
            badge = state_badge(lang, o),
            refunded = refunded_line(lang, o),
        ));
    }
    b
}

/// A partly refunded order says how much went back.
fn refunded_line(lang: Lang, o: &order::Model) -> String {
    if o.refunded_fee > 0 && *o.state != OrderState::Refund {
        format!(
            "<p class=\"muted\">{} ¥{}</p>",
            lang.pick("已退款", "Refunded"),
            fen_to_yuan(o.refunded_fee)
        )
    } else {
        String::new()
    }
}

#[derive(Debug, Deserialize)]
pub struct BuyForm {
    pub product_id: i64,
    /// The page's language, carried to the order page.
    #[serde(default)]
    pub lang: Option<String>,
}

/// Only a same-origin post is accepted (a browser always sends `Origin` with a post).
fn cross_site(state: &AppState, headers: &HeaderMap) -> bool {
    !headers.contains_key(header::ORIGIN)
        || csrf::same_origin(&state.settings.public_url, headers).is_err()
}

/// `POST /oa/{id}/orders` (form `product_id`): places a JSAPI order for the follower, or
/// returns to their open order of the product; then the order page.
pub async fn buy(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    Extension(orders_limit): Extension<FollowerOrderThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<BuyForm>,
) -> Response {
    let lang = Lang::parse(form.lang.as_deref());
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        return limited(lang, wait);
    }
    if cross_site(&state, &headers) {
        return error_page(
            lang,
            403,
            lang.pick("请从订单页面购买", "Please buy from the orders page"),
        );
    }
    let Some(account) = oauth::official_account(&state, id).await else {
        return error_page(lang, 404, lang.pick("页面不存在", "Page not found"));
    };
    let Some(who) = oauth::follower(&state, id, &headers) else {
        return error_page(
            lang,
            401,
            lang.pick(
                "登录已过期，请从公众号菜单重新打开",
                "Your sign-in expired: open the page again from the account's menu",
            ),
        );
    };
    let placed = async {
        let merchants = data::linked_merchants(&state, &account).await?;
        let Some((m, p)) = data::product(&state, &merchants, form.product_id).await? else {
            return Ok(None);
        };
        if let Some(o) = data::open_order(&state, m.id, p.id, &who.openid, REUSE_MARGIN).await? {
            return Ok(Some(Ok(o)));
        }
        if let Err(wait) = orders_limit.0.hit(&who.openid, Instant::now()) {
            return Ok(Some(Err(wait)));
        }
        crate::pay::client::jsapi_order(&state, m, &p, &who.openid)
            .await
            .map(|o| Some(Ok(o)))
    }
    .await;
    match placed {
        Ok(Some(Ok(o))) => Redirect::to(&order_url(id, &o.out_trade_no, lang)).into_response(),
        Ok(Some(Err(wait))) => limited(lang, wait),
        Ok(None) => error_page(
            lang,
            404,
            lang.pick("商品不存在或已下架", "This product is no longer sold"),
        ),
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "JSAPI unified order failed");
            error_page(
                lang,
                502,
                lang.pick(
                    "暂时无法下单，请稍后再试",
                    "The order cannot be placed right now: try again shortly",
                ),
            )
        }
    }
}

/// `GET /oa/{id}/orders/{out_trade_no}`: one of the follower's orders, with the pay button
/// while it can be paid.
pub async fn detail(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path((id, out_trade_no)): Path<(i64, String)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(q.lang.as_deref());
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        return limited(lang, wait);
    }
    let Some(account) = oauth::official_account(&state, id).await else {
        return error_page(lang, 404, lang.pick("页面不存在", "Page not found"));
    };
    let who = match follower_or_sign_in(&state, &account, &headers, lang).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let found = async {
        let merchants = data::linked_merchants(&state, &account).await?;
        Ok::<_, crate::error::AppError>(
            data::owned_order(&state, &merchants, &who.openid, &out_trade_no)
                .await?
                .map(|(m, o)| {
                    let params = data::payable(&o).then(|| data::pay_params(m, &o)).flatten();
                    (m.name.clone(), o, params)
                }),
        )
    }
    .await;
    let (merchant_name, o, params) = match found {
        Ok(Some(x)) => x,
        Ok(None) => {
            return error_page(lang, 404, lang.pick("订单不存在", "No such order"));
        }
        Err(e) => return failed(lang, &e),
    };
    let sandbox = *account.environment == api::accounts::WechatEnv::Sandbox
        && state.wechat.sandbox().is_some();
    let body = super::shop_html::order_body(&super::shop_html::OrderView {
        id,
        lang,
        merchant_name: &merchant_name,
        order: &o,
        badge: state_badge(lang, &o),
        refunded: refunded_line(lang, &o),
        back: list_url(id, lang),
        switch: lang_switch(|l| order_url(id, &o.out_trade_no, l), lang),
        params: params.as_ref(),
        sandbox,
    });
    page(lang, lang.pick("订单详情", "Your order"), &body)
}

/// `GET /oa/{id}/orders/{out_trade_no}/status`: the order page polls this after paying.
pub async fn status(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path((id, out_trade_no)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        return limited(Lang::Zh, wait);
    }
    let not_found = || (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response();
    let Some(account) = oauth::official_account(&state, id).await else {
        return not_found();
    };
    let Some(who) = oauth::follower(&state, id, &headers) else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "not_signed_in"})),
        )
            .into_response();
    };
    let found = async {
        let merchants = data::linked_merchants(&state, &account).await?;
        Ok::<_, crate::error::AppError>(
            data::owned_order(&state, &merchants, &who.openid, &out_trade_no)
                .await?
                .map(|(_, o)| o),
        )
    }
    .await;
    match found {
        Ok(Some(o)) => {
            let (st, expired) = shown_state(&o);
            (
                [(header::CACHE_CONTROL, "no-store")],
                Json(OrderStatus {
                    out_trade_no: o.out_trade_no,
                    state: st,
                    total_fee: o.total_fee,
                    expired,
                }),
            )
                .into_response()
        }
        Ok(None) => not_found(),
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "order status failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /oa/{id}/orders/{out_trade_no}/sandbox-pay` (JSON: the `getBrandWCPayRequest`
/// parameters): for a sandbox account opened outside WeChat, the follower confirms the payment
/// in the emulator as WeChat's browser would. Answers like the bridge's callback:
/// `{"err_msg": "get_brand_wcpay_request:ok"}` or `…:fail` with the emulator's reason.
pub async fn sandbox_pay(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path((id, out_trade_no)): Path<(i64, String)>,
    headers: HeaderMap,
    Json(request): Json<BrandWcPayRequest>,
) -> Response {
    let refuse = |status: StatusCode, why: &str| {
        (
            status,
            Json(json!({"err_msg": "get_brand_wcpay_request:fail", "detail": why})),
        )
            .into_response()
    };
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        let mut r = refuse(StatusCode::TOO_MANY_REQUESTS, "too many requests");
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    if cross_site(&state, &headers) {
        return refuse(StatusCode::FORBIDDEN, "cross-site request");
    }
    let (Some(account), Some(emulator)) = (
        oauth::official_account(&state, id).await,
        state.wechat.sandbox(),
    ) else {
        return refuse(StatusCode::NOT_FOUND, "not found");
    };
    if *account.environment != api::accounts::WechatEnv::Sandbox {
        return refuse(StatusCode::NOT_FOUND, "not found");
    }
    let Some(who) = oauth::follower(&state, id, &headers) else {
        return refuse(StatusCode::UNAUTHORIZED, "not signed in");
    };
    let owned = match data::linked_merchants(&state, &account).await {
        Ok(ms) => data::owned_order(&state, &ms, &who.openid, &out_trade_no)
            .await
            .map(|o| o.is_some()),
        Err(e) => Err(e),
    };
    match owned {
        Ok(true) => {}
        Ok(false) => return refuse(StatusCode::NOT_FOUND, "no such order"),
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "sandbox pay lookup failed");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    }
    match emulator
        .sim
        .pay_act(PayerAction::Jsapi {
            request,
            openid: who.openid,
        })
        .await
    {
        Ok(_) => Json(json!({"err_msg": "get_brand_wcpay_request:ok"})).into_response(),
        // What WeChat tells the page (a bad signature, another payer, a closed order).
        Err(e) => refuse(StatusCode::OK, &e.message),
    }
}
