//! An authorised corp operated through the WeCom pages against the emulator: the managed
//! account created once from the 授权企业 list, its contacts synced with the corp token
//! (`service/get_corp_token` with the permanent code), no menus for a third-party app, the
//! corp's data callbacks stored once and answered by the account's rules, and `cancel_auth`
//! making every call refused while the data stays; a new install revives it.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::entities::{inbound_message, reply_rule, wecom_member};

use crate::callback::{add_rule, keyword_rule};
use crate::helpers::{assert_error, json_of, sim_http};
use crate::wecom_suite::{Suite, suite_sandbox};

impl Suite {
    /// Installs the suite in the corp and opens the corp in the WeCom pages: its account id.
    pub(crate) async fn install_and_manage(&self) -> (i64, i64) {
        self.consent(&self.link().await).await;
        let corp = self.corps().await[0]["id"].as_i64().unwrap();
        let m = self.manage(corp).await;
        (corp, m["account_id"].as_i64().unwrap())
    }

    pub(crate) async fn manage(&self, corp: i64) -> Value {
        json_of(
            self.admin
                .post(
                    &format!("/api/accounts/{}/suite/corps/{corp}/manage", self.id),
                    &json!({}),
                )
                .await,
            StatusCode::OK,
        )
        .await
    }

    /// The suite's app in the corp (the agent the install created).
    async fn suite_agent(&self) -> i64 {
        self.corps().await[0]["agents"][0]["agentid"]
            .as_i64()
            .unwrap()
    }

