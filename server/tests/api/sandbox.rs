//! `--sandbox`: the emulator under `/sandbox/`, demo accounts created once, test-connection
//! against the real WeChat API shapes, simulate actions, and production/sandbox separation.

use reqwest::StatusCode;
use serde_json::{Value, json};
use wxportal::Application;

use crate::helpers::{TestApp, assert_error, json_of, official_account, spawn_app, spawn_app_with};

async fn spawn_sandbox() -> TestApp {
    spawn_app_with(|s| s.sandbox = true).await
}

async fn sandbox_accounts(app: &TestApp) -> Vec<Value> {
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|a| a["environment"] == "sandbox")
        .cloned()
        .collect()
}

fn id_of(accounts: &[Value], kind: &str) -> i64 {
    accounts
        .iter()
        .find(|a| a["kind"] == kind)
        .unwrap_or_else(|| panic!("no demo {kind}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn demo_accounts_are_created_once_and_audited_as_system() {
    let app = spawn_sandbox().await;
    let accounts = sandbox_accounts(&app).await;
    let mut kinds: Vec<&str> = accounts
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["official_account", "pay_merchant", "work_app", "work_suite"]
    );
    for a in &accounts {
        if a["kind"] != "pay_merchant" {
            assert_eq!(
                a["callback_url"],
                format!("http://wxportal.test/wx/{}", a["id"])
            );
        }
    }
    let admin = app.admin().await;
    let audit = json_of(admin.get("/api/audit?actor=system").await, StatusCode::OK).await;
    let creates = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "account.create")
        .count();
    assert_eq!(creates, 4);

    // A second start on the same database creates nothing new (and deleting a demo account
    // does not bring it back).
    let oa = id_of(&accounts, "official_account");
    assert_eq!(
        admin.delete(&format!("/api/accounts/{oa}")).await.status(),
        StatusCode::NO_CONTENT
    );
    let again = Application::build(app.settings.clone()).await.unwrap();
    assert!(again.initial_admin_password.is_none());
    drop(again);
    assert_eq!(sandbox_accounts(&app).await.len(), 3);
}

