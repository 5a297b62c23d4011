//! WeCom app messages against the in-process emulator: who receives a send (asserted on the
//! emulator's inboxes), invalid receivers stored, splitting over 1000 members, the rate limit
//! refusing before WeChat is called, WeChat's refusals stored, retry and recall.

use api::staff::Role;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::entities::{wecom_message, wecom_message_part};

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

pub struct Work {
    pub app: TestApp,
    pub admin: Client,
    pub id: i64,
    pub corpid: String,
    pub agentid: i64,
}

pub async fn work_sandbox() -> Work {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let a = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "work_app")
        .expect("a sandbox work app")
        .clone();
    Work {
        corpid: a["settings"]["corp_id"].as_str().unwrap().to_string(),
        agentid: a["settings"]["agent_id"].as_i64().unwrap(),
        id: a["id"].as_i64().unwrap(),
        app,
        admin,
    }
}

impl Work {
    async fn sim(&self, path: &str) -> Value {
        crate::helpers::sim_http()
            .get(format!("{}/sandbox/_sim/{path}", self.app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// App messages in a member's inbox (as the emulator recorded them).
    pub async fn inbox(&self, userid: &str) -> Vec<Value> {
        let v = self
            .sim(&format!("work/{}/members/{userid}/inbox", self.corpid))
            .await;
        v.as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .filter(|i| i["source"] == "app_message")
            .cloned()
            .collect()
    }

    /// A contacts-secret call on the emulator's WeCom API (what the contacts admin does).
    pub async fn contacts_call(&self, path: &str, body: Value) -> Value {
        let corp = self.sim(&format!("work/{}", self.corpid)).await;
        let secret = corp["contacts_secret"].as_str().unwrap();
        let base = format!("{}/sandbox/qyapi.weixin.qq.com/cgi-bin", self.app.base);
        let tok: Value = reqwest::get(format!(
            "{base}/gettoken?corpid={}&corpsecret={secret}",
            self.corpid
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let tok = tok["access_token"].as_str().unwrap();
        reqwest::Client::new()
            .post(format!("{base}/{path}?access_token={tok}"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn send(&self, c: &Client, body: Value) -> reqwest::Response {
        c.post(&format!("/api/accounts/{}/wecom/messages", self.id), &body)
            .await
    }
}

fn text(recipients: Value, content: &str) -> Value {
    json!({"recipients": recipients, "content": {"msgtype": "text", "content": content}})
}

impl Work {
    /// Every member's userid, as the emulator holds them.
    pub async fn all_members(&self) -> Vec<String> {
        let corp = self.sim(&format!("work/{}", self.corpid)).await;
        match &corp["members"] {
            Value::Object(m) => m.keys().cloned().collect(),
            Value::Array(a) => a
                .iter()
                .map(|m| m["userid"].as_str().unwrap().to_string())
                .collect(),
            other => panic!("members: {other}"),
        }
    }
}

#[tokio::test]
async fn a_department_and_a_tag_reach_exactly_their_members_and_invalid_ones_are_stored() {
    let w = work_sandbox().await;
    // A department of its own (two members), and a tag on two members elsewhere.
    let r = w
        .contacts_call(
            "department/create",
            json!({"name": "值班部", "parentid": 1}),
        )
        .await;
    assert_eq!(r["errcode"], 0, "{r}");
    let dept = r["id"].as_i64().unwrap();
    for (i, userid) in ["duty01", "duty02"].iter().enumerate() {
        let r = w
            .contacts_call(
                "user/create",
                json!({"userid": userid, "name": format!("值班{i}"), "department": [dept],
                       "mobile": format!("1380000000{i}"), "email": format!("{userid}@example.com")}),
            )
            .await;
        assert_eq!(r["errcode"], 0, "{r}");
    }
    let others: Vec<String> = w
        .all_members()
        .await
        .into_iter()
        .filter(|u| !u.starts_with("duty"))
        .take(2)
        .collect();
    let tag = w
        .contacts_call("tag/create", json!({"tagname": "值班"}))
        .await["tagid"]
        .as_i64()
        .unwrap();
    let r = w
        .contacts_call("tag/addtagusers", json!({"tagid": tag, "userlist": others}))
        .await;
    assert_eq!(r["errcode"], 0, "{r}");
    let body = json!({
        "recipients": {"users": ["nobody"], "parties": [dept, 77777], "tags": [tag, 88]},
        "content": {"msgtype": "textcard", "title": "停机通知", "description": "今晚 22:00",
                    "url": "https://example.com/notice", "btntxt": "详情"},
        "options": {"safe": true},
    });
    let m = json_of(w.send(&w.admin, body).await, StatusCode::CREATED).await;
    assert_eq!(m["state"], "sent", "{m}");
    let part = &m["parts"][0];
    assert_eq!(part["invalid_users"], json!(["nobody"]));
    assert_eq!(part["invalid_parties"], json!(["77777"]));
    assert_eq!(part["invalid_tags"], json!(["88"]));
    assert_eq!(m["invalid_count"], 3);
    let msgid = part["msgid"].as_str().unwrap().to_string();
    let mut expected = vec!["duty01".to_string(), "duty02".to_string()];
    expected.extend(others.iter().cloned());
    let everyone = w.all_members().await;
    assert!(everyone.len() > expected.len());
    for u in everyone {
        let inbox = w.inbox(&u).await;
        if expected.contains(&u) {
            assert_eq!(inbox.len(), 1, "{u}: {inbox:?}");
            assert_eq!(inbox[0]["content"]["msgid"], msgid);
            assert_eq!(inbox[0]["msg_type"], "textcard");
            assert_eq!(inbox[0]["content"]["textcard"]["title"], "停机通知");
        } else {
            assert!(inbox.is_empty(), "{u} got {inbox:?}");
        }
    }
    // Stored: the send and its call with WeChat's answer.
    let row = wecom_message_part::Entity::find()
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "sent");
    assert_eq!(row.msgid.as_deref(), Some(msgid.as_str()));
    assert_eq!(row.invalid_party.as_deref(), Some("77777"));
    // The log lists it; a viewer reads it but cannot send.
    let (viewer, _) = w.app.signed_in("viewer", Role::Viewer).await;
    let page = json_of(
        viewer
            .get(&format!(
                "/api/accounts/{}/wecom/messages?state=sent&msgtype=textcard",
                w.id
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["summary"], "停机通知");
    assert_error(
        w.send(&viewer, text(json!({"users": ["user01"]}), "hi"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn over_1000_members_are_split_into_calls() {
    let w = work_sandbox().await;
    // WeCom answers 81013 for a call whose receivers are all invalid: each call has a member.
    let mut users = vec!["user01".to_string()];
    users.extend((0..999).map(|i| format!("ghost{i}")));
    users.push("user02".into());
    users.push("user02".into()); // duplicates are dropped
    let m = json_of(
        w.send(&w.admin, text(json!({"users": users}), "split"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "{m}");
    assert_eq!(
        parts[0]["recipients"]["users"].as_array().unwrap().len(),
        1000
    );
    assert_eq!(parts[1]["recipients"]["users"], json!(["user02"]));
    assert_eq!(parts[0]["state"], "sent", "{m}");
    assert_eq!(parts[1]["state"], "sent", "{m}");
    assert_ne!(parts[0]["msgid"], parts[1]["msgid"]);
    assert_eq!(parts[0]["invalid_users"].as_array().unwrap().len(), 999);
    assert_eq!(m["state"], "sent");
    assert_eq!(m["invalid_count"], 999);
    assert_eq!(w.inbox("user02").await.len(), 1);
    assert_eq!(w.inbox("user01").await.len(), 1);
}

#[tokio::test]
async fn a_send_over_the_member_rate_limit_is_refused_before_wechat() {
    let w = work_sandbox().await;
    for i in 0..30 {
        let r = w
            .send(
                &w.admin,
                text(json!({"users": ["user01"]}), &format!("m{i}")),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let body = assert_error(
        w.send(
            &w.admin,
            text(json!({"users": ["user03", "user01"]}), "one too many"),
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "wechat_rate_limit",
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("user01"),
        "{body}"
    );
    // WeChat was not called (user03 got nothing) and nothing was stored.
    assert!(w.inbox("user03").await.is_empty());
    assert_eq!(w.inbox("user01").await.len(), 30);
    let stored = wecom_message::Entity::find()
        .filter(wecom_message::Column::AccountId.eq(w.id))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(stored, 30);
    // Other members are not limited.
    let r = w
        .send(&w.admin, text(json!({"users": ["user03"]}), "fine"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_refused_send_is_stored_as_failed_and_can_be_retried() {
    let w = work_sandbox().await;
    let m = json_of(
        w.send(&w.admin, text(json!({"users": ["newcomer"]}), "welcome"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(m["state"], "failed", "{m}");
    assert_eq!(m["parts"][0]["errcode"], 81013);
    assert_eq!(m["can_retry"], true);
    assert_eq!(m["can_recall"], false);
    let id = m["id"].as_i64().unwrap();
    // The member joins; the retry reaches them.
    let r = w
        .contacts_call(
            "user/create",
            json!({"userid": "newcomer", "name": "新人", "email": "n@example.com"}),
        )
        .await;
    assert_eq!(r["errcode"], 0, "{r}");
    let m = json_of(
        w.admin
            .post(
                &format!("/api/accounts/{}/wecom/messages/{id}/retry", w.id),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(m["state"], "sent", "{m}");
    assert_eq!(m["parts"][0]["attempts"], 2);
    assert_eq!(w.inbox("newcomer").await.len(), 1);
    assert_error(
        w.admin
            .post(
                &format!("/api/accounts/{}/wecom/messages/{id}/retry", w.id),
                &json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn recall_removes_the_message_from_the_inboxes() {
    let w = work_sandbox().await;
    let m = json_of(
        w.send(
            &w.admin,
            text(json!({"users": ["user01", "user02"]}), "oops"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["can_recall"], true);
    assert_eq!(w.inbox("user01").await.len(), 1);
    let url = format!("/api/accounts/{}/wecom/messages/{id}/recall", w.id);
    let m = json_of(w.admin.post(&url, &json!({})).await, StatusCode::OK).await;
    assert_eq!(m["state"], "recalled", "{m}");
    assert!(m["parts"][0]["recalled_at"].is_string());
    assert!(w.inbox("user01").await.is_empty());
    assert!(w.inbox("user02").await.is_empty());
    assert_error(
        w.admin.post(&url, &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn invalid_compose_forms_are_refused_with_field_issues() {
    let w = work_sandbox().await;
    let long = "长".repeat(700);
    let body = assert_error(
        w.send(&w.admin, text(json!({}), &long)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["recipients", "content.content"], "{body}");
    assert_eq!(
        wecom_message::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        0
    );
}
