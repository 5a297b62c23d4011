//! WeCom third-party suites: suite_ticket pushes on the clock, tokens, install, permanent code,
//! corp token, provider login.

use serde_json::{Value, json};
use wechat_sim::SuiteConfig;
use wechat_sim::proto::crypto::MsgCrypt;

use crate::common::{Receiver, TestSim, errcode, query_map, spawn_receiver, spawn_sim, xml_field};

const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

async fn suite(t: &TestSim) -> (SuiteConfig, Receiver) {
    let (cfg, rx, _) = suite_with_data(t).await;
    (cfg, rx)
}

async fn suite_with_data(t: &TestSim) -> (SuiteConfig, Receiver, Receiver) {
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let data = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let cfg = t.sim.create_suite(
        serde_json::from_value(json!({
            "name": "CRM",
            "callback": {"url": rx.url, "token": "suitetoken", "encoding_aes_key": AES},
            "data_callback": {"url": data.url}
        }))
        .unwrap(),
    );
    (cfg, rx, data)
}

/// Decrypted instructions received so far.
fn instructions(cfg: &SuiteConfig, rx: &Receiver) -> Vec<String> {
    let crypt = MsgCrypt::new("suitetoken", AES, &cfg.suite_id).unwrap();
    rx.received()
        .iter()
        .map(|r| {
            let q = query_map(&r.query);
            let enc = xml_field(&r.body, "Encrypt").unwrap();
            crypt
                .verify_and_decrypt(&q["msg_signature"], &q["timestamp"], &q["nonce"], &enc)
                .unwrap()
        })
        .collect()
}

/// A corp "Customer" with one admin member, seeded so that the suite gets its first ticket;
/// returns the corp and that ticket.
async fn customer_corp_and_ticket(
    t: &TestSim,
    cfg: &SuiteConfig,
    rx: &Receiver,
) -> (wechat_sim::CorpConfig, String) {
    let corp = t
        .sim
        .create_corp(serde_json::from_value(json!({"name": "Customer"})).unwrap());
    t.post_json(
        "/_sim/seed",
        json!({"work": [{"corpid": corp.corpid, "name": "Customer", "contacts_secret": corp.contacts_secret, "members": [{"userid": "admin", "name": "管理员"}]}]}),
    )
    .await;
    wait_n(rx, 1).await;
    let ticket = xml_field(&instructions(cfg, rx)[0], "SuiteTicket").unwrap();
    (corp, ticket)
}