#[tokio::test]
async fn demo_accounts_pass_test_connection_against_the_emulator() {
    let app = spawn_sandbox().await;
    let accounts = sandbox_accounts(&app).await;
    let admin = app.admin().await;
    for kind in ["official_account", "work_app", "pay_merchant"] {
        let id = id_of(&accounts, kind);
        let r = json_of(
            admin
                .post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(r["ok"], true, "{kind}: {r}");
        assert_eq!(r["environment"], "sandbox");
        if kind != "pay_merchant" {
            assert_eq!(r["fetches_today"], 1, "{kind}: {r}");
            // Again: served from the shared (database) token cache, no new fetch.
            let r2 = json_of(
                admin
                    .post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
                    .await,
                StatusCode::OK,
            )
            .await;
            assert_eq!(r2["fetches_today"], 1, "{kind}: {r2}");
            assert!(r2["detail"].as_str().unwrap().contains("cache"));
        }
        assert!(!r.to_string().contains("access_token\":"));
    }
    // The suite needs a suite_ticket, pushed to the portal's callback (not served yet here):
    // reported clearly, not as a server error.
    let suite = id_of(&accounts, "work_suite");
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{suite}/test-connection"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    if r["ok"] == false {
        assert!(
            r["detail"].as_str().unwrap().contains("suite_ticket"),
            "{r}"
        );
    }

    // Neither the demo OA's secret nor its token reach the log.
    let oa = id_of(&accounts, "official_account");
    let account = json_of(
        admin.get(&format!("/api/accounts/{oa}")).await,
        StatusCode::OK,
    )
    .await;
    let appid = account["settings"]["app_id"].as_str().unwrap().to_string();
    let emulated: Value = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/oa/{appid}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = emulated["secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 32, "{emulated}");
    let token: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/stable_token",
            app.base
        ))
        .json(&json!({"grant_type": "client_credential", "appid": appid, "secret": secret}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let logs = crate::helpers::captured_logs();
    assert!(!logs.contains(&secret), "the AppSecret was logged");
    assert!(!logs.contains(&token), "the access token was logged");

    // The emulator itself answers the real WeChat shapes under /sandbox/.
    let v: Value = reqwest::get(format!(
        "{}/sandbox/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx0000000000000000&secret=x",
        app.base
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(v["errcode"].as_i64().unwrap() > 0, "{v}");
}

#[tokio::test]
async fn wechat_errors_are_reported_with_errcode_and_hint() {
    let app = spawn_sandbox().await;
    let admin = app.admin().await;
    let mut body = official_account("wx1234567890abcdef");
    body["environment"] = json!("sandbox");
    let id = json_of(
        admin.post("/api/accounts", &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // WeChat refuses the caller's IP once (a fault of the emulator's control API).
    let res = crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/faults", app.base))
        .json(&json!({"target": "wx1234567890abcdef", "kind": "ip_whitelist", "count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let r = json_of(
        admin
            .post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["ok"], false, "{r}");
    assert_eq!(r["errcode"], 40164, "{r}");
    assert!(r["hint"].as_str().unwrap().contains("whitelist"), "{r}");
    assert!(r["detail"].as_str().unwrap().contains("40164"), "{r}");
    // The fault is used up: the same credentials now work.
    let r = json_of(
        admin
            .post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["ok"], true, "{r}");
}

#[tokio::test]
async fn simulate_reaches_the_emulator_and_returns_the_delivery() {
    let app = spawn_sandbox().await;
    let accounts = sandbox_accounts(&app).await;
    let admin = app.admin().await;
    let oa = id_of(&accounts, "official_account");

    let page = json_of(
        admin
            .get(&format!("/api/accounts/{oa}/sandbox/followers?page=1"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(page["total"].as_u64().unwrap() >= 300, "{page}");
    let openid = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(openid.starts_with('o'));

    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{oa}/sandbox/act"),
                &json!({"type": "text", "subject": openid, "content": "你好"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["subject"], openid.as_str());
    assert!(
        r["url"].as_str().unwrap().contains(&format!("/wx/{oa}?")),
        "{r}"
    );
    assert!(!r["attempts"].as_array().unwrap().is_empty(), "{r}");
    assert!(r["message"].as_str().unwrap().contains("你好"), "{r}");
    // Whatever the callback gateway answers, the outcome is the emulator's, not made up.
    let outcome = r["outcome"].as_str().unwrap();
    assert!(
        ["replied", "no_reply", "invalid_reply", "failed"].contains(&outcome),
        "{r}"
    );
    if outcome == "failed" {
        assert_eq!(r["ok"], false);
        assert_eq!(r["seen"][0]["source"], "system");
    }

    // A new follower by scene (a real qrcode/create ticket), and the verify-URL action.
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{oa}/sandbox/act"),
                &json!({"type": "subscribe", "scene": "poster-42"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        r["message"].as_str().unwrap().contains("qrscene_poster-42"),
        "{r}"
    );
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{oa}/sandbox/act"),
                &json!({"type": "verify_url"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(r["outcome"] == "verified" || r["outcome"] == "verify_failed");

    // WeCom: members and "enter app".
    let work = id_of(&accounts, "work_app");
    let page = json_of(
        admin
            .get(&format!("/api/accounts/{work}/sandbox/followers?q=user01"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], 1, "{page}");
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{work}/sandbox/act"),
                &json!({"type": "enter_agent", "subject": "user01"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        r["url"].as_str().unwrap().contains(&format!("/wx/{work}?")),
        "{r}"
    );

    // Actions that do not fit the kind are refused in the error shape.
    assert_error(
        admin
            .post(
                &format!("/api/accounts/{work}/sandbox/act"),
                &json!({"type": "unsubscribe", "subject": "user01"}),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn production_accounts_never_reach_the_sandbox() {
    let app = spawn_sandbox().await;
    let admin = app.admin().await;
    let mut body = official_account("wx00000000000000aa");
    body["environment"] = json!("production");
    let id = json_of(
        admin.post("/api/accounts", &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        admin
            .post(
                &format!("/api/accounts/{id}/sandbox/act"),
                &json!({"type": "text", "subject": "o1", "content": "x"}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        admin
            .get(&format!("/api/accounts/{id}/sandbox/followers"))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Its client is built for WeChat's real hosts, even though a sandbox is running.
    let state = state_of(&app, true);
    let acc = wxportal::wechat_clients::for_account(&state, id)
        .await
        .unwrap();
    assert_eq!(acc.environment, api::accounts::WechatEnv::Production);
    let ep = state
        .wechat
        .endpoint(api::accounts::WechatEnv::Production)
        .unwrap();
    assert_eq!(
        ep.core.urls(),
        &wechat::client::BaseUrls::production(),
        "production accounts use WeChat's hosts"
    );
    let sbx = state
        .wechat
        .endpoint(api::accounts::WechatEnv::Sandbox)
        .unwrap();
    assert!(sbx.core.urls().api.starts_with("http://127.0.0.1:"));
    // The in-process emulator never heard of the production account.
    let r = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/oa/wx00000000000000aa", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sandbox_accounts_are_refused_without_a_sandbox() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut body = official_account("wx00000000000000bb");
    body["environment"] = json!("sandbox");
    let id = json_of(
        admin.post("/api/accounts", &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        admin
            .post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // No emulator mounted: /sandbox/ is not served by the emulator.
    let r = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/", app.base))
        .send()
        .await
        .unwrap();
    assert_ne!(
        r.headers().get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
}

#[tokio::test]
async fn the_control_api_needs_loopback_and_spa_does_not_swallow_sandbox_paths() {
    let app = spawn_sandbox().await;
    let r = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert!(v["hosts"].is_array(), "{v}");
    // Loopback alone is not enough (a reverse proxy on the same host is loopback too): the
    // per-start token is required, and a wrong one is refused like none.
    for token in [None, Some("wrong-token-wrong-token-0000000000")] {
        let mut req =
            reqwest::Client::new().get(format!("{}/sandbox/_sim/oa/wx00000000000000aa", app.base));
        if let Some(t) = token {
            req = req.header("x-wxportal-sandbox-token", t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{token:?}");
    }
    let r = reqwest::Client::new()
        .post(format!("{}/sandbox/_sim/clock/advance", app.base))
        .json(&json!({"seconds": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // WeChat's own (emulated) endpoints stay open: they authenticate by access token.
    let r = reqwest::get(format!(
        "{}/sandbox/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx00000000000000aa&secret=x",
        app.base
    ))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = reqwest::get(format!("{}/sandbox/nothing-here", app.base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.unwrap().contains("<html"));
}

/// An `AppState` over the test app's database (for calling services directly).
fn state_of(app: &TestApp, sandbox: bool) -> wxportal::state::AppState {
    let vault = std::sync::Arc::new(app.vault.clone());
    let sandbox = sandbox.then(|| {
        wxportal::wechat_clients::Emulator::start(
            "127.0.0.1:9".parse().unwrap(),
            &app.settings.public_url,
            crate::helpers::SANDBOX_CONTROL_TOKEN.into(),
        )
    });
    wxportal::state::AppState {
        db: app.db.clone(),
        settings: std::sync::Arc::new(app.settings.clone()),
        vault: vault.clone(),
        passwords: app.passwords.clone(),
        wechat: wxportal::wechat_clients::WechatRuntime::new(app.db.clone(), vault, sandbox),
        callbacks: Default::default(),
        writer: Default::default(),
        product_pages: Default::default(),
        subscribed_counts: Default::default(),
    }
}

#[tokio::test]
async fn the_demo_merchant_has_products_and_sandbox_payers_pay_them() {
    let app = spawn_sandbox().await;
    let accounts = sandbox_accounts(&app).await;
    let merchant = id_of(&accounts, "pay_merchant");
    let admin = app.admin().await;
    let products = json_of(
        admin
            .get(&format!("/api/pay/merchants/{merchant}/products"))
            .await,
        StatusCode::OK,
    )
    .await;
    let products = products.as_array().unwrap();
    assert_eq!(products.len(), 3);
    let product = &products[0];
    let pid = product["id"].as_i64().unwrap();

    // Payers are the followers of the Official Account the merchant is bound to.
    let payers = json_of(
        admin
            .get(&format!("/api/accounts/{merchant}/sandbox/followers"))
            .await,
        StatusCode::OK,
    )
    .await;
    let payer = payers["items"][0]["id"].as_str().unwrap().to_string();
    assert!(payers["total"].as_u64().unwrap() > 0);

    // Mode 1: the payer scans the product's code; WeChat calls our scan callback, the payer
    // pays, the notification lands.
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{merchant}/sandbox/act"),
                &json!({"type": "pay_product", "product_id": pid, "subject": payer}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["outcome"], "paid");
    assert_eq!(r["subject"], payer.as_str());
    assert!(
        r["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/pay/{merchant}/scan-callback"))
    );
    assert!(r["reply"].as_str().unwrap().contains("prepay_id"));
    let payment = &r["payment"];
    assert_eq!(payment["state"], "SUCCESS", "{r}");
    let order_id = payment["order_id"].as_i64().unwrap();
    let detail = json_of(
        admin.get(&format!("/api/pay/orders/{order_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["order"]["payer_openid"], payer.as_str());
    assert_eq!(detail["order"]["total_fee"], product["price_fen"]);
    assert_eq!(
        payment["order_url"],
        format!(
            "/pay/{merchant}/orders/{}",
            detail["order"]["out_trade_no"].as_str().unwrap()
        )
    );

    // Mode 2: the code_url of the order the product page's button asks for.
    let html = reqwest::Client::new()
        .post(format!("{}/pay/{merchant}/products/{pid}/order", app.base))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = html.find("data-testid=\"pay-qr-mode2\"").unwrap();
    let code = html[at..]
        .split("data-code=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{merchant}/sandbox/act"),
                &json!({"type": "pay_code", "code": code}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["payment"]["state"], "SUCCESS", "{r}");
    // Paying it again: the payer sees an error, nothing changes.
    let again = json_of(
        admin
            .post(
                &format!("/api/accounts/{merchant}/sandbox/act"),
                &json!({"type": "pay_code", "code": code}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["ok"], false);
    assert_eq!(again["outcome"], "payment_failed");

    // The demo merchant has a (sandbox) certificate: staff refund, the notification lands.
    json_of(
        admin
            .post(
                &format!("/api/pay/orders/{order_id}/refunds"),
                &json!({"refund_fee": 1}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let mut d = Value::Null;
    for _ in 0..100 {
        d = json_of(
            admin.get(&format!("/api/pay/orders/{order_id}")).await,
            StatusCode::OK,
        )
        .await;
        // Both: the detail reads the order before its refunds (see pay_flow's refund test).
        if d["refunds"][0]["state"] == "SUCCESS" && d["order"]["state"] == "REFUND" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(d["refunds"][0]["state"], "SUCCESS", "{d}");
    assert_eq!(d["order"]["state"], "REFUND", "{d}");

    // Not a pay action on a pay merchant; not a pay action elsewhere.
    assert_error(
        admin
            .post(
                &format!("/api/accounts/{merchant}/sandbox/act"),
                &json!({"type": "text", "content": "hi"}),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let oa = id_of(&accounts, "official_account");
    assert_error(
        admin
            .post(
                &format!("/api/accounts/{oa}/sandbox/act"),
                &json!({"type": "pay_product", "product_id": pid}),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}
