//! The follower's order page: the order, and while it can be paid, the button that calls
//! `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`; afterwards the page follows the order's
//! state (the notify path marks it paid) by polling its status.

use api::pay::{OrderState, fen_to_yuan};
use wechat::pay::JsapiPayParams;

use super::pages::Lang;
use crate::pay::{
    entities::order,
    pages::{PageLang, beijing, esc, state_label, urlencode},
};

pub struct OrderView<'a> {
    pub id: i64,
    pub lang: Lang,
    pub merchant_name: &'a str,
    pub order: &'a order::Model,
    pub badge: String,
    pub refunded: String,
    pub back: String,
    pub switch: String,
    /// Signed `getBrandWCPayRequest` parameters while the order can be paid.
    pub params: Option<&'a JsapiPayParams>,
    /// A sandbox account: outside WeChat the emulator plays WeChat's browser.
    pub sandbox: bool,
}

/// JSON safe inside a `<script>` element.
fn script_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub fn order_body(v: &OrderView<'_>) -> String {
    let (lang, o) = (v.lang, v.order);
    let t = |zh, en| lang.pick(zh, en);
    let (time_label, time) = match o.time_end {
        Some(at) if o.state.is_paid() => (t("支付时间", "Paid at"), at),
        _ => (t("下单时间", "Ordered at"), o.created_at),
    };
    let mut b = v.switch.clone();
    b.push_str(&format!(
        "<a class=\"back\" href=\"{}\" data-testid=\"oa-back\">{}</a>",
        esc(&v.back),
        t("‹ 我的订单", "‹ My orders")
    ));
    b.push_str(&format!(
        "<div class=\"card\" data-testid=\"oa-order-detail\"><p class=\"muted\" data-user-content>{merchant}</p>\
         <h1 data-user-content>{body}</h1><div class=\"row\"><span class=\"price big\">¥{price}</span>{badge}</div>{refunded}\
         <dl><dt>{time_label}</dt><dd>{time}</dd><dt>{no_label}</dt><dd><code>{no}</code></dd></dl></div>",
        merchant = esc(v.merchant_name),
        body = esc(&o.body),
        price = fen_to_yuan(o.total_fee),
        badge = v.badge,
        refunded = v.refunded,
        time = beijing(time),
        no_label = t("订单号", "Order no."),
        no = esc(&o.out_trade_no),
    ));
    if let Some(p) = v.params {
        b.push_str(&pay_card(v, p));
    }
    b
}

fn pay_card(v: &OrderView<'_>, p: &JsapiPayParams) -> String {
    let (id, lang, o) = (v.id, v.lang, v.order);
    let t = |zh, en| lang.pick(zh, en);
    let pl = match lang {
        Lang::Zh => PageLang::Zh,
        Lang::En => PageLang::En,
    };
    // The labels the page shows when the polled state changes.
    let labels: String = [
        OrderState::NotPay,
        OrderState::UserPaying,
        OrderState::Success,
        OrderState::Refund,
        OrderState::Closed,
        OrderState::Revoked,
        OrderState::PayError,
    ]
    .iter()
    .map(|s| {
        let (l, c) = state_label(pl, *s, false);
        format!(
            "{}:[{},{}],",
            script_json(&s.as_str()),
            script_json(&l),
            script_json(&c)
        )
    })
    .collect();
    let (expired_label, _) = state_label(pl, OrderState::Closed, true);
    let sandbox_note = if v.sandbox {
        format!(
            "<p class=\"note\" id=\"sandbox-note\" hidden data-testid=\"oa-sandbox-note\">{}</p>",
            t(
                "沙箱：此浏览器不是微信，点击付款后由模拟器以你的身份确认这笔 JSAPI 支付。",
                "Sandbox: this browser is not WeChat, so the emulator confirms this JSAPI payment as you."
            )
        )
    } else {
        String::new()
    };
    // Safe inside a script string: the order number is percent-encoded.
    let base = format!("/oa/{id}/orders/{}", urlencode(&o.out_trade_no));
    format!(
        "<div class=\"card\" id=\"pay-card\"><button class=\"btn\" id=\"pay\" type=\"button\" data-testid=\"oa-pay\">{button} ¥{price}</button>\
         {sandbox_note}<p class=\"muted\" id=\"pay-msg\" role=\"status\" data-testid=\"oa-pay-msg\"></p></div>\
         <script>(function(){{var P={params},SB={sandbox},L={{{labels}}},M={msgs};\
         var btn=document.getElementById('pay'),msg=document.getElementById('pay-msg'),note=document.getElementById('sandbox-note');\
         function bridge(){{return typeof WeixinJSBridge!=='undefined';}}\
         if(!bridge()&&SB&&note)note.hidden=false;\
         function show(s){{var st=document.querySelector('[data-testid=oa-order-state]');var l=s.expired?[{expired},'closed']:(L[s.state]||[s.state,'']);\
         st.textContent=l[0];st.className='state '+l[1];st.setAttribute('data-state',s.expired?'EXPIRED':s.state);\
         if(s.expired||s.state!=='NOTPAY'){{var c=document.getElementById('pay-card');if(c)c.remove();}}return s.expired||(s.state!=='NOTPAY'&&s.state!=='USERPAYING');}}\
         var tries=0;function poll(){{tries++;fetch('{base}/status',{{cache:'no-store',credentials:'same-origin'}}).then(function(r){{return r.json()}}).then(function(s){{if(!show(s)&&tries<60)setTimeout(poll,1500)}},function(){{if(tries<60)setTimeout(poll,3000)}})}}\
         function done(res){{var m=(res&&res.err_msg)||'';btn.disabled=false;\
         if(m==='get_brand_wcpay_request:ok'){{btn.disabled=true;msg.textContent=M.wait;poll();}}\
         else if(m==='get_brand_wcpay_request:cancel'){{msg.textContent=M.cancel;}}\
         else{{msg.textContent=M.fail+((res&&res.detail)?' ('+res.detail+')':'');}}}}\
         function pay(){{btn.disabled=true;msg.textContent='';\
         if(bridge()){{WeixinJSBridge.invoke('getBrandWCPayRequest',P,done);return;}}\
         if(SB){{fetch('{base}/sandbox-pay',{{method:'POST',credentials:'same-origin',headers:{{'content-type':'application/json'}},body:JSON.stringify(P)}})\
         .then(function(r){{return r.json()}}).then(done,function(){{done(null)}});return;}}\
         btn.disabled=false;msg.textContent=M.outside;}}\
         btn.addEventListener('click',pay);}})();</script>",
        button = t("微信支付", "Pay with WeChat"),
        price = fen_to_yuan(o.total_fee),
        params = script_json(p),
        sandbox = v.sandbox,
        expired = script_json(&expired_label),
        msgs = script_json(&serde_json::json!({
            "wait": t("正在确认支付结果…", "Confirming the payment…"),
            "cancel": t("已取消支付", "Payment cancelled"),
            "fail": t("支付失败", "Payment failed"),
            "outside": t("请在微信中打开本页面付款", "Open this page in WeChat to pay"),
        })),
    )
}
