//! WeCom: tokens, directory, tags, app messages, menus, media, callbacks and change_contact.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wechat_sim::proto::crypto::MsgCrypt;
use wechat_sim::proto::sign::msg_signature;
use wechat_sim::{CorpConfig, MemberAction, Outcome};

use crate::common::{TestSim, errcode, query_map, spawn_receiver, spawn_sim, xml_field};

async fn corp(t: &TestSim) -> CorpConfig {
    t.sim.create_corp(
        serde_json::from_value(json!({"name": "Acme", "apps": [{"name": "Helpdesk"}]})).unwrap(),
    )
}

async fn token(t: &TestSim, corpid: &str, secret: &str) -> String {
    let v = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid={corpid}&corpsecret={secret}"
        ))
        .await;
    v["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_owned()
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
async fn gettoken_per_secret_and_errors() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let a = token(&t, &c.corpid, &c.contacts_secret).await;
    assert_eq!(
        a,
        token(&t, &c.corpid, &c.contacts_secret).await,
        "same token while valid"
    );
    let app = token(&t, &c.corpid, &c.apps[0].secret).await;
    assert_ne!(a, app);
    let v = t
        .get_json(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid={}&corpsecret=wrong",
            c.corpid
        ))
        .await;
    assert_eq!(errcode(&v), 40001);
    assert!(
        v["errmsg"]
            .as_str()
            .unwrap()
            .contains("more info at https://open.work.weixin.qq.com/devtool/query?e=40001")
    );
    assert_eq!(
        errcode(
            &t.get_json("/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=wwnope&corpsecret=x")
                .await
        ),
        40013
    );
    assert_eq!(
        errcode(
            &t.get_json("/qyapi.weixin.qq.com/cgi-bin/gettoken?corpsecret=x")
                .await
        ),
        41002
    );
    assert_eq!(
        errcode(
            &t.get_json(&format!(
                "/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid={}",
                c.corpid
            ))
            .await
        ),
        41004
    );
    assert_eq!(
        errcode(&wget(&t, "department/list", "bogus", "").await),
        40014
    );
    assert_eq!(
        errcode(
            &t.get_json("/qyapi.weixin.qq.com/cgi-bin/department/list")
                .await
        ),
        41001
    );
    t.post_json(
        "/_sim/faults",
        json!({"target": c.corpid, "kind": "ip_whitelist", "count": 1}),
    )
    .await;
    assert_eq!(errcode(&wget(&t, "department/list", &a, "").await), 60020);
    t.sim.advance(7200);
    assert_eq!(errcode(&wget(&t, "department/list", &a, "").await), 42001);
}

