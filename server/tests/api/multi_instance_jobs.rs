//! Several instances on one database, continued: token refreshes, the outbound delivery worker
//! and the daily bill job. The second instance joins the first one's sandbox, so both talk to
//! one emulated WeChat as real instances talk to one WeChat: what the emulator issued or
//! received shows whether anything was done twice.

use std::sync::Arc;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::{
    entities::outbound_message, pay::entities::reconciliation, state::AppState,
    wechat_clients::Emulator,
};

use crate::helpers::{Client, TestApp, json_of, sim_http, spawn_app_with};

/// A second instance on `app`'s database that joins `app`'s sandbox; its client (signed in as
/// `admin`'s session: sessions live in the shared database) and its state.
pub(crate) async fn join(app: &TestApp, admin: &Client) -> (Client, AppState) {
    let mut settings = app.settings.clone();
    settings.bind = "127.0.0.1:0".parse().unwrap();
    let emulator = app.state.wechat.emulator_handle().expect("a sandbox app");
    let second = wxportal::Application::build_joining_sandbox(settings, emulator)
        .await
        .unwrap();
    let base = format!("http://{}", second.local_addr());
    let state = second.state().clone();
    tokio::spawn(second.run_until(std::future::pending()));
    let client = Client {
        http: admin.http.clone(),
        base,
    };
    (client, state)
}

