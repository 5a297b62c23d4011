//! The callback delivery engine: modes, signatures, replies, retries, timeouts, URL checks.

use serde_json::json;
use wechat_sim::proto::crypto::MsgCrypt;
use wechat_sim::proto::sign::{msg_signature, plain_signature};
use wechat_sim::{CallbackMode, FollowerAction, Outcome};

use crate::common::{TestSim, query_map, spawn_receiver, spawn_sim, xml_field};

async fn app_with(t: &TestSim, url: &str, mode: CallbackMode) -> wechat_sim::OaConfig {
    let cfg = t.new_oa().await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": url, "mode": mode})).unwrap(),
        )
        .unwrap()
}

fn text_reply(to: &str, from: &str, content: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content></xml>"
    )
}

#[tokio::test]
async fn plain_mode_signed_post_and_passive_reply() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|r, _| {
        let from = xml_field(&r.body, "FromUserName").unwrap_or_default();
        let to = xml_field(&r.body, "ToUserName").unwrap_or_default();
        (200, text_reply(&from, &to, "你好，收到"), 0)
    })
    .await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Plain).await;
    let openid = t.subscribe(&cfg.appid).await;
    let r = t
        .sim
        .oa_act(
            &cfg.appid,
            Some(&openid),
            FollowerAction::Text {
                content: "hello".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::Replied);
    let got = rx.received();
    assert_eq!(got.len(), 2); // subscribe + text
    let q = query_map(&got[1].query);
    assert_eq!(
        q["signature"],
        plain_signature(&cfg.token, &q["timestamp"], &q["nonce"])
    );
    assert_eq!(q["openid"], openid);
    assert!(!q.contains_key("encrypt_type"));
    assert_eq!(xml_field(&got[1].body, "Content").unwrap(), "hello");
    assert_eq!(xml_field(&got[1].body, "MsgType").unwrap(), "text");
    assert_eq!(
        xml_field(&got[1].body, "ToUserName").unwrap(),
        cfg.original_id
    );
    assert!(
        xml_field(&got[1].body, "MsgId")
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    assert_eq!(xml_field(&got[0].body, "Event").unwrap(), "subscribe");

    // What the follower saw, via the control API.
    let inbox = t
        .get_json(&format!("/_sim/oa/{}/followers/{openid}/inbox", cfg.appid))
        .await;
    let items = inbox.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["source"], "passive_reply");
    assert_eq!(items[1]["content"]["Content"], "你好，收到");
}

#[tokio::test]
async fn safe_mode_encrypted_both_ways() {
    let t = spawn_sim().await;
    let holder: std::sync::Arc<std::sync::Mutex<Option<wechat_sim::OaConfig>>> = Default::default();
    let h = holder.clone();
    let rx = spawn_receiver(move |r, _| {
        let cfg = h.lock().unwrap().clone().unwrap();
        let q = query_map(&r.query);
        let crypt = MsgCrypt::new(&cfg.token, &cfg.encoding_aes_key, &cfg.appid).unwrap();
        let enc = xml_field(&r.body, "Encrypt").unwrap();
        let plain = crypt.verify_and_decrypt(&q["msg_signature"], &q["timestamp"], &q["nonce"], &enc).unwrap();
        let from = xml_field(&plain, "FromUserName").unwrap();
        let reply = text_reply(&from, &cfg.original_id, "加密回复");
        let e = crypt.encrypt(&reply);
        let sig = msg_signature(&cfg.token, "1700000000", "abc", &e);
        let body = format!(
            "<xml>\n<Encrypt><![CDATA[{e}]]></Encrypt>\n<MsgSignature><![CDATA[{sig}]]></MsgSignature>\n<TimeStamp>1700000000</TimeStamp>\n<Nonce><![CDATA[abc]]></Nonce>\n</xml>"
        );
        (200, body, 0)
    })
    .await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Safe).await;
    *holder.lock().unwrap() = Some(cfg.clone());
    let r = t
        .sim
        .oa_act(&cfg.appid, None, FollowerAction::Subscribe { ticket: None })
        .await
        .unwrap();
    assert_eq!(
        r.delivery.outcome,
        Outcome::Replied,
        "{:?}",
        r.delivery.reply_error
    );
    assert_eq!(
        r.delivery.reply_fields.as_ref().unwrap()["Content"],
        "加密回复"
    );
    let got = rx.received();
    let q = query_map(&got[0].query);
    assert_eq!(q["encrypt_type"], "aes");
    assert!(
        xml_field(&got[0].body, "MsgType").is_none(),
        "safe mode hides the plaintext"
    );
    assert_eq!(
        xml_field(&got[0].body, "ToUserName").unwrap(),
        cfg.original_id
    );

    // A plaintext reply is refused in safe mode.
    let rx2 = spawn_receiver(|r, _| {
        (
            200,
            text_reply(&xml_field(&r.body, "ToUserName").unwrap(), "gh", "plain"),
            0,
        )
    })
    .await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": rx2.url})).unwrap(),
        )
        .unwrap();
    let r = t
        .sim
        .oa_act(
            &cfg.appid,
            Some(&r.openid),
            FollowerAction::Text {
                content: "x".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::InvalidReply);
    let inbox = t.sim.oa_inbox(&cfg.appid, &r.openid).unwrap();
    assert_eq!(inbox.last().unwrap().source, "system");
    assert_eq!(
        inbox.last().unwrap().content["Content"],
        "该公众号暂时无法提供服务，请稍后再试"
    );
}

