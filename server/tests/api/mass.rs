//! Mass sends (群发) against the in-process emulator (`--sandbox`): by tag into exactly the
//! tagged followers' inboxes, a retried send not doubled, MASSSENDJOBFINISH applied, quota.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use time::OffsetDateTime;
use wxportal::entities::mass_job;

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

pub struct Oa {
    pub app: TestApp,
    pub admin: Client,
    pub id: i64,
    pub appid: String,
}

/// A sandbox server and its demo Official Account, followers and tags synced.
pub async fn demo_oa() -> Oa {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let account = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        .cloned()
        .expect("the demo OA");
    let id = account["id"].as_i64().unwrap();
    let full = json_of(
        admin.get(&format!("/api/accounts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let appid = full["settings"]["app_id"].as_str().unwrap().to_string();
    let oa = Oa {
        app,
        admin,
        id,
        appid,
    };
    json_of(
        oa.admin.post(&oa.url("/followers/sync"), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    oa.wait(|| async {
        let s = json_of(
            oa.admin.get(&oa.url("/followers/sync")).await,
            StatusCode::OK,
        )
        .await;
        (s["job"]["status"] != "running").then_some(s)
    })
    .await;
    oa
}

impl Oa {
    pub fn url(&self, p: &str) -> String {
        format!("/api/accounts/{}{p}", self.id)
    }

    /// The emulator's control API.
    pub async fn sim(&self, method: &str, path: &str, body: Option<Value>) -> Value {
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

    pub async fn wx_state(&self) -> Value {
        self.sim("GET", &format!("/oa/{}", self.appid), None).await
    }

    /// Polls `f` until it answers something (10 s at most).
    pub async fn wait<T, F, Fut>(&self, f: F) -> T
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        for _ in 0..500 {
            if let Some(v) = f().await {
                return v;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("never reached the expected state");
    }

    async fn job(&self, id: i64) -> Value {
        json_of(
            self.admin.get(&self.url(&format!("/mass/{id}"))).await,
            StatusCode::OK,
        )
        .await
    }

    /// Advances WeChat's clock past the mass job's run and waits for the job to finish here.
    async fn finish(&self, id: i64) -> Value {
        self.sim("POST", "/clock/advance", Some(json!({"seconds": 31})))
            .await;
        self.wait(|| async {
            let j = self.job(id).await;
            (j["status"] != "submitted").then_some(j)
        })
        .await
    }

    /// Mass messages in each subscribed follower's inbox, by openid.
    async fn mass_inboxes(&self) -> Vec<(String, Vec<i64>, usize)> {
        let wx = self.wx_state().await;
        let mut out = Vec::new();
        for (openid, f) in wx["followers"].as_object().unwrap() {
            if f["subscribed"] != true {
                continue;
            }
            let tags: Vec<i64> = f["tagid_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_i64().unwrap())
                .collect();
            let inbox = self
                .sim(
                    "GET",
                    &format!("/oa/{}/followers/{openid}/inbox", self.appid),
                    None,
                )
                .await;
            let n = inbox
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["source"] == "mass")
                .count();
            out.push((openid.clone(), tags, n));
        }
        out
    }

    async fn wx_mass_count(&self) -> usize {
        self.wx_state().await["mass"]
            .as_object()
            .map_or(0, |m| m.len())
    }
}

fn text_to_tag(tag: i64, key: &str) -> Value {
    json!({
        "message": {"msgtype": "text", "content": "双十二会员专享"},
        "target": {"kind": "tag", "tag_id": tag},
        "request_key": key,
    })
}

#[tokio::test]
async fn a_mass_send_by_tag_reaches_exactly_the_tagged_followers() {
    let oa = demo_oa().await;
    let quota = json_of(oa.admin.get(&oa.url("/mass/quota")).await, StatusCode::OK).await;
    assert_eq!(
        (quota["limit"].as_u64(), quota["used"].as_u64()),
        (Some(4), Some(0))
    );
    let job = json_of(
        oa.admin
            .post(&oa.url("/mass"), &text_to_tag(101, "tag-101"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(job["status"], "submitted", "{job}");
    assert!(job["msg_id"].as_i64().is_some());
    let id = job["id"].as_i64().unwrap();
    // The same request again (a lost answer retried by the browser): the same job, no send.
    let again = json_of(
        oa.admin
            .post(&oa.url("/mass"), &text_to_tag(101, "tag-101"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again["id"], id);
    assert_eq!(oa.wx_mass_count().await, 1);
    // One mass send in flight per account.
    assert_error(
        oa.admin
            .post(&oa.url("/mass"), &text_to_tag(102, "tag-102"))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // The refused send left no audit entry: the one "mass.create" is the send that went out.
    let created = wxportal::entities::audit_log::Entity::find()
        .filter(wxportal::entities::audit_log::Column::Action.eq("mass.create"))
        .all(&oa.app.db)
        .await
        .unwrap();
    assert_eq!(created.len(), 1, "{created:?}");
    assert!(
        created[0].summary.contains(&format!("#{id} ")),
        "{created:?}"
    );
    let quota = json_of(oa.admin.get(&oa.url("/mass/quota")).await, StatusCode::OK).await;
    assert_eq!(
        (quota["used"].as_u64(), quota["in_flight"].as_i64()),
        (Some(1), Some(id))
    );

    let done = oa.finish(id).await;
    assert_eq!(done["status"], "sent", "{done}");
    assert_eq!(done["wechat_status"], "send success");
    let inboxes = oa.mass_inboxes().await;
    let tagged = inboxes.iter().filter(|(_, t, _)| t.contains(&101)).count();
    assert!(tagged > 0 && tagged < inboxes.len());
    for (openid, tags, n) in &inboxes {
        assert_eq!(*n, usize::from(tags.contains(&101)), "{openid} {tags:?}");
    }
    assert_eq!(done["total_count"].as_i64(), Some(tagged as i64));
    assert_eq!(done["sent_count"].as_i64(), Some(tagged as i64));
    assert_eq!(done["error_count"].as_i64(), Some(0));
    assert_eq!(done["copyright_check_state"].as_i64(), Some(1));
    // The finish freed the account for the next send.
    let quota = json_of(oa.admin.get(&oa.url("/mass/quota")).await, StatusCode::OK).await;
    assert!(quota["in_flight"].is_null(), "{quota}");
    json_of(
        oa.admin
            .post(&oa.url("/mass"), &text_to_tag(102, "tag-102"))
            .await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn a_send_retried_after_a_crash_is_not_doubled() {
    let oa = demo_oa().await;
    let job = json_of(
        oa.admin
            .post(&oa.url("/mass"), &text_to_tag(100, "crash"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = job["id"].as_i64().unwrap();
    assert_eq!(job["status"], "submitted");
    // As if the instance died after WeChat accepted the call and before it stored the answer:
    // the row is still `sending`, its claim run out.
    let past = OffsetDateTime::now_utc() - time::Duration::minutes(5);
    mass_job::Entity::update_many()
        .col_expr(mass_job::Column::Status, Expr::value("sending"))
        .col_expr(mass_job::Column::MsgId, Expr::value(None::<i64>))
        .col_expr(
            mass_job::Column::SubmittedAt,
            Expr::value(None::<OffsetDateTime>),
        )
        .col_expr(mass_job::Column::LeaseUntil, Expr::value(Some(past)))
        .filter(mass_job::Column::Id.eq(id))
        .exec(&oa.app.db)
        .await
        .unwrap();
    // The worker takes it over and sends it again with the same clientmsgid: WeChat says 45065.
    let resumed = oa
        .wait(|| async {
            let j = oa.job(id).await;
            (j["status"] == "submitted").then_some(j)
        })
        .await;
    assert_eq!(resumed["attempts"], 2, "{resumed}");
    assert!(
        resumed["error"].as_str().unwrap().contains("45065"),
        "{resumed}"
    );
    assert_eq!(oa.wx_mass_count().await, 1);
    // The finish still finds the job (the one in flight on the account) and nobody got it twice.
    let done = oa.finish(id).await;
    assert_eq!(done["status"], "sent", "{done}");
    assert!(done["msg_id"].as_i64().is_some());
    for (openid, tags, n) in oa.mass_inboxes().await {
        assert_eq!(n, usize::from(tags.contains(&100)), "{openid}");
    }
}

#[tokio::test]
async fn preview_quota_and_refusals() {
    let oa = demo_oa().await;
    let wx = oa.wx_state().await;
    let openid = wx["followers"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, f)| f["subscribed"] == true)
        .map(|(o, _)| o.clone())
        .unwrap();
    let r = oa
        .admin
        .post(
            &oa.url("/mass/preview"),
            &json!({"message": {"msgtype": "text", "content": "预览一下"}, "openid": openid}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let inbox = oa
        .sim(
            "GET",
            &format!("/oa/{}/followers/{openid}/inbox", oa.appid),
            None,
        )
        .await;
    assert!(inbox.to_string().contains("预览一下"), "{inbox}");
    // Empty text, unknown tag, one chosen follower: refused before WeChat is called.
    for body in [
        json!({"message": {"msgtype": "text", "content": " "}, "target": {"kind": "all"}}),
        json!({"message": {"msgtype": "text", "content": "x"}, "target": {"kind": "tag", "tag_id": 999}}),
        json!({"message": {"msgtype": "text", "content": "x"}, "target": {"kind": "followers", "selection": {"by": "openids", "openids": [openid]}}}),
        json!({"message": {"msgtype": "image", "media_id": "nope"}, "target": {"kind": "all"}}),
    ] {
        assert_error(
            oa.admin.post(&oa.url("/mass"), &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    }
    assert_eq!(oa.wx_mass_count().await, 0);
    // A subscription account: one a day. WeChat's 45028 fails the second send.
    oa.sim(
        "POST",
        &format!("/oa/{}", oa.appid),
        Some(json!({"account_type": "subscription_verified"})),
    )
    .await;
    let q = json_of(
        oa.admin
            .request(
                "PUT",
                &oa.url("/mass/settings"),
                Some(&json!({"account_type": "subscription"})),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (q["limit"].as_u64(), q["period"].as_str()),
        (Some(1), Some("day"))
    );
    let first = json_of(
        oa.admin
            .post(&oa.url("/mass"), &json!({"message": {"msgtype": "text", "content": "一"}, "target": {"kind": "all"}}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let done = oa.finish(first["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "sent");
    let q = json_of(oa.admin.get(&oa.url("/mass/quota")).await, StatusCode::OK).await;
    assert_eq!(q["remaining"], 0);
    let second = json_of(
        oa.admin
            .post(&oa.url("/mass"), &json!({"message": {"msgtype": "text", "content": "二"}, "target": {"kind": "all"}}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (second["status"].as_str(), second["errcode"].as_i64()),
        (Some("failed"), Some(45028)),
        "{second}"
    );
}

#[tokio::test]
async fn a_scheduled_send_goes_out_when_due_and_can_be_cancelled_before() {
    let oa = demo_oa().await;
    let soon = OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let soon = soon
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut body = text_to_tag(101, "later");
    body["scheduled_at"] = json!(soon);
    let job = json_of(
        oa.admin.post(&oa.url("/mass"), &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(job["status"], "scheduled");
    let id = job["id"].as_i64().unwrap();
    let far = (OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut other = text_to_tag(102, "tomorrow");
    other["scheduled_at"] = json!(far);
    let other = json_of(
        oa.admin.post(&oa.url("/mass"), &other).await,
        StatusCode::CREATED,
    )
    .await;
    let cancelled = json_of(
        oa.admin
            .post(
                &oa.url(&format!("/mass/{}/cancel", other["id"])),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    let sent = oa
        .wait(|| async {
            let j = oa.job(id).await;
            (j["status"] == "submitted").then_some(j)
        })
        .await;
    assert_eq!(sent["attempts"], 1);
    assert_eq!(oa.wx_mass_count().await, 1);
    let n = mass_job::Entity::find()
        .filter(mass_job::Column::AccountId.eq(oa.id))
        .all(&oa.app.db)
        .await
        .unwrap()
        .len();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn the_send_speed_is_read_and_set_at_wechat() {
    let oa = demo_oa().await;
    let speed = json_of(oa.admin.get(&oa.url("/mass/speed")).await, StatusCode::OK).await;
    assert_eq!(
        (speed["speed"].as_u64(), speed["realspeed"].as_i64()),
        (Some(0), Some(80))
    );
    let r = oa
        .admin
        .request("PUT", &oa.url("/mass/speed"), Some(&json!({"speed": 3})))
        .await;
    let set = json_of(r, StatusCode::OK).await;
    assert_eq!(
        (set["speed"].as_u64(), set["realspeed"].as_i64()),
        (Some(3), Some(30))
    );
    // WeChat keeps it: the emulator's account and a fresh read agree.
    assert_eq!(oa.wx_state().await["mass_speed"], 3);
    let again = json_of(oa.admin.get(&oa.url("/mass/speed")).await, StatusCode::OK).await;
    assert_eq!(again["speed"], 3);
    // Outside 0–4: refused before WeChat is called.
    let r = oa
        .admin
        .request("PUT", &oa.url("/mass/speed"), Some(&json!({"speed": 5})))
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(oa.wx_state().await["mass_speed"], 3);
    let audited = wxportal::entities::audit_log::Entity::find()
        .filter(wxportal::entities::audit_log::Column::Action.eq("mass.speed"))
        .all(&oa.app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1, "{audited:?}");
}

#[tokio::test]
async fn a_video_is_sent_as_the_mass_video_uploadvideo_made_with_its_title() {
    let oa = demo_oa().await;
    // A permanent video material, uploaded through the portal.
    let mut form = reqwest::multipart::Form::new()
        .text("kind", "video")
        .text("title", "开业")
        .text("introduction", "素材简介");
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(b"\x00\x00\x00\x18ftypmp42 clip".to_vec())
            .file_name("clip.mp4"),
    );
    let r = oa
        .admin
        .http
        .post(oa.admin.url(&oa.url("/materials")))
        .header("x-wxportal-upload", "1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let material: Value = r.json().await.unwrap();
    let media_id = material["media_id"].as_str().unwrap().to_string();

    // A video needs the title followers see.
    assert_error(
        oa.admin
            .post(
                &oa.url("/mass"),
                &json!({"message": {"msgtype": "video", "media_id": media_id, "title": " "},
                        "target": {"kind": "tag", "tag_id": 101}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let job = json_of(
        oa.admin
            .post(
                &oa.url("/mass"),
                &json!({
                    "message": {"msgtype": "video", "media_id": media_id,
                                "title": "新店开业", "description": "三分钟看完"},
                    "target": {"kind": "tag", "tag_id": 101},
                    "request_key": "video-101",
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(job["status"], "submitted", "{job}");
    let id = job["id"].as_i64().unwrap();
    let done = oa.finish(id).await;
    assert_eq!(done["status"], "sent", "{done}");

    // WeChat got an mpvideo naming what uploadvideo made, not the material itself (which the
    // emulator refuses), and the tagged followers see the title and description.
    let wx = oa.wx_state().await;
    let sends: Vec<&Value> = wx["mass"].as_object().unwrap().values().collect();
    assert_eq!(sends.len(), 1, "{wx}");
    assert_eq!(sends[0]["msgtype"], "mpvideo");
    let sent_id = sends[0]["content"]["media_id"].as_str().unwrap();
    assert_ne!(sent_id, media_id);
    assert_eq!(wx["media"][sent_id]["kind"], "mass_video", "{wx}");
    assert_eq!(sends[0]["content"]["title"], "新店开业");
    assert_eq!(sends[0]["content"]["description"], "三分钟看完");
    let inboxes = oa.mass_inboxes().await;
    for (openid, tags, n) in &inboxes {
        assert_eq!(*n, usize::from(tags.contains(&101)), "{openid} {tags:?}");
    }

    // The preview goes the same way.
    let openid = inboxes
        .iter()
        .find(|(_, tags, _)| tags.contains(&101))
        .map(|(o, _, _)| o.clone())
        .unwrap();
    let r = oa
        .admin
        .post(
            &oa.url("/mass/preview"),
            &json!({"message": {"msgtype": "video", "media_id": media_id, "title": "预览视频"},
                    "openid": openid}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let inbox = oa
        .sim(
            "GET",
            &format!("/oa/{}/followers/{openid}/inbox", oa.appid),
            None,
        )
        .await;
    assert!(inbox.to_string().contains("预览视频"), "{inbox}");
}
