//! Against the in-process emulator (`--sandbox`): rule replies in every OA mode and for WeCom,
//! asynchronous delivery (past the budget, 2nd+ replies, retries), WeChat's retries of one
//! message (stored and answered once), the message log,
//! conversations and staff replies, the inspector with replay, job events, contact changes,
//! suite tickets and pruning.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use wxportal::entities::{
    callback_delivery, callback_nonce, inbound_message, outbound_message, reply_rule,
    wechat_job_event, wecom_contact_change,
};

use crate::{
    callback::{
        Mode, add_rule, create_oa, create_work, keyword_rule, oa_request, post_wx, text_msg,
    },
    helpers::{Client, TestApp, assert_error, json_of, spawn_app, spawn_app_with},
};

async fn sandbox_app(budget_ms: u64) -> TestApp {
    spawn_app_with(|s| {
        s.sandbox = true;
        s.callback_reply_budget_ms = budget_ms;
    })
    .await
}

/// The demo account of `kind`: (id, settings).
async fn demo(admin: &Client, kind: &str) -> (i64, Value) {
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let a = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == kind)
        .unwrap_or_else(|| panic!("no demo {kind}"))
        .clone();
    (a["id"].as_i64().unwrap(), a["settings"].clone())
}

async fn subscribed_follower(admin: &Client, oa: i64, n: usize) -> String {
    let page = json_of(
        admin
            .get(&format!("/api/accounts/{oa}/sandbox/followers?page=1"))
            .await,
        StatusCode::OK,
    )
    .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["subscribed"] == true)
        .nth(n)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn act(admin: &Client, id: i64, body: Value) -> Value {
    json_of(
        admin
            .post(&format!("/api/accounts/{id}/sandbox/act"), &body)
            .await,
        StatusCode::OK,
    )
    .await
}