#[tokio::test]
async fn compatible_mode_carries_plain_fields_and_encrypt() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Compatible).await;
    let r = t
        .sim
        .oa_act(&cfg.appid, None, FollowerAction::Subscribe { ticket: None })
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::NoReply);
    let got = rx.received();
    let q = query_map(&got[0].query);
    assert_eq!(
        q["signature"],
        plain_signature(&cfg.token, &q["timestamp"], &q["nonce"])
    );
    let enc = xml_field(&got[0].body, "Encrypt").unwrap();
    assert_eq!(
        q["msg_signature"],
        msg_signature(&cfg.token, &q["timestamp"], &q["nonce"], &enc)
    );
    let crypt = MsgCrypt::new(&cfg.token, &cfg.encoding_aes_key, &cfg.appid).unwrap();
    let plain = crypt.decrypt(&enc).unwrap();
    assert_eq!(xml_field(&plain, "Event").unwrap(), "subscribe");
    assert_eq!(xml_field(&got[0].body, "Event").unwrap(), "subscribe");
    assert!(t.sim.oa_inbox(&cfg.appid, &r.openid).unwrap().is_empty());
}

#[tokio::test]
async fn slow_server_is_retried_with_the_same_message() {
    let t = spawn_sim().await; // callback timeout 1.5 s in tests
    let rx = spawn_receiver(|r, n| {
        if n < 2 {
            (200, String::new(), 3000)
        } else {
            (
                200,
                text_reply(
                    &xml_field(&r.body, "FromUserName").unwrap(),
                    "gh",
                    "third time",
                ),
                0,
            )
        }
    })
    .await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Plain).await;
    let r = t
        .sim
        .oa_act(&cfg.appid, None, FollowerAction::Subscribe { ticket: None })
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::Replied);
    assert_eq!(r.delivery.attempts.len(), 3);
    assert_eq!(r.delivery.attempts[0].error.as_deref(), Some("timeout"));
    let got = rx.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].body, got[2].body);
    assert_eq!(got[0].query, got[2].query);
}

