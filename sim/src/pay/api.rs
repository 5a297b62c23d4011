//! The merchant-facing Pay v2 APIs.
//!
//! Failure texts follow what WeChat Pay is commonly seen to answer; the exact `return_msg` for
//! malformed requests is ⚠️ unconfirmed (the reference lists field names, not every message).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::model::{MerchantConfig, Order, Refund, TradeState};
use super::{CLIENT_CERT_HEADER, PayMap, return_fail, signed};
use crate::clock::cst;
use crate::fault::FaultKind;
use crate::proto::sign::{SignType, pay_sign, random_alnum, random_hex};
use crate::proto::xml;
use crate::sched::Job;
use crate::state::Sim;

/// How long a prepay_id stays payable when `time_expire` is absent (⚠️ 2 hours).
pub const DEFAULT_EXPIRY: i64 = 7200;

/// A verified request.
pub struct PayReq {
    /// Fields.
    pub m: PayMap,
    /// The merchant.
    pub mch: MerchantConfig,
    /// The request's sign type (responses are signed with it).
    pub sign_type: SignType,
}

impl PayReq {
    /// A request field ("" when absent).
    pub fn f(&self, k: &str) -> &str {
        self.m.get(k).map(String::as_str).unwrap_or("")
    }

    /// `return_code`/`return_msg` SUCCESS plus appid and mch_id.
    pub fn base(&self) -> PayMap {
        let mut m = PayMap::new();
        m.insert("return_code".into(), "SUCCESS".into());
        m.insert("return_msg".into(), "OK".into());
        if !self.f("appid").is_empty() {
            m.insert("appid".into(), self.f("appid").into());
        }
        m.insert("mch_id".into(), self.mch.mch_id.clone());
        m
    }

    /// Business failure (`result_code` FAIL), signed.
    pub fn fail(&self, code: &str, des: &str) -> Response {
        let mut m = self.base();
        m.insert("result_code".into(), "FAIL".into());
        m.insert("err_code".into(), code.into());
        m.insert("err_code_des".into(), des.into());
        signed(m, &self.mch.key, self.sign_type)
    }

    /// Success with extra fields, signed.
    pub fn ok(&self, extra: PayMap) -> Response {
        let mut m = self.base();
        m.insert("result_code".into(), "SUCCESS".into());
        m.extend(extra);
        signed(m, &self.mch.key, self.sign_type)
    }
}

/// Parses, authenticates and applies faults to a Pay request.
pub async fn prelude(sim: &Sim, path: &str, body: &Bytes) -> Result<PayReq, Response> {
    let text = std::str::from_utf8(body).map_err(|_| return_fail("XML格式错误"))?;
    let node = xml::parse(text).map_err(|_| return_fail("XML格式错误"))?;
    let mut m = node.to_map();
    // `tools/shorturl` signs the raw URL but sends it URL-encoded.
    if path == "/tools/shorturl"
        && let Some(u) = m.get_mut("long_url")
    {
        *u = percent_decode(u);
    }
    let mch_id = m.get("mch_id").cloned().unwrap_or_default();
    if mch_id.is_empty() {
        return Err(return_fail("mch_id参数格式错误"));
    }
    let mch = sim
        .with(|s| s.pay.merchants.get(&mch_id).map(|x| x.cfg.clone()))
        .ok_or_else(|| return_fail("商户号mch_id与appid不匹配"))?;
    let appid = m.get("appid").map(String::as_str).unwrap_or("");
    if !mch.appids.is_empty() && !appid.is_empty() && !mch.appids.iter().any(|a| a == appid) {
        return Err(return_fail("appid和mch_id不匹配"));
    }
    if m.get("nonce_str").is_none_or(String::is_empty) {
        return Err(return_fail("nonce_str参数格式错误"));
    }
    let sign_type = match m.get("sign_type").map(String::as_str) {
        None | Some("") => SignType::Md5,
        Some(s) => SignType::parse(s).ok_or_else(|| return_fail("sign_type参数格式错误"))?,
    };
    let sign = m.get("sign").cloned().unwrap_or_default();
    if sign.is_empty() || pay_sign(&m, &mch.key, sign_type) != sign {
        return Err(return_fail("签名错误"));
    }
    let req = PayReq { m, mch, sign_type };
    match sim.faults(&mch_id, path).await.error {
        None => Ok(req),
        Some(FaultKind::Busy) => Err(req.fail("SYSTEMERROR", "系统超时")),
        Some(FaultKind::Quota) => Err(req.fail("FREQUENCY_LIMITED", "频率限制")),
        Some(_) => Err(return_fail("IP地址不在白名单")),
    }
}

