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

struct Flow {
    base: String,
    admin: Client,
    sim: std::sync::Arc<Sim>,
    merchant_id: i64,
    _db: TestDb,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start() -> Flow {
    let db = TestDb::new().await;
    let port = free_port();
    let mut settings = test_settings(&db);
    settings.bind = format!("127.0.0.1:{port}").parse().unwrap();
    settings.public_url = format!("http://127.0.0.1:{port}");
    settings.sandbox = true;
    let sim = Sim::new(SimConfig::default());
    let extra =
        axum::Router::<AppState>::new().nest("/sandbox", wechat_sim::router_with(sim.clone()));
    let app = Application::build_with(settings, Some(extra))
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial = app.initial_admin_password.clone().unwrap();
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
        _db: db,
    }
}

impl Flow {
    async fn product(&self, name: &str, price_fen: i64) -> i64 {
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
    let html = f.page(pid).await;
    let code = attr(&html, "pay-qr-mode2", "data-code");
    assert!(code.starts_with("weixin://wxpay/bizpayurl?pr="), "{code}");
    let link = attr(&html, "pay-order-link", "href");
    let no = link.rsplit('/').next().unwrap().to_string();
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
async fn mode1_scan_creates_an_order_for_the_payer_via_the_scan_callback() {
    let f = start().await;
    let pid = f.product("Mocha", 2500).await;
    let html = f.page(pid).await;
    let code = attr(&html, "pay-qr-mode1", "data-code");
    assert!(code.starts_with("weixin://wxpay/bizpayurl?sign="), "{code}");

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
    let html = f.page(pid).await;
    let code = attr(&html, "pay-qr-mode2", "data-code");
    let no = attr(&html, "pay-order-link", "href")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
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
    let html = f.page(pid).await;
    let code = attr(&html, "pay-qr-mode2", "data-code");
    let no = attr(&html, "pay-order-link", "href")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
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
    let html = f.page(pid).await;
    let code2 = attr(&html, "pay-qr-mode2", "data-code");
    let no2 = attr(&html, "pay-order-link", "href")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
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
