//! A suite corp's interface licences (接口许可) and install origin against the emulator: an
//! install from WeCom's app market (`create_auth` without `State`) stored with its origin and
//! its licences read at once; the licences read again on staff request after the emulator
//! activates accounts and ends the trial; a send through the managed corp naming the member
//! without a licence in `unlicenseduser` (and WeCom not delivering to them); the managed corp's
//! preflight without `menu/get`, its contacts on the corp token, and no secrets for it.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::entities::{audit_log, wecom_suite_corp};

use crate::helpers::{assert_error, json_of};
use crate::wecom_suite::{Suite, suite_sandbox};

impl Suite {
    async fn refresh_licences(&self, corp: i64) -> reqwest::Response {
        self.admin
            .post(
                &format!("/api/accounts/{}/suite/corps/{corp}/licences", self.id),
                &json!({}),
            )
            .await
    }

    /// Two members of the corp other than the installing admin.
    async fn two_members(&self) -> (String, String) {
        let corp = self.sim_get(&format!("work/{}", self.corpid)).await;
        let mut ids: Vec<String> = corp["members"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        ids.retain(|u| *u != self.userid);
        assert!(ids.len() >= 2, "{corp}");
        (ids[0].clone(), ids[1].clone())
    }

    async fn inbox(&self, userid: &str) -> Vec<Value> {
        let v = self
            .sim_get(&format!("work/{}/members/{userid}/inbox", self.corpid))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .filter(|i| i["source"] == "app_message")
            .cloned()
            .collect()
    }
}

#[tokio::test]
async fn a_market_install_is_stored_with_its_origin_and_licences() {
    let s = suite_sandbox().await;
    // The corp's admin adds the suite from WeCom's app market: no pre-auth code, no redirect.
    let installed = s
        .sim_post(
            &format!("suites/{}/market_install", s.suite_id),
            json!({"corpid": s.corpid, "userid": s.userid}),
        )
        .await;
    assert!(installed["redirect"].is_null(), "{installed}");
    let corps = s.corps().await;
    assert_eq!(corps.len(), 1, "{corps:?}");
    let c = &corps[0];
    assert_eq!(c["corpid"], s.corpid.as_str());
    assert_eq!(c["state"], "active");
    assert_eq!(c["origin"], "market", "{c}");
    // Its licences were read at install: in the trial, none activated yet.
    let l = &c["licence"];
    assert_eq!(l["status"], 1, "{c}");
    assert_eq!(l["enforced"], false, "{c}");
    assert_eq!(l["basic"], 0, "{c}");
    assert!(l["trial_end"].is_string(), "{c}");
    assert!(c["licence_error"].is_null(), "{c}");
    let row = wecom_suite_corp::Entity::find()
        .filter(wecom_suite_corp::Column::Corpid.eq(s.corpid.as_str()))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.install_origin.as_deref(), Some("market"));
    assert_eq!(row.license_basic, Some(0));
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("suite_corp.licences"))
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1, "the install's licence read is audited");

    // An install from the provider's link is told apart.
    s.sim_post(
        &format!("suites/{}/uninstall", s.suite_id),
        json!({"corpid": s.corpid}),
    )
    .await;
    s.consent(&s.link().await).await;
    let c = &s.corps().await[0];
    assert_eq!(c["state"], "active", "{c}");
    assert_eq!(c["origin"], "provider_link", "{c}");
}

