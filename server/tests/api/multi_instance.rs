//! Several instances on one database (the deployment behind a load balancer): WeChat's retries
//! of one message or notification land on different instances at once, and each is still
//! handled exactly once; what staff change on one instance applies on the other at once.
//!
//! Meaningful on PostgreSQL and MariaDB (`WXPORTAL_TEST_BACKEND`); on SQLite both instances share
//! the file, which proves the same logic with a coarser lock.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use wechat::pay::{NOTIFY_SUCCESS_REPLY, SignType};
use wxportal::entities::{inbound_message, outbound_message, reply_rule};

use crate::callback::{
    Mode, add_rule, create_oa, keyword_rule, now, oa_crypt, oa_request, open_reply, reply_text,
    text_msg,
};
use crate::helpers::{json_of, spawn_app};
use crate::pay::{API_KEY, insert_order, merchant, notify_fields, signed, transitions};

async fn post(base: &str, path: &str, body: String) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "text/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn retries_of_one_message_on_two_instances_are_handled_once_and_all_get_the_reply() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("hello", "once, {openid}")).await;
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_two", "hello", "8001").to_xml(),
        &now().to_string(),
        "n8001",
    );
    let path = format!("/wx/{id}?{q}");
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let base = if i % 2 == 0 {
                app.base.clone()
            } else {
                other.clone()
            };
            let (path, b) = (path.clone(), b.clone());
            tokio::spawn(async move { post(&base, &path, b).await })
        })
        .collect();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        // Not `success`: a copy that arrives while another is being handled waits for its reply.
        assert_eq!(reply_text(&open_reply(&oa_crypt(), &body)), "once, o_two");
    }
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let replies = outbound_message::Entity::find()
        .filter(outbound_message::Column::AccountId.eq(id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(replies, 1);
    let r = reply_rule::Entity::find_by_id(rule)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.hit_count, 1);
}

#[tokio::test]
async fn duplicate_pay_notifications_on_two_instances_make_one_transition() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let mid = merchant(&app).await;
    let no = "20261208000000444444444444444444";
    let oid = insert_order(&app, mid, no, "NOTPAY").await;
    let body = signed(notify_fields(no), API_KEY, SignType::HmacSha256);
    let path = format!("/pay/{mid}/notify");
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let base = if i % 2 == 0 {
                app.base.clone()
            } else {
                other.clone()
            };
            let (path, body) = (path.clone(), body.clone());
            tokio::spawn(async move { post(&base, &path, body).await })
        })
        .collect();
    for t in tasks {
        let (status, reply) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reply, NOTIFY_SUCCESS_REPLY);
    }
    assert_eq!(transitions(&app, oid).await.len(), 1);
}

#[tokio::test]
async fn a_rule_edited_on_one_instance_answers_on_the_other_at_once() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let id = create_oa(&app, "safe").await;
    let rule = add_rule(&app, id, keyword_rule("menu", "first text")).await;
    let ask = |n: u32| {
        let (q, b) = oa_request(
            Mode::Safe,
            &text_msg("o_edit", "menu", &format!("81{n:02}")).to_xml(),
            &now().to_string(),
            &format!("e{n}"),
        );
        let other = other.clone();
        async move {
            let (_, body) = post(&other, &format!("/wx/{id}?{q}"), b).await;
            reply_text(&open_reply(&oa_crypt(), &body))
        }
    };
    assert_eq!(ask(1).await, "first text");
    // Edited through instance A's API; instance B's very next message uses it (rules are read
    // per message from the shared database: the bound is zero).
    let admin = app.admin().await;
    let edited = keyword_rule("menu", "second text");
    json_of(
        admin
            .patch(&format!("/api/accounts/{id}/reply-rules/{rule}"), &edited)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ask(2).await, "second text");
}

#[tokio::test]
async fn a_token_replaced_on_one_instance_is_checked_on_the_other_at_once() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let id = create_oa(&app, "plain").await;
    let signed_with = |token: &str, n: u32| {
        let (ts, nonce) = (now().to_string(), format!("t{n}"));
        let sig = wechat::signature::plain_signature(token, &ts, &nonce);
        let q = format!("signature={sig}&timestamp={ts}&nonce={nonce}&openid=o_tok");
        (
            format!("/wx/{id}?{q}"),
            text_msg("o_tok", "hi", &format!("82{n:02}")).to_xml(),
        )
    };
    let (path, body) = signed_with("pamtest", 1);
    assert_eq!(post(&other, &path, body).await.0, StatusCode::OK);
    // The admin replaces the Token through instance A (the console's Token was changed);
    // instance B checks the next push against the new one (account settings are read per
    // request from the shared database: the bound is zero).
    let admin = app.admin().await;
    json_of(
        admin
            .patch(
                &format!("/api/accounts/{id}"),
                &serde_json::json!({"token": "RotatedToken2026"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let (path, body) = signed_with("pamtest", 2);
    assert_eq!(post(&other, &path, body).await.0, StatusCode::FORBIDDEN);
    let (path, body) = signed_with("RotatedToken2026", 3);
    assert_eq!(post(&other, &path, body).await.0, StatusCode::OK);
}

#[tokio::test]
async fn rules_added_and_deleted_on_one_instance_apply_on_the_other_at_once() {
    // Each instance keeps the account's configuration and rules in memory
    // (`callback::config`); an edit on instance A moves the shared epoch, so instance B's next
    // message reloads them. Instance B has answered before each edit (its cache is warm).
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let id = create_oa(&app, "safe").await;
    let ask = |n: u32| {
        let (q, b) = oa_request(
            Mode::Safe,
            &text_msg("o_cache", "opening hours", &format!("83{n:02}")).to_xml(),
            &now().to_string(),
            &format!("c{n}"),
        );
        let other = other.clone();
        async move { post(&other, &format!("/wx/{id}?{q}"), b).await.1 }
    };
    assert_eq!(ask(1).await, "success", "no rule yet");
    // A global rule (no account of its own), added through instance A.
    let admin = app.admin().await;
    let mut rule = keyword_rule("opening hours", "9 to 5");
    rule["global"] = serde_json::json!(true);
    let rule = add_rule(&app, id, rule).await;
    assert_eq!(
        reply_text(&open_reply(&oa_crypt(), &ask(2).await)),
        "9 to 5"
    );
    admin
        .delete(&format!("/api/accounts/{id}/reply-rules/{rule}"))
        .await
        .error_for_status()
        .unwrap();
    assert_eq!(
        ask(3).await,
        "success",
        "the deleted rule no longer answers"
    );
}