/// Decodes `%XX` escapes (and `+` as space).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(x) => {
                        out.push(x);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            x => {
                out.push(x);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `POST /tools/shorturl` `{long_url}` (signed raw, sent URL-encoded) → `short_url`
/// (`weixin://wxpay/s/…`), which payers can scan like the long one.
pub async fn shorturl(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/tools/shorturl", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let long = req.f("long_url").to_owned();
    if !long.starts_with("weixin://") {
        return req.fail("INVALID_REQUEST", "long_url参数错误");
    }
    let short = format!("weixin://wxpay/s/{}", random_alnum(7));
    sim.with(|s| s.pay.short_urls.insert(short.clone(), long));
    let mut extra = PayMap::new();
    extra.insert("short_url".into(), short);
    req.ok(extra)
}

fn required(req: &PayReq, keys: &[&str]) -> Option<Response> {
    for k in keys {
        if req.f(k).is_empty() {
            return Some(return_fail(&format!("缺少参数{k}")));
        }
    }
    None
}

fn parse_pay_time(s: &str) -> Option<i64> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let date = time::Date::from_calendar_date(
        n(0..4)? as i32,
        time::Month::try_from(n(4..6)? as u8).ok()?,
        n(6..8)? as u8,
    )
    .ok()?;
    let t = time::Time::from_hms(n(8..10)? as u8, n(10..12)? as u8, n(12..14)? as u8).ok()?;
    let off = time::UtcOffset::from_hms(8, 0, 0).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_offset(off)
            .unix_timestamp(),
    )
}

fn prepay_id(now: i64) -> String {
    format!("wx{}{}", crate::clock::pay_time(now), random_hex(22))
}

/// `POST /pay/unifiedorder`.
pub async fn unifiedorder(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/pay/unifiedorder", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Some(r) = required(
        &req,
        &[
            "appid",
            "body",
            "out_trade_no",
            "total_fee",
            "spbill_create_ip",
            "notify_url",
            "trade_type",
        ],
    ) {
        return r;
    }
    let total: i64 = match req.f("total_fee").parse() {
        Ok(v) if v > 0 => v,
        _ => return req.fail("PARAM_ERROR", "total_fee参数错误"),
    };
    let trade_type = req.f("trade_type").to_owned();
    if !["JSAPI", "NATIVE", "APP", "MWEB"].contains(&trade_type.as_str()) {
        return req.fail("PARAM_ERROR", "trade_type参数错误");
    }
    if trade_type == "JSAPI" && req.f("openid").is_empty() {
        return req.fail("PARAM_ERROR", "JSAPI支付必须传openid");
    }
    if trade_type == "NATIVE" && req.f("product_id").is_empty() {
        return req.fail("PARAM_ERROR", "NATIVE支付必须传product_id");
    }
    let now = sim.now();
    let expires = match req.f("time_expire") {
        "" => now + DEFAULT_EXPIRY,
        s => match parse_pay_time(s) {
            Some(t) => t,
            None => return req.fail("PARAM_ERROR", "time_expire时间格式错误"),
        },
    };
    let out_trade_no = req.f("out_trade_no").to_owned();
    let mch_id = req.mch.mch_id.clone();
    let result = sim.with(|st| {
        let pay = &mut st.pay;
        let merchant = pay
            .merchants
            .get_mut(&mch_id)
            .ok_or(("SYSTEMERROR", "系统错误"))?;
        if let Some(o) = merchant.orders.get(&out_trade_no) {
            return match o.state {
                TradeState::Success | TradeState::Refund => Err(("ORDERPAID", "该订单已支付")),
                TradeState::Closed => Err(("ORDERCLOSED", "该订单已关闭")),
                _ if o.total_fee != total
                    || o.trade_type != trade_type
                    || o.request.get("body") != req.m.get("body") =>
                {
                    Err(("INVALID_REQUEST", "201 商户订单号重复"))
                }
                _ if now >= o.expires => Err(("ORDERCLOSED", "该订单已关闭")),
                _ => Ok((o.prepay_id.clone(), o.code_url.clone())),
            };
        }
        let pid = prepay_id(now);
        let code_url = (trade_type == "NATIVE").then(|| {
            let pr = random_alnum(7);
            pay.index
                .insert(pr.clone(), (mch_id.clone(), out_trade_no.clone()));
            format!("weixin://wxpay/bizpayurl?pr={pr}")
        });
        pay.index
            .insert(pid.clone(), (mch_id.clone(), out_trade_no.clone()));
        let order = Order {
            request: req.m.clone(),
            appid: req.f("appid").to_owned(),
            out_trade_no: out_trade_no.clone(),
            total_fee: total,
            trade_type: trade_type.clone(),
            notify_url: req.f("notify_url").to_owned(),
            sign_type: req.sign_type,
            prepay_id: pid.clone(),
            code_url: code_url.clone(),
            state: TradeState::Notpay,
            openid: (!req.f("openid").is_empty()).then(|| req.f("openid").to_owned()),
            created: now,
            expires,
            transaction_id: None,
            paid_at: None,
            refunded: 0,
            notify_acknowledged: false,
            notify_attempts: 0,
        };
        if let Some(m) = pay.merchants.get_mut(&mch_id) {
            m.orders.insert(out_trade_no.clone(), order);
        }
        Ok((pid, code_url))
    });
    match result {
        Err((code, des)) => req.fail(code, des),
        Ok((pid, code_url)) => {
            let mut extra = PayMap::new();
            extra.insert("trade_type".into(), trade_type.clone());
            extra.insert("prepay_id".into(), pid);
            if let Some(c) = code_url {
                extra.insert("code_url".into(), c);
            }
            if trade_type == "MWEB" {
                extra.insert(
                    "mweb_url".into(),
                    "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=".into(),
                );
            }
            if !req.f("device_info").is_empty() {
                extra.insert("device_info".into(), req.f("device_info").into());
            }
            req.ok(extra)
        }
    }
}

