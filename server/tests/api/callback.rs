//! The callback gateway `/wx/{id}`: requests built with the `wechat` crate exactly as WeChat
//! sends them, for OA plain / compatible / safe mode and a WeCom app.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use wechat::{
    crypto::{MsgCrypt, parse_reply_envelope},
    message::{Event, Header, InboundMessage, MessageKind},
    reply::Reply,
    signature::plain_signature,
    types::EncodingAesKey,
};
use wxportal::entities::{
    callback_delivery, follower, inbound_message, outbound_message, reply_rule,
};

use crate::helpers::{
    AES_KEY, Backend, TestApp, backend, json_of, official_account, spawn_app, spawn_app_with,
    work_app,
};

pub const OA_APPID: &str = "wxb11529c136998cb6";
pub const OA_TOKEN: &str = "pamtest";
pub const OA_GH: &str = "gh_7f083739789a";

pub async fn create_oa(app: &TestApp, mode: &str) -> i64 {
    let admin = app.admin().await;
    let mut body = official_account(OA_APPID);
    body["message_mode"] = json!(mode);
    let v = json_of(
        admin.post("/api/accounts", &body).await,
        StatusCode::CREATED,
    )
    .await;
    v["id"].as_i64().unwrap()
}

pub async fn create_work(app: &TestApp) -> i64 {
    let admin = app.admin().await;
    let v = json_of(
        admin.post("/api/accounts", &work_app()).await,
        StatusCode::CREATED,
    )
    .await;
    v["id"].as_i64().unwrap()
}

pub async fn add_rule(app: &TestApp, account: i64, rule: Value) -> i64 {
    let admin = app.admin().await;
    let v = json_of(
        admin
            .post(&format!("/api/accounts/{account}/reply-rules"), &rule)
            .await,
        StatusCode::CREATED,
    )
    .await;
    v["id"].as_i64().unwrap()
}