fn emulator(app: &TestApp) -> Arc<Emulator> {
    app.state.wechat.emulator_handle().unwrap()
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

/// `n` concurrent requests, alternating between the two instances; every answer.
async fn both(
    a: &Client,
    b: &Client,
    n: usize,
    method: &'static str,
    path: String,
) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let c = if i % 2 == 0 { a.clone() } else { b.clone() };
            let path = path.clone();
            tokio::spawn(async move {
                let r = match method {
                    "GET" => c.get(&path).await,
                    _ => c.post(&path, &json!({})).await,
                };
                let status = r.status();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn all_ok(answers: &[(StatusCode, Value)]) {
    for (status, body) in answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        if body.get("ok").is_some() {
            assert_eq!(body["ok"], true, "{body}");
        }
    }
}

async fn fetches_today(c: &Client, id: i64) -> i64 {
    let r = json_of(
        c.post(&format!("/api/accounts/{id}/test-connection"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["cached"], true, "{r}");
    r["fetches_today"].as_i64().unwrap()
}

#[tokio::test]
async fn tokens_are_fetched_and_refreshed_once_across_two_instances() {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let (other, _) = join(&app, &admin).await;
    let sim = emulator(&app).sim.clone();

    for (kind, target_field, api_path) in [
        ("official_account", "app_id", "templates/industry"),
        ("work_app", "corp_id", "wecom/messages/usage"),
    ] {
        let (id, settings) = demo(&admin, kind).await;
        let target = settings[target_field].as_str().unwrap().to_string();

        // Cold start: twelve callers on two instances need the token at once; one fetch.
        let answers = both(
            &admin,
            &other,
            12,
            "POST",
            format!("/api/accounts/{id}/test-connection"),
        )
        .await;
        all_ok(&answers);
        assert_eq!(fetches_today(&other, id).await, 1, "{kind}: one fetch");

        // WeChat invalidates every token (another server reset the secret, say): each caller
        // gets 40001 and asks for a refresh; exactly one new token is issued.
        let issued = sim.with(|s| {
            s.tokens.revoke_target(&target);
            s.tokens.issued_for(&target)
        });
        let answers = both(
            &admin,
            &other,
            12,
            "GET",
            format!("/api/accounts/{id}/{api_path}"),
        )
        .await;
        all_ok(&answers);
        let after = sim.with(|s| s.tokens.issued_for(&target));
        assert_eq!(after - issued, 1, "{kind}: one refresh for both instances");
        assert_eq!(fetches_today(&admin, id).await, 2, "{kind}");
    }

    // The suite: its ticket arrives at instance A's callback; both instances then share one
    // suite token.
    let (suite, settings) = demo(&admin, "work_suite").await;
    let suite_id = settings["suite_id"].as_str().unwrap().to_string();
    let r = sim_http()
        .post(format!(
            "{}/sandbox/_sim/suites/{suite_id}/push_ticket",
            app.base
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let before = sim.with(|s| s.tokens.issued_for(&suite_id));
    let answers = both(
        &admin,
        &other,
        12,
        "POST",
        format!("/api/accounts/{suite}/test-connection"),
    )
    .await;
    all_ok(&answers);
    assert_eq!(sim.with(|s| s.tokens.issued_for(&suite_id)) - before, 1);
    assert_eq!(fetches_today(&other, suite).await, 1);
}

#[tokio::test]
async fn the_outbound_workers_of_two_instances_send_each_message_once() {
    // No time for passive replies: every rule reply goes out through the customer-service API.
    let app = spawn_app_with(|s| {
        s.sandbox = true;
        s.callback_reply_budget_ms = 0;
    })
    .await;
    let admin = app.admin().await;
    let (other, b_state) = join(&app, &admin).await;
    let (oa, settings) = demo(&admin, "official_account").await;
    let appid = settings["app_id"].as_str().unwrap().to_string();
    let followers = json_of(
        admin
            .get(&format!("/api/accounts/{oa}/sandbox/followers?page=1"))
            .await,
        StatusCode::OK,
    )
    .await;
    let openid = followers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    crate::callback::add_rule(
        &app,
        oa,
        crate::callback::keyword_rule("twice", "sent once"),
    )
    .await;

    // WeChat is busy for the first attempt of every reply: all of them wait for the workers.
    const N: usize = 30;
    let r = sim_http()
        .post(format!("{}/sandbox/_sim/faults", app.base))
        .json(&json!({"target": appid, "kind": "busy", "path": "/cgi-bin/message/custom/send", "count": N}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    for i in 0..N {
        let c = if i % 2 == 0 { &admin } else { &other };
        json_of(
            c.post(
                &format!("/api/accounts/{oa}/sandbox/act"),
                &json!({"type": "text", "subject": openid, "content": "twice"}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }

    // Both instances' workers (their loops run too) race for the due replies.
    let a_state = app.state.clone();
    let replies = || async {
        outbound_message::Entity::find()
            .filter(outbound_message::Column::AccountId.eq(oa))
            .all(&app.db)
            .await
            .unwrap()
    };
    for _ in 0..300 {
        let (x, y) = tokio::join!(
            wxportal::messages::delivery::deliver_due(&a_state),
            wxportal::messages::delivery::deliver_due(&b_state)
        );
        x.unwrap();
        y.unwrap();
        let rows = replies().await;
        if rows.len() == N && rows.iter().all(|r| r.status.as_str() == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let rows = replies().await;
    assert_eq!(rows.len(), N);
    for r in &rows {
        assert_eq!(r.status.as_str(), "sent", "{r:?}");
    }
    // N busy answers and N sends, however they fell: a message whose retry came before the
    // last message's first attempt met a second busy answer (slow machines), so the total is
    // what is exact. A claim taken twice would add attempts.
    let attempts: i32 = rows.iter().map(|r| r.attempts).sum();
    assert_eq!(
        attempts,
        2 * N as i32,
        "N failed attempts and N sends: {rows:?}"
    );
    let inbox: Value = sim_http()
        .get(format!(
            "{}/sandbox/_sim/oa/{appid}/followers/{openid}/inbox",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        inbox.to_string().matches("sent once").count(),
        N,
        "each reply reached the follower once: {inbox}"
    );
}

#[tokio::test]
async fn the_daily_bill_job_of_two_instances_reconciles_a_day_once() {
    let f = crate::pay_flow::start().await;
    let latte = f.product("Latte", 1800).await;
    let (_, a, a_code) = f.mode2(latte).await;
    let (_, b, b_code) = f.mode2(latte).await;
    f.pay(&a_code, &a).await;
    f.pay(&b_code, &b).await;
    // Today's bill exists once the emulated day is over; "tomorrow" at 10:30 Beijing time the
    // daily job of every instance wakes up for it.
    f.sim.advance(24 * 3600);
    let tomorrow = wxportal::pay::days::today()
        .next_day()
        .unwrap()
        .with_hms(10, 30, 0)
        .unwrap()
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap());
    let other = f.second_instance().await;
    let mut runs = Vec::new();
    for i in 0..8 {
        let state = if i % 2 == 0 {
            f.state.clone()
        } else {
            other.clone()
        };
        runs.push(tokio::spawn(async move {
            wxportal::pay::bills::daily_once_at(&state, tomorrow).await
        }));
    }
    let mut done = 0;
    for r in runs {
        done += r.await.unwrap().unwrap();
    }
    assert_eq!(done, 1, "one of eight passes reconciles the day");
    let reports = reconciliation::Entity::find()
        .filter(reconciliation::Column::AccountId.eq(f.merchant_id))
        .all(&f.db)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0].status.as_str(), "done", "{reports:?}");
    assert_eq!(reports[0].bill_rows, 2);
    assert_eq!(reports[0].mismatches, 0);
}
