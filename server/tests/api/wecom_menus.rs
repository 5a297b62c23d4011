//! WeCom app menus through the shared menu editor API: the published menu is the emulator's
//! menu for the app's agentid, WeCom's button types are enforced, import/delete with 46003 as
//! "no menu published", and a menu click answered by a reply rule.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::callback::add_rule;
use crate::helpers::{assert_error, json_of};
use crate::wecom_messages::work_sandbox;

/// A menu as the emulator keeps it: leaves without the empty `sub_button` it adds.
fn without_empty_subs(mut v: Value) -> Value {
    if let Some(list) = v.as_array_mut() {
        for b in list {
            if b["sub_button"] == json!([]) {
                b.as_object_mut().unwrap().remove("sub_button");
            } else if let Some(subs) = b.get_mut("sub_button") {
                *subs = without_empty_subs(subs.take());
            }
        }
    }
    v
}

fn menu() -> Value {
    json!([
        {"type": "click", "name": "打卡", "key": "CHECK_IN"},
        {"name": "工具", "sub_button": [
            {"type": "view", "name": "门户", "url": "https://example.com/portal"},
            {"type": "scancode_waitmsg", "name": "扫一扫", "key": "SCAN"},
            {"type": "location_select", "name": "位置", "key": "WHERE"}
        ]}
    ])
}

#[tokio::test]
async fn publishing_an_app_menu_sets_the_emulators_menu_for_the_agent() {
    let w = work_sandbox().await;
    let base = format!("/api/accounts/{}/menu", w.id);
    // Nothing published yet: import says so (46003).
    let body = assert_error(
        w.admin.post(&format!("{base}/import"), &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no menu published"),
        "{body}"
    );
    let v = json_of(
        w.admin
            .post(
                &format!("{base}/publish"),
                &json!({"buttons": menu(), "note": "first"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["number"], 1);
    let corp: Value = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/work/{}", w.app.base, w.corpid))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        without_empty_subs(corp["menus"][w.agentid.to_string()].clone()),
        menu(),
        "{corp}"
    );
    // Import reads it back as a version equal to what was published.
    let imported = json_of(
        w.admin.post(&format!("{base}/import"), &json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(imported["buttons"], menu());
    assert_eq!(imported["source"], "imported");
    // OA-only button types are refused before WeCom is called.
    let body = assert_error(
        w.admin
            .post(
                &format!("{base}/publish"),
                &json!({"buttons": [{"type": "media_id", "name": "素材", "media_id": "m"}]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(body["error"]["fields"][0]["field"], "button[0].type");
    // Delete: WeCom has no menu any more.
    let r = w.admin.delete(&base).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let corp: Value = crate::helpers::sim_http()
        .get(format!("{}/sandbox/_sim/work/{}", w.app.base, w.corpid))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(corp["menus"].get(w.agentid.to_string()).is_none(), "{corp}");
    let versions = json_of(
        w.admin.get(&format!("{base}/versions")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(versions.as_array().unwrap().len(), 3);
    assert_eq!(versions[0]["source"], "deleted");
}

#[tokio::test]
async fn a_menu_click_in_a_wecom_app_fires_its_reply_rule() {
    let w = work_sandbox().await;
    let base = format!("/api/accounts/{}/menu", w.id);
    json_of(
        w.admin
            .post(&format!("{base}/publish"), &json!({"buttons": menu()}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    add_rule(
        &w.app,
        w.id,
        json!({
            "name": "check in",
            "triggers": [{"type": "menu_click", "key": "CHECK_IN"}],
            "replies": [{"type": "text", "content": "已打卡"}]
        }),
    )
    .await;
    let r = json_of(
        w.admin
            .post(
                &format!("/api/accounts/{}/sandbox/act", w.id),
                &json!({"type": "click", "subject": "user01", "key": "CHECK_IN"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(r.to_string().contains("已打卡"), "{r}");
}

#[tokio::test]
async fn wecom_menu_events_and_entering_the_app_trigger_reply_rules() {
    let w = work_sandbox().await;
    let base = format!("/api/accounts/{}/menu", w.id);
    json_of(
        w.admin
            .post(&format!("{base}/publish"), &json!({"buttons": menu()}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let rule = |name: &str, trigger: Value, reply: &str| json!({"name": name, "triggers": [trigger], "replies": [{"type": "text", "content": reply}]});
    let view = add_rule(
        &w.app,
        w.id,
        rule(
            "portal opened",
            json!({"type": "menu_event", "event": "view", "key": "https://example.com/portal"}),
            "门户已打开",
        ),
    )
    .await;
    let enter = add_rule(
        &w.app,
        w.id,
        rule(
            "welcome",
            json!({"type": "menu_event", "event": "enter_agent"}),
            "欢迎使用",
        ),
    )
    .await;
    let click = add_rule(
        &w.app,
        w.id,
        rule(
            "any click",
            json!({"type": "menu_event", "event": "click"}),
            "收到点击",
        ),
    )
    .await;
    // A scan button's rule must not fire on a click with the same key.
    let scan = add_rule(
        &w.app,
        w.id,
        rule(
            "scan only",
            json!({"type": "menu_event", "event": "scancode_waitmsg", "key": "CHECK_IN"}),
            "扫码",
        ),
    )
    .await;
    let act = |body: Value| {
        let admin = &w.admin;
        let url = format!("/api/accounts/{}/sandbox/act", w.id);
        async move { json_of(admin.post(&url, &body).await, StatusCode::OK).await }
    };
    let r = act(json!({"type": "view", "subject": "user01", "url": "https://example.com/portal"}))
        .await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(r.to_string().contains("门户已打开"), "{r}");
    let r = act(json!({"type": "enter_agent", "subject": "user02"})).await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(r.to_string().contains("欢迎使用"), "{r}");
    let r = act(json!({"type": "click", "subject": "user03", "key": "CHECK_IN"})).await;
    assert_eq!(r["outcome"], "replied", "{r}");
    assert!(r.to_string().contains("收到点击"), "{r}");
    assert!(!r.to_string().contains("扫码"), "{r}");

    // Each rule's hits, as the portal counted them.
    let rules = json_of(
        w.admin
            .get(&format!("/api/accounts/{}/reply-rules", w.id))
            .await,
        StatusCode::OK,
    )
    .await;
    let hits = |id: i64| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("rule {id} in {rules}"))["hit_count"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        (hits(view), hits(enter), hits(click), hits(scan)),
        (1, 1, 1, 0)
    );
    // Unknown events and a key on enter_agent are refused by validation.
    for bad in [
        json!({"type": "menu_event", "event": "shake"}),
        json!({"type": "menu_event", "event": "enter_agent", "key": "K"}),
    ] {
        assert_error(
            w.admin
                .post(
                    &format!("/api/accounts/{}/reply-rules", w.id),
                    &rule("bad", bad, "x"),
                )
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    }
}