#[tokio::test]
async fn a_callback_timeout_fault_discards_answers_and_retries_the_same_message() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|r, n| {
        if xml_field(&r.body, "MsgType").as_deref() == Some("event") {
            return (200, "success".into(), 0);
        }
        let reply = format!("answer {n}");
        (
            200,
            text_reply(&xml_field(&r.body, "FromUserName").unwrap(), "gh", &reply),
            0,
        )
    })
    .await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Plain).await;
    let openid = t.subscribe(&cfg.appid).await;
    let before = rx.received().len();
    t.post_json(
        "/_sim/faults",
        json!({"target": cfg.appid, "kind": "callback_timeout", "count": 2}),
    )
    .await;
    let r = t
        .sim
        .oa_act(
            &cfg.appid,
            Some(&openid),
            FollowerAction::Text {
                content: "hi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::Replied);
    assert_eq!(r.delivery.attempts.len(), 3);
    for a in &r.delivery.attempts[..2] {
        assert_eq!(a.status, Some(200));
        assert!(a.error.as_deref().unwrap().starts_with("timeout"), "{a:?}");
    }
    assert!(r.delivery.attempts[2].error.is_none());
    // The server really got the identical request three times; only the last answer counts.
    let got = rx.received();
    assert_eq!(got.len() - before, 3);
    assert_eq!(got[before].body, got[before + 2].body);
    assert_eq!(got[before].query, got[before + 2].query);
    let inbox = t.sim.oa_inbox(&cfg.appid, &openid).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert!(format!("{:?}", inbox[0]).contains(&format!("answer {}", before + 2)));
    // Used up.
    assert_eq!(t.get_json("/_sim/faults").await, json!([]));
}

#[tokio::test]
async fn failing_server_gets_one_try_plus_three_retries() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|_, _| (500, "oops".into(), 0)).await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Plain).await;
    let r = t
        .sim
        .oa_act(&cfg.appid, None, FollowerAction::Subscribe { ticket: None })
        .await
        .unwrap();
    assert_eq!(r.delivery.outcome, Outcome::Failed);
    assert_eq!(r.delivery.attempts.len(), 4);
    assert!(r.delivery.attempts.iter().all(|a| a.status == Some(500)));
    assert_eq!(rx.received().len(), 4);
    let inbox = t.sim.oa_inbox(&cfg.appid, &r.openid).unwrap();
    assert_eq!(inbox[0].source, "system");
    // Recorded and filterable through the control API.
    let ds = t
        .get_json(&format!("/_sim/deliveries?target={}&family=oa", cfg.appid))
        .await;
    assert_eq!(ds.as_array().unwrap().len(), 1);
    assert_eq!(ds[0]["outcome"], "failed");
    // Garbage is an invalid reply, not a retry.
    let rx2 = spawn_receiver(|_, _| (200, "<html>hello</html>".into(), 0)).await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": rx2.url})).unwrap(),
        )
        .unwrap();
    let r2 = t
        .sim
        .oa_act(
            &cfg.appid,
            Some(&r.openid),
            FollowerAction::Text {
                content: "x".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(r2.delivery.outcome, Outcome::InvalidReply);
    assert_eq!(r2.delivery.attempts.len(), 1);
}

#[tokio::test]
async fn every_follower_action_produces_the_right_xml() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let cfg = app_with(&t, &rx.url, CallbackMode::Plain).await;
    let (_, tok) = (cfg.clone(), {
        let v = t
            .get_json(&format!(
                "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
                cfg.appid, cfg.secret
            ))
            .await;
        v["access_token"].as_str().unwrap().to_owned()
    });
    t.oa_post(
        "/cgi-bin/menu/create",
        &tok,
        json!({"button": [{"type": "click", "name": "a", "key": "K1"}, {"type": "view", "name": "v", "url": "https://example.com/"}, {"name": "more", "sub_button": [{"type": "scancode_waitmsg", "name": "scan", "key": "S1"}, {"type": "pic_weixin", "name": "pic", "key": "P1"}, {"type": "location_select", "name": "loc", "key": "L1"}]}]}),
    )
    .await;
    let qr = t
        .oa_post(
            "/cgi-bin/qrcode/create",
            &tok,
            json!({"action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": 123}}}),
        )
        .await;
    let ticket = qr["ticket"].as_str().unwrap().to_owned();
    let r = t
        .sim
        .oa_act(
            &cfg.appid,
            None,
            FollowerAction::Subscribe {
                ticket: Some(ticket.clone()),
            },
        )
        .await
        .unwrap();
    let o = r.openid.clone();
    let m = &r.delivery.message;
    assert_eq!(xml_field(m, "EventKey").unwrap(), "qrscene_123");
    assert_eq!(xml_field(m, "Ticket").unwrap(), ticket);
    let info = t
        .oa_get("/cgi-bin/user/info", &tok, &format!("&openid={o}"))
        .await;
    assert_eq!(info["subscribe_scene"], "ADD_SCENE_QR_CODE");
    assert_eq!(info["qr_scene"], 123);

    let act = |a: FollowerAction| {
        let sim = t.sim.clone();
        let appid = cfg.appid.clone();
        let o = o.clone();
        async move {
            sim.oa_act(&appid, Some(&o), a)
                .await
                .map(|r| r.delivery.message)
        }
    };
    let m = act(FollowerAction::Scan { ticket }).await.unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "SCAN");
    assert_eq!(xml_field(&m, "EventKey").unwrap(), "123");
    let m = act(FollowerAction::Click { key: "K1".into() })
        .await
        .unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "CLICK");
    assert!(
        act(FollowerAction::Click { key: "nope".into() })
            .await
            .is_err()
    );
    let m = act(FollowerAction::View {
        url: "https://example.com/".into(),
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "VIEW");
    let m = act(FollowerAction::MenuEvent {
        key: "S1".into(),
        scan_result: Some("hello".into()),
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "scancode_waitmsg");
    assert!(m.contains("<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[hello]]></ScanResult></ScanCodeInfo>"));
    let m = act(FollowerAction::MenuEvent {
        key: "P1".into(),
        scan_result: None,
    })
    .await
    .unwrap();
    assert!(m.contains("<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>"));
    let m = act(FollowerAction::MenuEvent {
        key: "L1".into(),
        scan_result: None,
    })
    .await
    .unwrap();
    assert!(m.contains("<SendLocationInfo><Location_X>"));
    assert!(
        act(FollowerAction::MenuEvent {
            key: "K1".into(),
            scan_result: None
        })
        .await
        .is_err()
    );
    let m = act(FollowerAction::Image { pic_url: None }).await.unwrap();
    assert!(xml_field(&m, "PicUrl").unwrap().starts_with("http"));
    let m = act(FollowerAction::Voice {
        format: None,
        recognition: Some("你好".into()),
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "Format").unwrap(), "amr");
    assert_eq!(xml_field(&m, "Recognition").unwrap(), "你好");
    let m = act(FollowerAction::Location {
        latitude: 23.134521,
        longitude: 113.358803,
        scale: Some(20),
        label: Some("广州".into()),
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "Location_X").unwrap(), "23.134521");
    let m = act(FollowerAction::Link {
        title: "t".into(),
        description: "d".into(),
        url: "http://x".into(),
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "MsgType").unwrap(), "link");
    let m = act(FollowerAction::ReportLocation {
        latitude: 1.5,
        longitude: 2.5,
        precision: None,
    })
    .await
    .unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "LOCATION");
    let m = act(FollowerAction::Unsubscribe).await.unwrap();
    assert_eq!(xml_field(&m, "Event").unwrap(), "unsubscribe");
    assert!(
        act(FollowerAction::Text {
            content: "x".into()
        })
        .await
        .is_err()
    );
}

#[tokio::test]
async fn verify_callback_url_echoes_echostr() {
    let t = spawn_sim().await;
    let good = spawn_receiver(|r, _| (200, query_map(&r.query)["echostr"].clone(), 0)).await;
    let cfg = app_with(&t, &good.url, CallbackMode::Safe).await;
    let v = t
        .post_json(&format!("/_sim/oa/{}/verify_url", cfg.appid), json!({}))
        .await;
    assert_eq!(v["ok"], true, "{v}");
    let got = good.received();
    assert_eq!(got[0].method, "GET");
    let q = query_map(&got[0].query);
    assert_eq!(
        q["signature"],
        plain_signature(&cfg.token, &q["timestamp"], &q["nonce"])
    );
    let bad =
        spawn_receiver(|r, _| (200, format!("\"{}\"", query_map(&r.query)["echostr"]), 0)).await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": bad.url})).unwrap(),
        )
        .unwrap();
    let v = t.sim.oa_verify_url(&cfg.appid).await.unwrap();
    assert!(!v.ok);
}
