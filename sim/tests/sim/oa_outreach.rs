//! Mass-send quotas and legacy-group targets; template sends with `client_msg_id` and followers
//! who refuse template messages.

use serde_json::json;
use wechat_sim::CallbackMode;

use crate::common::{Receiver, TestSim, errcode, spawn_receiver, spawn_sim, xml_field};

async fn app(t: &TestSim, account_type: &str) -> (wechat_sim::OaConfig, String, Receiver) {
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let (cfg, tok) = t.oa_with_token().await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({
                "callback_url": rx.url,
                "mode": CallbackMode::Plain,
                "account_type": account_type,
            }))
            .unwrap(),
        )
        .unwrap();
    (cfg, tok, rx)
}

/// A fresh access token (after the clock moved past the old one's life).
async fn token(t: &TestSim, cfg: &wechat_sim::OaConfig) -> String {
    let v = t
        .get_json(&format!(
            "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            cfg.appid, cfg.secret
        ))
        .await;
    v["access_token"].as_str().unwrap().to_owned()
}

fn text_to_all(n: usize) -> serde_json::Value {
    json!({"filter": {"is_to_all": true}, "msgtype": "text", "text": {"content": format!("第{n}条")}})
}

#[tokio::test]
async fn a_subscription_account_mass_sends_once_a_day() {
    let t = spawn_sim().await;
    let (cfg, _, _rx) = app(&t, "subscription_verified").await;
    t.subscribe(&cfg.appid).await;
    // Midday in Beijing, so a few hours later is still the same day.
    t.post_json("/_sim/clock/set", json!({"unix": 1_767_240_000}))
        .await;
    let tok = token(&t, &cfg).await;
    let first = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(1))
        .await;
    assert_eq!(errcode(&first), 0, "{first}");
    let second = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(2))
        .await;
    assert_eq!(errcode(&second), 45028, "{second}");
    // Previews use no quota.
    let a = t.subscribe(&cfg.appid).await;
    let p = t
        .oa_post(
            "/cgi-bin/message/mass/preview",
            &tok,
            json!({"touser": a, "msgtype": "text", "text": {"content": "预览"}}),
        )
        .await;
    assert_eq!(errcode(&p), 0);
    t.post_json("/_sim/clock/advance", json!({"seconds": 86_400}))
        .await;
    let tok = token(&t, &cfg).await;
    let next_day = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(3))
        .await;
    assert_eq!(errcode(&next_day), 0, "{next_day}");
}

#[tokio::test]
async fn a_service_account_mass_sends_four_times_a_month() {
    let t = spawn_sim().await;
    let (cfg, _, _rx) = app(&t, "service_verified").await;
    t.subscribe(&cfg.appid).await;
    // 2026-01-10 12:00 Beijing.
    t.post_json("/_sim/clock/set", json!({"unix": 1_768_017_600}))
        .await;
    let tok = token(&t, &cfg).await;
    for n in 0..4 {
        let v = t
            .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(n))
            .await;
        assert_eq!(errcode(&v), 0, "{v}");
    }
    let fifth = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(5))
        .await;
    assert_eq!(errcode(&fifth), 45028);
    // February.
    t.post_json("/_sim/clock/advance", json!({"seconds": 25 * 86_400}))
        .await;
    let tok = token(&t, &cfg).await;
    let v = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, text_to_all(6))
        .await;
    assert_eq!(errcode(&v), 0, "{v}");
}

#[tokio::test]
async fn a_mass_send_to_a_legacy_group_reaches_its_members_only() {
    let t = spawn_sim().await;
    let (cfg, tok, rx) = app(&t, "service_verified").await;
    let a = t.subscribe(&cfg.appid).await;
    let b = t.subscribe(&cfg.appid).await;
    let g = t
        .oa_post(
            "/cgi-bin/groups/create",
            &tok,
            json!({"group": {"name": "老客户"}}),
        )
        .await["group"]["id"]
        .as_i64()
        .unwrap();
    let moved = t
        .oa_post(
            "/cgi-bin/groups/members/update",
            &tok,
            json!({"openid": a, "to_groupid": g}),
        )
        .await;
    assert_eq!(errcode(&moved), 0, "{moved}");
    let body = json!({"filter": {"is_to_all": false, "group_id": g}, "msgtype": "text", "text": {"content": "分组群发"}});
    let v = t.oa_post("/cgi-bin/message/mass/sendall", &tok, body).await;
    assert_eq!(errcode(&v), 0, "{v}");
    let unknown = json!({"filter": {"is_to_all": false, "group_id": 999}, "msgtype": "text", "text": {"content": "x"}});
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/message/mass/sendall", &tok, unknown)
                .await
        ),
        40050
    );
    t.post_json("/_sim/clock/advance", json!({"seconds": 30}))
        .await;
    for _ in 0..400 {
        if rx
            .received()
            .iter()
            .any(|r| xml_field(&r.body, "Event").as_deref() == Some("MASSSENDJOBFINISH"))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    let got = |o: &str| {
        t.sim
            .oa_inbox(&cfg.appid, o)
            .unwrap()
            .iter()
            .filter(|i| i.source == "mass")
            .count()
    };
    assert_eq!((got(&a), got(&b)), (1, 0));
}

#[tokio::test]
async fn template_sends_dedupe_client_msg_id_and_report_blocking_followers() {
    let t = spawn_sim().await;
    let (cfg, tok, rx) = app(&t, "service_verified").await;
    let a = t.subscribe(&cfg.appid).await;
    let b = t.subscribe(&cfg.appid).await;
    let tid = t
        .oa_post(
            "/cgi-bin/template/api_add_template",
            &tok,
            json!({"template_id_short": "TM00015"}),
        )
        .await["template_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let msg = |to: &str, key: &str| json!({"touser": to, "template_id": tid, "client_msg_id": key, "data": {"first": {"value": "你好"}}});
    let first = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg(&a, "k1"))
        .await;
    let again = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg(&a, "k1"))
        .await;
    assert_eq!(first["msgid"], again["msgid"]);
    let inbox = t.sim.oa_inbox(&cfg.appid, &a).unwrap();
    assert_eq!(inbox.iter().filter(|i| i.source == "template").count(), 1);
    // Another key is another message; past ten minutes the same key sends again.
    let other = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg(&a, "k2"))
        .await;
    assert_ne!(other["msgid"], first["msgid"]);
    t.post_json("/_sim/clock/advance", json!({"seconds": 601}))
        .await;
    let later = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg(&a, "k1"))
        .await;
    assert_ne!(later["msgid"], first["msgid"]);
    // A follower who refuses template messages sees nothing; the event says so.
    t.post_json(
        &format!("/_sim/oa/{}/followers/{b}", cfg.appid),
        json!({"blocks_templates": true}),
    )
    .await;
    let blocked = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg(&b, "k3"))
        .await;
    assert_eq!(errcode(&blocked), 0);
    let id = blocked["msgid"].as_i64().unwrap().to_string();
    let mut status = None;
    for _ in 0..400 {
        status = rx
            .received()
            .iter()
            .find(|r| xml_field(&r.body, "MsgID").as_deref() == Some(id.as_str()))
            .and_then(|r| xml_field(&r.body, "Status"));
        if status.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    assert_eq!(status.as_deref(), Some("failed:user block"));
    assert!(
        t.sim
            .oa_inbox(&cfg.appid, &b)
            .unwrap()
            .iter()
            .all(|i| i.source != "template")
    );
}
