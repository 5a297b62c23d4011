//! WeChat Pay v2: orders, payer actions, notifications with retries, refunds, bills.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::json;
use wechat_sim::MerchantConfig;
use wechat_sim::pay::payer::PayerAction;
use wechat_sim::proto::sign::{SignType, decrypt_req_info, pay_sign};
use wechat_sim::proto::xml;

use crate::common::{TestSim, spawn_receiver, spawn_sim};

type Map = BTreeMap<String, String>;

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
const APPID: &str = "wxd930ea5d5a258f4f";

fn map(pairs: &[(&str, &str)]) -> Map {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn merchant(t: &TestSim) -> MerchantConfig {
    t.sim.create_merchant(MerchantConfig {
        mch_id: "1900000109".into(),
        key: KEY.into(),
        cert_sha256: "ab".repeat(32),
        ..Default::default()
    })
}

async fn call(
    t: &TestSim,
    path: &str,
    mut m: Map,
    st: SignType,
    cert: Option<&str>,
) -> (u16, String) {
    m.entry("appid".into()).or_insert(APPID.into());
    m.entry("mch_id".into()).or_insert("1900000109".into());
    m.entry("nonce_str".into())
        .or_insert("5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into());
    if st == SignType::HmacSha256 {
        m.insert("sign_type".into(), "HMAC-SHA256".into());
    }
    let s = pay_sign(&m, KEY, st);
    m.insert("sign".into(), s);
    let mut rb = t
        .http
        .post(t.url(&format!("/api.mch.weixin.qq.com{path}")))
        .body(xml::pay_xml(&m));
    if let Some(c) = cert {
        rb = rb.header("X-Sim-Client-Cert-Sha256", c);
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn call_map(t: &TestSim, path: &str, m: Map) -> Map {
    let (_, body) = call(t, path, m, SignType::Md5, None).await;
    xml::parse(&body).unwrap().to_map()
}

fn verify(m: &Map, st: SignType) {
    assert_eq!(m["sign"], pay_sign(m, KEY, st), "response signature");
}

async fn native_order(t: &TestSim, otn: &str, fee: &str, notify: &str) -> Map {
    call_map(
        t,
        "/pay/unifiedorder",
        map(&[
            ("body", "腾讯充值中心-QQ会员充值"),
            ("out_trade_no", otn),
            ("total_fee", fee),
            ("spbill_create_ip", "123.12.12.123"),
            ("notify_url", notify),
            ("trade_type", "NATIVE"),
            ("product_id", "12235413214070356458058"),
            ("attach", "深圳分店"),
        ]),
    )
    .await
}

#[tokio::test]
async fn unifiedorder_native_jsapi_and_errors() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let r = native_order(&t, "T1", "1", "http://127.0.0.1:1/notify").await;
    assert_eq!(r["return_code"], "SUCCESS");
    assert_eq!(r["result_code"], "SUCCESS");
    assert!(r["code_url"].starts_with("weixin://wxpay/bizpayurl?pr="));
    assert!(r["prepay_id"].starts_with("wx"));
    verify(&r, SignType::Md5);
    let (_, raw) = call(
        &t,
        "/pay/orderquery",
        map(&[("out_trade_no", "T1")]),
        SignType::Md5,
        None,
    )
    .await;
    assert!(raw.starts_with("<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg><appid>"), "{raw}");
    // The same request again gives the same prepay_id; a different one is a duplicate.
    assert_eq!(
        native_order(&t, "T1", "1", "http://127.0.0.1:1/notify").await["prepay_id"],
        r["prepay_id"]
    );
    let d = native_order(&t, "T1", "2", "http://127.0.0.1:1/notify").await;
    assert_eq!(d["result_code"], "FAIL");
    assert_eq!(d["err_code"], "INVALID_REQUEST");

    // HMAC-SHA256 requests get HMAC-SHA256-signed answers.
    let (_, body) = call(
        &t,
        "/pay/unifiedorder",
        map(&[
            ("body", "b"),
            ("out_trade_no", "T2"),
            ("total_fee", "100"),
            ("spbill_create_ip", "1.1.1.1"),
            ("notify_url", "http://x/n"),
            ("trade_type", "JSAPI"),
            ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ]),
        SignType::HmacSha256,
        None,
    )
    .await;
    let r = xml::parse(&body).unwrap().to_map();
    assert_eq!(r["result_code"], "SUCCESS");
    assert!(!r.contains_key("code_url"));
    verify(&r, SignType::HmacSha256);

    let r = call_map(
        &t,
        "/pay/unifiedorder",
        map(&[
            ("body", "b"),
            ("out_trade_no", "T3"),
            ("total_fee", "1"),
            ("spbill_create_ip", "1.1.1.1"),
            ("notify_url", "http://x/n"),
            ("trade_type", "JSAPI"),
        ]),
    )
    .await;
    assert_eq!(r["err_code"], "PARAM_ERROR");
    let r = call_map(
        &t,
        "/pay/unifiedorder",
        map(&[("body", "b"), ("out_trade_no", "T3")]),
    )
    .await;
    assert_eq!(r["return_code"], "FAIL");

    // Wrong key: 签名错误, unsigned.
    let mut m = map(&[
        ("appid", APPID),
        ("mch_id", "1900000109"),
        ("nonce_str", "x"),
        ("out_trade_no", "T1"),
    ]);
    m.insert("sign".into(), "0000".into());
    let body = t
        .http
        .post(t.url("/api.mch.weixin.qq.com/pay/orderquery"))
        .body(xml::pay_xml(&m))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = xml::parse(&body).unwrap().to_map();
    assert_eq!(r["return_code"], "FAIL");
    assert_eq!(r["return_msg"], "签名错误");
    assert!(!r.contains_key("sign"));
    let body = t
        .http
        .post(t.url("/api.mch.weixin.qq.com/pay/orderquery"))
        .body("not xml")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("FAIL"));

    t.post_json(
        "/_sim/faults",
        json!({"target": "1900000109", "kind": "busy", "count": 1}),
    )
    .await;
    let r = call_map(&t, "/pay/orderquery", map(&[("out_trade_no", "T1")])).await;
    assert_eq!(r["err_code"], "SYSTEMERROR");
    verify(&r, SignType::Md5);
}

#[tokio::test]
async fn mode2_scan_pays_and_notify_retries_on_the_clock() {
    let t = spawn_sim().await;
    merchant(&t).await;
    // The merchant's notify handler fails twice, then acknowledges.
    let rx = spawn_receiver(|_, n| {
        if n < 2 {
            (200, "<xml><return_code><![CDATA[FAIL]]></return_code></xml>".into(), 0)
        } else {
            (200, "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>".into(), 0)
        }
    })
    .await;
    let r = native_order(&t, "N1", "88", &rx.url).await;
    let q = call_map(&t, "/pay/orderquery", map(&[("out_trade_no", "N1")])).await;
    assert_eq!(q["trade_state"], "NOTPAY");
    let paid = t
        .sim
        .pay_act(PayerAction::Scan {
            code: r["code_url"].clone(),
            openid: Some("oPayer".into()),
        })
        .await
        .unwrap();
    assert!(paid.transaction_id.starts_with("4200"));
    assert_eq!(paid.transaction_id.len(), 28);

    wait_for(|| rx.received().len() == 1).await;
    let n = xml::parse(&rx.received()[0].body).unwrap().to_map();
    verify(&n, SignType::Md5);
    assert!(!n.contains_key("sign_type"));
    assert_eq!(n["out_trade_no"], "N1");
    assert_eq!(n["total_fee"], "88");
    assert_eq!(n["openid"], "oPayer");
    assert_eq!(n["attach"], "深圳分店");
    assert_eq!(n["transaction_id"], paid.transaction_id);

    // Retries follow the schedule on the emulated clock: nothing until 15 s have passed.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(rx.received().len(), 1);
    t.post_json("/_sim/clock/advance", json!({"seconds": 15}))
        .await;
    wait_for(|| rx.received().len() == 2).await;
    t.post_json("/_sim/clock/advance", json!({"seconds": 15}))
        .await;
    wait_for(|| rx.received().len() == 3).await;
    t.post_json("/_sim/clock/advance", json!({"hours": 24}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(rx.received().len(), 3, "acknowledged: no more notifies");
    assert_eq!(rx.received()[0].body.len(), rx.received()[2].body.len());
    let ds = t.get_json("/_sim/deliveries?family=pay_notify").await;
    assert_eq!(ds.as_array().unwrap().len(), 3);
    assert_eq!(ds[2]["outcome"], "acknowledged");

    let q = call_map(
        &t,
        "/pay/orderquery",
        map(&[("transaction_id", &paid.transaction_id)]),
    )
    .await;
    assert_eq!(q["trade_state"], "SUCCESS");
    assert_eq!(q["time_end"].len(), 14);
    verify(&q, SignType::Md5);
    assert_eq!(
        native_order(&t, "N1", "88", &rx.url).await["err_code"],
        "ORDERPAID"
    );
    assert_eq!(
        call_map(&t, "/pay/closeorder", map(&[("out_trade_no", "N1")])).await["err_code"],
        "ORDERPAID"
    );
    assert!(
        t.sim
            .pay_act(PayerAction::Scan {
                code: r["code_url"].clone(),
                openid: None
            })
            .await
            .is_err()
    );
    assert_eq!(
        call_map(&t, "/pay/orderquery", map(&[("out_trade_no", "nope")])).await["err_code"],
        "ORDERNOTEXIST"
    );
}

async fn wait_for(f: impl Fn() -> bool) {
    for _ in 0..400 {
        if f() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("condition not reached");
}

#[tokio::test]
async fn closeorder_and_expiry() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let r = native_order(&t, "C1", "1", "http://127.0.0.1:1/n").await;
    let c = call_map(&t, "/pay/closeorder", map(&[("out_trade_no", "C1")])).await;
    assert_eq!(c["result_code"], "SUCCESS");
    assert_eq!(
        call_map(&t, "/pay/orderquery", map(&[("out_trade_no", "C1")])).await["trade_state"],
        "CLOSED"
    );
    assert!(
        t.sim
            .pay_act(PayerAction::Scan {
                code: r["code_url"].clone(),
                openid: None
            })
            .await
            .is_err()
    );
    assert_eq!(
        call_map(&t, "/pay/closeorder", map(&[("out_trade_no", "C2")])).await["err_code"],
        "ORDERNOTEXIST"
    );
    let r = native_order(&t, "C3", "1", "http://127.0.0.1:1/n").await;
    t.sim.advance(7200);
    let e = t
        .sim
        .pay_act(PayerAction::Pay {
            prepay_id: r["prepay_id"].clone(),
            openid: None,
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("expired"));
}

#[tokio::test]
async fn refund_needs_the_client_certificate_and_notifies_encrypted() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let rx = spawn_receiver(|_, _| {
        (
            200,
            "<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>".into(),
            0,
        )
    })
    .await;
    let r = native_order(&t, "R1", "100", &rx.url).await;
    t.sim
        .pay_act(PayerAction::Scan {
            code: r["code_url"].clone(),
            openid: None,
        })
        .await
        .unwrap();
    let req = map(&[
        ("out_trade_no", "R1"),
        ("out_refund_no", "RF1"),
        ("total_fee", "100"),
        ("refund_fee", "30"),
        ("notify_url", &rx.url),
    ]);
    let (status, body) = call(&t, "/secapi/pay/refund", req.clone(), SignType::Md5, None).await;
    assert_eq!(status, 400);
    assert!(body.contains("No required SSL certificate was sent"));
    let (_, body) = call(
        &t,
        "/secapi/pay/refund",
        req.clone(),
        SignType::Md5,
        Some(&"cd".repeat(32)),
    )
    .await;
    assert_eq!(xml::parse(&body).unwrap().get("return_code"), Some("FAIL"));
    let cert = "AB".repeat(32);
    let (status, body) = call(
        &t,
        "/secapi/pay/refund",
        req.clone(),
        SignType::Md5,
        Some(&cert),
    )
    .await;
    assert_eq!(status, 200);
    let m = xml::parse(&body).unwrap().to_map();
    assert_eq!(m["result_code"], "SUCCESS", "{body}");
    assert_eq!(m["refund_fee"], "30");
    verify(&m, SignType::Md5);
    // Idempotent on out_refund_no.
    let (_, again) = call(
        &t,
        "/secapi/pay/refund",
        req.clone(),
        SignType::Md5,
        Some(&cert),
    )
    .await;
    assert_eq!(
        xml::parse(&again)
            .unwrap()
            .get("refund_id")
            .map(str::to_owned),
        Some(m["refund_id"].clone())
    );
    let mut too_much = req.clone();
    too_much.insert("out_refund_no".into(), "RF2".into());
    too_much.insert("refund_fee".into(), "71".into());
    let (_, b) = call(
        &t,
        "/secapi/pay/refund",
        too_much.clone(),
        SignType::Md5,
        Some(&cert),
    )
    .await;
    assert_eq!(xml::parse(&b).unwrap().get("err_code"), Some("ERROR"));
    too_much.insert("total_fee".into(), "99".into());
    let (_, b) = call(
        &t,
        "/secapi/pay/refund",
        too_much,
        SignType::Md5,
        Some(&cert),
    )
    .await;
    assert_eq!(
        xml::parse(&b).unwrap().get("err_code"),
        Some("INVALID_REQUEST")
    );

    // Pay notify + refund notify reach the merchant; the refund one carries req_info.
    wait_for(|| rx.received().iter().any(|r| r.body.contains("req_info"))).await;
    let got = rx
        .received()
        .into_iter()
        .find(|r| r.body.contains("req_info"))
        .unwrap();
    let outer = xml::parse(&got.body).unwrap().to_map();
    assert!(!outer.contains_key("sign"));
    let inner = decrypt_req_info(&outer["req_info"], KEY).unwrap();
    let inner = xml::parse(&inner).unwrap();
    assert_eq!(inner.name, "root");
    assert_eq!(inner.get("out_refund_no"), Some("RF1"));
    assert_eq!(inner.get("refund_fee"), Some("30"));
    assert_eq!(inner.get("refund_status"), Some("SUCCESS"));

    let q = call_map(&t, "/pay/refundquery", map(&[("out_trade_no", "R1")])).await;
    assert_eq!(q["refund_count"], "1");
    assert_eq!(q["out_refund_no_0"], "RF1");
    assert_eq!(q["refund_status_0"], "SUCCESS");
    verify(&q, SignType::Md5);
    assert_eq!(
        call_map(&t, "/pay/orderquery", map(&[("out_trade_no", "R1")])).await["trade_state"],
        "REFUND"
    );
    assert_eq!(
        call_map(&t, "/pay/refundquery", map(&[("out_refund_no", "nope")])).await["err_code"],
        "REFUNDNOTEXIST"
    );
}

#[tokio::test]
async fn mode1_bizpayurl_calls_the_scan_callback() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let order = native_order(&t, "M1", "5", "http://127.0.0.1:1/n").await;
    let prepay = order["prepay_id"].clone();
    let rx = spawn_receiver(move |r, _| {
        let req = xml::parse(&r.body).unwrap().to_map();
        assert_eq!(req["sign"], pay_sign(&req, KEY, SignType::Md5));
        let mut m = map(&[
            ("return_code", "SUCCESS"),
            ("appid", APPID),
            ("mch_id", "1900000109"),
            ("nonce_str", "abc"),
            ("prepay_id", &prepay),
            ("result_code", "SUCCESS"),
        ]);
        let s = pay_sign(&m, KEY, SignType::Md5);
        m.insert("sign".into(), s);
        (200, xml::pay_xml(&m), 0)
    })
    .await;
    t.sim
        .update_merchant(
            "1900000109",
            serde_json::from_value(json!({"scan_callback_url": rx.url})).unwrap(),
        )
        .unwrap();
    let qr = |product: &str| {
        let m = map(&[
            ("appid", APPID),
            ("mch_id", "1900000109"),
            ("product_id", product),
            ("time_stamp", "1415949957"),
            ("nonce_str", "1415949957"),
        ]);
        let sign = pay_sign(&m, KEY, SignType::Md5);
        format!(
            "weixin://wxpay/bizpayurl?sign={sign}&appid={APPID}&mch_id=1900000109&product_id={product}&time_stamp=1415949957&nonce_str=1415949957"
        )
    };
    let paid = t
        .sim
        .pay_act(PayerAction::Scan {
            code: qr("12235413214070356458058"),
            openid: None,
        })
        .await
        .unwrap();
    assert_eq!(paid.out_trade_no, "M1");
    let cb = paid.scan_callback.unwrap();
    assert_eq!(cb.outcome, wechat_sim::Outcome::Acknowledged);
    let sent = xml::parse(&rx.received()[0].body).unwrap().to_map();
    assert_eq!(sent["product_id"], "12235413214070356458058");
    assert_eq!(sent["openid"], paid.openid);
    // A reply whose prepay_id is for another product: the payer sees WeChat's error.
    let e = t
        .sim
        .pay_act(PayerAction::Scan {
            code: qr("other"),
            openid: None,
        })
        .await
        .unwrap_err();
    assert!(
        e.message.contains("package info not match special pay url"),
        "{}",
        e.message
    );
    // A tampered QR code is refused before any callback.
    let e = t
        .sim
        .pay_act(PayerAction::Scan {
            code: qr("x").replace("product_id=x", "product_id=y"),
            openid: None,
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("signature"));
}

#[tokio::test]
async fn downloadbill_from_the_days_orders() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let r = native_order(&t, "B1", "1234", "http://127.0.0.1:1/n").await;
    let paid = t
        .sim
        .pay_act(PayerAction::Scan {
            code: r["code_url"].clone(),
            openid: Some("oBill".into()),
        })
        .await
        .unwrap();
    let day = wechat_sim::clock::pay_date(t.sim.now());
    let (_, body) = call(
        &t,
        "/pay/downloadbill",
        map(&[("bill_date", &day), ("bill_type", "ALL")]),
        SignType::Md5,
        None,
    )
    .await;
    assert!(
        body.contains("No Bill Exist"),
        "today's bill does not exist yet"
    );
    let refund = map(&[
        ("out_trade_no", "B1"),
        ("out_refund_no", "BR1"),
        ("total_fee", "1234"),
        ("refund_fee", "234"),
    ]);
    call(
        &t,
        "/secapi/pay/refund",
        refund,
        SignType::Md5,
        Some(&"ab".repeat(32)),
    )
    .await;
    t.sim.advance(86_400);
    let (_, body) = call(
        &t,
        "/pay/downloadbill",
        map(&[("bill_date", &day), ("bill_type", "ALL")]),
        SignType::Md5,
        None,
    )
    .await;
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("交易时间,公众账号ID,商户号"));
    assert_eq!(lines.len(), 5, "{body}");
    assert!(lines[1].contains(&format!("`{}", paid.transaction_id)));
    assert!(lines[1].contains("`12.34"));
    assert!(lines[2].contains("`REFUND") && lines[2].contains("`2.34"));
    assert!(lines[3].starts_with("总交易单数"));
    assert!(lines[4].starts_with("`2,`12.34,`2.34"));
    let (_, body) = call(
        &t,
        "/pay/downloadbill",
        map(&[("bill_date", &day), ("bill_type", "SUCCESS")]),
        SignType::Md5,
        None,
    )
    .await;
    assert_eq!(body.split("\r\n").filter(|l| !l.is_empty()).count(), 4);
    // GZIP.
    let mut m = map(&[
        ("bill_date", &day),
        ("bill_type", "ALL"),
        ("tar_type", "GZIP"),
        ("appid", APPID),
        ("mch_id", "1900000109"),
        ("nonce_str", "n"),
    ]);
    let s = pay_sign(&m, KEY, SignType::Md5);
    m.insert("sign".into(), s);
    let bytes = t
        .http
        .post(t.url("/api.mch.weixin.qq.com/pay/downloadbill"))
        .body(xml::pay_xml(&m))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.starts_with("交易时间"));
    let (_, body) = call(
        &t,
        "/pay/downloadbill",
        map(&[("bill_date", "20000101")]),
        SignType::Md5,
        None,
    )
    .await;
    assert!(body.contains("20002"));
}

#[tokio::test]
async fn a_big_clock_jump_replays_every_missed_notify_attempt() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let rx = spawn_receiver(|_, _| (500, "down".into(), 0)).await;
    let r = native_order(&t, "J1", "1", &rx.url).await;
    t.sim
        .pay_act(PayerAction::Scan {
            code: r["code_url"].clone(),
            openid: None,
        })
        .await
        .unwrap();
    wait_for(|| !rx.received().is_empty()).await;
    t.post_json("/_sim/clock/advance", json!({"hours": 25}))
        .await;
    // 1 + 15 retries (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h), one per tick.
    for _ in 0..400 {
        if rx.received().len() >= 16 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(rx.received().len(), 16);
    t.post_json("/_sim/clock/advance", json!({"days": 2})).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        rx.received().len(),
        16,
        "the schedule ends after 15 retries"
    );
    let m = t.sim.merchant("1900000109").unwrap();
    assert_eq!(m.orders["J1"].notify_attempts, 16);
    assert!(!m.orders["J1"].notify_acknowledged);
}