#[tokio::test]
async fn directory_changes_push_encrypted_change_contact() {
    let t = spawn_sim().await;
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let c = corp(&t).await;
    let c = t
        .sim
        .update_corp(
            &c.corpid,
            serde_json::from_value(json!({"contacts_callback": {"url": rx.url}})).unwrap(),
        )
        .unwrap();
    let tok = token(&t, &c.corpid, &c.contacts_secret).await;
    let v = wpost(
        &t,
        "department/create",
        &tok,
        json!({"name": "研发中心", "parentid": 1, "order": 1}),
    )
    .await;
    assert_eq!(v["errmsg"], "created");
    let dept = v["id"].as_i64().unwrap();
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "department/create",
                &tok,
                json!({"name": "研发中心", "parentid": 1})
            )
            .await
        ),
        60008
    );
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "department/create",
                &tok,
                json!({"name": "x", "parentid": 99})
            )
            .await
        ),
        60004
    );
    let sub = wpost(
        &t,
        "department/create",
        &tok,
        json!({"name": "后端", "parentid": dept}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let v = wpost(&t, "user/create", &tok, json!({"userid": "zhangsan", "name": "张三", "mobile": "13800000000", "department": [sub], "gender": "1"})).await;
    assert_eq!(v, json!({"errcode": 0, "errmsg": "created"}));
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "user/create",
                &tok,
                json!({"userid": "zhangsan", "name": "x", "mobile": "13900000000"})
            )
            .await
        ),
        60102
    );
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "user/create",
                &tok,
                json!({"userid": "lisi", "name": "李四"})
            )
            .await
        ),
        60129
    );
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "user/create",
                &tok,
                json!({"userid": "lisi", "name": "李四", "mobile": "13800000000"})
            )
            .await
        ),
        60104
    );
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "user/create",
                &tok,
                json!({"userid": "lisi", "name": "李四", "email": "l@x.com", "department": [42]})
            )
            .await
        ),
        60123
    );
    let u = wget(&t, "user/get", &tok, "&userid=zhangsan").await;
    assert_eq!(u["gender"], "1");
    assert_eq!(u["department"], json!([sub]));
    assert_eq!(
        errcode(&wget(&t, "user/get", &tok, "&userid=nobody").await),
        60111
    );
    // An app of a corp from before 2022 still sees every field (the post-2022 rules are
    // tested in work_directory.rs).
    let app_tok = token(&t, &c.corpid, &c.apps[0].secret).await;
    let u = wget(&t, "user/get", &app_tok, "&userid=zhangsan").await;
    assert_eq!(u["name"], "张三");
    assert_eq!(u["gender"], "1");
    let l = wget(
        &t,
        "user/simplelist",
        &tok,
        &format!("&department_id={dept}&fetch_child=1"),
    )
    .await;
    assert_eq!(l["userlist"][0]["userid"], "zhangsan");
    assert_eq!(
        wget(
            &t,
            "user/simplelist",
            &tok,
            &format!("&department_id={dept}&fetch_child=0")
        )
        .await["userlist"],
        json!([])
    );
    assert_eq!(
        wget(&t, "department/list", &tok, &format!("&id={dept}")).await["department"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        errcode(&wget(&t, "department/delete", &tok, &format!("&id={sub}")).await),
        60005
    );
    assert_eq!(
        errcode(&wget(&t, "department/delete", &tok, &format!("&id={dept}")).await),
        60006
    );
    assert_eq!(
        wpost(
            &t,
            "user/update",
            &tok,
            json!({"userid": "zhangsan", "position": "工程师"})
        )
        .await["errmsg"],
        "updated"
    );
    // An app secret cannot write the directory.
    let app = token(&t, &c.corpid, &c.apps[0].secret).await;
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "user/create",
                &app,
                json!({"userid": "w", "name": "w", "mobile": "1"})
            )
            .await
        ),
        60011
    );

    // Events arrive encrypted for the corp.
    for _ in 0..400 {
        if rx.received().len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    let crypt = MsgCrypt::new(
        &c.contacts_callback.token,
        &c.contacts_callback.encoding_aes_key,
        &c.corpid,
    )
    .unwrap();
    let mut changes = Vec::new();
    for r in rx.received() {
        let q = query_map(&r.query);
        let enc = xml_field(&r.body, "Encrypt").unwrap();
        assert_eq!(
            q["msg_signature"],
            msg_signature(
                &c.contacts_callback.token,
                &q["timestamp"],
                &q["nonce"],
                &enc
            )
        );
        let plain = crypt.decrypt(&enc).unwrap();
        assert_eq!(xml_field(&plain, "Event").unwrap(), "change_contact");
        changes.push(xml_field(&plain, "ChangeType").unwrap());
        if xml_field(&plain, "ChangeType").as_deref() == Some("create_user") {
            assert_eq!(xml_field(&plain, "UserID").unwrap(), "zhangsan");
            assert_eq!(xml_field(&plain, "Department").unwrap(), sub.to_string());
        }
    }
    changes.sort();
    assert_eq!(
        changes,
        ["create_party", "create_party", "create_user", "update_user"]
    );
}

#[tokio::test]
async fn tags_report_invalid_members() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let tok = token(&t, &c.corpid, &c.contacts_secret).await;
    wpost(
        &t,
        "user/create",
        &tok,
        json!({"userid": "u1", "name": "U1", "email": "u1@x.com"}),
    )
    .await;
    let v = wpost(&t, "tag/create", &tok, json!({"tagname": "UI"})).await;
    assert_eq!(v["errmsg"], "created");
    let id = v["tagid"].as_i64().unwrap();
    assert_eq!(
        errcode(&wpost(&t, "tag/create", &tok, json!({"tagname": "UI"})).await),
        40071
    );
    let v = wpost(
        &t,
        "tag/addtagusers",
        &tok,
        json!({"tagid": id, "userlist": ["u1", "nobody"], "partylist": [1, 99]}),
    )
    .await;
    assert_eq!(v["errcode"], 0);
    assert_eq!(v["invalidlist"], "nobody");
    assert_eq!(v["invalidparty"], json!([99]));
    assert_eq!(
        errcode(
            &wpost(
                &t,
                "tag/addtagusers",
                &tok,
                json!({"tagid": id, "userlist": ["x"]})
            )
            .await
        ),
        40070
    );
    let g = wget(&t, "tag/get", &tok, &format!("&tagid={id}")).await;
    assert_eq!(g["userlist"], json!([{"userid": "u1", "name": "U1"}]));
    assert_eq!(g["partylist"], json!([1]));
    assert_eq!(
        wget(&t, "tag/list", &tok, "").await["taglist"],
        json!([{"tagid": id, "tagname": "UI"}])
    );
    assert!(
        wpost(
            &t,
            "tag/deltagusers",
            &tok,
            json!({"tagid": id, "userlist": ["u1"]})
        )
        .await
        .get("invalidlist")
        .is_none()
    );
    assert_eq!(
        errcode(&wget(&t, "tag/get", &tok, "&tagid=999").await),
        40068
    );
}