pub fn keyword_rule(keyword: &str, reply: &str) -> Value {
    json!({
        "name": format!("kw {keyword}"),
        "triggers": [{"type": "keyword", "mode": "exact", "pattern": keyword}],
        "replies": [{"type": "text", "content": reply}]
    })
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn oa_crypt() -> MsgCrypt {
    MsgCrypt::new(OA_TOKEN, &EncodingAesKey::new(AES_KEY).unwrap(), OA_APPID)
}

fn work_crypt() -> MsgCrypt {
    MsgCrypt::new(
        "QDG6eK",
        &EncodingAesKey::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap(),
        "wx5823bf96d3bd56c7",
    )
}

pub fn text_msg(from: &str, content: &str, msg_id: &str) -> InboundMessage {
    InboundMessage {
        header: Header {
            to_user_name: OA_GH.into(),
            from_user_name: from.into(),
            create_time: now(),
            agent_id: None,
        },
        kind: MessageKind::Text {
            content: content.into(),
            msg_id: Some(msg_id.into()),
        },
        extra: Vec::new(),
    }
}

fn event_msg(from: &str, event: Event) -> InboundMessage {
    InboundMessage {
        header: Header {
            to_user_name: OA_GH.into(),
            from_user_name: from.into(),
            create_time: now(),
            agent_id: None,
        },
        kind: MessageKind::Event(event),
        extra: Vec::new(),
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A request as WeChat builds it: `(query, body)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Plain,
    Compatible,
    Safe,
}

pub fn oa_request(mode: Mode, xml: &str, ts: &str, nonce: &str) -> (String, String) {
    let c = oa_crypt();
    let sig = plain_signature(OA_TOKEN, ts, nonce);
    match mode {
        Mode::Plain => (
            format!("signature={sig}&timestamp={ts}&nonce={nonce}&openid=o1"),
            xml.to_string(),
        ),
        Mode::Compatible | Mode::Safe => {
            let (body, msg_sig) = c.encrypt_push(xml, OA_GH, None, ts, nonce).unwrap();
            let body = if mode == Mode::Compatible {
                // Compatible mode: the plaintext fields and Encrypt side by side.
                let encrypt = wechat::crypto::extract_encrypt(&body).unwrap();
                let inner = xml.trim_start_matches("<xml>").trim_end_matches("</xml>");
                format!("<xml>{inner}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
            } else {
                body
            };
            (
                format!(
                    "signature={sig}&timestamp={ts}&nonce={nonce}&openid=o1&encrypt_type=aes&msg_signature={msg_sig}"
                ),
                body,
            )
        }
    }
}

pub async fn post_wx(app: &TestApp, id: i64, query: &str, body: &str) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(format!("{}/wx/{id}?{query}", app.base))
        .header("content-type", "text/xml")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The plain reply XML of a response (decrypting the envelope when encrypted).
pub fn open_reply(c: &MsgCrypt, body: &str) -> Reply {
    let xml = if body.contains("<Encrypt>") {
        let env = parse_reply_envelope(body).unwrap();
        c.decrypt_message(&env.msg_signature, &env.timestamp, &env.nonce, body)
            .unwrap()
    } else {
        body.to_string()
    };
    Reply::parse(&xml).unwrap()
}

pub fn reply_text(r: &Reply) -> String {
    match &r.kind {
        wechat::reply::ReplyKind::Text { content } => content.clone(),
        other => panic!("not a text reply: {other:?}"),
    }
}

async fn inbound_count(app: &TestApp, id: i64) -> u64 {
    inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn last_delivery(app: &TestApp, id: i64) -> callback_delivery::Model {
    latest_delivery(app, id).await.unwrap()
}

async fn latest_delivery(app: &TestApp, id: i64) -> Option<callback_delivery::Model> {
    use sea_orm::QueryOrder;
    callback_delivery::Entity::find()
        .filter(callback_delivery::Column::AccountId.eq(id))
        .order_by_desc(callback_delivery::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
}

/// The account's latest delivery record, waiting for the pipeline to write it (it is the last
/// thing a callback writes, after its answer may already have been given up on).
async fn recorded_delivery(app: &TestApp, id: i64) -> callback_delivery::Model {
    for _ in 0..200 {
        if let Some(row) = latest_delivery(app, id).await {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no delivery was recorded for account {id}");
}

#[tokio::test]
async fn url_verification_oa_echoes_and_wecom_decrypts() {
    let app = spawn_app().await;
    let oa = create_oa(&app, "safe").await;
    let ts = now().to_string();
    let sig = plain_signature(OA_TOKEN, &ts, "n1");
    let r = reqwest::get(format!(
        "{}/wx/{oa}?signature={sig}&timestamp={ts}&nonce=n1&echostr=hello%2Bworld",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "hello+world");
    assert_eq!(last_delivery(&app, oa).await.outcome.as_str(), "verified");

    // Wrong signature: 403, no detail, a diagnosis for staff.
    let r = reqwest::get(format!(
        "{}/wx/{oa}?signature=deadbeef&timestamp={ts}&nonce=n1&echostr=x",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.text().await.unwrap(), "");
    let d = last_delivery(&app, oa).await;
    assert!(d.diagnosis.unwrap().contains("bad signature"));

    let work = create_work(&app).await;
    let c = work_crypt();
    let echo = c.encrypt("1616140317555161061").unwrap();
    let ms = wechat::signature::msg_signature("QDG6eK", &ts, "n2", &echo);
    let r = reqwest::get(format!(
        "{}/wx/{work}?msg_signature={ms}&timestamp={ts}&nonce=n2&echostr={}",
        app.base,
        enc(&echo)
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "1616140317555161061");

    // Unknown account: 404, nothing recorded.
    let r = reqwest::get(format!(
        "{}/wx/999999?signature=x&timestamp=1&nonce=1&echostr=x",
        app.base
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oa_all_three_modes_get_the_rule_reply_and_retries_are_stored_once() {
    let app = spawn_app().await;
    for (i, (mode, name)) in [
        (Mode::Plain, "plain"),
        (Mode::Compatible, "compatible"),
        (Mode::Safe, "safe"),
    ]
    .into_iter()
    .enumerate()
    {
        let admin = app.admin().await;
        let mut body = official_account(&format!("wx{:016}", i));
        body["message_mode"] = json!(name);
        body["app_id"] = json!(OA_APPID);
        // One OA per mode: the app id must be unique, so delete the previous one first.
        let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
        for a in list.as_array().unwrap() {
            admin.delete(&format!("/api/accounts/{}", a["id"])).await;
        }
        let id = json_of(
            admin.post("/api/accounts", &body).await,
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let rule = add_rule(&app, id, keyword_rule("hello", "Hi {openid}!")).await;

        let msg = text_msg("o_follower", "hello", &format!("1000{i}"));
        let ts = now().to_string();
        let (q, b) = oa_request(mode, &msg.to_xml(), &ts, "nonce1");
        let (status, resp) = post_wx(&app, id, &q, &b).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{name}: {}",
            last_delivery(&app, id).await.diagnosis.unwrap_or_default()
        );
        assert_eq!(
            resp.contains("<Encrypt>"),
            mode != Mode::Plain,
            "{name}: {resp}"
        );
        let reply = open_reply(&oa_crypt(), &resp);
        assert_eq!(reply_text(&reply), "Hi o_follower!", "{name}");
        assert_eq!(reply.to_user_name, "o_follower");
        assert_eq!(reply.from_user_name, OA_GH);

        // WeChat's retries: the same URL and body → the same reply, one stored message.
        for _ in 0..2 {
            let (status, again) = post_wx(&app, id, &q, &b).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                reply_text(&open_reply(&oa_crypt(), &again)),
                "Hi o_follower!"
            );
            assert!(last_delivery(&app, id).await.dedup_hit);
        }
        // Another retry signed afresh (new timestamp/nonce), same MsgId: still one message.
        let (q2, b2) = oa_request(mode, &msg.to_xml(), &now().to_string(), "nonce2");
        let (status, _) = post_wx(&app, id, &q2, &b2).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(inbound_count(&app, id).await, 1, "{name}");
        let outs = outbound_message::Entity::find()
            .filter(outbound_message::Column::AccountId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(outs.len(), 1, "{name}: one logged reply");
        assert_eq!(outs[0].channel, "passive");
        let r = reply_rule::Entity::find_by_id(rule)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.hit_count, 1, "{name}: retries never count twice");
        let stored = inbound_message::Entity::find()
            .filter(inbound_message::Column::AccountId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.content.as_deref(), Some("hello"));
        assert!(stored.raw_xml.contains("<MsgId>1000"));
        assert_eq!(stored.rule_id, Some(rule));
    }
}

#[tokio::test]
async fn wecom_app_messages_are_encrypted_both_ways() {
    let app = spawn_app().await;
    let id = create_work(&app).await;
    add_rule(&app, id, keyword_rule("ping", "pong")).await;
    let c = work_crypt();
    let msg = InboundMessage {
        header: Header {
            to_user_name: "wx5823bf96d3bd56c7".into(),
            from_user_name: "zhangsan".into(),
            create_time: now(),
            agent_id: Some(1000002),
        },
        kind: MessageKind::Text {
            content: "ping".into(),
            msg_id: Some("77".into()),
        },
        extra: Vec::new(),
    };
    let ts = now().to_string();
    let (body, sig) = c
        .encrypt_push(
            &msg.to_xml(),
            "wx5823bf96d3bd56c7",
            Some("1000002"),
            &ts,
            "wn",
        )
        .unwrap();
    let q = format!("msg_signature={sig}&timestamp={ts}&nonce=wn");
    let (status, resp) = post_wx(&app, id, &q, &body).await;
    assert_eq!(status, StatusCode::OK);
    assert!(resp.contains("<Encrypt>"));
    let reply = open_reply(&c, &resp);
    assert_eq!(reply_text(&reply), "pong");
    assert_eq!(reply.agent_id, Some(1000002));

    // A plain push to a WeCom app is refused.
    let sig = plain_signature("QDG6eK", &ts, "x");
    let (status, _) = post_wx(
        &app,
        id,
        &format!("signature={sig}&timestamp={ts}&nonce=x"),
        &msg.to_xml(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forged_stale_replayed_xxe_and_oversize_requests_are_rejected_and_diagnosed() {
    let app = spawn_app().await;
    let id = create_oa(&app, "compatible").await;
    let msg = text_msg("o_x", "hi", "555");
    let ts = now().to_string();

    // Forged: signed with another token.
    let forged = MsgCrypt::new(
        "wrongtoken",
        &EncodingAesKey::new(AES_KEY).unwrap(),
        OA_APPID,
    );
    let (body, ms) = forged
        .encrypt_push(&msg.to_xml(), OA_GH, None, &ts, "f1")
        .unwrap();
    let sig = plain_signature("wrongtoken", &ts, "f1");
    let (status, resp) = post_wx(
        &app,
        id,
        &format!("signature={sig}&timestamp={ts}&nonce=f1&encrypt_type=aes&msg_signature={ms}"),
        &body,
    )
    .await;
    assert_eq!((status, resp.as_str()), (StatusCode::FORBIDDEN, ""));
    let d = last_delivery(&app, id).await;
    assert_eq!(d.outcome.as_str(), "rejected");
    let diag = d.diagnosis.unwrap();
    assert!(
        diag.contains("msg_signature") && diag.contains("wrong Token"),
        "{diag}"
    );

    // Right token, wrong EncodingAESKey.
    let wrong_key = MsgCrypt::new(OA_TOKEN, &EncodingAesKey::random(), OA_APPID);
    let (body, ms) = wrong_key
        .encrypt_push(&msg.to_xml(), OA_GH, None, &ts, "k1")
        .unwrap();
    let sig = plain_signature(OA_TOKEN, &ts, "k1");
    let (status, _) = post_wx(
        &app,
        id,
        &format!("signature={sig}&timestamp={ts}&nonce=k1&encrypt_type=aes&msg_signature={ms}"),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("EncodingAESKey")
    );

    // Wrong AppID inside the ciphertext.
    let other_app = MsgCrypt::new(
        OA_TOKEN,
        &EncodingAesKey::new(AES_KEY).unwrap(),
        "wx0000000000000000",
    );
    let (body, ms) = other_app
        .encrypt_push(&msg.to_xml(), OA_GH, None, &ts, "a1")
        .unwrap();
    let sig = plain_signature(OA_TOKEN, &ts, "a1");
    let (status, _) = post_wx(
        &app,
        id,
        &format!("signature={sig}&timestamp={ts}&nonce=a1&encrypt_type=aes&msg_signature={ms}"),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("AppID")
    );

    // Stale: correctly signed, ten minutes old.
    let old = (now() - 600).to_string();
    let (q, b) = oa_request(Mode::Safe, &msg.to_xml(), &old, "s1");
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("stale timestamp")
    );

    // The rest sends plain pushes, which a compatible-mode account refuses: switch to plain.
    json_of(
        app.admin()
            .await
            .patch(
                &format!("/api/accounts/{id}"),
                &json!({"message_mode": "plain"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;

    // Replayed nonce: a captured plain signature reused for another body.
    let (q, b) = oa_request(Mode::Plain, &msg.to_xml(), &ts, "r1");
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::OK);
    let other = text_msg("o_x", "transfer all my money", "556");
    let (status, _) = post_wx(&app, id, &q, &other.to_xml()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("replayed nonce")
    );

    // XXE, plain and inside the ciphertext.
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><ToUserName>gh_7f083739789a</ToUserName><FromUserName>o_x</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>9</MsgId></xml>"#;
    let (q, _) = oa_request(Mode::Plain, "", &ts, "x1");
    let (status, _) = post_wx(&app, id, &q, xxe).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("XXE")
    );
    let (q, b) = oa_request(Mode::Safe, xxe, &ts, "x2");
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("XXE")
    );

    // Oversize.
    let big = format!("<xml>{}</xml>", "a".repeat(1024 * 1024 + 10));
    let (q, _) = oa_request(Mode::Plain, "", &ts, "b1");
    let (status, _) = post_wx(&app, id, &q, &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("too large")
    );

    // Only the one good message was stored.
    assert_eq!(inbound_count(&app, id).await, 1);
}

#[tokio::test]
async fn a_safe_mode_account_refuses_plain_pushes() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let (q, b) = oa_request(
        Mode::Plain,
        &text_msg("o", "hi", "1").to_xml(),
        &now().to_string(),
        "p",
    );
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("safe mode")
    );
}

/// WeChat always sends the encrypted part in compatible mode: a push signed with the Token
/// alone is a forgery by someone who knows the Token, not a WeChat request.
#[tokio::test]
async fn a_compatible_mode_account_refuses_plain_pushes() {
    let app = spawn_app().await;
    let id = create_oa(&app, "compatible").await;
    let (q, b) = oa_request(
        Mode::Plain,
        &text_msg("o", "hi", "1").to_xml(),
        &now().to_string(),
        "p",
    );
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        last_delivery(&app, id)
            .await
            .diagnosis
            .unwrap()
            .contains("compatible mode")
    );
    assert_eq!(inbound_count(&app, id).await, 0);

    // The same message as WeChat sends it in compatible mode is accepted.
    let (q, b) = oa_request(
        Mode::Compatible,
        &text_msg("o", "hi", "1").to_xml(),
        &now().to_string(),
        "c",
    );
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(inbound_count(&app, id).await, 1);
}

#[tokio::test]
async fn timestamp_window_zero_accepts_old_deliveries() {
    let app = spawn_app_with(|s| s.callback_timestamp_window_secs = 0).await;
    let id = create_oa(&app, "safe").await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o", "hi", "1").to_xml(),
        "1409735669",
        "p",
    );
    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!((status, resp.as_str()), (StatusCode::OK, "success"));
}

#[tokio::test]
async fn subscribe_by_scene_attributes_the_follower_and_fires_the_scene_rule() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    add_rule(
        &app,
        id,
        json!({
            "name": "welcome promo",
            "priority": 5,
            "triggers": [{"type": "subscribe", "scene": "promo42"}],
            "replies": [{"type": "text", "content": "Welcome from promo"}]
        }),
    )
    .await;
    add_rule(
        &app,
        id,
        json!({
            "name": "welcome",
            "triggers": [{"type": "subscribe"}],
            "replies": [{"type": "text", "content": "Welcome"}]
        }),
    )
    .await;
    let ev = event_msg(
        "o_new",
        Event::Subscribe {
            event_key: Some("qrscene_promo42".into()),
            ticket: Some("T".into()),
        },
    );
    let (q, b) = oa_request(Mode::Safe, &ev.to_xml(), &now().to_string(), "s");
    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        reply_text(&open_reply(&oa_crypt(), &resp)),
        "Welcome from promo"
    );
    let f = follower::Entity::find()
        .filter(follower::Column::AccountId.eq(id))
        .filter(follower::Column::Openid.eq("o_new"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(f.subscribed);
    assert_eq!(f.qr_scene.as_deref(), Some("promo42"));
    assert_eq!(f.subscribe_scene.as_deref(), Some("ADD_SCENE_QR_CODE"));
    assert!(f.subscribe_time.is_some());

    let ev = event_msg("o_new", Event::Unsubscribe);
    let (q, b) = oa_request(Mode::Safe, &ev.to_xml(), &now().to_string(), "u");
    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!((status, resp.as_str()), (StatusCode::OK, "success"));
    let f = follower::Entity::find_by_id(f.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!f.subscribed);
}

#[tokio::test]
async fn a_slow_reply_falls_back_to_success_and_the_async_path() {
    let app = spawn_app_with(|s| s.callback_reply_budget_ms = 0).await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "late answer")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o", "hello", "42").to_xml(),
        &now().to_string(),
        "p",
    );
    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!((status, resp.as_str()), (StatusCode::OK, "success"));
    assert_eq!(last_delivery(&app, id).await.reply_mode, "async");
    // The reply is recorded for asynchronous delivery (customer-service API) and counted once.
    let pending = queued_replies(&app, id).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].channel, "custom_service");
    assert_eq!(pending[0].content, "late answer");
    let r = reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.hit_count, 1);
}

#[tokio::test]
async fn a_thousand_concurrent_callbacks_are_each_stored_once() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    add_rule(&app, id, keyword_rule("hello", "hi")).await;
    let client = reqwest::Client::new();
    let ts = now().to_string();
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let (q, b) = oa_request(
            Mode::Safe,
            &text_msg(&format!("o_{}", i % 50), "hello", &format!("9{i:06}")).to_xml(),
            &ts,
            &format!("n{i}"),
        );
        let url = format!("{}/wx/{id}?{q}", app.base);
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            // Like WeChat: retry (same URL and body) until a 200 arrives.
            for _ in 0..4 {
                if let Ok(r) = client.post(&url).body(b.clone()).send().await
                    && r.status() == StatusCode::OK
                {
                    return r.text().await.unwrap();
                }
            }
            panic!("no 200 after 4 tries");
        }));
    }
    for t in tasks {
        let body = t.await.unwrap();
        assert_eq!(reply_text(&open_reply(&oa_crypt(), &body)), "hi");
    }
    assert_eq!(inbound_count(&app, id).await, 1000);
}

/// The account's outbound messages, once the first one is there (asynchronous replies are
/// queued by a task of their own; at most 5 s).
async fn queued_replies(app: &TestApp, id: i64) -> Vec<outbound_message::Model> {
    for _ in 0..100 {
        let rows = outbound_message::Entity::find()
            .filter(outbound_message::Column::AccountId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        if !rows.is_empty() {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Vec::new()
}

/// Holds the database's write lock on the message table (where the pipeline writes first for
/// an encrypted push) until the returned transaction ends, so that a callback stalls mid-way.
async fn hold_message_writes(app: &TestApp) -> sea_orm::DatabaseTransaction {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let txn = app.db.begin().await.unwrap();
    let sql = match backend() {
        // Any write statement takes SQLite's one write lock, even one that changes nothing.
        Backend::Sqlite => "DELETE FROM inbound_messages WHERE 1 = 0",
        Backend::Postgres => "LOCK TABLE inbound_messages IN EXCLUSIVE MODE",
        // A locking read of the whole table locks its gaps too: inserts wait.
        Backend::Mysql => "SELECT * FROM inbound_messages FOR UPDATE",
    };
    txn.execute_unprepared(sql).await.unwrap();
    txn
}

#[tokio::test]
async fn a_reply_ready_after_wechat_hung_up_goes_the_asynchronous_way() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "still here")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_gone", "hello", "77").to_xml(),
        &now().to_string(),
        "hangup",
    );

    // WeChat gives up while the message is stuck behind the lock (it waits 5 s; here 300 ms).
    let lock = hold_message_writes(&app).await;
    let impatient = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let sent = impatient
        .post(format!("{}/wx/{id}?{q}", app.base))
        .header("content-type", "text/xml")
        .body(b.clone())
        .send()
        .await;
    assert!(sent.is_err(), "the request should have timed out");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    lock.rollback().await.unwrap();

    // The message still goes through, and its reply takes the customer-service path instead
    // of a passive reply written to nobody.
    let pending = queued_replies(&app, id).await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].channel, "custom_service");
    assert_eq!(pending[0].content, "still here");
    // The delivery record is the pipeline's last write, after the reply was queued: wait for it
    // rather than race it (seen failing under load on MariaDB).
    let d = recorded_delivery(&app, id).await;
    assert_eq!(inbound_count(&app, id).await, 1);
    assert_eq!(d.reply_mode, "async");
    assert!(
        d.diagnosis
            .as_deref()
            .unwrap_or_default()
            .contains("hung up"),
        "{:?}",
        d.diagnosis
    );
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.reply_xml, None, "no passive reply was recorded");
    assert_eq!(stored.rule_id, Some(rule));

    // WeChat's retry is a duplicate: acknowledged, and the reply is not sent twice.
    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!((status, resp.as_str()), (StatusCode::OK, "success"));
    let outbound = outbound_message::Entity::find()
        .filter(outbound_message::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(outbound, 1);
}

#[tokio::test]
async fn fifty_forged_megabyte_callbacks_store_a_bounded_amount_and_still_show() {
    use sha2::Digest;
    let app = spawn_app().await;
    let id = create_oa(&app, "plain").await;
    let ts = now().to_string();
    let junk = format!("<xml>{}</xml>", "A".repeat(1_000_000 - 11));
    let len = junk.len();
    let hash = hex::encode(sha2::Sha256::digest(junk.as_bytes()));
    let client = reqwest::Client::new();
    for i in 0..50 {
        let r = client
            .post(format!(
                "{}/wx/{id}?signature=forged&timestamp={ts}&nonce=j{i}",
                app.base
            ))
            .header("content-type", "text/xml")
            .body(junk.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let rows = callback_delivery::Entity::find()
        .filter(callback_delivery::Column::AccountId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 50, "every rejection is counted");
    let stored: usize = rows.iter().map(|d| d.body.len()).sum();
    let bound =
        wxportal::util::REJECTED_BODIES_PER_MINUTE as usize * wxportal::util::REJECTED_BODY_KEEP;
    assert!(stored <= bound, "{stored} bytes stored, at most {bound}");
    assert!(rows.iter().all(|d| junk.starts_with(&d.body)));

    // The inspector shows each rejection with the body's length and hash.
    let admin = app.admin().await;
    let list = json_of(
        admin
            .get(&format!("/api/accounts/{id}/deliveries?outcome=rejected"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 50);
    let diag = list["items"][0]["diagnosis"].as_str().unwrap();
    assert!(
        diag.contains("signature") && diag.contains(&len.to_string()) && diag.contains(&hash),
        "{diag}"
    );

    // An accepted delivery is stored whole, as before.
    let msg = text_msg("o_ok", "hello", "777").to_xml();
    let (q, body) = oa_request(Mode::Plain, &msg, &ts, "ok1");
    let (status, _) = post_wx(&app, id, &q, &body).await;
    assert_eq!(status, StatusCode::OK);
    let d = last_delivery(&app, id).await;
    assert_eq!(
        (d.outcome.as_str(), d.body.as_str()),
        ("accepted", body.as_str())
    );
}