    async fn sync(&self, account: i64) -> Value {
        let url = format!("/api/accounts/{account}/contacts/sync");
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
}

#[tokio::test]
async fn a_managed_corp_syncs_its_contacts_with_the_corp_token_and_has_no_menus() {
    let s = suite_sandbox().await;
    let (corp, account) = s.install_and_manage().await;
    // Opening it again opens the same account.
    assert_eq!(s.manage(corp).await["account_id"], account);
    let accounts = json_of(s.admin.get("/api/accounts").await, StatusCode::OK).await;
    let a = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == account)
        .expect("the managed account is listed")
        .clone();
    assert_eq!(a["kind"], "work_app");
    assert_eq!(a["environment"], "sandbox");
    assert_eq!(a["settings"]["corp_id"], s.corpid.as_str());
    assert_eq!(a["settings"]["suite_corp"]["suite_account_id"], s.id);
    assert_eq!(a["settings"]["suite_corp"]["suite_corp_id"], corp);
    let info = json_of(
        s.admin
            .get(&format!("/api/accounts/{account}/wecom/suite-corp"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["corp"]["state"], "active", "{info}");
    assert_eq!(info["suite_account_id"], s.id);

    // The portal's own contacts sync, with the corp token: the corp's members mirrored.
    let status = s.sync(account).await;
    assert_eq!(status["job"]["status"], "succeeded", "{status}");
    let sim_corp = s.sim_get(&format!("work/{}", s.corpid)).await;
    let members = sim_corp["members"]
        .as_object()
        .map(|m| m.len())
        .or_else(|| sim_corp["members"].as_array().map(|m| m.len()))
        .unwrap() as u64;
    assert!(members > 0);
    let mirrored = wecom_member::Entity::find()
        .filter(wecom_member::Column::AccountId.eq(account))
        .count(&s.app.db)
        .await
        .unwrap();
    assert_eq!(mirrored, members);
    // The calls went with the corp token the suite obtained (the emulator issued it to the
    // suite for this corp).
    let emulator = s.app.state.wechat.emulator_handle().unwrap();
    let now = emulator.sim.now();
    let issued = emulator.sim.with(|st| {
        st.tokens.current(
            &wechat_sim::token::Owner::SuiteCorp {
                suite_id: s.suite_id.clone(),
                corpid: s.corpid.clone(),
            },
            now,
        )
    });
    assert!(issued.is_some(), "no corp token was fetched");

    // Third-party apps cannot call menu/*: said, not attempted.
    let body = assert_error(
        s.admin
            .post(&format!("/api/accounts/{account}/menu/import"), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(body["error"]["reason"], "suite_app_no_menu", "{body}");
    // A self-built app is not a managed corp.
    let demo = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "work_app" && a["id"] != account)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_error(
        s.admin
            .get(&format!("/api/accounts/{demo}/wecom/suite-corp"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_data_callback_from_the_corp_is_stored_once_and_answered_by_a_rule() {
    let s = suite_sandbox().await;
    let (_, account) = s.install_and_manage().await;
    let overview = json_of(
        s.admin
            .get(&format!("/api/accounts/{}/suite/overview", s.id))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        overview["data_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/wx/{}/data", s.id)),
        "{overview}"
    );
    let rule = add_rule(&s.app, account, keyword_rule("价格", "请看价目表")).await;
    let agent = s.suite_agent().await;
    // WeCom gives up waiting on the first attempt and pushes the same message again.
    let r = sim_http()
        .post(format!("{}/sandbox/_sim/faults", s.app.base))
        .json(&json!({"target": s.corpid, "kind": "callback_timeout", "count": 1}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let acted = s
        .sim_post(
            &format!("work/{}/act", s.corpid),
            json!({"agentid": agent, "userid": s.userid, "type": "text", "content": "价格"}),
        )
        .await;
    let d = &acted["delivery"];
    assert!(
        d["url"]
            .as_str()
            .unwrap()
            .contains(&format!("/wx/{}/data", s.id)),
        "{d}"
    );
    assert_eq!(d["attempts"].as_array().unwrap().len(), 2, "{d}");
    assert_eq!(d["outcome"], "replied", "{d}");
    assert!(d["reply_fields"].to_string().contains("请看价目表"), "{d}");

    // Stored once, under the managed corp's account, with the rule's reply.
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account))
        .all(&s.app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].rule_id, Some(rule));
    assert_eq!(stored[0].from_user.as_str(), s.userid.as_str());
    let hits = reply_rule::Entity::find_by_id(rule)
        .one(&s.app.db)
        .await
        .unwrap()
        .unwrap()
        .hit_count;
    assert_eq!(hits, 1);

    // A push naming a corp that never authorised the suite is refused.
    let r = reqwest::Client::new()
        .post(format!(
            "{}/wx/{}/data?msg_signature=x&timestamp=1&nonce=n",
            s.app.base, s.id
        ))
        .body("<xml><ToUserName><![CDATA[wwnotacorp]]></ToUserName><Encrypt><![CDATA[x]]></Encrypt></xml>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cancel_auth_makes_the_managed_corp_refuse_calls_and_a_new_install_revives_it() {
    let s = suite_sandbox().await;
    let (corp, account) = s.install_and_manage().await;
    s.sync(account).await;
    let before = wecom_member::Entity::find()
        .filter(wecom_member::Column::AccountId.eq(account))
        .count(&s.app.db)
        .await
        .unwrap();
    assert!(before > 0);

    s.sim_post(
        &format!("suites/{}/uninstall", s.suite_id),
        json!({"corpid": s.corpid}),
    )
    .await;
    let info = json_of(
        s.admin
            .get(&format!("/api/accounts/{account}/wecom/suite-corp"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["corp"]["state"], "revoked", "{info}");
    // Every call is refused with the reason, nothing is sent; the mirror stays.
    let body = assert_error(
        s.admin
            .post(
                &format!("/api/accounts/{account}/contacts/sync"),
                &json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(body["error"]["reason"], "suite_corp_revoked", "{body}");
    let body = assert_error(
        s.admin
            .post(
                &format!("/api/accounts/{account}/wecom/messages"),
                &json!({
                    "recipients": {"users": [s.userid]},
                    "content": {"msgtype": "text", "content": "hi"}
                }),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(body["error"]["reason"], "suite_corp_revoked", "{body}");
    let after = wecom_member::Entity::find()
        .filter(wecom_member::Column::AccountId.eq(account))
        .count(&s.app.db)
        .await
        .unwrap();
    assert_eq!(after, before, "the data is kept");

    // A new install: the same corp row, so the same account, usable again.
    s.consent(&s.link().await).await;
    assert_eq!(s.manage(corp).await["account_id"], account);
    let status = s.sync(account).await;
    assert_eq!(status["job"]["status"], "succeeded", "{status}");
}
