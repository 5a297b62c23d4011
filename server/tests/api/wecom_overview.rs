//! The WeCom app overview (mirror counts, last sync, callback health, recent sends) and the
//! preflight against the emulator: each of WeCom's telling refusals (40001, 60020 with the
//! outbound IP, 48009, 48002, 301002, 42009) produced for real by the emulator's state or its
//! fault injection, and diagnosed with its fix.

use std::time::Duration;

use api::staff::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_error, json_of, sim_http};
use crate::wecom_messages::{Work, work_sandbox};

impl Work {
    async fn overview(&self) -> Value {
        json_of(
            self.admin
                .get(&format!("/api/accounts/{}/wecom/overview", self.id))
                .await,
            StatusCode::OK,
        )
        .await
    }

    async fn preflight(&self) -> Value {
        json_of(
            self.admin
                .post(
                    &format!("/api/accounts/{}/wecom/preflight", self.id),
                    &json!({}),
                )
                .await,
            StatusCode::OK,
        )
        .await
    }

    async fn sync_contacts(&self) -> Value {
        let url = format!("/api/accounts/{}/contacts/sync", self.id);
        json_of(
            self.admin.post(&url, &json!({})).await,
            StatusCode::ACCEPTED,
        )
        .await;
        for _ in 0..300 {
            let s = json_of(self.admin.get(&url).await, StatusCode::OK).await;
            if s["job"]["status"] != "running" {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the contacts sync did not finish");
    }

    async fn fault(&self, spec: Value) {
        let r = sim_http()
            .post(format!("{}/sandbox/_sim/faults", self.app.base))
            .json(&spec)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }

    async fn corp(&self) -> Value {
        sim_http()
            .get(format!(
                "{}/sandbox/_sim/work/{}",
                self.app.base, self.corpid
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn set_app_secret(&self, secret: &str) {
        json_of(
            self.admin
                .patch(
                    &format!("/api/accounts/{}", self.id),
                    &json!({"secret": secret}),
                )
                .await,
            StatusCode::OK,
        )
        .await;
    }
}

/// The check named `kind` of a preflight report.
fn check<'a>(report: &'a Value, kind: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == kind)
        .unwrap_or_else(|| panic!("no {kind} check in {report}"))
}

#[tokio::test]
async fn the_overview_shows_the_mirror_the_last_sync_callback_health_and_recent_sends() {
    let w = work_sandbox().await;
    let empty = w.overview().await;
    assert_eq!(empty["counts"]["members"], 0, "{empty}");
    assert!(empty["last_sync"].is_null(), "{empty}");
    assert!(empty["callbacks"]["last_inbound_at"].is_null(), "{empty}");
    assert_eq!(empty["recent_sends"], json!([]));
    assert_eq!(empty["agent_id"], w.agentid);
    assert_eq!(empty["has_contacts_secret"], true);

    let synced = w.sync_contacts().await;
    let corp = w.corp().await;
    let members = corp["members"]
        .as_object()
        .map(|m| m.len())
        .unwrap_or_else(|| corp["members"].as_array().expect("members").len())
        as u64;
    // A member writes to the app (a callback the portal accepts), then a send.
    json_of(
        w.admin
            .post(
                &format!("/api/accounts/{}/sandbox/act", w.id),
                &json!({"type": "text", "subject": "user01", "content": "你好"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    json_of(
        w.admin
            .post(
                &format!("/api/accounts/{}/wecom/messages", w.id),
                &json!({"recipients": {"users": ["user02"]}, "content": {"msgtype": "text", "content": "通知"}}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    // A forged delivery the portal rejects.
    let forged = reqwest::Client::new()
        .post(format!(
            "{}/wx/{}?msg_signature=bad&timestamp=1&nonce=1",
            w.app.base, w.id
        ))
        .body("<xml><Encrypt><![CDATA[x]]></Encrypt></xml>")
        .send()
        .await
        .unwrap();
    assert!(forged.status().is_client_error(), "{}", forged.status());

    let v = w.overview().await;
    assert_eq!(v["counts"]["members"].as_u64().unwrap(), members, "{v}");
    assert_eq!(v["counts"]["departments"], synced["departments"]);
    assert_eq!(v["counts"]["tags"], synced["tags"]);
    assert_eq!(v["last_sync"]["status"], "succeeded", "{v}");
    assert_eq!(v["last_sync"]["members_done"].as_u64().unwrap(), members);
    let cb = &v["callbacks"];
    assert!(cb["last_inbound_at"].is_string(), "{v}");
    assert!(cb["deliveries_24h"].as_u64().unwrap() >= 2, "{v}");
    assert_eq!(cb["failures_24h"], 1, "{v}");
    assert!(cb["last_failure_at"].is_string(), "{v}");
    assert!(cb["last_failure_id"].is_i64(), "{v}");
    let sends = v["recent_sends"].as_array().unwrap();
    assert_eq!(sends.len(), 1, "{v}");
    assert_eq!(sends[0]["state"], "sent");
    assert_eq!(sends[0]["summary"], "通知");

    // Viewers read the overview; running the preflight takes an operator.
    let (viewer, _) = w.app.signed_in("ov-viewer", Role::Viewer).await;
    let r = viewer
        .get(&format!("/api/accounts/{}/wecom/overview", w.id))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(
        viewer
            .post(
                &format!("/api/accounts/{}/wecom/preflight", w.id),
                &json!({}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Not a WeCom app: no overview.
    let list = json_of(w.admin.get("/api/accounts").await, StatusCode::OK).await;
    let oa = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "official_account")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = w
        .admin
        .get(&format!("/api/accounts/{oa}/wecom/overview"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_preflight_passes_on_the_demo_corp_and_notes_48009_on_the_legacy_listing() {
    let w = work_sandbox().await;
    // Before a sync there is no member to read.
    let r = w.preflight().await;
    assert_eq!(check(&r, "app_read")["status"], "skipped");
    assert_eq!(check(&r, "app_read")["fix"], "no_member_to_read");
    w.sync_contacts().await;
    let r = w.preflight().await;
    for kind in [
        "app_token",
        "token_cache",
        "app_agent",
        "app_read",
        "contacts_token",
        "contacts_read",
    ] {
        assert_eq!(check(&r, kind)["status"], "ok", "{kind}: {r}");
    }
    // The demo corp follows WeCom's post-2022 rules: department/list is closed to the
    // contacts secret (a notice: the sync uses department/simplelist + user/list_id).
    let legacy = check(&r, "legacy_listing");
    assert_eq!(legacy["status"], "notice", "{r}");
    assert_eq!(legacy["errcode"], 48009);
    assert_eq!(legacy["fix"], "list_apis_closed");
    assert!(r["outbound_ip"].is_null());
}

#[tokio::test]
async fn an_untrusted_ip_is_diagnosed_with_the_address_wecom_saw() {
    let w = work_sandbox().await;
    w.fault(json!({"target": w.corpid, "kind": "ip_whitelist"}))
        .await;
    let r = w.preflight().await;
    let app = check(&r, "app_token");
    assert_eq!(app["status"], "failed", "{r}");
    assert_eq!(app["errcode"], 60020);
    assert_eq!(app["fix"], "untrusted_ip");
    assert_eq!(check(&r, "contacts_token")["fix"], "untrusted_ip");
    assert_eq!(check(&r, "app_agent")["status"], "skipped");
    // WeCom names the caller's address; the portal reaches the sandbox over loopback.
    assert_eq!(r["outbound_ip"], "127.0.0.1", "{r}");
}

#[tokio::test]
async fn a_wrong_secret_and_the_contacts_secret_in_the_app_slot_are_told_apart() {
    let w = work_sandbox().await;
    w.set_app_secret("WrongSecretWrongSecretWrongSecretWrongSecr1")
        .await;
    let r = w.preflight().await;
    let app = check(&r, "app_token");
    assert_eq!(app["status"], "failed", "{r}");
    assert_eq!(app["errcode"], 40001);
    assert_eq!(app["fix"], "wrong_secret");
    for kind in ["token_cache", "app_agent", "app_read"] {
        assert_eq!(check(&r, kind)["status"], "skipped", "{kind}");
    }
    // The contacts secret still works.
    assert_eq!(check(&r, "contacts_token")["status"], "ok");

    // The contacts-sync secret pasted as the app secret: tokens work, app APIs answer 48002.
    let w = work_sandbox().await;
    let corp = w.corp().await;
    w.set_app_secret(corp["contacts_secret"].as_str().unwrap())
        .await;
    let r = w.preflight().await;
    assert_eq!(check(&r, "app_token")["status"], "ok", "{r}");
    let agent = check(&r, "app_agent");
    assert_eq!(agent["status"], "failed", "{r}");
    assert_eq!(agent["errcode"], 48002);
    assert_eq!(agent["fix"], "contacts_secret_not_for_apps");
}

#[tokio::test]
async fn visible_range_and_an_expired_token_are_diagnosed() {
    let w = work_sandbox().await;
    w.sync_contacts().await;
    // WeCom answers 301002 for a member outside the app's visible range.
    w.fault(
        json!({"target": w.corpid, "kind": "errcode", "errcode": 301002,
        "errmsg": "not allow operate another agent or user", "path": "/cgi-bin/user/get"}),
    )
    .await;
    // The cached token expired (42009) on its next call, once.
    w.fault(
        json!({"target": w.corpid, "kind": "errcode", "errcode": 42009,
        "path": "/cgi-bin/department/simplelist", "count": 1}),
    )
    .await;
    let r = w.preflight().await;
    let cache = check(&r, "token_cache");
    assert_eq!(cache["status"], "notice", "{r}");
    assert_eq!(cache["errcode"], 42009);
    assert_eq!(cache["fix"], "token_refreshed");
    let read = check(&r, "app_read");
    assert_eq!(read["status"], "failed", "{r}");
    assert_eq!(read["errcode"], 301002);
    assert_eq!(read["fix"], "visible_range");
    // The fault was used up by the token check: the contacts listing went through.
    assert_eq!(check(&r, "contacts_read")["status"], "ok", "{r}");
}
