//! The payer's side: scanning a mode-2 `code_url` or a mode-1 `bizpayurl`, paying a JSAPI/APP
//! prepay_id, or agreeing to a page's `getBrandWCPayRequest` (checked the way WeChat's browser
//! checks it). A successful payment schedules the pay notify.

use serde::{Deserialize, Serialize};

use super::PayMap;
use super::model::TradeState;
use crate::callback::{Delivery, Outcome, post_once};
use crate::error::SimError;
use crate::oa::model::new_openid;
use crate::proto::sign::{SignType, pay_sign, random_alnum};
use crate::proto::xml::{self, pay_xml};
use crate::sched::Job;
use crate::state::Sim;

/// What a payer does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PayerAction {
    /// Scan a QR code: `weixin://wxpay/bizpayurl?pr=…` (mode 2) or
    /// `weixin://wxpay/bizpayurl?sign=…&appid=…&mch_id=…&product_id=…&time_stamp=…&nonce_str=…`
    /// (mode 1), then pay.
    Scan {
        /// QR content.
        code: String,
        /// The payer (generated when absent).
        #[serde(default)]
        openid: Option<String>,
    },
    /// Pay a prepay_id (JSAPI `getBrandWCPayRequest`, APP).
    Pay {
        /// prepay_id.
        prepay_id: String,
        /// The payer (JSAPI: the order's openid).
        #[serde(default)]
        openid: Option<String>,
    },
    /// A page inside WeChat calls `WeixinJSBridge.invoke('getBrandWCPayRequest', request)` and
    /// the follower `openid` confirms: the request's `paySign` and `appId` are checked against
    /// the order, and only the order's own payer can pay it.
    Jsapi {
        /// What the page passed to `getBrandWCPayRequest`.
        request: BrandWcPayRequest,
        /// The follower using WeChat.
        openid: String,
    },
}

/// The parameters of `getBrandWCPayRequest` (camelCase, as the page passes them).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BrandWcPayRequest {
    /// `appId`: the Official Account the order was placed for.
    pub app_id: String,
    /// `timeStamp`.
    pub time_stamp: String,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `package`: `prepay_id=…`.
    pub package: String,
    /// `signType`: `MD5` or `HMAC-SHA256`.
    pub sign_type: String,
    /// `paySign`.
    pub pay_sign: String,
}

/// The result of a payment.
#[derive(Debug, Clone, Serialize)]
pub struct Paid {
    /// mch_id.
    pub mch_id: String,
    /// out_trade_no.
    pub out_trade_no: String,
    /// transaction_id.
    pub transaction_id: String,
    /// The payer.
    pub openid: String,
    /// Mode 1: the scan callback to the merchant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_callback: Option<Delivery>,
}

