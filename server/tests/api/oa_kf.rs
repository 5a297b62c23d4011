//! Customer-service accounts against the in-process emulator: the CRUD reaches WeChat, and a
//! staff reply sent as an account carries it to the follower and into the conversation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

struct Oa {
    app: TestApp,
    admin: Client,
    id: i64,
    appid: String,
}

async fn demo_oa() -> Oa {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        .expect("the demo OA")["id"]
        .as_i64()
        .unwrap();
    let full = json_of(
        admin.get(&format!("/api/accounts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let appid = full["settings"]["app_id"].as_str().unwrap().to_string();
    Oa {
        app,
        admin,
        id,
        appid,
    }
}

impl Oa {
    fn url(&self, p: &str) -> String {
        format!("/api/accounts/{}{p}", self.id)
    }

    /// The emulator's control API.
    async fn sim(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/sandbox/_sim{path}", self.app.base);
        let c = crate::helpers::sim_http();
        let req = match method {
            "GET" => c.get(url),
            _ => c.post(url).json(&body.unwrap_or(json!({}))),
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// The accounts as WeChat (the emulator) holds them.
    async fn at_wechat(&self) -> Vec<Value> {
        self.sim("GET", &format!("/oa/{}", self.appid), None).await["kf_accounts"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    async fn list(&self) -> Vec<Value> {
        json_of(self.admin.get(&self.url("/kf")).await, StatusCode::OK)
            .await
            .as_array()
            .unwrap()
            .clone()
    }
}

#[tokio::test]
async fn kf_accounts_are_managed_at_wechat() {
    let oa = demo_oa().await;
    assert!(oa.list().await.is_empty());
    let bad = assert_error(
        oa.admin
            .post(
                &oa.url("/kf"),
                &json!({"kf_account": "alice", "nickname": "小爱"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(bad["error"]["fields"][0]["code"], "kf_account_format");
    let created = json_of(
        oa.admin
            .post(
                &oa.url("/kf"),
                &json!({"kf_account": "alice@gzh_demo", "nickname": "小爱"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["nickname"], "小爱");
    assert_eq!(created["online"], false);
    let wx = oa.at_wechat().await;
    assert_eq!(wx.len(), 1);
    assert_eq!(wx[0]["kf_account"], "alice@gzh_demo");
    assert_eq!(wx[0]["kf_nick"], "小爱");
    // WeChat's refusal comes back as a WeChat error with its code.
    let dup = assert_error(
        oa.admin
            .post(
                &oa.url("/kf"),
                &json!({"kf_account": "alice@gzh_demo", "nickname": "again"}),
            )
            .await,
        StatusCode::BAD_GATEWAY,
        "wechat",
    )
    .await;
    assert!(
        dup["error"]["message"].as_str().unwrap().contains("65406"),
        "{dup}"
    );

    // Invite, the WeChat user accepts, goes online.
    let invited = json_of(
        oa.admin
            .post(
                &oa.url("/kf/alice@gzh_demo/invite"),
                &json!({"invite_wx": "alice_wx"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(invited["invite_wx"], "alice_wx");
    assert_eq!(invited["invite_status"], "waiting");
    oa.sim(
        "POST",
        &format!("/oa/{}/kf/accept", oa.appid),
        Some(json!({"kf_account": "alice@gzh_demo"})),
    )
    .await;
    oa.sim(
        "POST",
        &format!("/oa/{}/kf/status", oa.appid),
        Some(json!({"kf_account": "alice@gzh_demo", "status": 1})),
    )
    .await;
    let l = oa.list().await;
    assert_eq!(l[0]["bound_wx"], "alice_wx");
    assert_eq!(l[0]["online"], true);

    // Nickname and avatar.
    let renamed = json_of(
        oa.admin
            .patch(&oa.url("/kf/alice@gzh_demo"), &json!({"nickname": "爱爱"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["nickname"], "爱爱");
    assert_eq!(oa.at_wechat().await[0]["kf_nick"], "爱爱");
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n0000".to_vec()).file_name("me.png"),
    );
    let res = oa
        .admin
        .http
        .post(oa.admin.url(&oa.url("/kf/alice@gzh_demo/avatar")))
        .header("x-wxportal-upload", "1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let v = json_of(res, StatusCode::OK).await;
    assert_eq!(v["has_avatar"], true);
    assert!(
        oa.at_wechat().await[0]["kf_headimgurl"]
            .as_str()
            .unwrap()
            .starts_with("http://mmbiz.qpic.cn/")
    );

    // Viewers read, only operators change.
    let (viewer, _) = oa.app.signed_in("viewer1", api::staff::Role::Viewer).await;
    assert_eq!(viewer.get(&oa.url("/kf")).await.status(), StatusCode::OK);
    assert_eq!(
        viewer.delete(&oa.url("/kf/alice@gzh_demo")).await.status(),
        StatusCode::FORBIDDEN
    );

    let res = oa.admin.delete(&oa.url("/kf/alice@gzh_demo")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(oa.at_wechat().await.is_empty());
    assert!(oa.list().await.is_empty());
}

#[tokio::test]
async fn a_reply_sent_as_a_kf_account_carries_it() {
    let oa = demo_oa().await;
    json_of(
        oa.admin
            .post(
                &oa.url("/kf"),
                &json!({"kf_account": "bob@gzh_demo", "nickname": "小波"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    // A follower writes, opening the 48-hour window.
    let people = json_of(
        oa.admin.get(&oa.url("/sandbox/followers")).await,
        StatusCode::OK,
    )
    .await;
    let openid = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    json_of(
        oa.admin
            .post(
                &oa.url("/sandbox/act"),
                &json!({"type": "text", "subject": openid, "content": "在吗"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // An unknown account is refused before anything is sent.
    assert_error(
        oa.admin
            .post(
                &oa.url("/messages/reply"),
                &json!({"to_user": openid, "reply": {"type": "text", "content": "x"},
                        "kf_account": "ghost@gzh_demo"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let sent = json_of(
        oa.admin
            .post(
                &oa.url("/messages/reply"),
                &json!({"to_user": openid, "reply": {"type": "text", "content": "您好，我是小波"},
                        "kf_account": "bob@gzh_demo"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sent["kf_account"], "bob@gzh_demo");
    let inbox = oa
        .sim(
            "GET",
            &format!("/oa/{}/followers/{openid}/inbox", oa.appid),
            None,
        )
        .await;
    let last = inbox.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["source"], "custom");
    assert_eq!(last["kf_account"], "bob@gzh_demo");
    assert_eq!(last["content"]["content"], "您好，我是小波");
    // The conversation shows who replied.
    let conv = json_of(
        oa.admin
            .get(&oa.url(&format!("/conversations/{openid}")))
            .await,
        StatusCode::OK,
    )
    .await;
    let out = conv["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["direction"] == "out" && m["staff_id"].is_i64())
        .cloned()
        .unwrap();
    assert_eq!(out["kf_account"], "bob@gzh_demo", "{conv}");
}
