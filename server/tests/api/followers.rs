//! Followers, tags, legacy groups and drift against the in-process emulator (`--sandbox`).

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use wxportal::entities::{
    audit_log, follower, follower_bulk_job, follower_sync_lease, follower_tag,
};

use crate::helpers::{Backend, Client, TestApp, assert_error, backend, json_of, spawn_app_with};

pub(crate) struct Oa {
    pub(crate) app: TestApp,
    pub(crate) admin: Client,
    pub(crate) id: i64,
    appid: String,
}

/// A sandbox server and its demo Official Account (320 followers, tags 100–103).
pub(crate) async fn demo_oa() -> Oa {
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
    Oa {
        app,
        admin,
        id,
        appid,
    }
}

impl Oa {
    pub(crate) fn url(&self, p: &str) -> String {
        format!("/api/accounts/{}{p}", self.id)
    }

    /// The emulator's control API ("WeChat's own console").
    async fn sim(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/sandbox/_sim{path}", self.app.base);
        let c = crate::helpers::sim_http();
        let req = match method {
            "GET" => c.get(url),
            "DELETE" => c.delete(url),
            _ => c.post(url).json(&body.unwrap_or(json!({}))),
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn wx_state(&self) -> Value {
        self.sim("GET", &format!("/oa/{}", self.appid), None).await
    }

    async fn add_followers(&self, count: usize, tags: &[i64]) {
        self.sim(
            "POST",
            &format!("/oa/{}/followers", self.appid),
            Some(json!({"count": count, "tagid_list": tags})),
        )
        .await;
    }

    /// Subscribed followers at WeChat.
    async fn wx_subscribed(&self) -> usize {
        self.wx_state().await["followers"]
            .as_object()
            .unwrap()
            .values()
            .filter(|f| f["subscribed"] == true)
            .count()
    }

    /// Adds followers until WeChat has exactly 10,000 subscribed ones.
    async fn grow_to_ten_thousand(&self, tags: &[i64]) {
        let n = self.wx_subscribed().await;
        self.add_followers(10_000 - n, tags).await;
        assert_eq!(self.wx_subscribed().await, 10_000);
    }

    async fn fault(&self, spec: Value) {
        let mut spec = spec;
        spec["target"] = json!(self.appid);
        self.sim("POST", "/faults", Some(spec)).await;
    }

    async fn start_sync(&self) -> Value {
        json_of(
            self.admin
                .post(&self.url("/followers/sync"), &json!({}))
                .await,
            StatusCode::ACCEPTED,
        )
        .await
    }

    /// Polls the sync status until it satisfies `done`.
    async fn wait_sync(&self, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..6000 {
            let s = json_of(
                self.admin.get(&self.url("/followers/sync")).await,
                StatusCode::OK,
            )
            .await;
            if done(&s["job"]) {
                return s;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the sync never reached the expected state");
    }

    pub(crate) async fn sync(&self) -> Value {
        self.start_sync().await;
        self.wait_sync(|j| j["status"] != "running").await
    }

    /// Starts a bulk job (`path`: `/followers/tagging` or `/followers/move-group`): 202 with
    /// the job running.
    async fn start_bulk(&self, path: &str, body: Value) -> Value {
        let job = json_of(
            self.admin.post(&self.url(path), &body).await,
            StatusCode::ACCEPTED,
        )
        .await;
        assert_eq!(job["status"], "running", "{job}");
        job
    }

    /// Polls a bulk job until it satisfies `until`.
    async fn wait_bulk(&self, job_id: i64, until: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..3000 {
            let j = json_of(
                self.admin
                    .get(&self.url(&format!("/followers/bulk-jobs/{job_id}")))
                    .await,
                StatusCode::OK,
            )
            .await;
            if until(&j) {
                return j;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("bulk job {job_id} never reached the expected state");
    }

    /// Runs a bulk job to its end.
    async fn bulk(&self, path: &str, body: Value) -> Value {
        let job = self.start_bulk(path, body).await;
        self.wait_bulk(job["id"].as_i64().unwrap(), |j| j["status"] != "running")
            .await
    }

    async fn stored(&self) -> u64 {
        follower::Entity::find()
            .filter(follower::Column::AccountId.eq(self.id))
            .filter(follower::Column::Subscribed.eq(true))
            .count(&self.app.db)
            .await
            .unwrap()
    }

    /// Every subscribed follower of the emulator is stored with WeChat's tags and remark.
    async fn assert_same_as_wechat(&self) {
        let wx = self.wx_state().await;
        let followers = wx["followers"].as_object().unwrap();
        let subscribed: Vec<&Value> = followers
            .values()
            .filter(|f| f["subscribed"] == true)
            .collect();
        assert_eq!(self.stored().await, subscribed.len() as u64);
        let ours = follower::Entity::find()
            .filter(follower::Column::AccountId.eq(self.id))
            .all(&self.app.db)
            .await
            .unwrap();
        let ours: std::collections::HashMap<&str, &follower::Model> =
            ours.iter().map(|f| (f.openid.as_str(), f)).collect();
        for f in subscribed {
            let openid = f["openid"].as_str().unwrap();
            let o = ours
                .get(openid)
                .unwrap_or_else(|| panic!("{openid} missing"));
            assert!(o.subscribed);
            let mut tags: Vec<i64> = f["tagid_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_i64().unwrap())
                .collect();
            tags.sort();
            let ours_tags: Vec<i64> = serde_json::from_str(&o.tags).unwrap();
            assert_eq!(ours_tags, tags, "{openid}");
            let remark = f["remark"].as_str().unwrap();
            assert_eq!(o.remark.as_deref().unwrap_or(""), remark, "{openid}");
            assert_eq!(o.group_id, f["groupid"].as_i64());
        }
    }
}

fn wx_tags_of(wx: &Value, openid: &str) -> Vec<i64> {
    wx["followers"][openid]["tagid_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_full_sync_stores_ten_thousand_followers_with_their_tags() {
    let oa = demo_oa().await;
    oa.grow_to_ten_thousand(&[101]).await;
    let s = oa.sync().await;
    let job = &s["job"];
    assert_eq!(job["status"], "done", "{s}");
    assert_eq!(job["total"], 10_000);
    assert_eq!(job["stored"], 10_000);
    assert_eq!(job["resumed_from"], 0);
    // tags/get + groups/get + 2 × user/get (the second one ends the list) + 100 batchgets.
    assert_eq!(job["calls"], 104, "{s}");
    assert_eq!(s["subscribed"], 10_000);
    oa.assert_same_as_wechat().await;

    // The list filters on tag membership from WeChat.
    let wx = oa.wx_state().await;
    let with_101 = wx["followers"]
        .as_object()
        .unwrap()
        .values()
        .filter(|f| f["subscribed"] == true)
        .filter(|f| wx_tags_of(&wx, f["openid"].as_str().unwrap()).contains(&101))
        .count();
    let page = json_of(
        oa.admin.get(&oa.url("/followers?tag=101&per_page=5")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], with_101 as u64);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(
        page["items"][0]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == 101 && t["name"] == "新客户")
    );
    let tags = json_of(oa.admin.get(&oa.url("/tags")).await, StatusCode::OK).await;
    let t101 = tags["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 101)
        .unwrap();
    assert_eq!(t101["count"], with_101 as u64);
    assert_eq!(t101["wx_count"], with_101 as u64);

    // PostgreSQL: the sync leaves fresh planner statistics (ANALYZE sets `reltuples`; a table
    // never analyzed has -1), so its lookups by openid are planned for the table's real size.
    if backend() == Backend::Postgres {
        use sea_orm::ConnectionTrait;
        let row = oa
            .app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT reltuples::float8 FROM pg_class WHERE relname = 'followers'",
            ))
            .await
            .unwrap()
            .unwrap();
        let planned_rows: f64 = row.try_get_by_index(0).unwrap();
        assert!(planned_rows >= 9_000.0, "reltuples = {planned_rows}");
    }

    // A second sync finds everyone again and changes nothing.
    let s = oa.sync().await;
    assert_eq!(s["job"]["status"], "done");
    assert_eq!(s["job"]["stored"], 10_000);
    oa.assert_same_as_wechat().await;
}

#[tokio::test]
async fn an_interrupted_sync_resumes_from_its_checkpoint() {
    let oa = demo_oa().await;
    oa.grow_to_ten_thousand(&[102]).await;
    // Slow batch calls so the sync is still running when WeChat starts failing.
    oa.fault(json!({"kind": "latency", "latency_ms": 100, "path": "/user/info/batchget"}))
        .await;
    let first = oa.start_sync().await;
    oa.wait_sync(|j| j["stored"].as_i64().unwrap_or(0) >= 2000)
        .await;
    oa.fault(json!({"kind": "busy", "path": "/user/info/batchget"}))
        .await;
    let failed = oa.wait_sync(|j| j["status"] != "running").await;
    let job = &failed["job"];
    assert_eq!(job["status"], "failed", "{failed}");
    assert!(job["error"].as_str().unwrap().contains("-1"), "{failed}");
    let at = job["stored"].as_i64().unwrap();
    assert!((2000..10_000).contains(&at), "{failed}");
    assert!(job["retries"].as_i64().unwrap() >= 5, "{failed}");
    assert_eq!(oa.stored().await, at as u64);

    // WeChat recovers; the next start continues the same job from its checkpoint.
    oa.sim("DELETE", "/faults", None).await;
    let resumed = oa.start_sync().await;
    assert_eq!(resumed["id"], first["id"]);
    assert_eq!(resumed["resumed_from"], at);
    let done = oa.wait_sync(|j| j["status"] != "running").await;
    let job = &done["job"];
    assert_eq!(job["status"], "done", "{done}");
    assert_eq!(job["stored"], 10_000);
    oa.assert_same_as_wechat().await;
}

#[tokio::test]
async fn busy_and_quota_errors_are_retried_with_backoff() {
    let oa = demo_oa().await;
    oa.fault(json!({"kind": "quota", "path": "/user/info/batchget", "count": 2}))
        .await;
    oa.fault(json!({"kind": "busy", "path": "/cgi-bin/user/get", "count": 1}))
        .await;
    let s = oa.sync().await;
    let job = &s["job"];
    assert_eq!(job["status"], "done", "{s}");
    assert_eq!(job["retries"], 3, "{s}");
    assert_eq!(job["stored"], oa.wx_subscribed().await);
    oa.assert_same_as_wechat().await;
}

#[tokio::test]
async fn one_sync_per_account_across_instances() {
    let oa = demo_oa().await;
    // Another instance holds the account's lease.
    follower_sync_lease::Entity::insert(follower_sync_lease::ActiveModel {
        account_id: Set(oa.id),
        holder: Set("other-instance".into()),
        expires_at_ms: Set(i64::MAX / 2),
    })
    .exec(&oa.app.db)
    .await
    .unwrap();
    assert_error(
        oa.admin.post(&oa.url("/followers/sync"), &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(oa.stored().await, 0);
    // Once it expires (the other instance died), this one takes over.
    follower_sync_lease::Entity::update_many()
        .col_expr(
            follower_sync_lease::Column::ExpiresAtMs,
            sea_orm::sea_query::Expr::value(0i64),
        )
        .exec(&oa.app.db)
        .await
        .unwrap();
    let s = oa.sync().await;
    assert_eq!(s["job"]["status"], "done");
}

#[tokio::test]
async fn tagging_three_followers_changes_wechat() {
    let oa = demo_oa().await;
    oa.sync().await;
    let page = json_of(
        oa.admin.get(&oa.url("/followers?per_page=50")).await,
        StatusCode::OK,
    )
    .await;
    let three: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["tags"].as_array().unwrap().iter().any(|t| t["id"] == 103))
        .take(3)
        .map(|f| f["openid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(three.len(), 3);
    let job = oa
        .bulk(
            "/followers/tagging",
            json!({"tag_id": 103, "selection": {"by": "openids", "openids": three}}),
        )
        .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["kind"], "tag");
    assert_eq!(job["target_id"], 103);
    assert_eq!(
        (job["total"].as_u64(), job["done"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(job["calls"], 1);
    assert_eq!(job["started_by"], "admin");
    assert!(job["finished_at"].is_string(), "{job}");
    let wx = oa.wx_state().await;
    for o in &three {
        assert!(wx_tags_of(&wx, o).contains(&103), "{o}");
    }
    let tagged = json_of(
        oa.admin
            .get(&oa.url("/followers?tag=103&per_page=200"))
            .await,
        StatusCode::OK,
    )
    .await;
    for o in &three {
        assert!(
            tagged["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["openid"] == o.as_str())
        );
    }

    // Untag everyone matching a filter (tag 103), in batches of 50.
    let n = tagged["total"].as_u64().unwrap();
    let job = oa
        .bulk(
            "/followers/tagging",
            json!({"tag_id": 103, "remove": true, "selection": {"by": "filter", "filter": {"tag": 103}}}),
        )
        .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["kind"], "untag");
    assert_eq!(job["total"], n);
    assert_eq!(job["done"], n);
    assert_eq!(job["calls"], n.div_ceil(50));
    let wx = oa.wx_state().await;
    // (Former followers keep their tags at WeChat; only followers can be untagged.)
    assert!(
        wx["followers"]
            .as_object()
            .unwrap()
            .values()
            .filter(|f| f["subscribed"] == true)
            .all(|f| !wx_tags_of(&wx, f["openid"].as_str().unwrap()).contains(&103))
    );
    oa.assert_same_as_wechat().await;
}

/// Subscribed followers carrying `tag_id`: at WeChat, and stored here.
async fn tagged_counts(oa: &Oa, tag_id: i64) -> (u64, u64) {
    let wx = oa.wx_state().await;
    let at_wechat = wx["followers"]
        .as_object()
        .unwrap()
        .values()
        .filter(|f| f["subscribed"] == true)
        .filter(|f| wx_tags_of(&wx, f["openid"].as_str().unwrap()).contains(&tag_id))
        .count() as u64;
    let stored = follower_tag::Entity::find()
        .filter(follower_tag::Column::AccountId.eq(oa.id))
        .filter(follower_tag::Column::TagId.eq(tag_id))
        .count(&oa.app.db)
        .await
        .unwrap();
    (at_wechat, stored)
}

async fn new_tag(oa: &Oa, name: &str) -> i64 {
    json_of(
        oa.admin
            .post(&oa.url("/tags"), &json!({"name": name}))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn audit_of(oa: &Oa, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .filter(audit_log::Column::TargetId.eq(oa.id))
        .all(&oa.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_tagging_job_over_a_filter_calls_wechat_once_per_fifty_followers() {
    let oa = demo_oa().await;
    oa.sync().await;
    let n = oa.stored().await;
    assert!(n > 50, "{n}");
    let tid = new_tag(&oa, "批量").await;

    let job = oa
        .bulk(
            "/followers/tagging",
            json!({"tag_id": tid, "selection": {"by": "filter", "filter": {"subscribed": true}}}),
        )
        .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["total"], n);
    assert_eq!(job["done"], n);
    assert_eq!(job["calls"], n.div_ceil(50));
    assert!(job["error"].is_null(), "{job}");
    assert_eq!(tagged_counts(&oa, tid).await, (n, n));
    oa.assert_same_as_wechat().await;
    let audited = audit_of(&oa, "tag.tag").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(
        audited[0].summary,
        format!("{n} followers tagged with tag {tid}")
    );

    // Viewers follow jobs but do not start them.
    let (viewer, _) = oa.app.signed_in("viewer9", api::staff::Role::Viewer).await;
    let jobs = json_of(
        viewer.get(&oa.url("/followers/bulk-jobs")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(jobs[0], job);
    assert_error(
        viewer
            .post(
                &oa.url("/followers/tagging"),
                &json!({"tag_id": tid, "selection": {"by": "filter", "filter": {}}}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        viewer
            .get(&oa.url(&format!(
                "/followers/bulk-jobs/{}",
                job["id"].as_i64().unwrap() + 1000
            )))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Bad input is refused before any job exists.
    assert_error(
        oa.admin
            .post(
                &oa.url("/followers/tagging"),
                &json!({"tag_id": tid, "selection": {"by": "openids", "openids": []}}),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_error(
        oa.admin
            .post(
                &oa.url("/followers/tagging"),
                &json!({"tag_id": 999_999, "selection": {"by": "filter", "filter": {}}}),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let jobs = json_of(
        oa.admin.get(&oa.url("/followers/bulk-jobs")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(jobs.as_array().unwrap().len(), 1);

    // A job whose server died midway (running, not updated for minutes) reads as interrupted.
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    follower_bulk_job::Entity::update_many()
        .col_expr(
            follower_bulk_job::Column::Status,
            sea_orm::sea_query::Expr::value("running"),
        )
        .col_expr(
            follower_bulk_job::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(long_ago),
        )
        .filter(follower_bulk_job::Column::AccountId.eq(oa.id))
        .exec(&oa.app.db)
        .await
        .unwrap();
    let stale = json_of(
        oa.admin
            .get(&oa.url(&format!("/followers/bulk-jobs/{}", job["id"])))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stale["status"], "failed", "{stale}");
    assert!(
        stale["error"].as_str().unwrap().starts_with("interrupted"),
        "{stale}"
    );
}

#[tokio::test]
async fn a_wechat_failure_midway_fails_the_job_and_keeps_the_batches_done() {
    let oa = demo_oa().await;
    oa.sync().await;
    let n = oa.stored().await;
    assert!(n > 150, "{n}");
    let tid = new_tag(&oa, "中途").await;
    // Slow tagging calls, so the job is still running when WeChat starts refusing.
    oa.fault(json!({"kind": "latency", "latency_ms": 150, "path": "/tags/members/batchtagging"}))
        .await;
    let started = oa
        .start_bulk(
            "/followers/tagging",
            json!({"tag_id": tid, "selection": {"by": "filter", "filter": {}}}),
        )
        .await;
    assert_eq!(started["total"], n);
    assert_eq!(started["done"], 0);
    let job_id = started["id"].as_i64().unwrap();
    // One job per account at a time.
    assert_error(
        oa.admin
            .post(
                &oa.url("/followers/tagging"),
                &json!({"tag_id": tid, "remove": true, "selection": {"by": "filter", "filter": {}}}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    oa.wait_bulk(job_id, |j| j["done"].as_u64().unwrap_or(0) >= 100)
        .await;
    oa.fault(json!({"kind": "ip_whitelist", "path": "/tags/members/batchtagging"}))
        .await;
    let job = oa.wait_bulk(job_id, |j| j["status"] != "running").await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap();
    assert!(error.contains("40164"), "{job}");
    let done = job["done"].as_u64().unwrap();
    assert!((100..n).contains(&done), "{job}");
    assert_eq!(done % 50, 0, "{job}");
    // The batches done, plus the refused one.
    assert_eq!(job["calls"], done / 50 + 1, "{job}");
    assert!(job["finished_at"].is_string(), "{job}");
    // What WeChat accepted is stored, nothing more.
    assert_eq!(tagged_counts(&oa, tid).await, (done, done));
    oa.assert_same_as_wechat().await;
    let audited = audit_of(&oa, "tag.tag").await;
    assert_eq!(audited.len(), 1);
    assert!(
        audited[0]
            .summary
            .contains("then failed: WeChat errcode 40164"),
        "{}",
        audited[0].summary
    );

    // WeChat recovers; running it again tags the rest.
    oa.sim("DELETE", "/faults", None).await;
    let again = oa
        .bulk(
            "/followers/tagging",
            json!({"tag_id": tid, "selection": {"by": "filter", "filter": {}}}),
        )
        .await;
    assert_eq!(again["status"], "done", "{again}");
    assert_eq!(tagged_counts(&oa, tid).await, (n, n));
}

#[tokio::test]
async fn tags_groups_and_remarks_are_pushed_to_wechat() {
    let oa = demo_oa().await;
    oa.sync().await;
    let t = json_of(
        oa.admin
            .post(&oa.url("/tags"), &json!({"name": "广东"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let tid = t["id"].as_i64().unwrap();
    assert_eq!(oa.wx_state().await["tags"][tid.to_string()]["name"], "广东");
    assert_eq!(
        oa.admin
            .patch(&oa.url(&format!("/tags/{tid}")), &json!({"name": "广州"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(oa.wx_state().await["tags"][tid.to_string()]["name"], "广州");
    // Over 30 bytes: refused before WeChat is asked.
    assert_error(
        oa.admin
            .post(&oa.url("/tags"), &json!({"name": "一二三四五六七八九十一"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(
        oa.admin
            .delete(&oa.url(&format!("/tags/{tid}")))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(oa.wx_state().await["tags"][tid.to_string()].is_null());

    // Legacy groups: create and move two followers.
    let g = json_of(
        oa.admin
            .post(&oa.url("/groups"), &json!({"name": "老朋友"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let gid = g["id"].as_i64().unwrap();
    let page = json_of(
        oa.admin.get(&oa.url("/followers?per_page=2")).await,
        StatusCode::OK,
    )
    .await;
    let two: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["openid"].as_str().unwrap().to_string())
        .collect();
    let job = oa
        .bulk(
            "/followers/move-group",
            json!({"group_id": gid, "selection": {"by": "openids", "openids": two}}),
        )
        .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["kind"], "move_group");
    assert_eq!(job["done"], 2);
    let wx = oa.wx_state().await;
    for o in &two {
        assert_eq!(wx["followers"][o]["groupid"], gid);
    }

    // Remark: WeChat first, then ours.
    let f = json_of(
        oa.admin
            .patch(
                &oa.url(&format!("/followers/{}", two[0])),
                &json!({"remark": "大客户"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["remark"], "大客户");
    assert_eq!(f["group"]["name"], "老朋友");
    assert_eq!(
        oa.wx_state().await["followers"][&two[0]]["remark"],
        "大客户"
    );
    oa.assert_same_as_wechat().await;
}

async fn drift(oa: &Oa) -> Vec<Value> {
    json_of(
        oa.admin.get(&oa.url("/followers/drift")).await,
        StatusCode::OK,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn resolve(oa: &Oa, item: &Value, winner: &str) {
    let r = oa
        .admin
        .post(
            &oa.url("/followers/drift/resolve"),
            &json!({"item": item, "winner": winner}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "{}",
        r.text().await.unwrap()
    );
}

#[tokio::test]
async fn drift_from_wechats_console_resolves_both_ways() {
    let oa = demo_oa().await;
    assert_error(
        oa.admin.get(&oa.url("/followers/drift")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    oa.sync().await;
    assert_eq!(drift(&oa).await, Vec::<Value>::new());

    // A tag made in WeChat's console: accept theirs.
    let t = oa
        .sim(
            "POST",
            &format!("/oa/{}/tags", oa.appid),
            Some(json!({"name": "控制台"})),
        )
        .await;
    let tid = t["id"].as_i64().unwrap();
    let items = drift(&oa).await;
    assert_eq!(
        items,
        vec![json!({"kind": "tag", "id": tid, "openid": null, "ours": null, "theirs": "控制台"})]
    );
    resolve(&oa, &items[0], "theirs").await;
    let tags = json_of(oa.admin.get(&oa.url("/tags")).await, StatusCode::OK).await;
    assert!(
        tags["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == tid && t["name"] == "控制台")
    );
    assert_eq!(drift(&oa).await, Vec::<Value>::new());

    // Another one: ours wins, so it is deleted at WeChat.
    let t2 = oa
        .sim(
            "POST",
            &format!("/oa/{}/tags", oa.appid),
            Some(json!({"name": "误建"})),
        )
        .await;
    let items = drift(&oa).await;
    assert_eq!(items.len(), 1);
    resolve(&oa, &items[0], "ours").await;
    assert!(oa.wx_state().await["tags"][t2["id"].to_string()].is_null());
    assert_eq!(drift(&oa).await, Vec::<Value>::new());

    // A follower tagged and remarked in the console.
    let page = json_of(
        oa.admin.get(&oa.url("/followers?per_page=1")).await,
        StatusCode::OK,
    )
    .await;
    let openid = page["items"][0]["openid"].as_str().unwrap().to_string();
    let mut tags = wx_tags_of(&oa.wx_state().await, &openid);
    tags.push(tid);
    oa.sim(
        "POST",
        &format!("/oa/{}/followers/{openid}", oa.appid),
        Some(json!({"tagid_list": tags})),
    )
    .await;
    let items = drift(&oa).await;
    assert_eq!(
        items,
        vec![
            json!({"kind": "member", "id": tid, "openid": openid, "ours": null, "theirs": "控制台"})
        ]
    );
    // Ours wins: untagged at WeChat.
    resolve(&oa, &items[0], "ours").await;
    assert!(!wx_tags_of(&oa.wx_state().await, &openid).contains(&tid));
    assert_eq!(drift(&oa).await, Vec::<Value>::new());

    // A remark differing on a follower that has one here: theirs wins.
    json_of(
        oa.admin
            .patch(
                &oa.url(&format!("/followers/{openid}")),
                &json!({"remark": "我们的"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    oa.sim(
        "POST",
        &format!("/oa/{}/followers/{openid}", oa.appid),
        Some(json!({"remark": "他们的"})),
    )
    .await;
    let items = drift(&oa).await;
    assert_eq!(
        items,
        vec![
            json!({"kind": "remark", "id": null, "openid": openid, "ours": "我们的", "theirs": "他们的"})
        ]
    );
    resolve(&oa, &items[0], "theirs").await;
    let f = json_of(
        oa.admin.get(&oa.url(&format!("/followers/{openid}"))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["remark"], "他们的");
    assert_eq!(drift(&oa).await, Vec::<Value>::new());
    oa.assert_same_as_wechat().await;
}

/// Breaks the latest sync job the way a stale checkpoint does in production: failed while
/// storing followers, its resume point an openid WeChat no longer lists (40003).
async fn fail_with_stale_checkpoint(oa: &Oa) -> i64 {
    use wxportal::entities::follower_sync_job as job;
    let latest = job::Entity::find()
        .filter(job::Column::AccountId.eq(oa.id))
        .all(&oa.app.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|j| j.id)
        .unwrap();
    let mut am: job::ActiveModel = latest.clone().into();
    am.status = Set(wxportal::entities::db_enum::DbEnum(
        api::followers::SyncStatus::Failed,
    ));
    am.phase = Set("followers".into());
    am.page_openid = Set("o_unsubscribed_since_the_checkpoint".into());
    am.page_offset = Set(0);
    am.error = Set(Some("WeChat errcode 40003".into()));
    sea_orm::ActiveModelTrait::update(am, &oa.app.db)
        .await
        .unwrap();
    latest.id
}

#[tokio::test]
async fn a_sync_whose_checkpoint_went_stale_restarts_the_listing_and_completes() {
    let oa = demo_oa().await;
    assert_eq!(oa.sync().await["job"]["status"], "done");
    let job_id = fail_with_stale_checkpoint(&oa).await;
    // A follower the portal still shows but WeChat no longer lists.
    let long_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
    follower::Entity::insert(follower::ActiveModel {
        account_id: Set(oa.id),
        openid: Set("o_left_while_nobody_synced".into()),
        subscribed: Set(true),
        tags: Set("[]".into()),
        created_at: Set(long_ago),
        updated_at: Set(long_ago),
        ..Default::default()
    })
    .exec(&oa.app.db)
    .await
    .unwrap();

    let resumed = oa.start_sync().await;
    assert_eq!(resumed["id"], job_id);
    let done = oa.wait_sync(|j| j["status"] != "running").await;
    assert_eq!(done["job"]["status"], "done", "{done}");
    assert_eq!(done["job"]["stored"], oa.wx_subscribed().await as i64);

    let gone = follower::Entity::find()
        .filter(follower::Column::AccountId.eq(oa.id))
        .filter(follower::Column::Openid.eq("o_left_while_nobody_synced"))
        .one(&oa.app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !gone.subscribed,
        "a follower WeChat no longer lists stays subscribed"
    );
    let subscribed = follower::Entity::find()
        .filter(follower::Column::AccountId.eq(oa.id))
        .filter(follower::Column::Subscribed.eq(true))
        .count(&oa.app.db)
        .await
        .unwrap();
    assert_eq!(subscribed, oa.wx_subscribed().await as u64);
    oa.assert_same_as_wechat().await;
}

#[tokio::test]
async fn a_fresh_sync_abandons_the_failed_job_instead_of_resuming_it() {
    let oa = demo_oa().await;
    assert_eq!(oa.sync().await["job"]["status"], "done");
    let failed_id = fail_with_stale_checkpoint(&oa).await;

    let fresh = json_of(
        oa.admin
            .post(&oa.url("/followers/sync?fresh=true"), &json!({}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_ne!(fresh["id"], failed_id);
    assert_eq!(fresh["resumed_from"], 0);
    let done = oa.wait_sync(|j| j["status"] != "running").await;
    assert_eq!(done["job"]["status"], "done", "{done}");

    use wxportal::entities::follower_sync_job as job;
    let old = job::Entity::find_by_id(failed_id)
        .one(&oa.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.status.as_str(), "failed");
    assert!(old.error.unwrap().starts_with("abandoned"));
    assert!(old.finished_at.is_some());
}