fn find_order(sim: &Sim, req: &PayReq) -> Option<Order> {
    let tid = req.f("transaction_id");
    let otn = req.f("out_trade_no");
    sim.with(|st| {
        let m = st.pay.merchants.get(&req.mch.mch_id)?;
        if !tid.is_empty() {
            m.orders
                .values()
                .find(|o| o.transaction_id.as_deref() == Some(tid))
                .cloned()
        } else {
            m.orders.get(otn).cloned()
        }
    })
}

/// The fields `orderquery` and the pay notify share for a paid order.
pub fn paid_fields(o: &Order) -> PayMap {
    let mut m = PayMap::new();
    m.insert("openid".into(), o.openid.clone().unwrap_or_default());
    m.insert("is_subscribe".into(), "N".into());
    m.insert("trade_type".into(), o.trade_type.clone());
    m.insert("bank_type".into(), "CFT".into());
    m.insert("total_fee".into(), o.total_fee.to_string());
    m.insert("fee_type".into(), "CNY".into());
    m.insert("cash_fee".into(), o.total_fee.to_string());
    m.insert(
        "transaction_id".into(),
        o.transaction_id.clone().unwrap_or_default(),
    );
    m.insert("out_trade_no".into(), o.out_trade_no.clone());
    m.insert(
        "time_end".into(),
        o.paid_at.map(crate::clock::pay_time).unwrap_or_default(),
    );
    if let Some(a) = o.request.get("attach").filter(|a| !a.is_empty()) {
        m.insert("attach".into(), a.clone());
    }
    if let Some(d) = o.request.get("device_info").filter(|a| !a.is_empty()) {
        m.insert("device_info".into(), d.clone());
    }
    m
}

/// `POST /pay/orderquery`.
pub async fn orderquery(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/pay/orderquery", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if req.f("transaction_id").is_empty() && req.f("out_trade_no").is_empty() {
        return return_fail("缺少参数out_trade_no");
    }
    let Some(o) = find_order(&sim, &req) else {
        return req.fail("ORDERNOTEXIST", "order not exist");
    };
    let mut extra = match o.state {
        TradeState::Success | TradeState::Refund => paid_fields(&o),
        _ => {
            let mut m = PayMap::new();
            m.insert("out_trade_no".into(), o.out_trade_no.clone());
            m.insert("total_fee".into(), o.total_fee.to_string());
            m
        }
    };
    extra.insert("trade_state".into(), o.state.as_str().into());
    extra.insert("trade_state_desc".into(), o.state.desc().into());
    req.ok(extra)
}

