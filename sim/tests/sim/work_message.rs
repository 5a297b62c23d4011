//! WeCom app messages: receiver limits, per-member rate limits, recall, statistics and the
//! contacts secret's lack of send rights.

use serde_json::{Value, json};
use wechat_sim::CorpConfig;

use crate::common::{TestSim, errcode, spawn_sim};

struct Corp {
    cfg: CorpConfig,
    contacts: String,
    app: String,
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

/// A corp with members `a` and `b` in the root department.
async fn corp(t: &TestSim) -> Corp {
    let cfg = t.sim.create_corp(
        serde_json::from_value(json!({"name": "Acme", "apps": [{"name": "Helpdesk"}]})).unwrap(),
    );
    let contacts = token(t, &cfg.corpid, &cfg.contacts_secret).await;
    for u in ["a", "b"] {
        let v = wpost(
            t,
            "user/create",
            &contacts,
            json!({"userid": u, "name": u, "email": format!("{u}@x.com")}),
        )
        .await;
        assert_eq!(errcode(&v), 0, "{v}");
    }
    let app = token(t, &cfg.corpid, &cfg.apps[0].secret).await;
    Corp { cfg, contacts, app }
}

fn text(agent: i64, to: &str, content: &str) -> Value {
    json!({"touser": to, "msgtype": "text", "agentid": agent, "text": {"content": content}})
}

#[tokio::test]
async fn receiver_lists_over_the_limits_are_refused() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    let users: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let v = wpost(
        &t,
        "message/send",
        &c.app,
        text(agent, &users.join("|"), "x"),
    )
    .await;
    assert_eq!(errcode(&v), 82001, "{v}");
    let tags: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let mut body = text(agent, "a", "x");
    body["totag"] = json!(tags.join("|"));
    assert_eq!(
        errcode(&wpost(&t, "message/send", &c.app, body).await),
        82001
    );
    let mut body = text(agent, "a", "x");
    body["toparty"] = json!(tags.join("|"));
    assert_eq!(
        errcode(&wpost(&t, "message/send", &c.app, body).await),
        82001
    );
    // Exactly 1000 users is allowed (all unknown but `a`).
    let mut users: Vec<String> = (0..999).map(|i| format!("u{i}")).collect();
    users.push("a".into());
    let v = wpost(
        &t,
        "message/send",
        &c.app,
        text(agent, &users.join("|"), "x"),
    )
    .await;
    assert_eq!(errcode(&v), 0, "{v}");
    assert_eq!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().len(), 1);
}

#[tokio::test]
async fn the_contacts_secret_cannot_send() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    let v = wpost(&t, "message/send", &c.contacts, text(agent, "a", "x")).await;
    assert_eq!(errcode(&v), 48002, "{v}");
    let v = wpost(&t, "message/recall", &c.contacts, json!({"msgid": "x"})).await;
    assert_eq!(errcode(&v), 48002, "{v}");
    assert!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().is_empty());
}

#[tokio::test]
async fn one_member_gets_at_most_1000_an_hour_from_one_app() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    // 34 minutes of 30 a minute = 1020 sends: the last 20 are dropped silently.
    for minute in 0..34 {
        for i in 0..30 {
            let v = wpost(
                &t,
                "message/send",
                &c.app,
                text(agent, "a", &format!("{minute}.{i}")),
            )
            .await;
            assert_eq!(errcode(&v), 0, "{v}");
        }
        t.sim.advance(61);
    }
    assert_eq!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().len(), 1000);
    // An hour after the first ones, the member receives again.
    t.sim.advance(3600);
    let tok = token(&t, &c.cfg.corpid, &c.cfg.apps[0].secret).await;
    let v = wpost(&t, "message/send", &tok, text(agent, "a", "again")).await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().len(), 1001);
}

