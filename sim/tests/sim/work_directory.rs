//! WeCom's post-2022 directory rules: `user/list_id`, `department/simplelist`, restricted
//! fields for new apps, the contacts secret's lost listing APIs, secret roles, tag ownership.

use std::sync::Arc;

use serde_json::{Value, json};
use wechat::client::work::WorkClient;
use wechat::client::{BaseUrls, HttpCore};
use wechat::token::{MemoryTokenStore, TokenManager};
use wechat_sim::CorpConfig;

use crate::common::{TestSim, errcode, spawn_sim};

/// A corp with two departments, three members (one in two departments) and a console tag.
async fn corp(t: &TestSim, after_2022: bool) -> CorpConfig {
    let c = t.sim.create_corp(
        serde_json::from_value(json!({
            "name": "Acme", "apps": [{"name": "Desk"}], "created_after_2022": after_2022,
        }))
        .unwrap(),
    );
    t.sim.with(|s| {
        let corp = s.work.get_mut(&c.corpid).unwrap();
        for (id, parent) in [(2, 1), (3, 2)] {
            corp.departments.insert(
                id,
                serde_json::from_value(
                    json!({"id": id, "name": format!("D{id}"), "parentid": parent, "order": id * 10}),
                )
                .unwrap(),
            );
        }
        for (u, depts) in [("alice", vec![1, 2]), ("bob", vec![2]), ("carol", vec![3])] {
            corp.members.insert(
                u.into(),
                serde_json::from_value(json!({
                    "userid": u, "name": u.to_uppercase(), "department": depts,
                    "mobile": format!("1380000{:04}", u.len()), "email": format!("{u}@x.com"),
                    "gender": "2", "status": 1, "enable": 1, "main_department": 2,
                }))
                .unwrap(),
            );
        }
        corp.tags.insert(
            7,
            serde_json::from_value(json!({"tagid": 7, "tagname": "console"})).unwrap(),
        );
    });
    c
}

async fn token(t: &TestSim, corpid: &str, secret: &str) -> String {
    let v = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid={corpid}&corpsecret={secret}"
        ))
        .await;
    v["access_token"].as_str().unwrap().to_owned()
}

async fn wpost(t: &TestSim, path: &str, tok: &str, body: Value) -> Value {
    t.post_json(
        &format!("/qyapi.weixin.qq.com/cgi-bin/{path}?access_token={tok}"),
        body,
    )
    .await
}

async fn wget(t: &TestSim, path: &str, tok: &str, extra: &str) -> Value {
    t.get_json(&format!(
        "/qyapi.weixin.qq.com/cgi-bin/{path}?access_token={tok}{extra}"
    ))
    .await
}

#[tokio::test]
async fn list_id_pages_every_membership_by_cursor() {
    let t = spawn_sim().await;
    let c = corp(&t, false).await;
    let tok = token(&t, &c.corpid, &c.contacts_secret).await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let v = wpost(
            &t,
            "user/list_id",
            &tok,
            json!({"cursor": cursor, "limit": 2}),
        )
        .await;
        assert_eq!(errcode(&v), 0, "{v}");
        for p in v["dept_user"].as_array().unwrap() {
            seen.push((
                p["userid"].as_str().unwrap().to_owned(),
                p["department"].as_i64().unwrap(),
            ));
        }
        pages += 1;
        cursor = v["next_cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 2);
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("alice".into(), 1),
            ("alice".into(), 2),
            ("bob".into(), 2),
            ("carol".into(), 3)
        ]
    );
    for bad in [
        json!({"limit": 0}),
        json!({"limit": 10_001}),
        json!({"cursor": "zz"}),
    ] {
        assert_eq!(errcode(&wpost(&t, "user/list_id", &tok, bad).await), 40058);
    }
}

#[tokio::test]
async fn department_simplelist_has_ids_but_no_names() {
    let t = spawn_sim().await;
    let c = corp(&t, false).await;
    let tok = token(&t, &c.corpid, &c.contacts_secret).await;
    let v = wget(&t, "department/simplelist", &tok, "").await;
    assert_eq!(
        v["department_id"],
        json!([
            {"id": 1, "parentid": 0, "order": 100_000_000},
            {"id": 2, "parentid": 1, "order": 20},
            {"id": 3, "parentid": 2, "order": 30}
        ])
    );
    let v = wget(&t, "department/simplelist", &tok, "&id=2").await;
    assert_eq!(v["department_id"].as_array().unwrap().len(), 2);
    assert_eq!(
        errcode(&wget(&t, "department/simplelist", &tok, "&id=99").await),
        60123
    );
}

