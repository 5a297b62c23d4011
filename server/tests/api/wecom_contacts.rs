//! WeCom contacts: the full sync mirrors the emulator's corp (on WeCom's post-2022 rules),
//! CRUD reaches the emulator and the mirror, a change made in WeCom's admin console arrives by
//! `change_contact` without a sync, and WeCom's refusals come back with their reasons.

use std::collections::BTreeMap;
use std::time::Duration;

use api::staff::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

pub(crate) struct Corp {
    pub(crate) app: TestApp,
    pub(crate) admin: Client,
    pub(crate) id: i64,
    pub(crate) corpid: String,
}

/// A sandbox server and its demo WeCom app (a post-2022 corp with a contacts secret).
pub(crate) async fn demo() -> Corp {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let a = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "work_app")
        .cloned()
        .expect("the demo WeCom app");
    Corp {
        id: a["id"].as_i64().unwrap(),
        corpid: a["settings"]["corp_id"].as_str().unwrap().to_string(),
        app,
        admin,
    }
}

impl Corp {
    pub(crate) fn url(&self, p: &str) -> String {
        format!("/api/accounts/{}/contacts{p}", self.id)
    }

    pub(crate) async fn get(&self, p: &str) -> Value {
        json_of(self.admin.get(&self.url(p)).await, StatusCode::OK).await
    }

