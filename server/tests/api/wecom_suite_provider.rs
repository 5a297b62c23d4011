//! A WeCom suite's provider side against the emulator: the provider login page (a member scans,
//! WeCom returns with an auth code, `get_login_info` names them, the login is recorded and a
//! replayed code is refused), one provider token across two instances, WeCom's 60020 on
//! provider and suite calls explained with the IP it saw, and the suite_ticket's staleness.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use wxportal::entities::{audit_log, wechat_token, wecom_suite_login};

use crate::helpers::{Client, TestApp, json_of, sim_http};

struct Provider {
    app: TestApp,
    admin: Client,
    id: i64,
    suite_id: String,
    provider_corpid: String,
    corpid: String,
    corp_name: String,
    /// Two members of the corp: the first installs the suite (an admin), the second does not.
    members: Vec<(String, String)>,
}

async fn sim_post(app: &TestApp, path: &str, body: Value) -> Value {
    let r = sim_http()
        .post(format!("{}/sandbox/_sim/{path}", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn sim_get(app: &TestApp, path: &str) -> Value {
    let r = sim_http()
        .get(format!("{}/sandbox/_sim/{path}", app.base))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "GET {path}: {}", r.status());
    r.json().await.unwrap()
}

/// The sandbox's suite, its ticket pushed; `install`: installed in the demo corp by its first
/// member.
async fn provider_sandbox(install: bool) -> Provider {
    let work = crate::wecom_messages::work_sandbox().await;
    let list = json_of(work.admin.get("/api/accounts").await, StatusCode::OK).await;
    let suite = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "work_suite")
        .expect("a sandbox suite")
        .clone();
    let corp = sim_get(&work.app, &format!("work/{}", work.corpid)).await;
    let members: Vec<(String, String)> = corp["members"]
        .as_object()
        .map(|m| {
            m.values()
                .map(|v| {
                    (
                        v["userid"].as_str().unwrap().to_string(),
                        v["name"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(members.len() >= 2, "{corp}");
    let p = Provider {
        id: suite["id"].as_i64().unwrap(),
        suite_id: suite["settings"]["suite_id"].as_str().unwrap().to_string(),
        provider_corpid: suite["settings"]["provider_corp_id"]
            .as_str()
            .expect("the demo suite has a provider CorpID")
            .to_string(),
        corpid: work.corpid.clone(),
        corp_name: String::new(),
        members,
        app: work.app,
        admin: work.admin,
    };
    sim_post(
        &p.app,
        &format!("suites/{}/push_ticket", p.suite_id),
        json!({}),
    )
    .await;
    if !install {
        return p;
    }
    let link = json_of(
        p.admin
            .post(
                &format!("/api/accounts/{}/suite/install-link", p.id),
                &json!({"test": true}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let url = link["url"].as_str().unwrap();
    let pre = url
        .split(['?', '&'])
        .find_map(|x| x.strip_prefix("pre_auth_code="))
        .unwrap();
    sim_post(
        &p.app,
        &format!("suites/{}/install", p.suite_id),
        json!({"pre_auth_code": pre, "corpid": p.corpid, "userid": p.members[0].0, "state": "wxportal.zh"}),
    )
    .await;
    let corps = json_of(
        p.admin
            .get(&format!("/api/accounts/{}/suite/corps", p.id))
            .await,
        StatusCode::OK,
    )
    .await;
    let corp_name = corps["items"][0]["corp_name"].as_str().unwrap().to_string();
    Provider { corp_name, ..p }
}

impl Provider {
    /// A member scans the provider's login QR code: the auth code WeCom hands back.
    async fn scan(&self, userid: &str) -> String {
        let v = sim_post(
            &self.app,
            &format!("suites/{}/login", self.suite_id),
            json!({"corpid": self.corpid, "userid": userid}),
        )
        .await;
        v["auth_code"].as_str().unwrap().to_string()
    }

    async fn visit(&self, base: &str, code: &str, lang: &str) -> (StatusCode, String) {
        let r = reqwest::get(format!(
            "{base}/suite/{}/login?auth_code={code}&state=wxportal.{lang}",
            self.id
        ))
        .await
        .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn view(&self) -> Value {
        json_of(
            self.admin
                .get(&format!("/api/accounts/{}/suite/provider", self.id))
                .await,
            StatusCode::OK,
        )
        .await
    }

    /// `POST …/suite/provider/check` as the admin.
    async fn check(&self) -> Value {
        json_of(
            self.admin
                .post(
                    &format!("/api/accounts/{}/suite/provider/check", self.id),
                    &json!({}),
                )
                .await,
            StatusCode::OK,
        )
        .await
    }

    fn provider_tokens_issued(&self) -> usize {
        let emulator = self.app.state.wechat.emulator_handle().unwrap();
        emulator
            .sim
            .with(|s| s.tokens.issued_for(&self.provider_corpid))
    }
}

async fn audited(app: &TestApp, action: &str) -> usize {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_login_shows_and_records_who_and_a_replayed_code_is_refused() {
    let p = provider_sandbox(true).await;
    let (admin_id, admin_name) = p.members[0].clone();

    // The URLs staff paste into the provider console.
    let v = p.view().await;
    assert_eq!(v["configured"], true, "{v}");
    assert!(
        v["login_redirect_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/suite/{}/login", p.id)),
        "{v}"
    );
    assert!(
        v["scan_login_url"]
            .as_str()
            .unwrap()
            .contains(&format!("3rd_qrConnect?appid={}", p.provider_corpid)),
        "{v}"
    );
    assert_eq!(v["logins"], json!([]));

    // The admin who installed the suite scans: the page names them and their corp.
    let code = p.scan(&admin_id).await;
    let (status, html) = p.visit(&p.app.base, &code, "zh").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("登录成功"), "{html}");
    assert!(
        html.contains(&admin_id) && html.contains(&p.corp_name),
        "{html}"
    );
    assert!(html.contains("内部系统管理员"), "{html}");
    assert!(html.contains("<html lang=\"zh-CN\""), "{html}");

    // A plain member, in English.
    let (member_id, _) = p.members[1].clone();
    let (status, html) = p.visit(&p.app.base, &p.scan(&member_id).await, "en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Logged in") && html.contains("Member"),
        "{html}"
    );
    assert!(!html.contains("登录成功"), "one language at a time: {html}");

    // Staff see both, newest first, with the corp's name from the install.
    let v = p.view().await;
    let logins = v["logins"].as_array().unwrap();
    assert_eq!(logins.len(), 2, "{v}");
    assert_eq!(logins[0]["userid"], member_id.as_str());
    assert_eq!(logins[0]["usertype"], 5);
    assert_eq!(logins[0]["agents"], json!([]));
    let first = &logins[1];
    assert_eq!(first["state"], "ok");
    assert_eq!(first["userid"], admin_id.as_str());
    assert_eq!(first["name"], admin_name.as_str());
    assert_eq!(first["corpid"], p.corpid.as_str());
    assert_eq!(first["corp_name"], p.corp_name.as_str());
    assert_eq!(first["corp_revoked"], false);
    assert_eq!(first["usertype"], 2);
    assert_eq!(first["agents"].as_array().unwrap().len(), 1, "{first}");
    assert_eq!(audited(&p.app, "suite.provider_login").await, 2);

    // The same code again (a reload, a forwarded link): refused before WeCom is asked.
    let (status, html) = p.visit(&p.app.base, &code, "zh").await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("已经使用过"), "{html}");
    assert_eq!(p.view().await["logins"].as_array().unwrap().len(), 2);
    assert_eq!(audited(&p.app, "suite.provider_login_replayed").await, 1);
    // The code is stored as its hash only.
    let rows = wecom_suite_login::Entity::find()
        .all(&p.app.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.code_hash != code && r.code_hash.len() == 64)
    );

    // A code WeCom never issued: WeCom refuses (40029), the page says so, staff see it.
    let (status, html) = p.visit(&p.app.base, "forged-code", "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("invalid or has expired"), "{html}");
    let v = p.view().await;
    assert_eq!(v["logins"][0]["state"], "failed", "{v}");
    assert_eq!(v["logins"][0]["errcode"], 40029, "{v}");
    assert_eq!(audited(&p.app, "suite.provider_login_failed").await, 1);

    // After the corp uninstalls, a login still says who, and that the corp revoked the app.
    sim_post(
        &p.app,
        &format!("suites/{}/uninstall", p.suite_id),
        json!({"corpid": p.corpid}),
    )
    .await;
    let (status, html) = p.visit(&p.app.base, &p.scan(&admin_id).await, "zh").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("已取消对本应用的授权"), "{html}");
    assert_eq!(p.view().await["logins"][0]["corp_revoked"], true);

    // No page for a missing code or another kind of account.
    let r = reqwest::get(format!("{}/suite/{}/login", p.app.base, p.id))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn two_instances_fetch_the_provider_token_once() {
    let p = provider_sandbox(false).await;
    let (other, _) = crate::multi_instance_jobs::join(&p.app, &p.admin).await;
    assert_eq!(p.provider_tokens_issued(), 0);
    // Six members scan at once; their browsers land on either instance.
    let mut codes = Vec::new();
    for i in 0..6 {
        let (userid, _) = &p.members[i % p.members.len()];
        codes.push(p.scan(userid).await);
    }
    let p = std::sync::Arc::new(p);
    let tasks: Vec<_> = codes
        .into_iter()
        .enumerate()
        .map(|(i, code)| {
            let p = p.clone();
            let base = if i % 2 == 0 {
                p.app.base.clone()
            } else {
                other.base.clone()
            };
            tokio::spawn(async move { p.visit(&base, &code, "zh").await })
        })
        .collect();
    for t in tasks {
        let (status, html) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{html}");
    }
    assert_eq!(
        p.provider_tokens_issued(),
        1,
        "one get_provider_token for both instances"
    );
    assert_eq!(p.view().await["logins"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn a_60020_on_provider_and_suite_calls_names_the_whitelist_and_the_ip() {
    let p = provider_sandbox(false).await;
    // Nothing refused yet: both tokens come fresh.
    let r = p.check().await;
    assert!(
        r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true),
        "{r}"
    );

    // WeCom stops accepting the portal's IP for provider calls.
    sim_post(
        &p.app,
        "faults",
        json!({"target": p.provider_corpid, "kind": "ip_whitelist"}),
    )
    .await;
    let r = p.check().await;
    let provider = &r["checks"][0];
    assert_eq!(provider["check"], "provider_token");
    assert_eq!(provider["ok"], false);
    assert_eq!(provider["errcode"], 60020);
    assert_eq!(provider["fix"], "provider_ip");
    assert_eq!(
        r["checks"][1]["ok"], true,
        "the suite's whitelist is another: {r}"
    );
    assert_eq!(r["outbound_ip"], "127.0.0.1", "{r}");
    assert_eq!(audited(&p.app, "suite.provider_check").await, 2);

    // A login meanwhile: the member reads that the provider must act; staff see the IP.
    let code = p.scan(&p.members[0].0).await;
    let (status, html) = p.visit(&p.app.base, &code, "en").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{html}");
    assert!(html.contains("IP whitelist"), "{html}");
    assert!(!html.contains("127.0.0.1"), "the IP is for staff: {html}");
    let v = p.view().await;
    assert_eq!(v["logins"][0]["errcode"], 60020, "{v}");
    assert_eq!(v["logins"][0]["outbound_ip"], "127.0.0.1", "{v}");

    // The suite's own whitelist is another list: the check says which.
    sim_post(
        &p.app,
        "faults",
        json!({"target": p.suite_id, "kind": "ip_whitelist"}),
    )
    .await;
    let r = p.check().await;
    let suite = &r["checks"][1];
    assert_eq!(suite["check"], "suite_token");
    assert_eq!(suite["errcode"], 60020, "{r}");
    assert_eq!(suite["fix"], "suite_ip", "{r}");
}

#[tokio::test]
async fn the_overview_warns_when_the_suite_ticket_is_older_than_30_minutes() {
    let p = provider_sandbox(false).await;
    let overview = || async {
        json_of(
            p.admin
                .get(&format!("/api/accounts/{}/suite/overview", p.id))
                .await,
            StatusCode::OK,
        )
        .await
    };
    assert_eq!(overview().await["ticket_stale"], false);
    let key = format!(
        "sandbox/{}",
        wechat::token::TokenKey::suite_ticket(&p.suite_id).as_str()
    );
    let row = wechat_token::Entity::find_by_id(key)
        .one(&p.app.db)
        .await
        .unwrap()
        .expect("the pushed ticket");
    let fetched = row.fetched_at;
    let mut am: wechat_token::ActiveModel = row.into();
    am.fetched_at = Set(fetched - 31 * 60);
    am.update(&p.app.db).await.unwrap();
    let o = overview().await;
    assert_eq!(o["ticket_stale"], true, "{o}");
    assert!(o["ticket_received_at"].is_string(), "{o}");
}
