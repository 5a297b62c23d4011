//! Pay v2 end to end against the in-process WeChat emulator (`wechat_sim`) mounted at
//! `/sandbox`: mode 2 (code_url), mode 1 (bizpayurl → scan callback → prepay_id), expiry.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wechat_sim::{MerchantConfig, Sim, SimConfig, pay::payer::PayerAction};
use wxportal::{Application, state::AppState};

use crate::helpers::{ADMIN_PASSWORD, Client, TestDb, json_of, pay_merchant, test_settings};

const API_KEY: &str = "192006250b4c09247ec02edce69f6a2d";
const APP_ID: &str = "wxd930ea5d5a258f4f";
const MCH_ID: &str = "10000100";

pub(crate) struct Flow {
    base: String,
    admin: Client,
    pub(crate) sim: std::sync::Arc<Sim>,
    pub(crate) merchant_id: i64,
    /// The instance's state, settings and our own connection to its database.
    pub(crate) state: AppState,
    settings: wxportal::Settings,
    pub(crate) db: sea_orm::DatabaseConnection,
    _db: TestDb,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn start() -> Flow {
    let db = TestDb::new().await;
    let port = free_port();
    let mut settings = test_settings(&db);
    settings.bind = format!("127.0.0.1:{port}").parse().unwrap();
    settings.public_url = format!("http://127.0.0.1:{port}");
    settings.sandbox = true;
    let sim = Sim::new(SimConfig::default());
    let extra =
        axum::Router::<AppState>::new().nest("/sandbox", wechat_sim::router_with(sim.clone()));
    let app = Application::build_with(settings.clone(), Some(extra))
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial = app.initial_admin_password.clone().unwrap();
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));

    let admin = Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap(),
        base: base.clone(),
    };
    assert_eq!(
        admin.login("admin", &initial).await.status(),
        StatusCode::OK
    );
    let r = admin
        .post(
            "/api/auth/password",
            &json!({"current_password": initial, "new_password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let mut account = pay_merchant();
    account["environment"] = json!("sandbox");
    // No API certificate: refunds must say so.
    account
        .as_object_mut()
        .unwrap()
        .remove("client_cert_p12_base64");
    let merchant_id = json_of(
        admin.post("/api/accounts", &account).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    sim.create_merchant(MerchantConfig {
        mch_id: MCH_ID.into(),
        key: API_KEY.into(),
        appids: vec![APP_ID.into()],
        sign_type: Some(wechat_sim::proto::sign::SignType::HmacSha256),
        scan_callback_url: Some(format!("{base}/pay/{merchant_id}/scan-callback")),
        refund_notify_url: Some(format!("{base}/pay/{merchant_id}/refund-notify")),
        ..Default::default()
    });
    Flow {
        base,
        admin,
        sim,
        merchant_id,
        state,
        settings,
        db: wxportal::db::connect(&db.url)
            .await
            .expect("test connection"),
        _db: db,
    }
}

impl Flow {
    /// Another instance on the same database, serving the same emulator under its own
    /// `/sandbox` (so its WeChat calls reach the one emulated WeChat); its state.
    pub(crate) async fn second_instance(&self) -> AppState {
        let mut settings = self.settings.clone();
        settings.bind = "127.0.0.1:0".parse().unwrap();
        let extra = axum::Router::<AppState>::new()
            .nest("/sandbox", wechat_sim::router_with(self.sim.clone()));
        let app = Application::build_with(settings, Some(extra))
            .await
            .expect("second instance builds");
        let state = app.state().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        state
    }

    pub(crate) async fn product(&self, name: &str, price_fen: i64) -> i64 {
        json_of(
            self.admin
                .post(
                    &format!("/api/pay/merchants/{}/products", self.merchant_id),
                    &json!({"name": name, "price_fen": price_fen}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .unwrap()
    }

    async fn page(&self, pid: i64) -> String {
        let r = reqwest::get(format!(
            "{}/pay/{}/products/{pid}",
            self.base, self.merchant_id
        ))
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.unwrap()
    }

    async fn status(&self, out_trade_no: &str) -> Value {
        reqwest::get(format!(
            "{}/pay/{}/orders/{out_trade_no}/status",
            self.base, self.merchant_id
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
    }

    async fn wait_state(&self, out_trade_no: &str, want: &str) -> Value {
        for _ in 0..100 {
            let s = self.status(out_trade_no).await;
            if s["state"] == want {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{out_trade_no} never became {want}");
    }

    async fn orders(&self, query: &str) -> Value {
        json_of(
            self.admin
                .get(&format!(
                    "/api/pay/merchants/{}/orders?{query}",
                    self.merchant_id
                ))
                .await,
            StatusCode::OK,
        )
        .await
    }
}

/// A payer's browser: its own cookies, follows redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

impl Flow {
    /// The payer presses the product page's button: (status, path of the final page, page).
    async fn press(&self, browser: &reqwest::Client, pid: i64) -> (StatusCode, String, String) {
        let r = browser
            .post(format!(
                "{}/pay/{}/products/{pid}/order",
                self.base, self.merchant_id
            ))
            .header("origin", &self.base)
            .send()
            .await
            .unwrap();
        (
            r.status(),
            r.url().path().to_string(),
            r.text().await.unwrap(),
        )
    }

    /// A new mode-2 order, asked for from a new browser: (out_trade_no, code_url).
    async fn new_order(&self, pid: i64) -> (String, String) {
        let (status, path, html) = self.press(&browser(), pid).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let no = path.rsplit('/').next().unwrap().to_string();
        (no, attr(&html, "pay-qr-mode2", "data-code"))
    }

    /// The orders the emulator received (`unifiedorder` calls it accepted).
    fn sim_orders(&self) -> usize {
        self.sim.merchant(MCH_ID).map_or(0, |m| m.orders.len())
    }
}

fn attr(html: &str, testid: &str, attr: &str) -> String {
    let at = html
        .find(&format!("data-testid=\"{testid}\""))
        .unwrap_or_else(|| panic!("{testid} in {html}"));
    let rest = &html[at..];
    let v = rest
        .split(&format!("{attr}=\""))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    v.replace("&amp;", "&")
}

#[tokio::test]
async fn mode2_code_url_is_paid_and_the_order_turns_paid_once() {
    let f = start().await;
    let pid = f.product("Latte", 1800).await;
    let (no, code) = f.new_order(pid).await;
    assert!(code.starts_with("weixin://wxpay/bizpayurl?pr="), "{code}");
    assert_eq!(no.len(), 32);
    assert_eq!(f.status(&no).await["state"], "NOTPAY");

    let paid = f
        .sim
        .pay_act(PayerAction::Scan {
            code,
            openid: Some("o_payer_mode2".into()),
        })
        .await
        .expect("the emulated payer pays");
    assert_eq!(paid.out_trade_no, no);
    let s = f.wait_state(&no, "SUCCESS").await;
    assert_eq!(s["total_fee"], 1800);

    let page = f.orders("state=SUCCESS").await;
    assert_eq!(page["total"], 1);
    let order = &page["items"][0];
    assert_eq!(order["payer_openid"], "o_payer_mode2");
    assert_eq!(order["transaction_id"], paid.transaction_id.as_str());
    let detail = json_of(
        f.admin
            .get(&format!("/api/pay/orders/{}", order["id"]))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["transitions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn product_page_views_create_no_order_only_the_payers_button_does_and_is_limited() {
    let f = start().await;
    let pid = f.product("Cortado", 1500).await;
    let url = format!("{}/pay/{}/products/{pid}", f.base, f.merchant_id);

    // Views, previews and refreshes: a cacheable page with the button, and no order anywhere.
    for _ in 0..50 {
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["cache-control"]
                .to_str()
                .unwrap()
                .starts_with("public")
        );
        let html = r.text().await.unwrap();
        assert!(html.contains("data-testid=\"pay-order-create\""));
        assert!(html.contains("Test merchant"));
    }
    assert_eq!(f.sim_orders(), 0, "no unifiedorder");
    assert_eq!(f.orders("").await["total"], 0);

    // A post from another site, or without Origin, is refused and creates nothing.
    let post = format!("{url}/order");
    for origin in [Some("https://evil.example"), None] {
        let mut rb = reqwest::Client::new().post(&post);
        if let Some(o) = origin {
            rb = rb.header("origin", o);
        }
        assert_eq!(rb.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(f.sim_orders(), 0);

    // The payer's button: one order, shown with its code; pressing again reuses it.
    let payer = browser();
    let (status, first, html) = f.press(&payer, pid).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(first.starts_with(&format!("/pay/{}/orders/", f.merchant_id)));
    assert!(attr(&html, "pay-qr-mode2", "data-code").starts_with("weixin://wxpay/bizpayurl?pr="));
    let (status, again, _) = f.press(&payer, pid).await;
    assert_eq!((status, &again), (StatusCode::OK, &first));
    assert_eq!(f.sim_orders(), 1);
    assert_eq!(f.orders("").await["total"], 1);

    // Other browsers from the same IP: up to the limit, then 429 and nothing more.
    let limit = wxportal::pay::throttle::ORDERS_PER_WINDOW as usize;
    for _ in 1..limit {
        f.new_order(pid).await;
    }
    for _ in 0..5 {
        let (status, _, _) = f.press(&browser(), pid).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(f.sim_orders(), limit);
    assert_eq!(f.orders("").await["total"], limit as u64);
    // The payer's own open order is still there for them.
    let (status, again, _) = f.press(&payer, pid).await;
    assert_eq!((status, &again), (StatusCode::OK, &first));
}

#[tokio::test]
async fn mode1_scan_creates_an_order_for_the_payer_via_the_scan_callback() {
    let f = start().await;
    let pid = f.product("Mocha", 2500).await;
    let html = f.page(pid).await;
    let code = attr(&html, "pay-qr-mode1", "data-code");
    assert!(code.starts_with("weixin://wxpay/bizpayurl?sign="), "{code}");
    // No order until the scan.
    assert_eq!(
        (f.sim_orders(), &f.orders("").await["total"]),
        (0, &json!(0))
    );

    let paid = f
        .sim
        .pay_act(PayerAction::Scan {
            code: code.clone(),
            openid: Some("o_payer_mode1".into()),
        })
        .await
        .expect("the emulated payer pays");
    let s = f.wait_state(&paid.out_trade_no, "SUCCESS").await;
    assert_eq!(s["total_fee"], 2500);
    let page = f.orders("payer=o_payer_mode1").await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["product_id"], pid);
    assert_eq!(page["items"][0]["out_trade_no"], paid.out_trade_no.as_str());

    // An inactive product gets a signed FAIL from the scan callback: nothing is paid.
    f.admin
        .patch(
            &format!("/api/pay/products/{pid}"),
            &json!({"active": false}),
        )
        .await;
    assert!(
        f.sim
            .pay_act(PayerAction::Scan {
                code,
                openid: Some("o_payer_late".into()),
            })
            .await
            .is_err()
    );
    assert_eq!(f.orders("payer=o_payer_late").await["total"], 0);
}

#[tokio::test]
async fn an_expired_mode2_order_cannot_be_paid() {
    let f = start().await;
    let pid = f.product("Espresso", 900).await;
    let (no, code) = f.new_order(pid).await;
    f.sim.advance(2 * 3600 + 60);
    assert!(
        f.sim
            .pay_act(PayerAction::Scan { code, openid: None })
            .await
            .is_err()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(f.status(&no).await["state"], "NOTPAY");
}

#[tokio::test]
async fn staff_query_and_close_orders_and_refunds_need_the_certificate() {
    let f = start().await;
    let pid = f.product("Flat white", 2000).await;
    let (no, code) = f.new_order(pid).await;
    let id = f.orders(&format!("q={no}")).await["items"][0]["id"]
        .as_i64()
        .unwrap();

    // Query an unpaid order: nothing changes.
    let d = json_of(
        f.admin
            .post(&format!("/api/pay/orders/{id}/query"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["order"]["state"], "NOTPAY");
    assert!(d["transitions"].as_array().unwrap().is_empty());

    // Refunding an unpaid order is refused.
    crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 100}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Pay; a query afterwards agrees and adds nothing.
    f.sim
        .pay_act(PayerAction::Scan { code, openid: None })
        .await
        .unwrap();
    f.wait_state(&no, "SUCCESS").await;
    let d = json_of(
        f.admin
            .post(&format!("/api/pay/orders/{id}/query"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["order"]["state"], "SUCCESS");
    assert_eq!(d["transitions"].as_array().unwrap().len(), 1);

    // Refund: amount bounds, then a clear error without the certificate.
    crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 2001}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let e = crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 500}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("certificate"),
        "{e}"
    );
    // A paid order cannot be closed; an open one can, and then cannot be paid.
    crate::helpers::assert_error(
        f.admin
            .post(&format!("/api/pay/orders/{id}/close"), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let (no2, code2) = f.new_order(pid).await;
    let id2 = f.orders(&format!("q={no2}")).await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let d = json_of(
        f.admin
            .post(&format!("/api/pay/orders/{id2}/close"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["order"]["state"], "CLOSED");
    assert_eq!(d["transitions"][0]["cause"], "staff");
    assert!(
        f.sim
            .pay_act(PayerAction::Scan {
                code: code2,
                openid: None,
            })
            .await
            .is_err()
    );
    assert_eq!(f.status(&no2).await["state"], "CLOSED");
}

impl Flow {
    /// A fresh mode-2 order of product `pid`: (order id, out_trade_no, code_url).
    pub(crate) async fn mode2(&self, pid: i64) -> (i64, String, String) {
        let (no, code) = self.new_order(pid).await;
        let id = self.orders(&format!("q={no}")).await["items"][0]["id"]
            .as_i64()
            .unwrap();
        (id, no, code)
    }

    pub(crate) async fn pay(&self, code: &str, no: &str) {
        self.sim
            .pay_act(PayerAction::Scan {
                code: code.to_string(),
                openid: None,
            })
            .await
            .expect("the emulated payer pays");
        self.wait_state(no, "SUCCESS").await;
    }

    async fn detail(&self, id: i64) -> Value {
        json_of(
            self.admin.get(&format!("/api/pay/orders/{id}")).await,
            StatusCode::OK,
        )
        .await
    }

    /// Gives the merchant an API certificate, known to the emulator by its fingerprint.
    async fn with_certificate(&self) {
        use base64::Engine;
        use sha2::Digest;
        let der = b"a test client certificate".to_vec();
        let r = self
            .admin
            .patch(
                &format!("/api/accounts/{}", self.merchant_id),
                &json!({"client_cert_p12_base64": base64::engine::general_purpose::STANDARD.encode(&der)}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        self.sim
            .update_merchant(
                MCH_ID,
                wechat_sim::control::MerchantUpdate {
                    cert_sha256: Some(hex::encode(sha2::Sha256::digest(&der))),
                    ..Default::default()
                },
            )
            .unwrap();
    }
}

/// Today in Beijing time, `YYYY-MM-DD` (WeChat's bill day).
fn today_cst() -> String {
    wxportal::pay::days::date_str(wxportal::pay::days::today())
}

#[tokio::test]
async fn a_refund_with_the_certificate_lands_through_the_refund_notification() {
    let f = start().await;
    f.with_certificate().await;
    let pid = f.product("Cortado", 1500).await;
    let (id, no, code) = f.mode2(pid).await;
    f.pay(&code, &no).await;

    // Partial refund: WeChat accepts it, the refund notification completes it.
    let d = json_of(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 500, "reason": "cold"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let refund_row = d["refunds"][0]["id"].as_i64().unwrap();
    let mut detail = Value::Null;
    // The detail reads the order, then its refunds: a notification landing between the two
    // reads shows the refund done on a not-yet-moved order, so wait for both.
    for _ in 0..100 {
        detail = f.detail(id).await;
        if detail["refunds"][0]["state"] == "SUCCESS" && detail["order"]["state"] == "REFUND" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(detail["refunds"][0]["state"], "SUCCESS", "{detail}");
    assert_eq!(detail["order"]["state"], "REFUND", "{detail}");
    assert_eq!(detail["order"]["refunded_fee"], 500);
    let emulated = f.sim.merchant(MCH_ID).unwrap();
    assert_eq!(emulated.refunds.len(), 1);
    assert!(
        detail["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "refund" && n["outcome"] == "applied"),
        "{detail}"
    );

    // A refund query agrees and changes nothing more.
    let q = json_of(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds/{refund_row}/query"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(q["refunds"][0]["state"], "SUCCESS");
    assert_eq!(q["order"]["refunded_fee"], 500);
    assert_eq!(
        q["transitions"].as_array().unwrap().len(),
        detail["transitions"].as_array().unwrap().len()
    );

    // More than what is left is refused before anything reaches WeChat.
    crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 1001}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(f.sim.merchant(MCH_ID).unwrap().refunds.len(), 1);
}

#[tokio::test]
async fn a_refund_query_and_the_refund_notification_apply_once() {
    let f = start().await;
    f.with_certificate().await;
    let pid = f.product("Ristretto", 1200).await;
    let (id, no, code) = f.mode2(pid).await;
    f.pay(&code, &no).await;
    // The refund notification and a staff refund query race: whichever comes first applies
    // SUCCESS, the other finds it done.
    let d = json_of(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds"),
                &json!({"refund_fee": 1200}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let refund_row = d["refunds"][0]["id"].as_i64().unwrap();
    let q = json_of(
        f.admin
            .post(
                &format!("/api/pay/orders/{id}/refunds/{refund_row}/query"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(q["refunds"][0]["state"], "SUCCESS", "{q}");
    assert_eq!(q["order"]["state"], "REFUND");
    assert_eq!(q["order"]["refunded_fee"], 1200);
    let refund_transitions = q["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["to_state"] == "REFUND")
        .count();
    assert_eq!(refund_transitions, 1, "{q}");
}

#[tokio::test]
async fn a_notification_in_doubt_is_settled_by_an_order_query() {
    use wechat::pay::{PayMap, SignType};
    let f = start().await;
    let pid = f.product("Americano", 1300).await;
    let (id, no, code) = f.mode2(pid).await;
    // An authentic notification that does not report a plain success: WeChat's order query
    // says NOTPAY, so nothing changes.
    let mut m = PayMap::new();
    for (k, v) in [
        ("return_code", "SUCCESS"),
        ("appid", APP_ID),
        ("mch_id", MCH_ID),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("result_code", "FAIL"),
        ("err_code", "SYSTEMERROR"),
        ("openid", "o_doubt"),
        ("trade_type", "NATIVE"),
        ("total_fee", "1300"),
        ("out_trade_no", no.as_str()),
    ] {
        m.insert(k, v);
    }
    m.sign_without_type(API_KEY, SignType::HmacSha256);
    let r = reqwest::Client::new()
        .post(format!("{}/pay/{}/notify", f.base, f.merchant_id))
        .body(m.to_xml())
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("SUCCESS"));
    let d = f.detail(id).await;
    assert_eq!(d["order"]["state"], "NOTPAY");
    assert!(d["transitions"].as_array().unwrap().is_empty());
    let n = &d["notifications"][0];
    assert_eq!(n["outcome"], "duplicate", "{d}");
    assert!(n["reason"].as_str().unwrap().contains("NOTPAY"), "{d}");

    // Paid for real: the notification pays it; the same doubtful notification again is
    // settled by a query that agrees, with no second transition.
    f.pay(&code, &no).await;
    let r = reqwest::Client::new()
        .post(format!("{}/pay/{}/notify", f.base, f.merchant_id))
        .body(m.to_xml())
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("SUCCESS"));
    let d = f.detail(id).await;
    assert_eq!(d["order"]["state"], "SUCCESS");
    assert_eq!(d["transitions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_bill_with_injected_mismatches_produces_the_right_report() {
    let f = start().await;
    let latte = f.product("Latte", 1800).await;
    let mocha = f.product("Mocha", 2500).await;
    let (_a_id, a, a_code) = f.mode2(latte).await;
    let (b_id, b, b_code) = f.mode2(mocha).await;
    let (c_id, c, _) = f.mode2(latte).await;
    let (d_id, d, d_code) = f.mode2(mocha).await;
    f.pay(&a_code, &a).await;
    f.pay(&b_code, &b).await;
    f.pay(&d_code, &d).await;

    // WeChat's side, through the emulator's control API: B cost another amount, C was paid
    // without us hearing of it, D is unknown to WeChat, X is a payment we never saw.
    let alter = |no: &str, body: Value| {
        let url = format!("{}/sandbox/_sim/pay/merchants/{MCH_ID}/orders/{no}", f.base);
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        }
    };
    alter(&b, json!({"total_fee": 2400})).await;
    alter(&c, json!({"mark_paid": true})).await;
    alter(&d, json!({"remove": true})).await;
    let x = "X0000000000000000000000000000001";
    alter(&a, json!({"copy_as": x})).await;

    // The bill of today exists once the emulated day is over.
    let day = today_cst();
    f.sim.advance(24 * 3600);
    let report = json_of(
        f.admin
            .post(
                &format!("/api/pay/merchants/{}/reconciliations", f.merchant_id),
                &json!({"bill_date": day, "bill_type": "ALL"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let r = &report["reconciliation"];
    assert_eq!(r["status"], "done", "{report}");
    assert_eq!(r["bill_rows"], 4, "{report}");
    assert_eq!(r["matched"], 1, "{report}");
    assert_eq!(r["mismatches"], 4, "{report}");
    assert_eq!(r["bill_paid_fee"], 1800 + 2400 + 1800 + 1800);
    assert_eq!(r["local_paid_fee"], 1800 + 2500 + 2500);
    let mut found: Vec<(String, String)> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["out_trade_no"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let mut want = vec![
        ("amount_differs".to_string(), b.clone()),
        ("missing_here".to_string(), x.to_string()),
        ("missing_there".to_string(), d.clone()),
        ("state_differs".to_string(), c.clone()),
    ];
    want.sort();
    assert_eq!(found, want);
    let items = report["items"].as_array().unwrap();
    let amount = items
        .iter()
        .find(|i| i["kind"] == "amount_differs")
        .unwrap();
    assert_eq!(amount["local_fee"], 2500);
    assert_eq!(amount["bill_fee"], 2400);
    assert_eq!(amount["order_id"], b_id);
    let state = items.iter().find(|i| i["kind"] == "state_differs").unwrap();
    assert_eq!(state["local_state"], "NOTPAY");
    assert_eq!(state["order_id"], c_id);
    let there = items.iter().find(|i| i["kind"] == "missing_there").unwrap();
    assert_eq!(there["order_id"], d_id);

    // Stored: listed, shown, exported as CSV; doing the day again replaces the report.
    let id = r["id"].as_i64().unwrap();
    let list = json_of(
        f.admin
            .get(&format!(
                "/api/pay/merchants/{}/reconciliations",
                f.merchant_id
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let csv = f
        .admin
        .get(&format!("/api/pay/reconciliations/{id}/csv"))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(
        text.contains(&format!("\"amount_differs\",\"payment\",\"{b}\"")),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2 + 1 + 1 + 4);
    let again = json_of(
        f.admin
            .post(
                &format!("/api/pay/merchants/{}/reconciliations", f.merchant_id),
                &json!({"bill_date": day, "bill_type": "SUCCESS"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again["reconciliation"]["mismatches"], 4);
    let redo = json_of(
        f.admin
            .post(
                &format!("/api/pay/merchants/{}/reconciliations", f.merchant_id),
                &json!({"bill_date": day, "bill_type": "ALL"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(redo["reconciliation"]["id"], id);
    assert_eq!(redo["items"].as_array().unwrap().len(), 4);

    // Bad input: not a date, a future day.
    crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/merchants/{}/reconciliations", f.merchant_id),
                &json!({"bill_date": "2026-02-30"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    crate::helpers::assert_error(
        f.admin
            .post(
                &format!("/api/pay/merchants/{}/reconciliations", f.merchant_id),
                &json!({"bill_date": "2999-01-01"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;

    // The dashboard counts today's orders and revenue by state and product.
    let dash = json_of(
        f.admin
            .get(&format!(
                "/api/pay/merchants/{}/dashboard?from={day}&to={day}",
                f.merchant_id
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dash["orders"], 4, "{dash}");
    assert_eq!(dash["paid"], 3);
    assert_eq!(dash["revenue_fee"], 1800 + 2500 + 2500);
    assert_eq!(dash["days"][0]["date"], day.as_str());
    assert_eq!(dash["days"][0]["revenue_fee"], 1800 + 2500 + 2500);
    let by_state: Vec<(String, i64)> = dash["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["state"].as_str().unwrap().into(),
                s["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_state, [("NOTPAY".into(), 1), ("SUCCESS".into(), 3)]);
    let mocha_row = dash["by_product"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product_id"] == mocha)
        .unwrap();
    assert_eq!(mocha_row["paid"], 2);
    assert_eq!(mocha_row["revenue_fee"], 5000);
}