    /// The emulator's control API ("WeCom's own servers and admin console").
    pub(crate) async fn sim(&self, method: &str, path: &str, body: Option<Value>) -> Value {
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

    pub(crate) async fn wx(&self) -> Value {
        self.sim("GET", &format!("/work/{}", self.corpid), None)
            .await
    }

    pub(crate) async fn sync(&self) -> Value {
        let r = json_of(
            self.admin.post(&self.url("/sync"), &json!({})).await,
            StatusCode::ACCEPTED,
        )
        .await;
        assert_eq!(r["status"], "running", "{r}");
        for _ in 0..300 {
            let s = self.get("/sync").await;
            if s["job"]["status"] != "running" {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the sync did not finish");
    }

    pub(crate) async fn member(&self, userid: &str) -> Option<Value> {
        let r = self
            .admin
            .get(&self.url(&format!("/members/{userid}")))
            .await;
        match r.status() {
            StatusCode::NOT_FOUND => None,
            _ => Some(json_of(r, StatusCode::OK).await),
        }
    }

    /// Waits (up to 5 s) until `check` holds for the member as mirrored.
    async fn wait_member(
        &self,
        userid: &str,
        check: impl Fn(Option<&Value>) -> bool,
    ) -> Option<Value> {
        for _ in 0..100 {
            let m = self.member(userid).await;
            if check(m.as_ref()) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("member {userid} never reached the expected state");
    }

    /// Asserts the mirror equals the emulator's corp: departments, members (departments,
    /// leader flags, main department, name, position, status; restricted contact fields),
    /// tags and their members.
    async fn assert_mirrors_wecom(&self) {
        let wx = self.wx().await;
        let depts = self.get("/departments").await;
        let ours: BTreeMap<i64, (String, i64, i64)> = depts["departments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_i64().unwrap(),
                    (
                        d["name"].as_str().unwrap().to_string(),
                        d["parent_id"].as_i64().unwrap(),
                        d["order"].as_i64().unwrap(),
                    ),
                )
            })
            .collect();
        let theirs: BTreeMap<i64, (String, i64, i64)> = wx["departments"]
            .as_object()
            .unwrap()
            .values()
            .map(|d| {
                (
                    d["id"].as_i64().unwrap(),
                    (
                        d["name"].as_str().unwrap().to_string(),
                        d["parentid"].as_i64().unwrap(),
                        d["order"].as_i64().unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(ours, theirs, "departments");

        let page = self.get("/members?per_page=200").await;
        let ours: BTreeMap<String, Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["userid"].as_str().unwrap().to_string(), m.clone()))
            .collect();
        let theirs = wx["members"].as_object().unwrap();
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "members"
        );
        for (u, m) in &ours {
            let w = &theirs[u];
            let depts: Vec<(i64, bool)> = m["departments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| (d["id"].as_i64().unwrap(), d["is_leader"].as_bool().unwrap()))
                .collect();
            let wdepts: Vec<(i64, bool)> = w["department"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    (
                        d.as_i64().unwrap(),
                        w["is_leader_in_dept"].get(i).and_then(Value::as_i64) == Some(1),
                    )
                })
                .collect();
            assert_eq!(depts, wdepts, "{u}: departments");
            assert_eq!(m["name"], w["name"], "{u}");
            assert_eq!(m["position"], w["position"], "{u}");
            assert_eq!(m["main_department"], w["main_department"], "{u}");
            let status = match w["status"].as_i64().unwrap() {
                1 => "active",
                2 => "disabled",
                5 => "quit",
                _ => "not_joined",
            };
            assert_eq!(m["status"], status, "{u}");
            // A post-2022 app does not see contact fields: unknown, not empty.
            assert_eq!(m["restricted"], true, "{u}");
            assert_eq!(m["mobile"], Value::Null, "{u}");
        }

        let tags = self.get("/tags").await;
        let ours: BTreeMap<i64, String> = tags["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_i64().unwrap(),
                    t["name"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let theirs: BTreeMap<i64, String> = wx["tags"]
            .as_object()
            .unwrap()
            .values()
            .map(|t| {
                (
                    t["tagid"].as_i64().unwrap(),
                    t["tagname"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(ours, theirs, "tags");
        for t in wx["tags"].as_object().unwrap().values() {
            let d = self.get(&format!("/tags/{}", t["tagid"])).await;
            let mut users: Vec<&str> = d["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["userid"].as_str().unwrap())
                .collect();
            let mut wusers: Vec<&str> = t["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap())
                .collect();
            users.sort();
            wusers.sort();
            assert_eq!(users, wusers, "tag {} users", t["tagid"]);
            assert_eq!(
                d["departments"], t["parties"],
                "tag {} departments",
                t["tagid"]
            );
        }
    }
}

#[tokio::test]
async fn a_full_sync_mirrors_a_post_2022_corp_exactly() {
    let c = demo().await;
    assert_eq!(c.wx().await["created_after_2022"], true);
    let before = c.get("/sync").await;
    assert_eq!(
        (before["members"].as_u64(), before["job"].is_null()),
        (Some(0), true)
    );
    let s = c.sync().await;
    let job = &s["job"];
    assert_eq!(job["status"], "succeeded", "{s}");
    assert_eq!(
        (job["failed"].as_i64(), job["members_total"].as_i64()),
        (Some(0), Some(50))
    );
    assert_eq!(job["members_done"], 50);
    assert_eq!(
        (
            s["departments"].as_u64(),
            s["members"].as_u64(),
            s["tags"].as_u64()
        ),
        (Some(11), Some(50), Some(3))
    );
    c.assert_mirrors_wecom().await;

    // A second run after changes in WeCom's console follows them (and removes what is gone).
    let corp = c.corpid.clone();
    c.sim(
        "POST",
        &format!("/work/{corp}/console/user/batchdelete"),
        Some(json!({"useridlist": ["user50"]})),
    )
    .await;
    c.sim(
        "POST",
        &format!("/work/{corp}/console/tag/create"),
        Some(json!({"tagname": "夜班", "tagid": 9})),
    )
    .await;
    let s = c.sync().await;
    assert_eq!(s["job"]["status"], "succeeded", "{s}");
    assert_eq!(s["members"], 49);
    c.assert_mirrors_wecom().await;

    // The department tree's member counts and the filters read the mirror.
    let tree = c.get("/departments").await;
    let count = |id: i64| {
        tree["departments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["member_count"]
            .as_u64()
            .unwrap()
    };
    assert!(count(2) > 0);
    let sub = c.get("/members?department=2&per_page=200").await;
    let direct = c.get("/members?department=7&per_page=200").await;
    assert!(sub["total"].as_u64().unwrap() > direct["total"].as_u64().unwrap());
    let found = c.get("/members?q=USER0").await;
    assert_eq!(found["total"], 9, "{found}");
    let not_joined = c.get("/members?status=not_joined").await;
    assert_eq!(not_joined["total"], 3, "{not_joined}");
    let tagged = c.get("/members?tag=2").await;
    assert_eq!(tagged["total"], 6);
}

#[tokio::test]
async fn a_failing_member_makes_the_sync_partial_with_its_reason() {
    let c = demo().await;
    let corp = c.corpid.clone();
    // Every user/get fails at WeCom (60020: the portal's IP is not trusted for the app).
    c.sim(
        "POST",
        "/faults",
        Some(json!({"target": corp, "kind": "ip_whitelist", "path": "/cgi-bin/user/get"})),
    )
    .await;
    let s = c.sync().await;
    let job = &s["job"];
    assert_eq!(job["status"], "partial", "{s}");
    assert_eq!(job["failed"], 50);
    assert_eq!(job["failures"][0]["kind"], "member");
    assert!(
        job["failures"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("60020"),
        "{job}"
    );
    // Nothing was stored for them, and a partial run is never reported as a success.
    assert_eq!(s["members"], 0);
}

#[tokio::test]
async fn crud_reaches_wecom_and_the_mirror() {
    let c = demo().await;
    let corp = c.corpid.clone();
    c.sync().await;
    let wx_dept = |wx: &Value, id: i64| wx["departments"][id.to_string()].clone();

    // Departments: create, rename, move, reorder.
    let d = json_of(
        c.admin
            .post(
                &c.url("/departments"),
                &json!({"name": "测试部", "parent_id": 2}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = d["id"].as_i64().unwrap();
    assert_eq!(wx_dept(&c.wx().await, id)["name"], "测试部");
    let d = json_of(
        c.admin
            .patch(
                &c.url(&format!("/departments/{id}")),
                &json!({"name": "质量部", "parent_id": 3, "order": 7}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            d["name"].as_str(),
            d["parent_id"].as_i64(),
            d["order"].as_i64()
        ),
        (Some("质量部"), Some(3), Some(7))
    );
    let w = wx_dept(&c.wx().await, id);
    assert_eq!(
        (w["name"].as_str(), w["parentid"].as_i64()),
        (Some("质量部"), Some(3))
    );
    // Bad names never reach WeCom.
    assert_error(
        c.admin
            .post(
                &c.url("/departments"),
                &json!({"name": "a|b", "parent_id": 2}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;

    // Members: WeCom's rules first, then create and edit.
    let bad = json!({"userid": "张三", "name": "", "departments": [], "main_department": 0});
    let e = assert_error(
        c.admin.post(&c.url("/members"), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["userid_format", "required", "mobile_or_email", "required"]
    );
    let m = json!({
        "userid": "qa.lead", "name": "质检组长", "mobile": "13911112222", "position": "组长",
        "gender": "2", "departments": [{"id": id, "is_leader": true}, {"id": 2, "is_leader": false}],
        "main_department": id,
    });
    let created = json_of(
        c.admin.post(&c.url("/members"), &m).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        created["departments"],
        json!([{"id": id, "is_leader": true}, {"id": 2, "is_leader": false}])
    );
    let w = &c.wx().await["members"]["qa.lead"];
    assert_eq!(
        (
            w["mobile"].as_str(),
            w["is_leader_in_dept"].clone(),
            w["main_department"].as_i64()
        ),
        (Some("13911112222"), json!([1, 0]), Some(id))
    );
    // The same userid again: WeCom's reason.
    let e = assert_error(
        c.admin.post(&c.url("/members"), &m).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        e["error"]["message"].as_str().unwrap().contains("60102"),
        "{e}"
    );
    // The errcode as a stable reason, so the SPA can say it in the UI language.
    assert_eq!(e["error"]["reason"], "errcode:60102");
    let mut edit = m.clone();
    edit["position"] = json!("经理");
    edit["departments"] = json!([{"id": id, "is_leader": false}]);
    let edited = json_of(
        c.admin
            .request("PUT", &c.url("/members/qa.lead"), Some(&edit))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            edited["position"].as_str(),
            edited["departments"].as_array().unwrap().len()
        ),
        (Some("经理"), 1)
    );
    assert_eq!(
        c.wx().await["members"]["qa.lead"]["department"],
        json!([id])
    );
    let disabled = json_of(
        c.admin
            .post(
                &c.url("/members/qa.lead/enabled"),
                &json!({"enabled": false}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (disabled["status"].as_str(), disabled["enabled"].as_bool()),
        (Some("disabled"), Some(false))
    );
    assert_eq!(c.wx().await["members"]["qa.lead"]["enable"], 0);

    // A department with a member cannot go: WeCom's reason.
    let e = assert_error(
        c.admin.delete(&c.url(&format!("/departments/{id}"))).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        e["error"]["message"].as_str().unwrap().contains("60005"),
        "{e}"
    );
    // The errcode as a stable reason, so the SPA can say it in the UI language.
    assert_eq!(e["error"]["reason"], "errcode:60005");

    // Tags: create, add members with a partial failure per item, rename, remove.
    let t = json_of(
        c.admin
            .post(&c.url("/tags"), &json!({"name": "质检"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let tag = t["id"].as_i64().unwrap();
    assert_eq!(t["created_here"], true);
    let r = json_of(
        c.admin
            .post(
                &c.url(&format!("/tags/{tag}/members")),
                &json!({"userids": ["qa.lead", "ghost"], "department_ids": [id, 999]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        r,
        json!({"invalid_userids": ["ghost"], "invalid_department_ids": [999]})
    );
    let wt = &c.wx().await["tags"][tag.to_string()];
    assert_eq!(
        (wt["users"].clone(), wt["parties"].clone()),
        (json!(["qa.lead"]), json!([id]))
    );
    let detail = c.get(&format!("/tags/{tag}")).await;
    assert_eq!(
        detail["users"],
        json!([{"userid": "qa.lead", "name": "质检组长"}])
    );
    assert_eq!(detail["departments"], json!([id]));
    assert_eq!(c.member("qa.lead").await.unwrap()["tags"], json!([tag]));
    json_of(
        c.admin
            .patch(&c.url(&format!("/tags/{tag}")), &json!({"name": "质量"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(c.wx().await["tags"][tag.to_string()]["tagname"], "质量");
    json_of(
        c.admin
            .post(
                &c.url(&format!("/tags/{tag}/members/remove")),
                &json!({"userids": ["qa.lead"]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(c.get(&format!("/tags/{tag}")).await["users"], json!([]));

    // Batch delete, then the empty department goes; the tag too.
    json_of(
        c.admin
            .post(
                &c.url("/members/batch-delete"),
                &json!({"userids": ["qa.lead"]}),
            )
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(c.wx().await["members"].get("qa.lead").is_none());
    assert!(c.member("qa.lead").await.is_none());
    json_of(
        c.admin.delete(&c.url(&format!("/departments/{id}"))).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    json_of(
        c.admin.delete(&c.url(&format!("/tags/{tag}"))).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    c.assert_mirrors_wecom().await;
    let _ = corp;
}

#[tokio::test]
async fn a_member_made_in_wecoms_console_arrives_without_a_sync() {
    let c = demo().await;
    let corp = c.corpid.clone();
    assert!(c.member("night.shift").await.is_none());
    let r = c
        .sim(
            "POST",
            &format!("/work/{corp}/console/user/create"),
            Some(json!({"userid": "night.shift", "name": "夜班", "email": "n@x.com", "department": [4], "position": "值班"})),
        )
        .await;
    assert_eq!(r["errcode"], 0, "{r}");
    let m = c.wait_member("night.shift", |m| m.is_some()).await.unwrap();
    assert_eq!(
        (m["name"].as_str(), m["position"].as_str()),
        (Some("夜班"), Some("值班"))
    );
    assert_eq!(m["departments"], json!([{"id": 4, "is_leader": false}]));
    // An edit and a delete follow the same way.
    c.sim(
        "POST",
        &format!("/work/{corp}/console/user/update"),
        Some(json!({"userid": "night.shift", "name": "夜班长"})),
    )
    .await;
    c.wait_member("night.shift", |m| m.is_some_and(|m| m["name"] == "夜班长"))
        .await;
    c.sim(
        "POST",
        &format!("/work/{corp}/console/user/batchdelete"),
        Some(json!({"useridlist": ["night.shift"]})),
    )
    .await;
    c.wait_member("night.shift", |m| m.is_none()).await;
    // The change is still recorded.
    let changes: Vec<(String,)> = {
        use sea_orm::{EntityTrait, QuerySelect};
        wxportal::entities::wecom_contact_change::Entity::find()
            .select_only()
            .column(wxportal::entities::wecom_contact_change::Column::ChangeType)
            .into_tuple()
            .all(&c.app.db)
            .await
            .unwrap()
    };
    assert!(changes.iter().any(|(t,)| t == "create_user"), "{changes:?}");
}

#[tokio::test]
async fn roles_and_wecoms_refusals() {
    let c = demo().await;
    c.sync().await;
    let (viewer, _) = c.app.signed_in("viewer1", Role::Viewer).await;
    json_of(viewer.get(&c.url("/members")).await, StatusCode::OK).await;
    json_of(viewer.get(&c.url("/departments")).await, StatusCode::OK).await;
    assert_eq!(
        viewer
            .post(&c.url("/tags"), &json!({"name": "x"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        viewer.post(&c.url("/sync"), &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );

    // Other kinds have no contacts.
    let list = json_of(c.admin.get("/api/accounts").await, StatusCode::OK).await;
    let oa = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "official_account")
        .unwrap()["id"]
        .clone();
    assert_eq!(
        c.admin
            .get(&format!("/api/accounts/{oa}/contacts/members"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