fn query_params(code: &str) -> Option<Vec<(String, String)>> {
    let rest = code.strip_prefix("weixin://wxpay/bizpayurl?")?;
    let u = reqwest::Url::parse(&format!("http://x/?{rest}")).ok()?;
    Some(
        u.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// Performs a payer action.
pub async fn act(sim: &Sim, action: PayerAction) -> Result<Paid, SimError> {
    match action {
        PayerAction::Pay { prepay_id, openid } => pay_indexed(sim, &prepay_id, openid, None, None),
        PayerAction::Jsapi { request, openid } => jsapi(sim, &request, openid),
        PayerAction::Scan { code, openid } => {
            let code = match code.strip_prefix("weixin://wxpay/s/") {
                Some(_) => sim
                    .with(|s| s.pay.short_urls.get(&code).cloned())
                    .ok_or_else(|| SimError::bad("unknown short URL"))?,
                None => code,
            };
            let params = query_params(&code)
                .ok_or_else(|| SimError::bad("not a weixin://wxpay/bizpayurl code"))?;
            let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            if let Some(pr) = get("pr") {
                return pay_indexed(sim, &pr, openid, Some("NATIVE"), None);
            }
            mode1(sim, &params, openid).await
        }
    }
}

fn pay_indexed(
    sim: &Sim,
    key: &str,
    openid: Option<String>,
    want_type: Option<&str>,
    scan_callback: Option<Delivery>,
) -> Result<Paid, SimError> {
    let now = sim.now();
    let paid = sim.with(|s| {
        let (mch_id, otn) = s
            .pay
            .index
            .get(key)
            .cloned()
            .ok_or_else(|| SimError::bad("unknown code or prepay_id"))?;
        let o = s
            .pay
            .merchants
            .get_mut(&mch_id)
            .and_then(|m| m.orders.get_mut(&otn))
            .ok_or_else(|| SimError::bad("order vanished"))?;
        if want_type.is_some_and(|t| t != o.trade_type) {
            return Err(SimError::bad(format!(
                "this is not a {} order",
                want_type.unwrap_or("")
            )));
        }
        if o.state != TradeState::Notpay {
            return Err(SimError::bad(format!("order is {}", o.state.as_str())));
        }
        if now >= o.expires {
            return Err(SimError::bad("order expired (prepay_id no longer valid)"));
        }
        let payer = match (&o.openid, openid) {
            (Some(bound), Some(given)) if *bound != given => {
                return Err(SimError::bad("JSAPI order belongs to another openid"));
            }
            (Some(bound), _) => bound.clone(),
            (None, Some(given)) => given,
            (None, None) => new_openid(),
        };
        // 28 digits like real ones: 420000 + 4 digits + yyyyMMdd + 10 digits.
        let tid = format!(
            "420000{:04}{}{:010}",
            rand::random::<u16>() % 10_000,
            crate::clock::pay_date(now),
            rand::random::<u64>() % 10_000_000_000
        );
        o.openid = Some(payer.clone());
        o.state = TradeState::Success;
        o.transaction_id = Some(tid.clone());
        o.paid_at = Some(now);
        s.schedule(
            now,
            Job::PayNotify {
                mch_id: mch_id.clone(),
                out_trade_no: otn.clone(),
                attempt: 0,
            },
        );
        Ok(Paid {
            mch_id,
            out_trade_no: otn,
            transaction_id: tid,
            openid: payer,
            scan_callback: None,
        })
    })?;
    sim.wake.notify_one();
    Ok(Paid {
        scan_callback,
        ..paid
    })
}

/// `getBrandWCPayRequest`: WeChat answers `get_brand_wcpay_request:fail` (with a reason) for a
/// package it does not know, an `appId` other than the order's, a `paySign` that is not the
/// merchant's v2 signature over the five camelCase fields, or a follower who is not the payer
/// the order was placed for.
fn jsapi(sim: &Sim, r: &BrandWcPayRequest, openid: String) -> Result<Paid, SimError> {
    let fail = |why: &str| SimError::bad(format!("get_brand_wcpay_request:fail {why}"));
    let prepay_id = r
        .package
        .strip_prefix("prepay_id=")
        .ok_or_else(|| fail("package must be prepay_id=…"))?;
    let (key, appid, trade_type) = sim
        .with(|s| {
            let (mch_id, otn) = s.pay.index.get(prepay_id)?;
            let m = s.pay.merchants.get(mch_id)?;
            let o = m.orders.get(otn)?;
            Some((m.cfg.key.clone(), o.appid.clone(), o.trade_type.clone()))
        })
        .ok_or_else(|| fail("prepay_id is unknown"))?;
    if trade_type != "JSAPI" {
        return Err(fail("the prepay_id is not a JSAPI order"));
    }
    if r.app_id != appid {
        return Err(fail("appId does not match the order"));
    }
    let st = SignType::parse(&r.sign_type).ok_or_else(|| fail("signType is invalid"))?;
    let signed: PayMap = [
        ("appId", &r.app_id),
        ("timeStamp", &r.time_stamp),
        ("nonceStr", &r.nonce_str),
        ("package", &r.package),
        ("signType", &r.sign_type),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    if pay_sign(&signed, &key, st) != r.pay_sign {
        return Err(fail("支付验证签名失败 (paySign is invalid)"));
    }
    pay_indexed(sim, prepay_id, Some(openid), Some("JSAPI"), None)
}

/// Mode 1: check the QR's signature, call the merchant's scan callback, check its signed
/// prepay_id reply, then pay.
async fn mode1(
    sim: &Sim,
    params: &[(String, String)],
    openid: Option<String>,
) -> Result<Paid, SimError> {
    let q: PayMap = params.iter().cloned().collect();
    let mch_id = q.get("mch_id").cloned().unwrap_or_default();
    let product_id = q.get("product_id").cloned().unwrap_or_default();
    let (cfg, _) = sim
        .with(|s| s.pay.merchants.get(&mch_id).map(|m| (m.cfg.clone(), ())))
        .ok_or_else(|| SimError::bad("unknown mch_id in the QR code"))?;
    // The QR is signed with MD5 over appid, mch_id, product_id, time_stamp, nonce_str.
    let signed: PayMap = q
        .iter()
        .filter(|(k, _)| k.as_str() != "sign")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if q.get("sign").map(String::as_str)
        != Some(pay_sign(&signed, &cfg.key, SignType::Md5).as_str())
    {
        return Err(SimError::bad("QR code signature is invalid"));
    }
    let url = cfg
        .scan_callback_url
        .clone()
        .ok_or_else(|| SimError::bad("merchant has no scan_callback_url"))?;
    let payer = openid.unwrap_or_else(new_openid);
    let st = cfg.sign_type.unwrap_or(SignType::Md5);
    let mut m = PayMap::new();
    m.insert("appid".into(), q.get("appid").cloned().unwrap_or_default());
    m.insert("openid".into(), payer.clone());
    m.insert("mch_id".into(), mch_id.clone());
    m.insert("is_subscribe".into(), "N".into());
    m.insert("nonce_str".into(), random_alnum(16));
    m.insert("product_id".into(), product_id.clone());
    let sign = pay_sign(&m, &cfg.key, st);
    m.insert("sign".into(), sign);
    let id = sim.with(|s| s.id());
    let mut d = Delivery::new(id, "pay_scan", &mch_id, &product_id);
    d.url = url;
    d.body = pay_xml(&m);
    d.message = d.body.clone();
    let (a, body) = post_once(sim, &d.url, &d.body, "text/xml").await;
    d.attempts.push(a);
    let check = |body: Option<String>| -> Result<String, String> {
        let body = body.ok_or("the scan callback failed")?;
        let n = xml::parse(body.trim()).map_err(|e| format!("reply is not XML: {e}"))?;
        let r = n.to_map();
        if r.get("return_code").map(String::as_str) != Some("SUCCESS") {
            return Err(format!(
                "return_code is not SUCCESS: {:?}",
                r.get("return_msg")
            ));
        }
        let rst = r
            .get("sign_type")
            .and_then(|s| SignType::parse(s))
            .unwrap_or(st);
        if r.get("sign")
            .is_none_or(|s| *s != pay_sign(&r, &cfg.key, rst))
        {
            return Err("reply signature is invalid".into());
        }
        if r.get("result_code").map(String::as_str) != Some("SUCCESS") {
            return Err(format!(
                "result_code is not SUCCESS: {:?}",
                r.get("err_code_des")
            ));
        }
        r.get("prepay_id")
            .filter(|p| !p.is_empty())
            .cloned()
            .ok_or_else(|| "reply has no prepay_id".to_owned())
    };
    let outcome = check(body.clone());
    d.reply = body;
    let prepay = match outcome {
        Ok(p) => p,
        Err(e) => {
            d.outcome = if d.attempts.last().is_some_and(|a| a.status == Some(200)) {
                Outcome::InvalidReply
            } else {
                Outcome::Failed
            };
            d.reply_error = Some(e.clone());
            sim.record_delivery(d);
            return Err(SimError::bad(format!("payer sees an error: {e}")));
        }
    };
    // The prepay_id must come from a NATIVE order of this merchant for this product.
    let matches = sim.with(|s| {
        s.pay.index.get(&prepay).and_then(|(m, otn)| {
            let o = s.pay.merchants.get(m)?.orders.get(otn)?;
            Some(
                m == &mch_id
                    && o.trade_type == "NATIVE"
                    && o.request.get("product_id") == Some(&product_id),
            )
        })
    });
    if matches != Some(true) {
        d.outcome = Outcome::InvalidReply;
        d.reply_error = Some("package info not match special pay url".into());
        sim.record_delivery(d);
        return Err(SimError::bad(
            "payer sees an error: package info not match special pay url",
        ));
    }
    d.outcome = Outcome::Acknowledged;
    sim.record_delivery(d.clone());
    pay_indexed(sim, &prepay, Some(payer), Some("NATIVE"), Some(d))
}