#[tokio::test]
async fn recall_removes_the_message_within_24_hours() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    let v = wpost(&t, "message/send", &c.app, text(agent, "a|b", "oops")).await;
    let msgid = v["msgid"].as_str().unwrap().to_owned();
    let keep = wpost(&t, "message/send", &c.app, text(agent, "a", "keep")).await;
    assert_eq!(errcode(&keep), 0);
    assert_eq!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().len(), 2);
    let v = wpost(&t, "message/recall", &c.app, json!({"msgid": msgid})).await;
    assert_eq!(errcode(&v), 0, "{v}");
    let a = t.sim.work_inbox(&c.cfg.corpid, "a").unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].content["text"]["content"], "keep");
    assert!(t.sim.work_inbox(&c.cfg.corpid, "b").unwrap().is_empty());
    // Twice, or an unknown id: refused.
    let v = wpost(&t, "message/recall", &c.app, json!({"msgid": msgid})).await;
    assert_eq!(errcode(&v), 40058);
    // Past 24 hours: refused, the message stays.
    let old = keep["msgid"].as_str().unwrap().to_owned();
    t.sim.advance(86_401);
    let tok = token(&t, &c.cfg.corpid, &c.cfg.apps[0].secret).await;
    let v = wpost(&t, "message/recall", &tok, json!({"msgid": old})).await;
    assert_eq!(errcode(&v), 40058);
    assert_eq!(t.sim.work_inbox(&c.cfg.corpid, "a").unwrap().len(), 1);
}

#[tokio::test]
async fn statistics_count_deliveries_per_app_and_day() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    let v = wpost(
        &t,
        "message/get_statistics",
        &c.app,
        json!({"time_type": 0}),
    )
    .await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(v["statistics"], json!([]));
    wpost(&t, "message/send", &c.app, text(agent, "a|b", "1")).await;
    wpost(&t, "message/send", &c.app, text(agent, "a|nobody", "2")).await;
    let v = wpost(
        &t,
        "message/get_statistics",
        &c.app,
        json!({"time_type": 0}),
    )
    .await;
    assert_eq!(
        v["statistics"],
        json!([{"agentid": agent, "app_name": "Helpdesk", "count": 3}])
    );
    t.sim.advance(86_400);
    let tok = token(&t, &c.cfg.corpid, &c.cfg.apps[0].secret).await;
    let v = wpost(&t, "message/get_statistics", &tok, json!({"time_type": 1})).await;
    assert_eq!(v["statistics"][0]["count"], 3);
    let v = wpost(&t, "message/get_statistics", &tok, json!({"time_type": 0})).await;
    assert_eq!(v["statistics"], json!([]));
    let v = wpost(&t, "message/get_statistics", &tok, json!({"time_type": 7})).await;
    assert_eq!(errcode(&v), 40058);
}

#[tokio::test]
async fn app_menus_per_agent_and_46003_without_one() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let agent = c.cfg.apps[0].agentid;
    let get = |tok: String| {
        let t = &t;
        async move {
            t.get_json(&format!(
                "/qyapi.weixin.qq.com/cgi-bin/menu/get?access_token={tok}&agentid={agent}"
            ))
            .await
        }
    };
    assert_eq!(errcode(&get(c.app.clone()).await), 46003);
    let menu = json!({"button": [{"type": "click", "name": "Today", "key": "K1"},
        {"name": "More", "sub_button": [{"type": "view", "name": "Site", "url": "https://example.com/"}]}]});
    let v = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/menu/create?access_token={}&agentid={agent}",
                c.app
            ),
            menu.clone(),
        )
        .await;
    assert_eq!(errcode(&v), 0, "{v}");
    let v = get(c.app.clone()).await;
    assert_eq!(v["button"][0]["key"], "K1");
    assert_eq!(
        v["button"][1]["sub_button"][0]["url"],
        "https://example.com/"
    );
    // Another app's agentid with this token: 301002; the contacts secret: 48002.
    let v = t
        .post_json(
            &format!(
                "/qyapi.weixin.qq.com/cgi-bin/menu/create?access_token={}&agentid=1",
                c.app
            ),
            menu.clone(),
        )
        .await;
    assert_eq!(errcode(&v), 301002);
    assert_eq!(errcode(&get(c.contacts.clone()).await), 48002);
    let v = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/menu/delete?access_token={}&agentid={agent}",
            c.app
        ))
        .await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(errcode(&get(c.app.clone()).await), 46003);
}