/// `POST /pay/closeorder`.
pub async fn closeorder(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/pay/closeorder", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Some(r) = required(&req, &["out_trade_no"]) {
        return r;
    }
    let otn = req.f("out_trade_no").to_owned();
    let res = sim.with(|st| {
        let o = st
            .pay
            .merchants
            .get_mut(&req.mch.mch_id)
            .and_then(|m| m.orders.get_mut(&otn));
        match o {
            None => Err(("ORDERNOTEXIST", "订单不存在")),
            Some(o) => match o.state {
                TradeState::Success | TradeState::Refund => {
                    Err(("ORDERPAID", "订单已支付，不能发起关单"))
                }
                // ⚠️ closing an already closed order is believed to answer ORDERCLOSED.
                TradeState::Closed => Err(("ORDERCLOSED", "订单已关闭，无法重复关闭")),
                _ => {
                    o.state = TradeState::Closed;
                    Ok(())
                }
            },
        }
    });
    match res {
        Ok(()) => req.ok(PayMap::new()),
        Err((c, d)) => req.fail(c, d),
    }
}

/// The body nginx sends when a `/secapi/` call comes without a client certificate.
const NO_CERT: &str = "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Checks the emulated client certificate (see [`CLIENT_CERT_HEADER`]). Without one the call
/// fails like the real TLS front end does (400, ⚠️ an HTML page from nginx).
fn check_cert(sim: &Sim, headers: &HeaderMap, body: &Bytes) -> Option<Response> {
    let got = headers
        .get(CLIENT_CERT_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if got.is_empty() {
        return Some(
            (
                StatusCode::BAD_REQUEST,
                [("content-type", "text/html")],
                NO_CERT,
            )
                .into_response(),
        );
    }
    let mch_id = std::str::from_utf8(body)
        .ok()
        .and_then(|t| xml::parse(t).ok())
        .and_then(|n| n.get("mch_id").map(str::to_owned))
        .unwrap_or_default();
    let want = sim.with(|s| {
        s.pay
            .merchants
            .get(&mch_id)
            .map(|m| m.cfg.cert_sha256.to_ascii_lowercase())
    });
    match want {
        Some(w) if !w.is_empty() && w != got => Some(return_fail("证书错误：该证书不属于此商户")),
        _ => None,
    }
}

/// `POST /secapi/pay/refund` (client certificate required). Refunds complete at once; the
/// refund notify follows if a notify URL is known.
pub async fn refund(AxState(sim): AxState<Arc<Sim>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = check_cert(&sim, &headers, &body) {
        return r;
    }
    let req = match prelude(&sim, "/secapi/pay/refund", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Some(r) = required(&req, &["out_refund_no", "total_fee", "refund_fee"]) {
        return r;
    }
    if req.f("transaction_id").is_empty() && req.f("out_trade_no").is_empty() {
        return return_fail("缺少参数out_trade_no");
    }
    let (Ok(total), Ok(fee)) = (
        req.f("total_fee").parse::<i64>(),
        req.f("refund_fee").parse::<i64>(),
    ) else {
        return req.fail("PARAM_ERROR", "total_fee或refund_fee参数错误");
    };
    let Some(order) = find_order(&sim, &req) else {
        return req.fail("ORDERNOTEXIST", "订单不存在");
    };
    let now = sim.now();
    let out_refund_no = req.f("out_refund_no").to_owned();
    let notify_url = Some(req.f("notify_url").to_owned())
        .filter(|u| !u.is_empty())
        .or(req.mch.refund_notify_url.clone());
    let mch_id = req.mch.mch_id.clone();
    let res = sim.with(|st| {
        let m = st
            .pay
            .merchants
            .get_mut(&mch_id)
            .ok_or(("SYSTEMERROR", "系统错误"))?;
        if let Some(r) = m.refunds.get(&out_refund_no) {
            return if r.out_trade_no == order.out_trade_no && r.refund_fee == fee {
                Ok((r.clone(), false))
            } else {
                Err(("INVALID_REQUEST", "商户退款单号重复"))
            };
        }
        let o = m
            .orders
            .get_mut(&order.out_trade_no)
            .ok_or(("ORDERNOTEXIST", "订单不存在"))?;
        if !matches!(o.state, TradeState::Success | TradeState::Refund) {
            return Err(("TRADE_STATE_ERROR", "订单状态错误"));
        }
        if total != o.total_fee {
            return Err((
                "INVALID_REQUEST",
                "订单金额或退款金额与之前请求不一致，请核实后再试",
            ));
        }
        if fee <= 0 || o.refunded + fee > o.total_fee {
            return Err(("ERROR", "累计退款金额大于支付金额"));
        }
        o.refunded += fee;
        o.state = TradeState::Refund;
        let r = Refund {
            out_refund_no: out_refund_no.clone(),
            refund_id: format!(
                "50000{}{}",
                crate::clock::pay_date(now),
                rand::random::<u64>() % 10_000_000_000_000
            ),
            out_trade_no: o.out_trade_no.clone(),
            transaction_id: o.transaction_id.clone().unwrap_or_default(),
            total_fee: o.total_fee,
            refund_fee: fee,
            status: "SUCCESS".into(),
            created: now,
            success_time: now,
            notify_url: notify_url.clone(),
            notify_acknowledged: false,
        };
        m.refunds.insert(out_refund_no.clone(), r.clone());
        Ok((r, true))
    });
    match res {
        Err((c, d)) => req.fail(c, d),
        Ok((r, fresh)) => {
            if fresh && r.notify_url.is_some() {
                sim.with(|st| {
                    st.schedule(
                        now,
                        Job::RefundNotify {
                            mch_id: mch_id.clone(),
                            out_refund_no: r.out_refund_no.clone(),
                            attempt: 0,
                        },
                    )
                });
                sim.wake.notify_one();
            }
            let mut extra = PayMap::new();
            for (k, v) in [
                ("transaction_id", r.transaction_id.clone()),
                ("out_trade_no", r.out_trade_no.clone()),
                ("out_refund_no", r.out_refund_no.clone()),
                ("refund_id", r.refund_id.clone()),
                ("refund_fee", r.refund_fee.to_string()),
                ("total_fee", r.total_fee.to_string()),
                ("cash_fee", r.total_fee.to_string()),
                ("cash_refund_fee", r.refund_fee.to_string()),
                ("coupon_refund_fee", "0".into()),
                ("coupon_refund_count", "0".into()),
            ] {
                extra.insert(k.into(), v);
            }
            req.ok(extra)
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in CST.
pub fn cst_datetime(unix: i64) -> String {
    let t = cst(unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `POST /pay/refundquery`.
pub async fn refundquery(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/pay/refundquery", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (rid, orn, tid, otn) = (
        req.f("refund_id"),
        req.f("out_refund_no"),
        req.f("transaction_id"),
        req.f("out_trade_no"),
    );
    if [rid, orn, tid, otn].iter().all(|s| s.is_empty()) {
        return return_fail("缺少参数out_refund_no");
    }
    let refunds: Vec<Refund> = sim.with(|st| {
        st.pay
            .merchants
            .get(&req.mch.mch_id)
            .map(|m| {
                m.refunds
                    .values()
                    .filter(|r| {
                        (!rid.is_empty() && r.refund_id == rid)
                            || (!orn.is_empty() && r.out_refund_no == orn)
                            || (rid.is_empty()
                                && orn.is_empty()
                                && ((!tid.is_empty() && r.transaction_id == tid)
                                    || (!otn.is_empty() && r.out_trade_no == otn)))
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    });
    let Some(first) = refunds.first() else {
        return req.fail("REFUNDNOTEXIST", "not exist");
    };
    let mut extra = PayMap::new();
    extra.insert("transaction_id".into(), first.transaction_id.clone());
    extra.insert("out_trade_no".into(), first.out_trade_no.clone());
    extra.insert("total_fee".into(), first.total_fee.to_string());
    extra.insert("cash_fee".into(), first.total_fee.to_string());
    extra.insert("refund_count".into(), refunds.len().to_string());
    for (i, r) in refunds.iter().enumerate() {
        for (k, v) in [
            ("out_refund_no", r.out_refund_no.clone()),
            ("refund_id", r.refund_id.clone()),
            ("refund_channel", "ORIGINAL".into()),
            ("refund_fee", r.refund_fee.to_string()),
            ("refund_status", r.status.clone()),
            ("refund_account", "REFUND_SOURCE_UNSETTLED_FUNDS".into()),
            ("refund_recv_accout", "支付用户的零钱".into()),
            ("refund_success_time", cst_datetime(r.success_time)),
        ] {
            extra.insert(format!("{k}_{i}"), v);
        }
    }
    req.ok(extra)
}