#[tokio::test]
async fn after_2022_contacts_secret_loses_listing_and_apps_lose_sensitive_fields() {
    let t = spawn_sim().await;
    let c = corp(&t, true).await;
    let contacts = token(&t, &c.corpid, &c.contacts_secret).await;
    let app = token(&t, &c.corpid, &c.apps[0].secret).await;
    for (path, q) in [
        ("user/list", "&department_id=1&fetch_child=1"),
        ("user/simplelist", "&department_id=1&fetch_child=1"),
        ("department/list", ""),
    ] {
        assert_eq!(
            errcode(&wget(&t, path, &contacts, q).await),
            48009,
            "{path}"
        );
    }
    // The compliant path works for the contacts secret.
    let v = wpost(&t, "user/list_id", &contacts, json!({"limit": 100})).await;
    assert_eq!(v["dept_user"].as_array().unwrap().len(), 4);
    assert_eq!(
        errcode(&wget(&t, "department/simplelist", &contacts, "").await),
        0
    );
    // The contacts secret still reads a member in full; the app does not.
    let full = wget(&t, "user/get", &contacts, "&userid=alice").await;
    assert_eq!(full["email"], "alice@x.com");
    let v = wget(&t, "user/get", &app, "&userid=alice").await;
    assert_eq!(
        (v["name"].as_str(), v["position"].as_str()),
        (Some("ALICE"), Some(""))
    );
    for k in ["mobile", "email", "gender", "avatar"] {
        assert!(v.get(k).is_none(), "{k} in {v}");
    }
    let v = wget(&t, "user/list", &app, "&department_id=1&fetch_child=1").await;
    let list = v["userlist"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list.iter()
            .all(|u| u.get("mobile").is_none() && u.get("email").is_none())
    );
    // A department's names come from department/list with the app secret.
    assert_eq!(
        wget(&t, "department/list", &app, "").await["department"][1]["name"],
        "D2"
    );
}

#[tokio::test]
async fn before_2022_everyone_lists_and_apps_see_everything() {
    let t = spawn_sim().await;
    let c = corp(&t, false).await;
    let contacts = token(&t, &c.corpid, &c.contacts_secret).await;
    let app = token(&t, &c.corpid, &c.apps[0].secret).await;
    let v = wget(&t, "user/list", &contacts, "&department_id=1&fetch_child=1").await;
    assert_eq!(v["userlist"].as_array().unwrap().len(), 3);
    let v = wget(&t, "user/list", &app, "&department_id=2").await;
    assert_eq!(v["userlist"][0]["mobile"], "13800000005");
}

#[tokio::test]
async fn contacts_secret_cannot_send_messages_or_set_menus() {
    let t = spawn_sim().await;
    let c = corp(&t, false).await;
    let contacts = token(&t, &c.corpid, &c.contacts_secret).await;
    let agent = c.apps[0].agentid;
    let v = wpost(
        &t,
        "message/send",
        &contacts,
        json!({"touser": "alice", "msgtype": "text", "agentid": agent, "text": {"content": "hi"}}),
    )
    .await;
    assert_eq!(errcode(&v), 48002);
    assert!(t.sim.work_inbox(&c.corpid, "alice").unwrap().is_empty());
    let v = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/menu/create?access_token={contacts}&agentid={agent}"
            ),
            json!({"button": [{"type": "click", "name": "a", "key": "k"}]}),
        )
        .await;
    assert_eq!(errcode(&v), 48002);
}

#[tokio::test]
async fn only_a_tags_creator_or_the_contacts_secret_changes_it() {
    let t = spawn_sim().await;
    let c = corp(&t, false).await;
    let contacts = token(&t, &c.corpid, &c.contacts_secret).await;
    let app = token(&t, &c.corpid, &c.apps[0].secret).await;
    // The console's tag: the app may read it but not change it.
    assert_eq!(errcode(&wget(&t, "tag/get", &app, "&tagid=7").await), 0);
    let rename = |tagid: i64| json!({"tagid": tagid, "tagname": format!("t{tagid}")});
    assert_eq!(
        errcode(&wpost(&t, "tag/update", &app, rename(7)).await),
        81011
    );
    let add = json!({"tagid": 7, "userlist": ["alice"]});
    assert_eq!(
        errcode(&wpost(&t, "tag/addtagusers", &app, add.clone()).await),
        81011
    );
    assert_eq!(
        errcode(&wget(&t, "tag/delete", &app, "&tagid=7").await),
        81011
    );
    assert_eq!(
        errcode(&wpost(&t, "tag/addtagusers", &contacts, add).await),
        0
    );
    // The app's own tag.
    let v = wpost(&t, "tag/create", &app, json!({"tagname": "mine"})).await;
    let mine = v["tagid"].as_i64().unwrap();
    assert_eq!(
        errcode(&wpost(&t, "tag/update", &app, rename(mine)).await),
        0
    );
    let v = wpost(
        &t,
        "tag/addtagusers",
        &app,
        json!({"tagid": mine, "userlist": ["bob", "ghost"], "partylist": [3, 99]}),
    )
    .await;
    assert_eq!(
        (v["invalidlist"].as_str(), &v["invalidparty"]),
        (Some("ghost"), &json!([99]))
    );
    assert_eq!(
        errcode(&wget(&t, "tag/delete", &app, &format!("&tagid={mine}")).await),
        0
    );
}

#[tokio::test]
async fn work_client_speaks_list_id_and_simplelist() {
    let t = spawn_sim().await;
    let c = corp(&t, true).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let client = WorkClient::new(
        core,
        tokens,
        c.corpid.as_str(),
        c.contacts_secret.as_str(),
        None,
    );
    let p1 = client.user_list_id("", 3).await.unwrap();
    assert_eq!(p1.dept_user.len(), 3);
    assert!(!p1.next_cursor.is_empty());
    let p2 = client.user_list_id(&p1.next_cursor, 3).await.unwrap();
    assert_eq!((p2.dept_user.len(), p2.next_cursor.as_str()), (1, ""));
    let ids = client.department_simple_list(None).await.unwrap();
    assert_eq!(ids.iter().map(|d| d.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    let err = client.user_list(1, true).await.unwrap_err();
    assert!(err.to_string().contains("48009"), "{err}");
}