async fn wait_n(rx: &Receiver, n: usize) {
    for _ in 0..400 {
        if rx.received().len() >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    panic!("expected {n} callbacks, got {}", rx.received().len());
}

async fn suite_token(t: &TestSim, cfg: &SuiteConfig, ticket: &str) -> Value {
    t.post_json(
        "/qyapi.weixin.qq.com/cgi-bin/service/get_suite_token",
        json!({"suite_id": cfg.suite_id, "suite_secret": cfg.suite_secret, "suite_ticket": ticket}),
    )
    .await
}

#[tokio::test]
async fn suite_ticket_every_ten_minutes_and_suite_token() {
    let t = spawn_sim().await;
    let (cfg, rx) = suite(&t).await;
    wait_n(&rx, 1).await;
    let first = instructions(&cfg, &rx)[0].clone();
    assert_eq!(xml_field(&first, "InfoType").unwrap(), "suite_ticket");
    assert_eq!(xml_field(&first, "SuiteId").unwrap(), cfg.suite_id);
    let t1 = xml_field(&first, "SuiteTicket").unwrap();
    let v = suite_token(&t, &cfg, &t1).await;
    assert_eq!(v["errcode"], 0);
    assert!(v["suite_access_token"].is_string());
    assert_eq!(errcode(&suite_token(&t, &cfg, "nope").await), 40085);
    t.post_json("/_sim/clock/advance", json!({"minutes": 10}))
        .await;
    wait_n(&rx, 2).await;
    let t2 = xml_field(&instructions(&cfg, &rx)[1], "SuiteTicket").unwrap();
    assert_ne!(t1, t2);
    // On-demand push too.
    t.post_json(
        &format!("/_sim/suites/{}/push_ticket", cfg.suite_id),
        json!({}),
    )
    .await;
    wait_n(&rx, 3).await;
    // A ticket is accepted for 30 minutes.
    t.sim.advance(1200);
    assert_eq!(errcode(&suite_token(&t, &cfg, &t1).await), 40085);
    assert_eq!(errcode(&suite_token(&t, &cfg, &t2).await), 0);
}

#[tokio::test]
async fn install_flow_permanent_code_and_corp_token() {
    let t = spawn_sim().await;
    let (cfg, rx, data_rx) = suite_with_data(&t).await;
    let (corp, ticket) = customer_corp_and_ticket(&t, &cfg, &rx).await;
    let st = suite_token(&t, &cfg, &ticket).await["suite_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let pre = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/service/get_pre_auth_code?suite_access_token={st}"
        ))
        .await;
    assert_eq!(pre["expires_in"], 1200);
    let pre = pre["pre_auth_code"].as_str().unwrap().to_owned();
    let v = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/service/set_session_info?suite_access_token={st}"
            ),
            json!({"pre_auth_code": pre, "session_info": {"auth_type": 1}}),
        )
        .await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(
        errcode(
            &t.get_json(
                "/qyapi.weixin.qq.com/cgi-bin/service/get_pre_auth_code?suite_access_token=bad"
            )
            .await
        ),
        40082
    );

    // The install page, then the admin's consent through the form.
    let page = t
        .http
        .get(t.url(&format!("/open.work.weixin.qq.com/3rdapp/install?suite_id={}&pre_auth_code={pre}&redirect_uri=http%3A%2F%2Fisv.example%2Fcb&state=s1", cfg.suite_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Customer"));
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(t.url("/open.work.weixin.qq.com/3rdapp/install/confirm"))
        .form(&[
            ("suite_id", cfg.suite_id.as_str()),
            ("pre_auth_code", &pre),
            ("redirect_uri", "http://isv.example/cb"),
            ("state", "s1"),
            ("who", &format!("{}|admin", corp.corpid)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(loc.starts_with("http://isv.example/cb?auth_code="), "{loc}");
    assert!(loc.contains("&state=s1"));
    let auth_code = query_map(loc.split_once('?').unwrap().1)["auth_code"].clone();
    // create_auth was pushed to the instruction URL.
    wait_n(&rx, 2).await;
    let create = instructions(&cfg, &rx)
        .into_iter()
        .find(|x| x.contains("create_auth"))
        .unwrap();
    assert_eq!(xml_field(&create, "AuthCode").unwrap(), auth_code);
    assert_eq!(xml_field(&create, "State").unwrap(), "s1");

    let p = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/service/get_permanent_code?suite_access_token={st}"
            ),
            json!({"auth_code": auth_code}),
        )
        .await;
    assert_eq!(p["errcode"], 0, "{p}");
    assert_eq!(p["auth_corp_info"]["corpid"], corp.corpid);
    assert_eq!(p["auth_user_info"]["userid"], "admin");
    let agentid = p["auth_info"]["agent"][0]["agentid"].as_i64().unwrap();
    let permanent = p["permanent_code"].as_str().unwrap().to_owned();
    let again = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/service/get_permanent_code?suite_access_token={st}"
            ),
            json!({"auth_code": auth_code}),
        )
        .await;
    assert_eq!(errcode(&again), 40078);

    let ct = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/service/get_corp_token?suite_access_token={st}"),
            json!({"auth_corpid": corp.corpid, "permanent_code": permanent}),
        )
        .await;
    let tok = ct["access_token"].as_str().unwrap().to_owned();
    let v = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/message/send?access_token={tok}"),
            json!({"touser": "admin", "msgtype": "text", "agentid": agentid, "text": {"content": "欢迎"}}),
        )
        .await;
    assert_eq!(errcode(&v), 0, "{v}");
    assert_eq!(
        t.sim.work_inbox(&corp.corpid, "admin").unwrap()[0].content["text"]["content"],
        "欢迎"
    );
    let bad = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/service/get_corp_token?suite_access_token={st}"),
            json!({"auth_corpid": corp.corpid, "permanent_code": "x"}),
        )
        .await;
    assert_eq!(errcode(&bad), 40084);

    // A member's message to the suite's app goes to the suite's data callback, encrypted for
    // the authorising corp.
    let r = t
        .sim
        .work_act(
            &corp.corpid,
            agentid,
            "admin",
            wechat_sim::MemberAction::Text {
                content: "hi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, wechat_sim::Outcome::NoReply);
    let got = data_rx.received();
    let crypt = MsgCrypt::new("suitetoken", AES, &corp.corpid).unwrap();
    let plain = crypt
        .decrypt(&xml_field(&got[0].body, "Encrypt").unwrap())
        .unwrap();
    assert_eq!(xml_field(&plain, "Content").unwrap(), "hi");

    // Uninstall: cancel_auth is pushed and the corp token stops working.
    let d = t
        .post_json(
            &format!("/_sim/suites/{}/uninstall", cfg.suite_id),
            json!({"corpid": corp.corpid}),
        )
        .await;
    assert_eq!(d["family"], "suite");
    assert!(
        instructions(&cfg, &rx)
            .iter()
            .any(|x| x.contains("cancel_auth") && x.contains(&corp.corpid))
    );
    let v = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/message/send?access_token={tok}"),
            json!({"touser": "admin", "msgtype": "text", "agentid": agentid, "text": {"content": "x"}}),
        )
        .await;
    assert_eq!(errcode(&v), 40014);
    // (re-install for the login part below)
    let pre = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/service/get_pre_auth_code?suite_access_token={st}"
        ))
        .await["pre_auth_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let inst = t
        .post_json(
            &format!("/_sim/suites/{}/install", cfg.suite_id),
            json!({"pre_auth_code": pre, "corpid": corp.corpid, "userid": "admin"}),
        )
        .await;
    let p = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/service/get_permanent_code?suite_access_token={st}"
            ),
            json!({"auth_code": inst["auth_code"]}),
        )
        .await;
    let agentid = p["auth_info"]["agent"][0]["agentid"].as_i64().unwrap();

    // Provider web login.
    let pt = t
        .post_json(
            "/qyapi.weixin.qq.com/cgi-bin/service/get_provider_token",
            json!({"corpid": cfg.provider_corpid, "provider_secret": cfg.provider_secret}),
        )
        .await["provider_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = t
        .post_json(
            &format!("/_sim/suites/{}/login", cfg.suite_id),
            json!({"corpid": corp.corpid, "userid": "admin"}),
        )
        .await["auth_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let li = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/service/get_login_info?access_token={pt}"),
            json!({"auth_code": code}),
        )
        .await;
    assert_eq!(li["user_info"]["userid"], "admin");
    assert_eq!(li["corp_info"]["corpid"], corp.corpid);
    assert_eq!(li["agent"][0]["agentid"], agentid);
    let li = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/service/get_login_info?access_token={pt}"),
            json!({"auth_code": code}),
        )
        .await;
    assert_eq!(errcode(&li), 40029);
}

