//! Members' extended attributes (扩展属性) and invitations (`batch/invite`): what reaches the
//! emulator's corp, what the mirror keeps, and the coded refusals.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_error, json_of};
use crate::wecom_contacts::demo;

fn codes(e: &Value) -> Vec<(String, String)> {
    e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn extended_attributes_reach_wecom_and_the_mirror() {
    let c = demo().await;
    let s = c.sync().await;
    assert_eq!(s["job"]["status"], "succeeded", "{s}");
    // The demo corp's members carry their 工号, read by the sync.
    let m = c.member("user01").await.unwrap();
    assert_eq!(
        m["extattr"],
        json!([{"name": "工号", "kind": "text", "value": "E0001", "url": "", "title": "", "appid": "", "pagepath": ""}])
    );

    // WeCom's rules, checked before anything is sent, as coded field issues.
    let mut bad = json!({
        "userid": "ext.bad", "name": "扩展", "mobile": "13900000001",
        "departments": [{"id": 2, "is_leader": false}], "main_department": 2,
        "extattr": [
            {"name": "", "kind": "text", "value": "x"},
            {"name": "个人主页", "kind": "web", "url": "ftp://example.com", "title": ""},
            {"name": "工作台", "kind": "miniprogram", "appid": "gh_1", "title": "十三个字十三个字十三个字十"},
        ],
    });
    let e = assert_error(
        c.admin.post(&c.url("/members"), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let want: Vec<(String, String)> = [
        ("extattr.0.name", "required"),
        ("extattr.1.title", "required"),
        ("extattr.1.url", "extattr_url"),
        ("extattr.2.appid", "extattr_appid"),
        ("extattr.2.title", "too_long"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(codes(&e), want);
    assert!(c.wx().await["members"].get("ext.bad").is_none());

    // A member with the three kinds, and one name the corp's admin never added.
    bad["userid"] = json!("ext.ok");
    bad["extattr"] = json!([
        {"name": "工号", "kind": "text", "value": "Q-007"},
        {"name": "个人主页", "kind": "web", "url": "https://example.com/q", "title": "主页"},
        {"name": "工作台", "kind": "miniprogram", "appid": "wx1234567890abcdef", "pagepath": "/pages/i", "title": "工作台"},
        {"name": "爱好", "kind": "text", "value": "围棋"},
    ]);
    let created = json_of(
        c.admin.post(&c.url("/members"), &bad).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["extattr_ignored"], json!(["爱好"]), "{created}");
    assert_eq!(created["extattr"].as_array().unwrap().len(), 3, "{created}");
    let w = c.wx().await["members"]["ext.ok"]["extattr"].clone();
    assert_eq!(
        w,
        json!([
            {"type": 0, "name": "工号", "text": {"value": "Q-007"}},
            {"type": 1, "name": "个人主页", "web": {"url": "https://example.com/q", "title": "主页"}},
            {"type": 2, "name": "工作台", "miniprogram": {"appid": "wx1234567890abcdef", "pagepath": "/pages/i", "title": "工作台"}},
        ])
    );
    // A new member has not joined WeCom yet.
    assert_eq!(created["status"], "not_joined");

    // An edit sets exactly the attributes sent: the others are cleared at WeCom.
    let mut edit = bad.clone();
    edit["extattr"] = json!([{"name": "工号", "kind": "text", "value": "Q-008"}]);
    let edited = json_of(
        c.admin
            .request("PUT", &c.url("/members/ext.ok"), Some(&edit))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        c.wx().await["members"]["ext.ok"]["extattr"],
        json!([{"type": 0, "name": "工号", "text": {"value": "Q-008"}}])
    );
    assert_eq!(edited["extattr"][0]["value"], "Q-008");
    assert_eq!(edited["extattr"].as_array().unwrap().len(), 1);
    assert!(edited.get("extattr_ignored").is_none(), "{edited}");

    // An edit without `extattr` leaves WeCom's as they are.
    let mut keep = bad.clone();
    keep.as_object_mut().unwrap().remove("extattr");
    keep["position"] = json!("顾问");
    json_of(
        c.admin
            .request("PUT", &c.url("/members/ext.ok"), Some(&keep))
            .await,
        StatusCode::OK,
    )
    .await;
    let w = c.wx().await;
    assert_eq!(w["members"]["ext.ok"]["position"], "顾问");
    assert_eq!(
        w["members"]["ext.ok"]["extattr"][0]["text"]["value"],
        "Q-008"
    );
    let m = c.member("ext.ok").await.unwrap();
    assert_eq!(m["extattr"][0]["value"], "Q-008", "{m}");
}

#[tokio::test]
async fn invitations_reach_the_not_joined_and_name_what_wecom_refused() {
    let c = demo().await;
    let s = c.sync().await;
    assert_eq!(s["job"]["status"], "succeeded", "{s}");
    let m = json!({
        "userid": "invitee", "name": "新人", "email": "invitee@demo.example",
        "departments": [{"id": 2, "is_leader": false}], "main_department": 2,
    });
    let created = json_of(
        c.admin.post(&c.url("/members"), &m).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["status"], "not_joined");

    // Nothing chosen: a coded refusal, no call.
    let e = assert_error(
        c.admin.post(&c.url("/invite"), &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(codes(&e), vec![("userids".into(), "invite_empty".into())]);

    // Who WeCom should invite: the not-joined among the members named, in tag 2 and in the
    // subtree of a not-joined demo member's department (read from the emulator before the call).
    let before = c.wx().await;
    assert_eq!(before["members"]["user47"]["status"], 4);
    let dept = before["members"]["user47"]["main_department"]
        .as_i64()
        .unwrap();
    let subtree = |root: i64| -> BTreeSet<i64> {
        let mut out = BTreeSet::from([root]);
        loop {
            let more: Vec<i64> = before["departments"]
                .as_object()
                .unwrap()
                .values()
                .filter(|d| out.contains(&d["parentid"].as_i64().unwrap()))
                .map(|d| d["id"].as_i64().unwrap())
                .filter(|id| !out.contains(id))
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    };
    let depts = subtree(dept);
    let tagged: Vec<String> = before["tags"]["2"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    let members = before["members"].as_object().unwrap();
    let expected: BTreeSet<String> = members
        .iter()
        .filter(|(u, m)| {
            let named = ["invitee", "user01"].contains(&u.as_str());
            let in_dept = m["department"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| depts.contains(&d.as_i64().unwrap()));
            (named || in_dept || tagged.contains(u)) && m["status"] == 4
        })
        .map(|(u, _)| u.clone())
        .collect();
    assert!(expected.contains("invitee"));
    assert!(expected.contains("user47"), "{expected:?}");
    assert!(
        !expected.contains("user01"),
        "an active member is not invited"
    );

    let r = json_of(
        c.admin
            .post(
                &c.url("/invite"),
                &json!({"userids": ["invitee", "user01", "ghost"], "department_ids": [dept, 9999], "tag_ids": [2, 777]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        r,
        json!({"invalid_userids": ["ghost"], "invalid_department_ids": [9999], "invalid_tag_ids": [777]})
    );
    let after = c.wx().await;
    let invited: BTreeSet<String> = after["members"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, m)| !m["invited"].as_array().unwrap().is_empty())
        .map(|(u, _)| u.clone())
        .collect();
    assert_eq!(invited, expected);
    // Inviting changes nothing in the mirror: the member joins later.
    assert_eq!(c.member("invitee").await.unwrap()["status"], "not_joined");
}
