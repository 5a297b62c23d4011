//! Crash safety of the callback pipeline: a message stored but never handled (the process died
//! in between) is answered by WeChat's retry or by the sweeper, exactly once, and a retry while
//! the first copy is being handled waits for its reply.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use time::OffsetDateTime;
use wxportal::entities::{inbound_message, outbound_message, reply_rule};

use crate::callback::{
    Mode, add_rule, create_oa, keyword_rule, now, oa_crypt, oa_request, open_reply, post_wx,
    reply_text, text_msg,
};
use crate::helpers::{TestApp, spawn_app};

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

async fn the_inbound(app: &TestApp, account: i64) -> inbound_message::Model {
    let rows = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one stored message");
    rows.into_iter().next().unwrap()
}

async fn outbound(app: &TestApp, account: i64) -> Vec<outbound_message::Model> {
    outbound_message::Entity::find()
        .filter(outbound_message::Column::AccountId.eq(account))
        .all(&app.db)
        .await
        .unwrap()
}

async fn hits(app: &TestApp, rule: i64) -> i64 {
    reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .hit_count
}

/// Puts the database back where a process that died right after storing the message left it:
/// stored, not dispatched, not handled, no reply, no outbound row, the rule not counted, and
/// the lease as given.
async fn as_if_crashed_after_store(
    app: &TestApp,
    account: i64,
    rule: i64,
    claimed_until: OffsetDateTime,
    received_at: Option<OffsetDateTime>,
) -> inbound_message::Model {
    let row = the_inbound(app, account).await;
    let mut am = row.clone().into_active_model();
    am.dispatched_at = Set(None);
    am.handled_at = Set(None);
    am.reply_xml = Set(None);
    am.rule_id = Set(None);
    am.claimed_until = Set(Some(claimed_until));
    if let Some(at) = received_at {
        am.received_at = Set(at);
    }
    am.update(&app.db).await.unwrap();
    outbound_message::Entity::delete_many()
        .filter(outbound_message::Column::AccountId.eq(account))
        .exec(&app.db)
        .await
        .unwrap();
    let mut r = reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    r.hit_count = Set(0);
    r.update(&app.db).await.unwrap();
    row
}

#[tokio::test]
async fn a_retry_of_a_message_stored_but_never_handled_gets_the_reply() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "Hi {openid}!")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_crash", "hello", "7001").to_xml(),
        &now().to_string(),
        "n7001",
    );
    let (status, _) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::OK);
    // The process dies after storing; its lease has run out by the time WeChat retries.
    let past = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    as_if_crashed_after_store(&app, id, rule, past, None).await;

    let (status, resp) = post_wx(&app, id, &q, &b).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply_text(&open_reply(&oa_crypt(), &resp)), "Hi o_crash!");
    let row = the_inbound(&app, id).await;
    assert!(row.handled_at.is_some() && row.dispatched_at.is_some());
    assert!(row.reply_xml.is_some());
    let out = outbound(&app, id).await;
    assert_eq!(out.len(), 1, "the reply sent has its outbound row");
    assert_eq!(
        (out[0].channel.as_str(), out[0].content.as_str()),
        ("passive", "Hi o_crash!")
    );
    assert_eq!(hits(&app, rule).await, 1);

    // Later retries get the same stored reply, and nothing more is recorded.
    let (_, again) = post_wx(&app, id, &q, &b).await;
    assert_eq!(reply_text(&open_reply(&oa_crypt(), &again)), "Hi o_crash!");
    assert_eq!(outbound(&app, id).await.len(), 1);
    assert_eq!(hits(&app, rule).await, 1);
}

#[tokio::test]
async fn a_retry_while_the_first_copy_is_being_handled_waits_for_its_reply() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "patience")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_wait", "hello", "7002").to_xml(),
        &now().to_string(),
        "n7002",
    );
    post_wx(&app, id, &q, &b).await;
    let done = the_inbound(&app, id).await;
    let reply_xml = done.reply_xml.clone().unwrap();
    // Another process holds a live lease on the message and records its reply a moment later.
    let future = OffsetDateTime::now_utc() + time::Duration::seconds(60);
    let row = as_if_crashed_after_store(&app, id, rule, future, None).await;
    let db = app.db.clone();
    let other = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let mut am = inbound_message::Entity::find_by_id(row.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        am.reply_xml = Set(Some(reply_xml));
        am.handled_at = Set(Some(OffsetDateTime::now_utc()));
        am.update(&db).await.unwrap();
    });

    let (status, resp) = post_wx(&app, id, &q, &b).await;
    other.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        resp, "success",
        "the retry waited for the first copy's reply"
    );
    assert_eq!(reply_text(&open_reply(&oa_crypt(), &resp)), "patience");
    // The retry did not handle the message itself: the lease holder did.
    assert!(outbound(&app, id).await.is_empty());
    assert_eq!(hits(&app, rule).await, 0);
}

#[tokio::test]
async fn messages_wechat_stopped_retrying_are_answered_by_the_sweeper_once() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "better late")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_sweep", "hello", "7003").to_xml(),
        &now().to_string(),
        "n7003",
    );
    post_wx(&app, id, &q, &b).await;
    let two_minutes_ago = OffsetDateTime::now_utc() - time::Duration::minutes(2);
    as_if_crashed_after_store(&app, id, rule, two_minutes_ago, Some(two_minutes_ago)).await;

    // Two instances sweep at once: the message is handled by one of them, once.
    let (a, b2) = (state_of(&app), state_of(&app));
    let (ra, rb) = tokio::join!(
        wxportal::callback::handling::sweep_unhandled(&a),
        wxportal::callback::handling::sweep_unhandled(&b2)
    );
    assert_eq!(ra.unwrap() + rb.unwrap(), 1);
    let out = outbound(&app, id).await;
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].channel, "custom_service");
    assert_eq!(out[0].content, "better late");
    assert_eq!(hits(&app, rule).await, 1);
    let row = the_inbound(&app, id).await;
    assert!(row.handled_at.is_some());
    // Nothing left to sweep.
    assert_eq!(
        wxportal::callback::handling::sweep_unhandled(&a)
            .await
            .unwrap(),
        0
    );
    assert_eq!(outbound(&app, id).await.len(), 1);
}

#[tokio::test]
async fn fresh_messages_are_left_to_wechat_retries_and_ancient_ones_get_no_reply() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "too late")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_old", "hello", "7004").to_xml(),
        &now().to_string(),
        "n7004",
    );
    post_wx(&app, id, &q, &b).await;
    let state = state_of(&app);
    // Just stored and unclaimed: WeChat's retries come first, the sweeper waits.
    let past = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    as_if_crashed_after_store(&app, id, rule, past, None).await;
    assert_eq!(
        wxportal::callback::handling::sweep_unhandled(&state)
            .await
            .unwrap(),
        0
    );
    // Three days old: WeChat would refuse a customer-service message; marked handled, no reply.
    let ancient = OffsetDateTime::now_utc() - time::Duration::days(3);
    as_if_crashed_after_store(&app, id, rule, past, Some(ancient)).await;
    assert_eq!(
        wxportal::callback::handling::sweep_unhandled(&state)
            .await
            .unwrap(),
        0
    );
    assert!(the_inbound(&app, id).await.handled_at.is_some());
    assert!(outbound(&app, id).await.is_empty());
}