#[tokio::test]
async fn message_send_resolves_receivers_and_reports_invalid() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let ct = token(&t, &c.corpid, &c.contacts_secret).await;
    let d = wpost(
        &t,
        "department/create",
        &ct,
        json!({"name": "Sales", "parentid": 1}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    wpost(
        &t,
        "user/create",
        &ct,
        json!({"userid": "a", "name": "A", "email": "a@x.com"}),
    )
    .await;
    wpost(
        &t,
        "user/create",
        &ct,
        json!({"userid": "b", "name": "B", "email": "b@x.com", "department": [d]}),
    )
    .await;
    let tag = wpost(&t, "tag/create", &ct, json!({"tagname": "t"})).await["tagid"]
        .as_i64()
        .unwrap();
    let agent = c.apps[0].agentid;
    let tok = token(&t, &c.corpid, &c.apps[0].secret).await;
    let long = "长".repeat(1000);
    let v = wpost(
        &t,
        "message/send",
        &tok,
        json!({"touser": "a|nobody", "toparty": format!("{d}|77"), "totag": format!("{tag}|88"), "msgtype": "text", "agentid": agent, "text": {"content": long}, "safe": 0}),
    )
    .await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["invaliduser"], "nobody");
    assert_eq!(v["invalidparty"], "77");
    assert_eq!(v["invalidtag"], "88");
    assert!(v["msgid"].is_string());
    let inbox = t.sim.work_inbox(&c.corpid, "b").unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        inbox[0].content["text"]["content"].as_str().unwrap().len(),
        2046,
        "cut at 2048 bytes"
    );
    let v = wpost(&t, "message/send", &tok, json!({"touser": "@all", "msgtype": "markdown", "agentid": agent, "markdown": {"content": "**hi**"}})).await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(t.sim.work_inbox(&c.corpid, "a").unwrap().len(), 2);
    // 30 messages per member and app per minute; the rest is dropped.
    for i in 0..35 {
        let v = wpost(&t, "message/send", &tok, json!({"touser": "b", "msgtype": "text", "agentid": agent, "text": {"content": format!("m{i}")}})).await;
        assert_eq!(errcode(&v), 0);
    }
    assert_eq!(t.sim.work_inbox(&c.corpid, "b").unwrap().len(), 30);
    let v = wpost(
        &t,
        "message/send",
        &tok,
        json!({"touser": "x|y", "msgtype": "text", "agentid": agent, "text": {"content": "hi"}}),
    )
    .await;
    assert_eq!(errcode(&v), 81013);
    let v = wpost(
        &t,
        "message/send",
        &tok,
        json!({"touser": "a", "msgtype": "text", "agentid": 1, "text": {"content": "hi"}}),
    )
    .await;
    assert_eq!(errcode(&v), 301002);
    let v = wpost(
        &t,
        "message/send",
        &tok,
        json!({"touser": "a", "msgtype": "bogus", "agentid": agent}),
    )
    .await;
    assert_eq!(errcode(&v), 40008);
}