#[tokio::test]
async fn suite_client_decodes_permanent_code_and_login_info() {
    use std::sync::Arc;
    use wechat::client::suite::SuiteClient;
    use wechat::client::{BaseUrls, HttpCore};
    use wechat::token::{MemoryTokenStore, TokenManager};
    let t = spawn_sim().await;
    let (cfg, rx, _data) = suite_with_data(&t).await;
    let (corp, ticket) = customer_corp_and_ticket(&t, &cfg, &rx).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let suite = SuiteClient::new(
        core,
        tokens,
        cfg.suite_id.as_str(),
        cfg.suite_secret.as_str(),
    );
    suite.set_suite_ticket(&ticket).await.unwrap();

    let (pre, _) = suite.pre_auth_code().await.unwrap();
    let inst = t
        .post_json(
            &format!("/_sim/suites/{}/install", cfg.suite_id),
            json!({"pre_auth_code": pre, "corpid": corp.corpid, "userid": "admin"}),
        )
        .await;
    let p = suite
        .permanent_code(inst["auth_code"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(p.auth_corpid(), corp.corpid);
    assert_eq!(p.auth_corp_info.corp_name, "Customer");
    assert_eq!(
        p.auth_user_info.as_ref().map(|u| u.userid.as_str()),
        Some("admin")
    );
    assert!(!p.permanent_code.is_empty());
    let agentid = p.auth_info.agent[0].agentid;
    assert!(agentid > 0);

    let code = t
        .post_json(
            &format!("/_sim/suites/{}/login", cfg.suite_id),
            json!({"corpid": corp.corpid, "userid": "admin"}),
        )
        .await["auth_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let li = suite
        .login_info(&cfg.provider_corpid, &cfg.provider_secret, &code)
        .await
        .unwrap();
    // The admin who installed the suite logs in as an inner system admin (⚠️ the emulator's
    // reading of WeCom's usertype list: 1 creator, 2 inner admin, … 5 member).
    assert_eq!(li.usertype, 2);
    assert_eq!(li.user_info.userid, "admin");
    assert_eq!(li.corp_info.corpid, corp.corpid);
    assert_eq!(li.agent[0].agentid, agentid);
}