#[tokio::test]
async fn unlicensed_members_are_named_in_sends_and_the_licences_are_counted() {
    let s = suite_sandbox().await;
    let (corp, account) = s.install_and_manage().await;
    let (licensed, unlicensed) = s.two_members().await;
    let ctl = |p: &str| format!("suites/{}/license/{p}", s.suite_id);
    s.sim_post(
        &ctl("activate"),
        json!({"corpid": s.corpid, "userid": licensed, "type": 1}),
    )
    .await;
    s.sim_post(
        &ctl("activate"),
        json!({"corpid": s.corpid, "userid": s.userid, "type": 2}),
    )
    .await;

    // In the trial WeCom does not check: both receive.
    let send = |text: &str| {
        json!({"recipients": {"users": [licensed, unlicensed]},
               "content": {"msgtype": "text", "content": text}})
    };
    let url = format!("/api/accounts/{account}/wecom/messages");
    let m = json_of(
        s.admin.post(&url, &send("in trial")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(m["parts"][0]["unlicensed_users"], json!([]), "{m}");
    assert_eq!(s.inbox(&unlicensed).await.len(), 1);

    // The trial ends: the staff action reads the licences again.
    s.sim_post(
        &ctl("app"),
        json!({"corpid": s.corpid, "trial_ended": true}),
    )
    .await;
    let c = json_of(s.refresh_licences(corp).await, StatusCode::OK).await;
    assert_eq!(c["licence"]["enforced"], true, "{c}");
    assert_eq!(c["licence"]["basic"], 1, "{c}");
    assert_eq!(c["licence"]["external"], 1, "{c}");
    // The managed corp's banner carries them (the SPA explains a send's unlicensed members).
    let managed = json_of(
        s.admin
            .get(&format!("/api/accounts/{account}/wecom/suite-corp"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(managed["corp"]["licence"]["basic"], 1, "{managed}");

    let m = json_of(
        s.admin.post(&url, &send("after trial")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(m["state"], "sent", "{m}");
    assert_eq!(
        m["parts"][0]["unlicensed_users"],
        json!([unlicensed.clone()]),
        "{m}"
    );
    assert_eq!(m["invalid_count"], 1, "{m}");
    assert_eq!(s.inbox(&licensed).await.len(), 2);
    assert_eq!(s.inbox(&unlicensed).await.len(), 1, "WeCom did not deliver");

    // An account expires: the next read counts it out.
    s.sim_post(
        &ctl("expire"),
        json!({"corpid": s.corpid, "userid": licensed}),
    )
    .await;
    let c = json_of(s.refresh_licences(corp).await, StatusCode::OK).await;
    assert_eq!(c["licence"]["basic"], 0, "{c}");
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("suite_corp.licences"))
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 3, "install + two staff reads");

    // WeCom stops accepting the portal's IP for provider calls: explained, and stored.
    let provider = s.sim_get(&format!("suites/{}", s.suite_id)).await["provider_corpid"]
        .as_str()
        .unwrap()
        .to_string();
    s.sim_post(
        "faults",
        json!({"target": provider, "kind": "ip_whitelist"}),
    )
    .await;
    let body = assert_error(
        s.refresh_licences(corp).await,
        StatusCode::BAD_GATEWAY,
        "wechat",
    )
    .await;
    assert!(
        body["error"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("untrusted_ip:provider"),
        "{body}"
    );
    let c = &s.corps().await[0];
    assert!(c["licence_error"].is_string(), "{c}");
    assert_eq!(c["licence"]["basic"], 0, "the last counts are kept: {c}");
}

#[tokio::test]
async fn a_managed_corp_preflights_without_menus_uses_its_corp_token_and_takes_no_secret() {
    let s = suite_sandbox().await;
    let (corp, account) = s.install_and_manage().await;
    // Were menu/get called, WeCom's refusal of it would fail the agent check.
    s.sim_post(
        "faults",
        json!({"target": s.corpid, "kind": "errcode", "errcode": 48002, "path": "/cgi-bin/menu/"}),
    )
    .await;
    let report = json_of(
        s.admin
            .post(
                &format!("/api/accounts/{account}/wecom/preflight"),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let check = |k: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == k)
            .cloned()
            .unwrap_or_else(|| panic!("no {k} in {report}"))
    };
    let agent = check("app_agent");
    assert_eq!(agent["status"], "ok", "{report}");
    assert!(
        agent["detail"].as_str().unwrap().contains("get_auth_info"),
        "{agent}"
    );
    let token = check("contacts_token");
    assert_eq!(token["status"], "skipped", "{report}");
    assert_eq!(token["fix"], "managed_corp_token", "{report}");
    assert_eq!(check("contacts_read")["status"], "ok", "{report}");
    // The contacts pages know the corp token is the credential.
    let sync = json_of(
        s.admin
            .get(&format!("/api/accounts/{account}/contacts/sync"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sync["managed_corp"], true, "{sync}");
    assert_eq!(sync["has_contacts_secret"], false, "{sync}");

    // No secret of its own: refused with a reason, nothing stored.
    for field in ["secret", "contacts_secret", "token"] {
        let body = assert_error(
            s.admin
                .patch(
                    &format!("/api/accounts/{account}"),
                    &json!({ field: "0123456789abcdefghijABCDEFGHIJzz0123456789a" }),
                )
                .await,
            StatusCode::CONFLICT,
            "conflict",
        )
        .await;
        assert_eq!(body["error"]["reason"], "managed_account_secret", "{body}");
    }
    let masked = wxportal::accounts::queries::masked_secrets(&s.app.state.db, &[account])
        .await
        .unwrap();
    assert!(
        masked.get(&account).is_none_or(|m| m.is_empty()),
        "{masked:?}"
    );
    // A name change still works.
    json_of(
        s.admin
            .patch(
                &format!("/api/accounts/{account}"),
                &json!({"name": "代管企业"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // …and 管理 still opens the same account (its natural key kept).
    assert_eq!(s.manage(corp).await["account_id"], account);
}
