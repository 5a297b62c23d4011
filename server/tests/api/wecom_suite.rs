//! A WeCom third-party suite's installs against the emulator: the install link, the emulated
//! admin's consent (which pushes `create_auth` to the portal and redirects the admin to the
//! portal's install page with the same auth code), the authorised corp stored once with its
//! permanent code sealed, the corp's token, `cancel_auth` and a re-install.

use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use wxportal::entities::{wecom_suite_auth_code, wecom_suite_corp};

use crate::helpers::{Client, TestApp, assert_error, json_of, sim_http};

pub struct Suite {
    pub app: TestApp,
    pub admin: Client,
    pub id: i64,
    pub suite_id: String,
    pub corpid: String,
    pub userid: String,
}

pub async fn suite_sandbox() -> Suite {
    // The sandbox's demo WeCom app names the corp the suite is installed in.
    let work = crate::wecom_messages::work_sandbox().await;
    let list = json_of(work.admin.get("/api/accounts").await, StatusCode::OK).await;
    let suite = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "work_suite")
        .expect("a sandbox suite")
        .clone();
    let s = Suite {
        id: suite["id"].as_i64().unwrap(),
        suite_id: suite["settings"]["suite_id"].as_str().unwrap().to_string(),
        userid: String::new(),
        corpid: work.corpid,
        app: work.app,
        admin: work.admin,
    };
    // A member of the corp to play its admin.
    let corp = s.sim_get(&format!("work/{}", s.corpid)).await;
    let userid = corp["members"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .or_else(|| corp["members"][0]["userid"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no member in {corp}"));
    let s = Suite { userid, ..s };
    // The suite token needs a suite_ticket, pushed to the portal's instruction URL.
    s.sim_post(&format!("suites/{}/push_ticket", s.suite_id), json!({}))
        .await;
    s
}

impl Suite {
    pub async fn sim_get(&self, path: &str) -> Value {
        let r = sim_http()
            .get(format!("{}/sandbox/_sim/{path}", self.app.base))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn sim_post(&self, path: &str, body: Value) -> Value {
        let r = sim_http()
            .post(format!("{}/sandbox/_sim/{path}", self.app.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert!(status.is_success(), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn link(&self) -> Value {
        json_of(
            self.admin
                .post(
                    &format!("/api/accounts/{}/suite/install-link", self.id),
                    &json!({"test": true}),
                )
                .await,
            StatusCode::OK,
        )
        .await
    }

    /// The admin consents on WeCom's page: `create_auth` reaches the portal, and the answer
    /// holds the redirect to the portal's install page.
    pub async fn consent(&self, link: &Value) -> Value {
        let url = link["url"].as_str().unwrap();
        let pre = url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("pre_auth_code="))
            .expect("pre_auth_code in the link");
        self.sim_post(
            &format!("suites/{}/install", self.suite_id),
            json!({
                "pre_auth_code": pre,
                "corpid": self.corpid,
                "userid": self.userid,
                "redirect_uri": link["redirect_uri"],
                "state": "wxportal.zh",
            }),
        )
        .await
    }

    pub async fn corps(&self) -> Vec<Value> {
        let v = json_of(
            self.admin
                .get(&format!("/api/accounts/{}/suite/corps", self.id))
                .await,
            StatusCode::OK,
        )
        .await;
        v["items"].as_array().unwrap().clone()
    }

    fn sim_permanent_code(&self) -> Option<String> {
        let emulator = self.app.state.wechat.emulator_handle().unwrap();
        emulator.sim.with(|s| {
            s.suites
                .get(&self.suite_id)
                .and_then(|x| x.authorizations.get(&self.corpid))
                .map(|a| a.permanent_code.clone())
        })
    }
}

#[tokio::test]
async fn an_install_stores_the_corp_once_whichever_path_brings_the_auth_code() {
    let s = suite_sandbox().await;
    let link = s.link().await;
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .contains("/3rdapp/install?suite_id="),
        "{link}"
    );
    assert!(
        link["qr_svg"].as_str().unwrap().starts_with("<svg"),
        "{link}"
    );
    assert!(
        link["redirect_uri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/suite/{}/installed", s.id)),
        "{link}"
    );

    let installed = s.consent(&link).await;
    // The instruction came first and stored the corp.
    let corps = s.corps().await;
    assert_eq!(corps.len(), 1, "{corps:?}");
    let c = &corps[0];
    assert_eq!(c["corpid"], s.corpid.as_str());
    assert_eq!(c["state"], "active");
    assert!(c["agents"][0]["agentid"].as_i64().unwrap() > 0, "{c}");
    assert_eq!(c["agents"][0]["privilege"]["allow_party"], json!([1]));
    assert!(c["installed_by"].is_string(), "{c}");
    assert!(c.get("permanent_code").is_none(), "never shown: {c}");

    // The admin's browser lands on the install page with the same (already used) auth code:
    // it reads what the instruction stored instead of exchanging the code again (WeCom would
    // refuse it: 40078).
    let redirect = installed["redirect"].as_str().expect("a redirect");
    let page = reqwest::get(redirect).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("授权成功") && html.contains(&s.corpid),
        "{html}"
    );
    assert_eq!(
        wecom_suite_auth_code::Entity::find()
            .all(&s.app.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // The permanent code is sealed at rest, and it is the one WeCom issued.
    let row = wecom_suite_corp::Entity::find()
        .one(&s.app.db)
        .await
        .unwrap()
        .unwrap();
    let issued = s.sim_permanent_code().expect("authorised at the emulator");
    assert!(!row.permanent_code.contains(&issued));
    let client = wxportal::wecom::suite::corps::corp_client(&s.app.state, &row)
        .await
        .unwrap();
    let token = client.access_token().await.unwrap();
    let emulator = s.app.state.wechat.emulator_handle().unwrap();
    let now = emulator.sim.now();
    let current = emulator.sim.with(|st| {
        st.tokens.current(
            &wechat_sim::token::Owner::SuiteCorp {
                suite_id: s.suite_id.clone(),
                corpid: s.corpid.clone(),
            },
            now,
        )
    });
    assert_eq!(current.map(|(t, _)| t), Some(token));
}

#[tokio::test]
async fn cancel_auth_revokes_the_corp_and_a_new_install_brings_it_back() {
    let s = suite_sandbox().await;
    s.consent(&s.link().await).await;
    let first = s.sim_permanent_code().unwrap();

    s.sim_post(
        &format!("suites/{}/uninstall", s.suite_id),
        json!({"corpid": s.corpid}),
    )
    .await;
    let corps = s.corps().await;
    assert_eq!(corps[0]["state"], "revoked", "{corps:?}");
    assert!(corps[0]["revoked_at"].is_string());
    let id = corps[0]["id"].as_i64().unwrap();
    assert_error(
        s.admin
            .post(
                &format!("/api/accounts/{}/suite/corps/{id}/refresh", s.id),
                &json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    s.consent(&s.link().await).await;
    let corps = s.corps().await;
    assert_eq!(corps.len(), 1, "the same corp, not a second row: {corps:?}");
    assert_eq!(corps[0]["state"], "active");
    assert!(corps[0]["revoked_at"].is_null());
    let second = s.sim_permanent_code().unwrap();
    assert_ne!(first, second);
    // The stored code is the new one: the refresh (get_auth_info) is accepted with it.
    json_of(
        s.admin
            .post(
                &format!("/api/accounts/{}/suite/corps/{id}/refresh", s.id),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn the_overview_and_the_install_page_refuse_what_they_should() {
    let s = suite_sandbox().await;
    let o = json_of(
        s.admin
            .get(&format!("/api/accounts/{}/suite/overview", s.id))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(o["suite_id"], s.suite_id.as_str());
    assert_eq!(o["ticket_stale"], false, "a ticket was just pushed: {o}");
    assert!(
        o["instruction_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/wx/{}", s.id))
    );
    assert_eq!(o["corps_active"], 0);

    // An auth code WeCom never issued: a readable page, no corp.
    let page = reqwest::get(format!(
        "{}/suite/{}/installed?auth_code=forged&state=x.en",
        s.app.base, s.id
    ))
    .await
    .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_GATEWAY);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("could not be completed")
    );
    let page = reqwest::get(format!("{}/suite/{}/installed", s.app.base, s.id))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(s.corps().await.is_empty());
    // Another kind of account has no install page and no suite API.
    let list = json_of(s.admin.get("/api/accounts").await, StatusCode::OK).await;
    let oa = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "official_account")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = reqwest::get(format!("{}/suite/{oa}/installed?auth_code=x", s.app.base))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert_error(
        s.admin
            .get(&format!("/api/accounts/{oa}/suite/corps"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
