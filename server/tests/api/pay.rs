//! WeChat Pay v2: products API, payment and refund notifications (authentication, checks
//! against the order, idempotency under concurrency).

use api::staff::Role;
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use time::OffsetDateTime;
use wechat::pay::{NOTIFY_SUCCESS_REPLY, PayMap, RefundNotify, SignType};
use wxportal::pay::entities::{notification, order, refund, transition};

use crate::helpers::{TestApp, assert_error, json_of, official_account, pay_merchant, spawn_app};

pub(crate) const API_KEY: &str = "192006250b4c09247ec02edce69f6a2d";
const APP_ID: &str = "wxd930ea5d5a258f4f";
const MCH_ID: &str = "10000100";

pub(crate) async fn merchant(app: &TestApp) -> i64 {
    let admin = app.admin().await;
    // A sandbox merchant on a server without --sandbox: nothing ever leaves for WeChat.
    let mut account = pay_merchant();
    account["environment"] = json!("sandbox");
    json_of(
        admin.post("/api/accounts", &account).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// An unpaid order stored directly (unified order arrives with the Pay client slice).
pub(crate) async fn insert_order(
    app: &TestApp,
    merchant_id: i64,
    out_trade_no: &str,
    state: &str,
) -> i64 {
    let now = OffsetDateTime::now_utc();
    order::Entity::insert(order::ActiveModel {
        account_id: Set(merchant_id),
        product_id: Set(None),
        out_trade_no: Set(out_trade_no.into()),
        body: Set("Coffee".into()),
        detail: Set(None),
        attach: Set(None),
        total_fee: Set(1234),
        fee_type: Set("CNY".into()),
        trade_type: Set("NATIVE".into()),
        sign_type: Set("HMAC-SHA256".into()),
        state: Set(api::pay::OrderState::parse(state).unwrap().into()),
        payer_openid: Set(None),
        transaction_id: Set(None),
        prepay_id: Set(None),
        code_url: Set(None),
        refunded_fee: Set(0),
        time_start: Set(now),
        time_expire: Set(now + time::Duration::hours(2)),
        time_end: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap()
    .last_insert_id
}

pub(crate) fn notify_fields(out_trade_no: &str) -> PayMap {
    let mut m = PayMap::new();
    for (k, v) in [
        ("return_code", "SUCCESS"),
        ("appid", APP_ID),
        ("mch_id", MCH_ID),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("result_code", "SUCCESS"),
        ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ("is_subscribe", "Y"),
        ("trade_type", "NATIVE"),
        ("bank_type", "CMC"),
        ("total_fee", "1234"),
        ("cash_fee", "1234"),
        ("fee_type", "CNY"),
        ("transaction_id", "1004400740201409030005092168"),
        ("out_trade_no", out_trade_no),
        ("time_end", "20260302003005"),
    ] {
        m.insert(k, v);
    }
    m
}

/// Signed like WeChat signs notifications: no `sign_type` field.
pub(crate) fn signed(mut m: PayMap, key: &str, st: SignType) -> String {
    m.sign_without_type(key, st);
    m.to_xml()
}

async fn post_xml(app: &TestApp, path: &str, body: String) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .header("content-type", "text/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn order_row(app: &TestApp, id: i64) -> order::Model {
    order::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

pub(crate) async fn transitions(app: &TestApp, order_id: i64) -> Vec<transition::Model> {
    transition::Entity::find()
        .filter(transition::Column::OrderId.eq(order_id))
        .all(&app.db)
        .await
        .unwrap()
}

async fn outcomes(app: &TestApp, merchant_id: i64) -> Vec<String> {
    let mut v: Vec<_> = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(merchant_id))
        .all(&app.db)
        .await
        .unwrap();
    v.sort_by_key(|n| n.id);
    v.into_iter().map(|n| n.outcome).collect()
}

#[tokio::test]
async fn products_crud_with_roles_and_validation() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mid = merchant(&app).await;
    let (operator, _) = app.signed_in("op1", Role::Operator).await;
    let (viewer, _) = app.signed_in("view1", Role::Viewer).await;
    let path = format!("/api/pay/merchants/{mid}/products");

    let created = json_of(
        operator
            .post(
                &path,
                &json!({"name": "  Coffee  ", "price_fen": 1234, "description": "Hot"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["name"], "Coffee");
    assert_eq!(created["price_fen"], 1234);
    assert_eq!(created["active"], true);
    assert_eq!(created["merchant_id"], mid);
    let pid = created["id"].as_i64().unwrap();

    let list = json_of(viewer.get(&path).await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_error(
        viewer
            .post(&path, &json!({"name": "x", "price_fen": 1}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let body = assert_error(
        operator
            .post(&path, &json!({"name": "", "price_fen": 0}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<_> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name", "price_fen"]);
    assert_error(
        operator
            .post(&path, &json!({"name": "x", "price_fen": 1.5}))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    let updated = json_of(
        operator
            .patch(
                &format!("/api/pay/products/{pid}"),
                &json!({"active": false, "price_fen": 990}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["active"], false);
    assert_eq!(updated["price_fen"], 990);
    assert_eq!(updated["name"], "Coffee");
    let got = json_of(
        viewer.get(&format!("/api/pay/products/{pid}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got, updated);

    // Products belong to pay merchants only.
    let oa = json_of(
        admin
            .post("/api/accounts", &official_account("wx0000000000000001"))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        operator
            .post(
                &format!("/api/pay/merchants/{oa}/products"),
                &json!({"name": "x", "price_fen": 1}),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    assert_eq!(
        operator
            .delete(&format!("/api/pay/products/{pid}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        viewer.get(&format!("/api/pay/products/{pid}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_signed_notification_pays_the_order_once() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let oid = insert_order(&app, mid, "20260301000000111111111111111111", "NOTPAY").await;
    let body = signed(
        notify_fields("20260301000000111111111111111111"),
        API_KEY,
        SignType::HmacSha256,
    );
    let path = format!("/pay/{mid}/notify");
    for _ in 0..3 {
        let (status, reply) = post_xml(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply, NOTIFY_SUCCESS_REPLY);
    }
    let o = order_row(&app, oid).await;
    assert_eq!(o.state.as_str(), "SUCCESS");
    assert_eq!(
        o.transaction_id.as_deref(),
        Some("1004400740201409030005092168")
    );
    assert_eq!(
        o.payer_openid.as_deref(),
        Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    );
    assert_eq!(
        o.time_end,
        Some(time::macros::datetime!(2026-03-01 16:30:05 UTC))
    );
    let t = transitions(&app, oid).await;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (
            t[0].from_state.as_str(),
            t[0].to_state.as_str(),
            t[0].cause.as_str()
        ),
        ("NOTPAY", "SUCCESS", "notify")
    );
    assert_eq!(t[0].raw_payload.as_deref(), Some(body.as_str()));
    assert_eq!(
        outcomes(&app, mid).await,
        ["applied", "duplicate", "duplicate"]
    );
}

#[tokio::test]
async fn forged_unsigned_wrong_amount_and_wrong_merchant_notifications_change_nothing() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000222222222222222222";
    let oid = insert_order(&app, mid, no, "NOTPAY").await;
    let path = format!("/pay/{mid}/notify");

    let mut unsigned = notify_fields(no);
    unsigned.insert("sign", "");
    let mut wrong_fee = notify_fields(no);
    wrong_fee.insert("total_fee", "1");
    wrong_fee.insert("cash_fee", "1");
    let mut wrong_app = notify_fields(no);
    wrong_app.insert("appid", "wx0000000000000001");
    let mut wrong_mch = notify_fields(no);
    wrong_mch.insert("mch_id", "10000999");
    let mut tampered =
        PayMap::from_xml(&signed(notify_fields(no), API_KEY, SignType::HmacSha256)).unwrap();
    tampered.insert("openid", "o_attacker");
    let cases = [
        (
            "forged",
            signed(
                notify_fields(no),
                "00000000000000000000000000000000",
                SignType::HmacSha256,
            ),
        ),
        ("unsigned", notify_fields(no).to_xml()),
        ("empty sign", unsigned.to_xml()),
        (
            "md5 for an hmac order",
            signed(notify_fields(no), API_KEY, SignType::Md5),
        ),
        ("tampered", tampered.to_xml()),
        (
            "wrong amount",
            signed(wrong_fee, API_KEY, SignType::HmacSha256),
        ),
        (
            "wrong appid",
            signed(wrong_app, API_KEY, SignType::HmacSha256),
        ),
        (
            "wrong mch_id",
            signed(wrong_mch, API_KEY, SignType::HmacSha256),
        ),
        ("not xml", "hello".to_string()),
        (
            "xxe",
            format!(
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}",
                signed(notify_fields(no), API_KEY, SignType::HmacSha256)
            ),
        ),
    ];
    for (what, body) in &cases {
        let (status, reply) = post_xml(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{what}");
        assert!(
            reply.contains("<return_code><![CDATA[FAIL]]></return_code>"),
            "{what}: {reply}"
        );
    }
    assert_eq!(order_row(&app, oid).await.state.as_str(), "NOTPAY");
    assert!(order_row(&app, oid).await.transaction_id.is_none());
    assert!(transitions(&app, oid).await.is_empty());
    assert_eq!(outcomes(&app, mid).await, vec!["rejected"; cases.len()]);

    // The right merchant id in the URL matters too.
    let other = post_xml(
        &app,
        &format!("/pay/{}/notify", mid + 1000),
        signed(notify_fields(no), API_KEY, SignType::HmacSha256),
    )
    .await;
    assert!(other.1.contains("FAIL"));
    assert_eq!(order_row(&app, oid).await.state.as_str(), "NOTPAY");

    // An unknown order is refused as well.
    let (_, reply) = post_xml(
        &app,
        &path,
        signed(
            notify_fields("99999999999999999999999999999999"),
            API_KEY,
            SignType::HmacSha256,
        ),
    )
    .await;
    assert!(reply.contains("FAIL"));
}

#[tokio::test]
async fn a_hundred_concurrent_duplicate_notifications_make_one_transition() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000333333333333333333";
    let oid = insert_order(&app, mid, no, "NOTPAY").await;
    let body = signed(notify_fields(no), API_KEY, SignType::HmacSha256);
    let path = format!("/pay/{mid}/notify");
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            let url = format!("{}{path}", app.base);
            let body = body.clone();
            tokio::spawn(async move {
                let r = c.post(url).body(body).send().await.unwrap();
                (r.status(), r.text().await.unwrap())
            })
        })
        .collect();
    for t in tasks {
        let (status, reply) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply, NOTIFY_SUCCESS_REPLY);
    }
    assert_eq!(order_row(&app, oid).await.state.as_str(), "SUCCESS");
    assert_eq!(transitions(&app, oid).await.len(), 1);
    let o = outcomes(&app, mid).await;
    assert_eq!(o.len(), 100);
    assert_eq!(o.iter().filter(|s| *s == "applied").count(), 1);
    assert_eq!(o.iter().filter(|s| *s == "duplicate").count(), 99);
}

#[tokio::test]
async fn a_payment_for_a_closed_order_is_a_conflict_not_a_transition() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000444444444444444444";
    let oid = insert_order(&app, mid, no, "CLOSED").await;
    let (_, reply) = post_xml(
        &app,
        &format!("/pay/{mid}/notify"),
        signed(notify_fields(no), API_KEY, SignType::HmacSha256),
    )
    .await;
    assert!(reply.contains("FAIL"), "{reply}");
    assert_eq!(order_row(&app, oid).await.state.as_str(), "CLOSED");
    assert!(transitions(&app, oid).await.is_empty());
    assert_eq!(outcomes(&app, mid).await, ["conflict"]);
}

#[tokio::test]
async fn a_refund_notification_completes_the_refund_once() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000555555555555555555";
    let oid = insert_order(&app, mid, no, "SUCCESS").await;
    let now = OffsetDateTime::now_utc();
    refund::Entity::insert(refund::ActiveModel {
        account_id: Set(mid),
        order_id: Set(oid),
        out_refund_no: Set("R20260301000001".into()),
        refund_id: Set(None),
        refund_fee: Set(234),
        total_fee: Set(1234),
        state: Set(wxportal::pay::refunds::RefundState::Processing.into()),
        reason: Set(None),
        staff_id: Set(None),
        success_time: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap();
    let mut info = PayMap::new();
    for (k, v) in [
        ("out_refund_no", "R20260301000001"),
        ("out_trade_no", no),
        ("refund_id", "50000408942018111907145868882"),
        ("transaction_id", "1004400740201409030005092168"),
        ("refund_status", "SUCCESS"),
        ("refund_fee", "234"),
        ("settlement_refund_fee", "234"),
        ("total_fee", "1234"),
        ("settlement_total_fee", "1234"),
        ("success_time", "2026-03-02 00:31:00"),
        ("refund_recv_accout", "支付用户零钱"),
        ("refund_account", "REFUND_SOURCE_RECHARGE_FUNDS"),
        ("refund_request_source", "API"),
    ] {
        info.insert(k, v);
    }
    let path = format!("/pay/{mid}/refund-notify");

    // Encrypted with another key: not authentic.
    let forged = RefundNotify::build(APP_ID, MCH_ID, &info, "00000000000000000000000000000000");
    let (_, reply) = post_xml(&app, &path, forged).await;
    assert!(reply.contains("FAIL"));
    // Authentic, but for another merchant's appid.
    let wrong_app = RefundNotify::build("wx0000000000000001", MCH_ID, &info, API_KEY);
    let (_, reply) = post_xml(&app, &path, wrong_app).await;
    assert!(reply.contains("FAIL"));
    assert_eq!(order_row(&app, oid).await.state.as_str(), "SUCCESS");

    let body = RefundNotify::build(APP_ID, MCH_ID, &info, API_KEY);
    for _ in 0..3 {
        let (status, reply) = post_xml(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply, NOTIFY_SUCCESS_REPLY);
    }
    let r = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(oid))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.state.as_str(), "SUCCESS");
    assert_eq!(
        r.refund_id.as_deref(),
        Some("50000408942018111907145868882")
    );
    assert_eq!(
        r.success_time,
        Some(time::macros::datetime!(2026-03-01 16:31:00 UTC))
    );
    let o = order_row(&app, oid).await;
    assert_eq!((o.state.as_str(), o.refunded_fee), ("REFUND", 234));
    let t = transitions(&app, oid).await;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].to_state.as_str(), t[0].cause.as_str()),
        ("REFUND", "refund_notify")
    );
    assert_eq!(
        outcomes(&app, mid).await,
        ["rejected", "rejected", "applied", "duplicate", "duplicate"]
    );
    assert_eq!(
        notification::Entity::find()
            .filter(notification::Column::Kind.eq("refund"))
            .count(&app.db)
            .await
            .unwrap(),
        5
    );
}

#[tokio::test]
async fn qr_images_are_bounded_and_cacheable() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.base);
    let r = http
        .get(url(
            "/qr.png?data=weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3Dabc&size=200&margin=2",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let side = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert!((100..=200).contains(&side), "{side}");

    let again = http
        .get(url(
            "/qr.png?data=weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3Dabc&size=200&margin=2",
        ))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let svg = http.get(url("/qr.svg?data=hello")).send().await.unwrap();
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().starts_with("<svg"));

    let long = "x".repeat(1025);
    for bad in [
        "/qr.png".to_string(),
        format!("/qr.svg?data={long}"),
        "/qr.png?data=x&size=5000".to_string(),
        "/qr.png?data=x&margin=99".to_string(),
        "/qr.png?data=x&size=abc".to_string(),
    ] {
        assert_eq!(
            http.get(url(&bad)).send().await.unwrap().status(),
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_product_page_shows_a_signed_mode1_code() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let (operator, _) = app.signed_in("op1", Role::Operator).await;
    let p = json_of(
        operator
            .post(
                &format!("/api/pay/merchants/{mid}/products"),
                &json!({"name": "Tea <b>&</b>", "price_fen": 1990}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let pid = p["id"].as_i64().unwrap();
    let r = reqwest::get(format!("{}/pay/{mid}/products/{pid}", app.base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Tea &lt;b&gt;&amp;&lt;/b&gt;"),
        "escaped name"
    );
    assert!(html.contains("¥19.90"));
    assert!(html.contains("width=device-width"));
    assert!(html.contains("Test merchant"), "the merchant's name");
    assert!(
        html.contains(&format!("action=\"/pay/{mid}/products/{pid}/order\"")),
        "mode 2 is a button"
    );
    let code = html
        .split("data-code=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let map = wechat::pay::parse_bizpayurl(&code).unwrap();
    assert_eq!(map.get("product_id"), Some(pid.to_string().as_str()));
    assert_eq!(map.get("mch_id"), Some(MCH_ID));
    wechat::pay::verify(&map, API_KEY, SignType::Md5).unwrap();

    // Inactive or unknown products, and products of another merchant, are not shown.
    operator
        .patch(
            &format!("/api/pay/products/{pid}"),
            &json!({"active": false}),
        )
        .await;
    for path in [
        format!("/pay/{mid}/products/{pid}"),
        format!("/pay/{mid}/products/999999"),
        format!("/pay/{}/products/{pid}", mid + 1),
    ] {
        assert_eq!(
            reqwest::get(format!("{}{path}", app.base))
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_order_page_follows_the_state() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000666666666666666666";
    insert_order(&app, mid, no, "NOTPAY").await;
    let status = |app: &TestApp| {
        let url = format!("{}/pay/{mid}/orders/{no}/status", app.base);
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let s = status(&app).await;
    assert_eq!(s["state"], "NOTPAY");
    assert_eq!(s["expired"], false);
    assert_eq!(s["total_fee"], 1234);
    let html = reqwest::get(format!("{}/pay/{mid}/orders/{no}", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-state=\"NOTPAY\""));
    assert!(html.contains(&format!("/pay/{mid}/orders/{no}/status")));

    post_xml(
        &app,
        &format!("/pay/{mid}/notify"),
        signed(notify_fields(no), API_KEY, SignType::HmacSha256),
    )
    .await;
    assert_eq!(status(&app).await["state"], "SUCCESS");
    let html = reqwest::get(format!("{}/pay/{mid}/orders/{no}", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-state=\"SUCCESS\""));

    // An unpaid order past time_expire shows as expired.
    let old = "20260301000000777777777777777777";
    let oid = insert_order(&app, mid, old, "NOTPAY").await;
    order::Entity::update_many()
        .col_expr(
            order::Column::TimeExpire,
            sea_orm::sea_query::Expr::value(OffsetDateTime::now_utc() - time::Duration::minutes(1)),
        )
        .filter(order::Column::Id.eq(oid))
        .exec(&app.db)
        .await
        .unwrap();
    let s = reqwest::get(format!("{}/pay/{mid}/orders/{old}/status", app.base))
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        (s["state"].as_str(), s["expired"].as_bool()),
        (Some("NOTPAY"), Some(true))
    );
    assert_eq!(
        reqwest::get(format!("{}/pay/{mid}/orders/nope/status", app.base))
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// How many of the merchant's orders the list finds with query `q`.
async fn order_count(viewer: &crate::helpers::Client, mid: i64, q: &str) -> u64 {
    let page = json_of(
        viewer
            .get(&format!("/api/pay/merchants/{mid}/orders?{q}"))
            .await,
        StatusCode::OK,
    )
    .await;
    page["total"].as_u64().unwrap()
}

#[tokio::test]
async fn staff_list_orders_with_filters_and_totals_and_see_the_history() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let (viewer, _) = app.signed_in("view1", Role::Viewer).await;
    let paid = "20260301000000888888888888888881";
    let paid_id = insert_order(&app, mid, paid, "NOTPAY").await;
    insert_order(&app, mid, "20260301000000888888888888888882", "NOTPAY").await;
    insert_order(&app, mid, "20260301000000888888888888888883", "CLOSED").await;
    post_xml(
        &app,
        &format!("/pay/{mid}/notify"),
        signed(notify_fields(paid), API_KEY, SignType::HmacSha256),
    )
    .await;

    let all = json_of(
        viewer
            .get(&format!("/api/pay/merchants/{mid}/orders"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["total"], 3);
    assert_eq!(all["totals"]["count"], 3);
    assert_eq!(all["totals"]["total_fee"], 3 * 1234);
    assert_eq!(all["totals"]["paid_fee"], 1234);
    assert_eq!(all["totals"]["refunded_fee"], 0);

    let ok = json_of(
        viewer
            .get(&format!("/api/pay/merchants/{mid}/orders?state=SUCCESS"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ok["total"], 1);
    assert_eq!(ok["items"][0]["out_trade_no"], paid);
    assert_eq!(
        ok["items"][0]["payer_openid"],
        "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    );
    for (q, n) in [
        ("payer=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", 1),
        ("q=1004400740201409030005092168", 1),
        ("min_fee=1235", 0),
        ("max_fee=1234&min_fee=1234", 3),
        ("from=2000-01-01&to=2000-01-02", 0),
        ("per_page=2&page=2", 3),
    ] {
        assert_eq!(order_count(&viewer, mid, q).await, n, "{q}");
    }
    // Date filters cut at Beijing midnight, like the dashboard and WeChat's bills: 17:00 UTC on
    // 1 March is 01:00 on 2 March in Beijing.
    order::Entity::update_many()
        .col_expr(
            order::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(time::macros::datetime!(2026-03-01 17:00 UTC)),
        )
        .filter(order::Column::OutTradeNo.eq(paid))
        .exec(&app.db)
        .await
        .unwrap();
    for (q, n) in [
        ("from=2026-03-02&to=2026-03-02", 1),
        ("from=2026-03-01&to=2026-03-01", 0),
        ("to=2026-03-01", 0),
        ("from=2026-03-03", 2),
    ] {
        assert_eq!(order_count(&viewer, mid, q).await, n, "{q}");
    }
    assert_error(
        viewer
            .get(&format!("/api/pay/merchants/{mid}/orders?from=yesterday"))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    let detail = json_of(
        viewer.get(&format!("/api/pay/orders/{paid_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["order"]["state"], "SUCCESS");
    assert_eq!(detail["transitions"][0]["from_state"], "NOTPAY");
    assert_eq!(detail["transitions"][0]["cause"], "notify");
    assert_eq!(detail["notifications"][0]["outcome"], "applied");
    assert!(
        detail["notifications"][0]["body"]
            .as_str()
            .unwrap()
            .contains(paid)
    );
    assert_error(
        viewer.get("/api/pay/orders/999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn unpaid_orders_close_after_time_expire_with_cause_expiry() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let late = insert_order(&app, mid, "20260301000000999999999999999991", "NOTPAY").await;
    let fresh = insert_order(&app, mid, "20260301000000999999999999999992", "NOTPAY").await;
    let paid = insert_order(&app, mid, "20260301000000999999999999999993", "SUCCESS").await;
    let past = OffsetDateTime::now_utc() - time::Duration::minutes(10);
    order::Entity::update_many()
        .col_expr(
            order::Column::TimeExpire,
            sea_orm::sea_query::Expr::value(past),
        )
        .filter(order::Column::Id.is_in([late, paid]))
        .exec(&app.db)
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    assert_eq!(
        wxportal::pay::orders::expire_due(&app.db, now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        wxportal::pay::orders::expire_due(&app.db, now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(order_row(&app, late).await.state.as_str(), "CLOSED");
    assert_eq!(order_row(&app, fresh).await.state.as_str(), "NOTPAY");
    assert_eq!(order_row(&app, paid).await.state.as_str(), "SUCCESS");
    let t = transitions(&app, late).await;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (
            t[0].from_state.as_str(),
            t[0].to_state.as_str(),
            t[0].cause.as_str()
        ),
        ("NOTPAY", "CLOSED", "expiry")
    );
    // A late payment notification for it is a conflict, not a transition.
    let (_, reply) = post_xml(
        &app,
        &format!("/pay/{mid}/notify"),
        signed(
            notify_fields("20260301000000999999999999999991"),
            API_KEY,
            SignType::HmacSha256,
        ),
    )
    .await;
    assert!(reply.contains("FAIL"));
    assert_eq!(transitions(&app, late).await.len(), 1);
}

#[tokio::test]
async fn rejected_notifications_store_a_bounded_prefix_with_length_and_hash() {
    use sha2::Digest;
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let no = "20260301000000888888888888888888";
    let oid = insert_order(&app, mid, no, "NOTPAY").await;
    // Junk for an unknown order, and a forged signature for a real one, both near the limit.
    let pad = "P".repeat(60 * 1024);
    let mut unknown = notify_fields("20260301000000999999999999999999");
    unknown.insert("attach", &pad);
    let unknown = signed(unknown, API_KEY, SignType::HmacSha256);
    let mut forged = notify_fields(no);
    forged.insert("attach", &pad);
    let forged = signed(
        forged,
        "0123456789abcdef0123456789abcdef",
        SignType::HmacSha256,
    );
    for i in 0..50 {
        let body = if i % 2 == 0 { &unknown } else { &forged };
        let (status, reply) = post_xml(&app, &format!("/pay/{mid}/notify"), body.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(reply.contains("FAIL"), "{reply}");
    }
    let rows = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(mid))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 50, "every rejection is counted");
    assert!(rows.iter().all(|n| n.outcome == "rejected"));
    let stored: usize = rows.iter().map(|n| n.body.len()).sum();
    let bound =
        wxportal::util::REJECTED_BODIES_PER_MINUTE as usize * wxportal::util::REJECTED_BODY_KEEP;
    assert!(stored <= bound, "{stored} bytes stored, at most {bound}");
    let forged_row = rows.iter().find(|n| n.order_id == Some(oid)).unwrap();
    let reason = forged_row.reason.as_deref().unwrap();
    let hash = hex::encode(sha2::Sha256::digest(forged.as_bytes()));
    assert!(
        reason.contains(&forged.len().to_string()) && reason.contains(&hash),
        "{reason}"
    );
    assert_eq!(order_row(&app, oid).await.state.as_str(), "NOTPAY");
}

#[tokio::test]
async fn retention_prunes_notifications_of_long_settled_orders_and_keeps_open_ones() {
    let app = spawn_app().await;
    let mid = merchant(&app).await;
    let now = OffsetDateTime::now_utc();
    let days = wxportal::config::DEFAULT_PAY_NOTIFICATION_RETENTION_DAYS as i64;
    let long_ago = now - time::Duration::days(days + 10);
    let paid = insert_order(&app, mid, "20260301000000111111111111111111", "SUCCESS").await;
    let closed = insert_order(&app, mid, "20260301000000222222222222222222", "CLOSED").await;
    let open = insert_order(&app, mid, "20260301000000333333333333333333", "NOTPAY").await;
    let recent = insert_order(&app, mid, "20260301000000444444444444444444", "REFUND").await;
    order::Entity::update_many()
        .col_expr(
            order::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(long_ago),
        )
        .filter(order::Column::Id.is_in([paid, closed, open]))
        .exec(&app.db)
        .await
        .unwrap();
    let note = |order_id: Option<i64>, at: OffsetDateTime| notification::ActiveModel {
        account_id: Set(mid),
        order_id: Set(order_id),
        kind: Set("pay".into()),
        outcome: Set("applied".into()),
        reason: Set(None),
        body: Set("<xml/>".into()),
        received_at: Set(at),
        ..Default::default()
    };
    let rows = [
        note(Some(paid), long_ago),
        note(Some(closed), long_ago),
        note(Some(open), long_ago),
        note(Some(recent), long_ago),
        note(None, long_ago),
        note(None, now),
    ];
    notification::Entity::insert_many(rows)
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    let deleted =
        wxportal::pay::notify::prune_notifications(&app.db, now - time::Duration::days(days))
            .await
            .unwrap();
    assert_eq!(deleted, 3, "the paid and closed orders' and the old orphan");
    let mut left: Vec<Option<i64>> = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(mid))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.order_id)
        .collect();
    left.sort();
    let mut want = vec![None, Some(open), Some(recent)];
    want.sort();
    assert_eq!(
        left, want,
        "the open order's, the recently settled one's, the new orphan"
    );
}