/// What the emulator recorded under `/sandbox/_sim/{path}`.
async fn sim_get(app: &TestApp, path: &str) -> Value {
    crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/{path}", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Polls `probe` until it yields (the asynchronous path runs in the background). Fails after
/// a generous number of tries; nothing is asserted about how long it took.
async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..600 {
        if let Some(v) = probe().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

fn custom_texts(inbox: &Value) -> Vec<String> {
    inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["source"] != "passive_reply" && i["msg_type"] == "text")
        .filter_map(|i| i["content"]["content"].as_str().map(str::to_string))
        .collect()
}

fn two_replies(keyword: &str) -> Value {
    json!({
        "name": format!("two {keyword}"),
        "triggers": [{"type": "keyword", "mode": "exact", "pattern": keyword}],
        "replies": [{"type": "text", "content": "first answer"}, {"type": "text", "content": "second answer for {openid}"}]
    })
}

async fn outbound_of(app: &TestApp, account: i64) -> Vec<outbound_message::Model> {
    outbound_message::Entity::find()
        .filter(outbound_message::Column::AccountId.eq(account))
        .order_by_asc(outbound_message::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_oa_mode_gets_the_rule_reply_and_the_follower_sees_it() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    for (i, mode) in ["plain", "compatible", "safe"].iter().enumerate() {
        let appid = format!("wx{:016}", 4242 + i);
        let mut body = crate::helpers::official_account(&appid);
        body["environment"] = json!("sandbox");
        body["message_mode"] = json!(mode);
        body["original_id"] = json!(format!("gh_mode{i}"));
        let id = json_of(
            admin.post("/api/accounts", &body).await,
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        add_rule(&app, id, keyword_rule("hi", &format!("hello in {mode}"))).await;
        // Syncs the account into the emulator and creates its followers.
        let openid = {
            act(&admin, id, json!({"type": "verify_url"})).await;
            subscribed_follower(&admin, id, 0).await
        };
        let r = act(
            &admin,
            id,
            json!({"type": "text", "subject": openid, "content": "hi"}),
        )
        .await;
        assert_eq!(r["outcome"], "replied", "{mode}: {r}");
        let seen: Vec<&Value> = r["seen"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["source"] == "passive_reply")
            .collect();
        assert_eq!(seen.len(), 1, "{mode}: {r}");
        assert!(
            seen[0]["text"]
                .as_str()
                .unwrap()
                .contains(&format!("hello in {mode}")),
            "{mode}: {r}"
        );
        // Stored once, with the reply.
        let stored = inbound_message::Entity::find()
            .filter(inbound_message::Column::AccountId.eq(id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1, "{mode}");
        assert!(
            stored[0]
                .reply_xml
                .as_deref()
                .unwrap()
                .contains(&format!("hello in {mode}"))
        );
    }
}

#[tokio::test]
async fn second_replies_go_through_the_customer_service_api_and_reach_the_follower() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    let (oa, settings) = demo(&admin, "official_account").await;
    let appid = settings["app_id"].as_str().unwrap().to_string();
    let openid = subscribed_follower(&admin, oa, 0).await;
    add_rule(&app, oa, two_replies("twice")).await;

    let r = act(
        &admin,
        oa,
        json!({"type": "text", "subject": openid, "content": "twice"}),
    )
    .await;
    assert_eq!(r["outcome"], "replied", "{r}");
    let path = format!("oa/{appid}/followers/{openid}/inbox");
    let texts = eventually("the second reply reaches the follower", || async {
        let t = custom_texts(&sim_get(&app, &path).await);
        (!t.is_empty()).then_some(t)
    })
    .await;
    assert_eq!(texts, vec![format!("second answer for {openid}")]);

    let out = eventually("the outbound row is marked sent", || async {
        let rows = outbound_of(&app, oa).await;
        rows.iter()
            .all(|r| r.status.as_str() == "sent")
            .then_some(rows)
    })
    .await;
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].channel, "passive");
    assert_eq!(out[1].channel, "custom_service");
    assert_eq!(out[1].attempts, 1);
    assert!(out[1].sent_at.is_some());
    assert!(out[1].body.contains("\"touser\""), "{}", out[1].body);
}

#[tokio::test]
async fn a_slow_rule_answers_success_and_the_reply_arrives_asynchronously() {
    // A zero budget: every reply takes the asynchronous path.
    let app = sandbox_app(0).await;
    let admin = app.admin().await;
    let (oa, settings) = demo(&admin, "official_account").await;
    let appid = settings["app_id"].as_str().unwrap().to_string();
    let openid = subscribed_follower(&admin, oa, 1).await;
    add_rule(&app, oa, keyword_rule("slow", "late but here")).await;

    let r = act(
        &admin,
        oa,
        json!({"type": "text", "subject": openid, "content": "slow"}),
    )
    .await;
    // The emulator got `success`: no passive reply.
    assert_ne!(r["outcome"], "replied", "{r}");
    let d = callback_delivery::Entity::find()
        .filter(callback_delivery::Column::AccountId.eq(oa))
        .filter(callback_delivery::Column::Method.eq("POST"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.reply_mode, "async");
    let path = format!("oa/{appid}/followers/{openid}/inbox");
    let texts = eventually("the async reply reaches the follower", || async {
        let t = custom_texts(&sim_get(&app, &path).await);
        (!t.is_empty()).then_some(t)
    })
    .await;
    assert_eq!(texts, vec!["late but here".to_string()]);
}

#[tokio::test]
async fn transient_wechat_errors_are_retried_with_backoff() {
    let app = sandbox_app(0).await;
    let admin = app.admin().await;
    let (oa, settings) = demo(&admin, "official_account").await;
    let appid = settings["app_id"].as_str().unwrap().to_string();
    let openid = subscribed_follower(&admin, oa, 2).await;
    add_rule(&app, oa, keyword_rule("busy", "after a retry")).await;
    // The emulator answers -1 (system busy) once on the customer-service API.
    let r = crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/faults", app.base))
        .json(&json!({"target": appid, "kind": "busy", "path": "/cgi-bin/message/custom/send", "count": 1}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    act(
        &admin,
        oa,
        json!({"type": "text", "subject": openid, "content": "busy"}),
    )
    .await;
    let row = eventually("the retry succeeds", || async {
        outbound_of(&app, oa)
            .await
            .into_iter()
            .find(|r| r.status.as_str() == "sent")
    })
    .await;
    assert_eq!(row.attempts, 2, "{row:?}");
    let path = format!("oa/{appid}/followers/{openid}/inbox");
    assert_eq!(
        custom_texts(&sim_get(&app, &path).await),
        vec!["after a retry".to_string()]
    );
}

#[tokio::test]
async fn wecom_members_get_passive_and_message_send_replies() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    let (work, settings) = demo(&admin, "work_app").await;
    let corpid = settings["corp_id"].as_str().unwrap().to_string();
    add_rule(&app, work, two_replies("twice")).await;
    let r = act(
        &admin,
        work,
        json!({"type": "text", "subject": "user01", "content": "twice"}),
    )
    .await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(
        r["seen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["source"] == "passive_reply"
                && s["text"].as_str().unwrap().contains("first answer")),
        "{r}"
    );
    let path = format!("work/{corpid}/members/user01/inbox");
    eventually("message/send reaches the member", || async {
        let inbox = sim_get(&app, &path).await;
        inbox
            .to_string()
            .contains("second answer for user01")
            .then_some(())
    })
    .await;
    let out = outbound_of(&app, work).await;
    assert_eq!(out[1].channel, "message_send");
    assert!(out[1].body.contains("\"agentid\""), "{}", out[1].body);

    // Staff answer a member through message/send (no 48-hour window for WeCom).
    let sent = json_of(
        admin
            .post(
                &format!("/api/accounts/{work}/messages/reply"),
                &json!({"to_user": "user01", "reply": {"type": "text", "content": "来自管理员"}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sent["channel"], "message_send", "{sent}");
    assert_eq!(sent["status"], "sent");
    let inbox = sim_get(&app, &path).await;
    assert!(inbox.to_string().contains("来自管理员"), "{inbox}");
    let conv = json_of(
        admin
            .get(&format!("/api/accounts/{work}/conversations/user01"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(conv["window_open"], true);
    assert!(conv["window_closes_at"].is_null(), "{conv}");
}

#[tokio::test]
async fn subscribe_by_scene_from_the_emulator_attributes_the_follower_and_fires_the_scene_rule() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    let (oa, _) = demo(&admin, "official_account").await;
    add_rule(
        &app,
        oa,
        json!({
            "name": "poster welcome",
            "triggers": [{"type": "subscribe", "scene": "poster-42"}],
            "replies": [{"type": "text", "content": "欢迎来自海报的你"}]
        }),
    )
    .await;
    let r = act(
        &admin,
        oa,
        json!({"type": "subscribe", "scene": "poster-42"}),
    )
    .await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(r["seen"].to_string().contains("欢迎来自海报的你"), "{r}");
    let openid = r["subject"].as_str().unwrap();
    let f = wxportal::entities::follower::Entity::find()
        .filter(wxportal::entities::follower::Column::AccountId.eq(oa))
        .filter(wxportal::entities::follower::Column::Openid.eq(openid))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(f.subscribed);
    assert_eq!(f.qr_scene.as_deref(), Some("poster-42"));
    assert!(f.subscribe_time.is_some());
}

#[tokio::test]
async fn message_log_conversations_and_staff_replies() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    let (oa, settings) = demo(&admin, "official_account").await;
    let appid = settings["app_id"].as_str().unwrap().to_string();
    let alice = subscribed_follower(&admin, oa, 0).await;
    let bob = subscribed_follower(&admin, oa, 1).await;
    add_rule(&app, oa, keyword_rule("价格", "100% 满意")).await;
    for (who, text) in [(&alice, "价格"), (&alice, "50%_off?"), (&bob, "hello BOB")] {
        act(
            &admin,
            oa,
            json!({"type": "text", "subject": who, "content": text}),
        )
        .await;
    }
    let base = format!("/api/accounts/{oa}/messages");
    let all = json_of(admin.get(&base).await, StatusCode::OK).await;
    assert_eq!(all["total"], 4, "{all}"); // three in, one passive reply out
    // Newest first.
    assert_eq!(all["items"][0]["summary"], "hello BOB", "{all}");

    // Full-text search: LIKE wildcards are literal, case-insensitive.
    let q = json_of(admin.get(&format!("{base}?q=50%25_")).await, StatusCode::OK).await;
    assert_eq!(q["total"], 1, "{q}");
    assert_eq!(q["items"][0]["summary"], "50%_off?");
    let q = json_of(admin.get(&format!("{base}?q=bob")).await, StatusCode::OK).await;
    assert_eq!(q["total"], 1, "{q}");
    let q = json_of(admin.get(&format!("{base}?q=%25")).await, StatusCode::OK).await;
    assert_eq!(q["total"], 2, "{q}"); // "50%_off?" and the reply "100% 满意"

    // Filters.
    let f = json_of(
        admin
            .get(&format!("{base}?user={alice}&direction=in"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["total"], 2, "{f}");
    let f = json_of(
        admin.get(&format!("{base}?direction=out")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["total"], 1, "{f}");
    assert_eq!(f["items"][0]["channel"], "passive");
    let today = OffsetDateTime::now_utc().date();
    let f = json_of(
        admin.get(&format!("{base}?from={today}&to={today}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["total"], 4, "{f}");
    let f = json_of(
        admin.get(&format!("{base}?to=2020-01-01")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["total"], 0, "{f}");
    assert_error(
        admin.get(&format!("{base}?from=yesterday")).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let paged = json_of(
        admin.get(&format!("{base}?per_page=3&page=2")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(paged["items"].as_array().unwrap().len(), 1, "{paged}");

    // Detail with the decrypted XML and the reply.
    let first_in = f_first_in(&admin, &base, &alice).await;
    let d = json_of(
        admin.get(&format!("{base}/{first_in}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        d["raw"]
            .as_str()
            .unwrap()
            .contains("<Content><![CDATA[价格]]></Content>"),
        "{d}"
    );
    assert!(
        d["reply_xml"].as_str().unwrap().contains("100% 满意"),
        "{d}"
    );
    assert_eq!(d["replies"][0]["channel"], "passive");
    // An image from a follower: its picture URL and media id for the preview.
    act(&admin, oa, json!({"type": "image", "subject": bob})).await;
    let img = json_of(
        admin
            .get(&format!("{base}?user={bob}&msg_type=image"))
            .await,
        StatusCode::OK,
    )
    .await;
    let img_id = img["items"][0]["id"].as_str().unwrap().to_string();
    let d = json_of(admin.get(&format!("{base}/{img_id}")).await, StatusCode::OK).await;
    assert!(
        d["media"]["pic_url"].as_str().unwrap().starts_with("http"),
        "{d}"
    );
    assert!(!d["media"]["media_id"].as_str().unwrap().is_empty(), "{d}");
    assert_error(
        admin.get(&format!("{base}/in-999999")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Conversations.
    let c = json_of(
        admin
            .get(&format!("/api/accounts/{oa}/conversations"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(c["total"], 2, "{c}");
    assert_eq!(c["items"][0]["user"], bob.as_str());
    assert_eq!(c["items"][1]["inbound_count"], 2);
    assert_eq!(c["items"][1]["window_open"], true);
    let conv = json_of(
        admin
            .get(&format!("/api/accounts/{oa}/conversations/{alice}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let msgs = conv["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 3, "{conv}");
    assert_eq!(msgs[0]["summary"], "价格"); // oldest first
    assert_eq!(msgs[1]["direction"], "out");

    // A staff reply reaches the follower through the customer-service API.
    let sent = json_of(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": alice, "reply": {"type": "text", "content": "我们来帮你"}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sent["status"], "sent", "{sent}");
    assert_eq!(sent["channel"], "custom_service");
    assert!(sent["staff_id"].is_i64());
    let inbox = sim_get(&app, &format!("oa/{appid}/followers/{alice}/inbox")).await;
    assert!(
        custom_texts(&inbox).contains(&"我们来帮你".to_string()),
        "{inbox}"
    );
    // News too.
    json_of(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": alice, "reply": {"type": "news", "article": {"title": "指南", "url": "https://example.com/a"}}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;

    // Validation, never-wrote and outside the window.
    assert_error(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": alice, "reply": {"type": "text", "content": " "}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_error(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": "o-never-wrote", "reply": {"type": "text", "content": "hi"}}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let bob_rows = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(oa))
        .filter(inbound_message::Column::FromUser.eq(bob.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    for m in bob_rows {
        let mut am: inbound_message::ActiveModel = m.into();
        am.received_at = Set(OffsetDateTime::now_utc() - time::Duration::hours(49));
        am.update(&app.db).await.unwrap();
    }
    let e = assert_error(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": bob, "reply": {"type": "text", "content": "too late"}}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        e["error"]["message"].as_str().unwrap().contains("48-hour"),
        "{e}"
    );

    // WeChat's own refusal is a 502 with the errcode, and the attempt is logged as failed:
    // the emulator closes the window for a follower who unsubscribed.
    act(&admin, oa, json!({"type": "unsubscribe", "subject": alice})).await;
    let e = assert_error(
        admin
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": alice, "reply": {"type": "text", "content": "still there?"}}),
            )
            .await,
        StatusCode::BAD_GATEWAY,
        "wechat",
    )
    .await;
    assert!(
        e["error"]["message"].as_str().unwrap().contains("45015"),
        "{e}"
    );
    let failed = outbound_of(&app, oa)
        .await
        .into_iter()
        .filter(|r| r.status.as_str() == "failed")
        .count();
    assert_eq!(failed, 1);

    // Viewers read but cannot reply.
    let (viewer, _) = app.signed_in("viewer1", api::staff::Role::Viewer).await;
    json_of(viewer.get(&base).await, StatusCode::OK).await;
    assert_error(
        viewer
            .post(
                &format!("{base}/reply"),
                &json!({"to_user": alice, "reply": {"type": "text", "content": "x"}}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

async fn f_first_in(admin: &Client, base: &str, user: &str) -> String {
    let f = json_of(
        admin.get(&format!("{base}?user={user}&direction=in")).await,
        StatusCode::OK,
    )
    .await;
    let items = f["items"].as_array().unwrap();
    items.last().unwrap()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_inspector_lists_deliveries_and_replays_without_double_counting() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("replay", "once")).await;
    let ts = OffsetDateTime::now_utc().unix_timestamp().to_string();
    let xml = text_msg("o-replay", "replay", "9001").to_xml();
    let (q, body) = oa_request(Mode::Safe, &xml, &ts, "n1");
    let (status, _) = post_wx(&app, id, &q, &body).await;
    assert_eq!(status, StatusCode::OK);
    // A forged one.
    let (status, _) = post_wx(
        &app,
        id,
        &q.replace("msg_signature=", "msg_signature=0"),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let list = json_of(
        admin.get(&format!("/api/accounts/{id}/deliveries")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 2, "{list}");
    let rejected = &list["items"][0];
    assert_eq!(rejected["outcome"], "rejected");
    assert!(
        rejected["diagnosis"]
            .as_str()
            .unwrap()
            .contains("signature"),
        "{rejected}"
    );
    let accepted = &list["items"][1];
    assert_eq!(accepted["outcome"], "accepted");
    assert_eq!(accepted["decrypted"], true);
    assert_eq!(accepted["reply_mode"], "passive");
    assert_eq!(accepted["budget_ms"], 5000);
    let only = json_of(
        admin
            .get(&format!("/api/accounts/{id}/deliveries?outcome=rejected"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only["total"], 1);

    let did = accepted["id"].as_i64().unwrap();
    let d = json_of(
        admin
            .get(&format!("/api/accounts/{id}/deliveries/{did}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        d["decrypted_xml"].as_str().unwrap().contains("replay"),
        "{d}"
    );
    assert!(d["reply_xml"].as_str().unwrap().contains("once"), "{d}");
    assert!(d["body"].as_str().unwrap().contains("<Encrypt>"));

    // Replay: recorded as a replay of it, a de-duplication hit; counts stay.
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{id}/deliveries/{did}/replay"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["summary"]["replay"], true, "{r}");
    assert_eq!(r["summary"]["replay_of"], did);
    assert_eq!(r["summary"]["dedup_hit"], true);
    assert_eq!(r["summary"]["outcome"], "duplicate");
    assert!(r["reply_xml"].as_str().unwrap().contains("once"));
    let hits = reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .hit_count;
    assert_eq!(hits, 1);
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    assert_eq!(outbound_of(&app, id).await.len(), 1);
    // A rejected delivery replays as rejected again (the signature is still wrong).
    let rid = rejected["id"].as_i64().unwrap();
    let r = json_of(
        admin
            .post(
                &format!("/api/accounts/{id}/deliveries/{rid}/replay"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["summary"]["outcome"], "rejected");

    // Viewers see, operators replay.
    let (viewer, _) = app.signed_in("viewer2", api::staff::Role::Viewer).await;
    json_of(
        viewer.get(&format!("/api/accounts/{id}/deliveries")).await,
        StatusCode::OK,
    )
    .await;
    assert_error(
        viewer
            .post(
                &format!("/api/accounts/{id}/deliveries/{did}/replay"),
                &json!({}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        admin
            .get(&format!("/api/accounts/{id}/deliveries/999999"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

fn event_xml(from: &str, event: &str, inner: &str) -> String {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    format!(
        "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>{inner}</xml>"
    )
}

#[tokio::test]
async fn job_finish_events_and_contact_changes_are_stored_and_old_records_pruned() {
    let app = spawn_app().await;
    let oa = create_oa(&app, "plain").await;
    let ts = OffsetDateTime::now_utc().unix_timestamp().to_string();
    for (n, xml) in [
        event_xml(
            "o1",
            "TEMPLATESENDJOBFINISH",
            "<MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>",
        ),
        event_xml(
            "o1",
            "MASSSENDJOBFINISH",
            "<MsgID>1000001625</MsgID><Status><![CDATA[send success]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>",
        ),
        event_xml(
            "o1",
            "PUBLISHJOBFINISH",
            "<PublishEventInfo><publish_id>2247483770</publish_id><publish_status>0</publish_status><article_id><![CDATA[b5O2OUs25HBxRceL7hfReg]]></article_id><article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/x]]></article_url></item></article_detail></PublishEventInfo>",
        ),
    ]
    .iter()
    .enumerate()
    {
        let (q, body) = oa_request(Mode::Plain, xml, &ts, &format!("job{n}"));
        let (status, _) = post_wx(&app, oa, &q, &body).await;
        assert_eq!(status, StatusCode::OK);
    }
    let jobs = wechat_job_event::Entity::find()
        .filter(wechat_job_event::Column::AccountId.eq(oa))
        .order_by_asc(wechat_job_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let got: Vec<(&str, &str, &str)> = jobs
        .iter()
        .map(|j| (j.job_kind.as_str(), j.job_id.as_str(), j.status.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("template", "200163836", "success"),
            ("mass", "1000001625", "send success"),
            ("publish", "2247483770", "0"),
        ]
    );
    assert!(
        jobs[1].detail.contains("\"sent_count\":75"),
        "{}",
        jobs[1].detail
    );
    assert!(
        jobs[2].detail.contains("https://mp.weixin.qq.com/s/x"),
        "{}",
        jobs[2].detail
    );

    // WeCom change_contact (encrypted, as WeCom sends it).
    let work = create_work(&app).await;
    let c = wechat::crypto::MsgCrypt::new(
        "QDG6eK",
        &wechat::types::EncodingAesKey::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap(),
        "wx5823bf96d3bd56c7",
    );
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let xml = format!(
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>create_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三]]></Name></xml>"
    );
    let (body, sig) = c
        .encrypt_push(&xml, "wx5823bf96d3bd56c7", Some("1000002"), &ts, "cc1")
        .unwrap();
    let (status, _) = post_wx(
        &app,
        work,
        &format!("msg_signature={sig}&timestamp={ts}&nonce=cc1"),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let changes = wecom_contact_change::Entity::find()
        .filter(wecom_contact_change::Column::AccountId.eq(work))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].change_type, "create_user");
    assert_eq!(changes[0].user_id.as_deref(), Some("zhangsan"));

    // Pruning: deliveries past the retention, nonces past twice the window.
    let old = OffsetDateTime::now_utc() - time::Duration::days(8);
    let first = callback_delivery::Entity::find()
        .filter(callback_delivery::Column::AccountId.eq(oa))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: callback_delivery::ActiveModel = first.into();
    am.received_at = Set(old);
    am.update(&app.db).await.unwrap();
    let nonce = callback_nonce::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: callback_nonce::ActiveModel = nonce.into();
    am.seen_at = Set(old);
    am.update(&app.db).await.unwrap();
    let before = callback_delivery::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let state = state_of(&app);
    let (nonces, deliveries) =
        wxportal::callback::retention::prune(&state, OffsetDateTime::now_utc())
            .await
            .unwrap();
    assert_eq!((nonces, deliveries), (1, 1));
    assert_eq!(
        callback_delivery::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        before - 1
    );
    // Messages are the log: never pruned.
    assert_eq!(
        inbound_message::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        4
    );
}

#[tokio::test]
async fn the_suite_ticket_push_is_stored_for_the_suite_client() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;
    let (suite, settings) = demo(&admin, "work_suite").await;
    let suite_id = settings["suite_id"].as_str().unwrap().to_string();
    // "Verify" on a suite pushes a suite_ticket to its instruction URL now.
    let r = act(&admin, suite, json!({"type": "verify_url"})).await;
    assert_eq!(r["http_status"], 200, "{r}");
    let d = callback_delivery::Entity::find()
        .filter(callback_delivery::Column::AccountId.eq(suite))
        .order_by_desc(callback_delivery::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.outcome.as_str(), "accepted", "{d:?}");
    assert!(
        d.diagnosis
            .as_deref()
            .unwrap()
            .contains("suite_ticket stored"),
        "{d:?}"
    );
    // In the database-backed token store that every instance shares, where the suite
    // client reads it.
    let key = format!(
        "sandbox/{}",
        wechat::token::TokenKey::suite_ticket(&suite_id).as_str()
    );
    let stored = wxportal::entities::wechat_token::Entity::find_by_id(key.clone())
        .one(&app.db)
        .await
        .unwrap();
    assert!(stored.is_some(), "no {key}");

    // The console's own action says what it is, and its result is the ticket taken.
    let before = stored.unwrap().ciphertext;
    let r = act(&admin, suite, json!({"type": "suite_ticket"})).await;
    assert_eq!(r["outcome"], "ticket_accepted", "{r}");
    assert_eq!(r["ok"], true, "{r}");
    let after = wxportal::entities::wechat_token::Entity::find_by_id(key)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .ciphertext;
    assert_ne!(before, after, "a fresh ticket replaces the stored one");
}

/// An `AppState` over the test app's database (for calling services directly).
fn state_of(app: &TestApp) -> wxportal::state::AppState {
    let vault = std::sync::Arc::new(app.vault.clone());
    wxportal::state::AppState {
        db: app.db.clone(),
        settings: std::sync::Arc::new(app.settings.clone()),
        vault: vault.clone(),
        passwords: app.passwords.clone(),
        wechat: wxportal::wechat_clients::WechatRuntime::new(app.db.clone(), vault, None),
        callbacks: Default::default(),
        writer: Default::default(),
        product_pages: Default::default(),
        subscribed_counts: Default::default(),
    }
}

/// Makes the emulator give up on the next `n` callback attempts to `target` (the portal
/// answers, WeChat has stopped waiting: the `callback_timeout` fault), so it retries.
async fn wechat_gives_up_on(app: &TestApp, target: &str, n: u32) {
    let r = crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/faults", app.base))
        .json(&json!({"target": target, "kind": "callback_timeout", "count": n}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

/// Checks one retried delivery end to end: the emulator really sent it `attempts` times
/// (the first `attempts - 1` given up on), the portal stored the message once, counted the
/// rule once, logged one reply, recorded the retries as de-duplication hits answered with the
/// same passive reply, and the follower/member saw the reply exactly once.
async fn assert_retried_once(
    app: &TestApp,
    account: i64,
    rule: i64,
    acted: &Value,
    sim_delivery: &Value,
    inbox_path: &str,
    reply_text: &str,
) {
    let admin = app.admin().await;
    // The emulator's delivery record: the same delivery, several attempts.
    let attempts = sim_delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{sim_delivery}");
    for a in &attempts[..2] {
        assert!(
            a["error"].as_str().unwrap_or("").starts_with("timeout"),
            "{sim_delivery}"
        );
    }
    assert_eq!(attempts[2]["status"], 200, "{sim_delivery}");
    assert!(attempts[2]["error"].is_null(), "{sim_delivery}");
    assert_eq!(sim_delivery["outcome"], "replied", "{sim_delivery}");
    assert_eq!(acted["outcome"], "replied", "{acted}");
    assert_eq!(acted["attempts"].as_array().unwrap().len(), 3, "{acted}");
    let message = sim_delivery["message"].as_str().unwrap();
    let msg_id = message
        .split("<MsgId>")
        .nth(1)
        .and_then(|s| s.split("</MsgId>").next())
        .unwrap_or_else(|| panic!("no MsgId in {message}"))
        .to_string();

    // Stored once for that MsgId, with the reply.
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account))
        .filter(inbound_message::Column::MsgId.eq(msg_id.clone()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "MsgId {msg_id}");
    let inbound = &stored[0];
    assert_eq!(inbound.rule_id, Some(rule));
    assert!(
        inbound.reply_xml.as_deref().unwrap().contains(reply_text),
        "{inbound:?}"
    );

    // The rule counted once; one reply logged.
    let hits = reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .hit_count;
    assert_eq!(hits, 1);
    let out: Vec<_> = outbound_of(app, account)
        .await
        .into_iter()
        .filter(|o| o.inbound_id == Some(inbound.id))
        .collect();
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].channel, "passive");

    // The inspector: the first attempt accepted, every retry a de-duplication hit answered
    // with the stored reply.
    let list = json_of(
        admin
            .get(&format!("/api/accounts/{account}/deliveries"))
            .await,
        StatusCode::OK,
    )
    .await;
    let ours: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["inbound_id"] == inbound.id)
        .collect();
    assert_eq!(ours.len(), 3, "{list}");
    let accepted: Vec<_> = ours.iter().filter(|d| d["dedup_hit"] == false).collect();
    assert_eq!(accepted.len(), 1, "{list}");
    assert_eq!(accepted[0]["outcome"], "accepted");
    assert_eq!(accepted[0]["reply_mode"], "passive");
    for d in ours.iter().filter(|d| d["dedup_hit"] == true) {
        assert_eq!(d["outcome"], "duplicate", "{d}");
        assert_eq!(d["reply_mode"], "passive", "{d}");
        assert_eq!(d["replay"], false, "{d}");
    }

    // What the follower / member saw: the reply exactly once (decrypted by the emulator).
    let inbox = sim_get(app, inbox_path).await;
    let seen = inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i.to_string().contains(reply_text))
        .count();
    assert_eq!(seen, 1, "{inbox}");
    assert_eq!(
        acted["seen"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["source"] == "passive_reply")
            .count(),
        1,
        "{acted}"
    );
}

/// The latest delivery the emulator recorded for `target` in `family`.
async fn last_sim_delivery(app: &TestApp, target: &str, family: &str) -> Value {
    let all = sim_get(app, &format!("deliveries?target={target}&family={family}")).await;
    all.as_array().unwrap().last().unwrap().clone()
}

#[tokio::test]
async fn wechat_retries_of_one_message_give_one_stored_message_and_one_reply() {
    let app = sandbox_app(4000).await;
    let admin = app.admin().await;

    // A safe-mode Official Account.
    let appid = "wx0000000000007e57";
    let mut body = crate::helpers::official_account(appid);
    body["environment"] = json!("sandbox");
    body["message_mode"] = json!("safe");
    body["original_id"] = json!("gh_retry");
    let oa = json_of(
        admin.post("/api/accounts", &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let rule = add_rule(&app, oa, keyword_rule("again", "只回复一次")).await;
    act(&admin, oa, json!({"type": "verify_url"})).await;
    let openid = subscribed_follower(&admin, oa, 0).await;
    wechat_gives_up_on(&app, appid, 2).await;
    let acted = act(
        &admin,
        oa,
        json!({"type": "text", "subject": openid, "content": "again"}),
    )
    .await;
    let d = last_sim_delivery(&app, appid, "oa").await;
    assert!(
        d["url"].as_str().unwrap().contains("encrypt_type=aes"),
        "{d}"
    );
    assert!(d["body"].as_str().unwrap().contains("<Encrypt>"), "{d}");
    assert!(!d["body"].as_str().unwrap().contains("again"), "{d}");
    assert_retried_once(
        &app,
        oa,
        rule,
        &acted,
        &d,
        &format!("oa/{appid}/followers/{openid}/inbox"),
        "只回复一次",
    )
    .await;

    // A WeCom app (always encrypted).
    let (work, settings) = demo(&admin, "work_app").await;
    let corpid = settings["corp_id"].as_str().unwrap().to_string();
    let rule = add_rule(&app, work, keyword_rule("again", "成员也只收到一次")).await;
    wechat_gives_up_on(&app, &corpid, 2).await;
    let acted = act(
        &admin,
        work,
        json!({"type": "text", "subject": "user01", "content": "again"}),
    )
    .await;
    let d = last_sim_delivery(&app, &corpid, "work").await;
    assert_retried_once(
        &app,
        work,
        rule,
        &acted,
        &d,
        &format!("work/{corpid}/members/user01/inbox"),
        "成员也只收到一次",
    )
    .await;
}