#[tokio::test]
async fn shorturl_signs_the_raw_url_and_scans_like_the_long_one() {
    let t = spawn_sim().await;
    merchant(&t).await;
    let r = native_order(&t, "S1", "1", "http://127.0.0.1:1/n").await;
    let long = r["code_url"].clone();
    // Signed over the raw URL, sent URL-encoded.
    let mut m = map(&[
        ("appid", APPID),
        ("mch_id", "1900000109"),
        ("nonce_str", "n"),
        ("long_url", &long),
    ]);
    let sign = pay_sign(&m, KEY, SignType::Md5);
    let encoded: String = long
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    m.insert("long_url".into(), encoded);
    m.insert("sign".into(), sign);
    let body = t
        .http
        .post(t.url("/api.mch.weixin.qq.com/tools/shorturl"))
        .body(xml::pay_xml(&m))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let resp = xml::parse(&body).unwrap().to_map();
    assert_eq!(resp["result_code"], "SUCCESS", "{body}");
    let short = resp["short_url"].clone();
    assert!(short.starts_with("weixin://wxpay/s/"));
    let paid = t
        .sim
        .pay_act(PayerAction::Scan {
            code: short,
            openid: None,
        })
        .await
        .unwrap();
    assert_eq!(paid.out_trade_no, "S1");
}