#[tokio::test]
async fn member_actions_menus_and_url_verification() {
    let t = spawn_sim().await;
    let holder: Arc<Mutex<Option<CorpConfig>>> = Default::default();
    let h = holder.clone();
    let rx = spawn_receiver(move |r, _| {
        let c = h.lock().unwrap().clone().unwrap();
        let cb = &c.apps[0].callback;
        let crypt = MsgCrypt::new(&cb.token, &cb.encoding_aes_key, &c.corpid).unwrap();
        let q = query_map(&r.query);
        if r.method == "GET" {
            let plain = crypt.verify_and_decrypt(&q["msg_signature"], &q["timestamp"], &q["nonce"], &q["echostr"]).unwrap();
            return (200, plain, 0);
        }
        let enc = xml_field(&r.body, "Encrypt").unwrap();
        let plain = crypt.verify_and_decrypt(&q["msg_signature"], &q["timestamp"], &q["nonce"], &enc).unwrap();
        if xml_field(&plain, "MsgType").as_deref() != Some("text") {
            return (200, String::new(), 0);
        }
        let reply = format!(
            "<xml><ToUserName><![CDATA[{}]]></ToUserName><FromUserName><![CDATA[{}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[echo {}]]></Content></xml>",
            xml_field(&plain, "FromUserName").unwrap(),
            c.corpid,
            xml_field(&plain, "Content").unwrap()
        );
        let e = crypt.encrypt(&reply);
        let sig = crypt.signature("1", "n", &e);
        (200, format!("<xml><Encrypt><![CDATA[{e}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature><TimeStamp>1</TimeStamp><Nonce><![CDATA[n]]></Nonce></xml>"), 0)
    })
    .await;
    let c = corp(&t).await;
    let agent = c.apps[0].agentid;
    let c = t
        .sim
        .update_corp(&c.corpid, serde_json::from_value(json!({"apps": [{"agentid": agent, "secret": c.apps[0].secret, "callback": {"url": rx.url}}]})).unwrap())
        .unwrap();
    *holder.lock().unwrap() = Some(c.clone());
    let v = t
        .post_json(
            &format!("/_sim/work/{}/verify_url", c.corpid),
            json!({"agentid": agent}),
        )
        .await;
    assert_eq!(v["ok"], true, "{v}");

    let ct = token(&t, &c.corpid, &c.contacts_secret).await;
    wpost(
        &t,
        "user/create",
        &ct,
        json!({"userid": "m1", "name": "M", "email": "m@x.com"}),
    )
    .await;
    let tok = token(&t, &c.corpid, &c.apps[0].secret).await;
    assert_eq!(
        errcode(&wget(&t, "menu/get", &tok, &format!("&agentid={agent}")).await),
        46003
    );
    let v = t
        .post_json(
            &format!("/qyapi.weixin.qq.com/cgi-bin/menu/create?access_token={tok}&agentid={agent}"),
            json!({"button": [{"type": "click", "name": "今日", "key": "K"}]}),
        )
        .await;
    assert_eq!(errcode(&v), 0);
    assert_eq!(
        wget(&t, "menu/get", &tok, &format!("&agentid={agent}")).await["button"][0]["key"],
        "K"
    );

    let r = t
        .sim
        .work_act(
            &c.corpid,
            agent,
            "m1",
            MemberAction::Text {
                content: "hi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        r.delivery.outcome,
        Outcome::Replied,
        "{:?}",
        r.delivery.reply_error
    );
    assert_eq!(
        xml_field(&r.delivery.body, "AgentID").unwrap(),
        agent.to_string()
    );
    assert_eq!(
        xml_field(&r.delivery.message, "AgentID").unwrap(),
        agent.to_string()
    );
    assert_eq!(
        t.sim.work_inbox(&c.corpid, "m1").unwrap()[0].content["Content"],
        "echo hi"
    );
    let r = t
        .sim
        .work_act(
            &c.corpid,
            agent,
            "m1",
            MemberAction::Click { key: "K".into() },
        )
        .await
        .unwrap();
    assert_eq!(xml_field(&r.delivery.message, "Event").unwrap(), "click");
    assert_eq!(r.delivery.outcome, Outcome::NoReply);
    assert!(
        t.sim
            .work_act(
                &c.corpid,
                agent,
                "m1",
                MemberAction::Click { key: "nope".into() }
            )
            .await
            .is_err()
    );
    let r = t
        .sim
        .work_act(&c.corpid, agent, "m1", MemberAction::EnterAgent)
        .await
        .unwrap();
    assert_eq!(
        xml_field(&r.delivery.message, "Event").unwrap(),
        "enter_agent"
    );
    assert_eq!(
        errcode(&wget(&t, "menu/delete", &tok, &format!("&agentid={agent}")).await),
        0
    );
}

#[tokio::test]
async fn media_upload_get_and_expiry() {
    let t = spawn_sim().await;
    let c = corp(&t).await;
    let tok = token(&t, &c.corpid, &c.apps[0].secret).await;
    let form = || {
        reqwest::multipart::Form::new().part(
            "media",
            reqwest::multipart::Part::bytes(b"\x89PNG fake image".to_vec())
                .file_name("a.png")
                .mime_str("image/png")
                .unwrap(),
        )
    };
    let v: Value = t
        .http
        .post(t.url(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/media/upload?access_token={tok}&type=image"
        )))
        .multipart(form())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["type"], "image");
    assert!(v["created_at"].is_string(), "created_at is a string: {v}");
    let id = v["media_id"].as_str().unwrap().to_owned();
    let r = t
        .http
        .get(t.url(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/media/get?access_token={tok}&media_id={id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(&r.bytes().await.unwrap()[..], b"\x89PNG fake image");
    let v: Value = t
        .http
        .post(t.url(&format!(
            "/qyapi.weixin.qq.com/cgi-bin/media/upload?access_token={tok}&type=bogus"
        )))
        .multipart(form())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(errcode(&v), 40004);
    t.sim.advance(3 * 86_400);
    let tok = token(&t, &c.corpid, &c.apps[0].secret).await;
    let v = wget(&t, "media/get", &tok, &format!("&media_id={id}")).await;
    assert_eq!(errcode(&v), 40007);
}
