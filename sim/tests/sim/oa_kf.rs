//! Customer-service accounts: kfaccount/add|update|del|inviteworker|uploadheadimg, getkflist,
//! getonlinekflist, and sending as an account through message/custom/send.

use serde_json::{Value, json};

use crate::common::{errcode, spawn_sim};

fn kf_list(v: &Value) -> Vec<Value> {
    v["kf_list"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn accounts_are_added_invited_bound_updated_and_deleted() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let add = |kf: &'static str, nick: &'static str| {
        let tok = tok.clone();
        let t = &t;
        async move {
            t.oa_post(
                "/customservice/kfaccount/add",
                &tok,
                json!({"kf_account": kf, "nickname": nick}),
            )
            .await
        }
    };
    assert_eq!(errcode(&add("alice@gzh_demo", "小爱").await), 0);
    assert_eq!(errcode(&add("alice@gzh_demo", "again").await), 65406);
    assert_eq!(errcode(&add("no-at-sign", "x").await), 65401);
    assert_eq!(errcode(&add("waytoolongprefix@gzh", "x").await), 65401);
    assert_eq!(errcode(&add("bob@gzh_demo", "").await), 65403);
    assert_eq!(
        errcode(&add("bob@gzh_demo", "一二三四五六七八九十一二三四五六七").await),
        65403
    );
    assert_eq!(errcode(&add("bob@gzh_demo", "小波").await), 0);

    let list = t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await;
    let l = kf_list(&list);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["kf_account"], "alice@gzh_demo");
    assert_eq!(l[0]["kf_nick"], "小爱");
    assert_eq!(l[0]["kf_id"], "1001");
    assert_eq!(l[1]["kf_id"], "1002");
    assert_eq!(l[0]["kf_headimgurl"], "");
    assert!(l[0].get("kf_wx").is_none());

    // Invitation: checked, pending, then accepted by the WeChat user.
    let invite = |kf: &'static str, wx: &'static str| {
        let tok = tok.clone();
        let t = &t;
        async move {
            t.oa_post(
                "/customservice/kfaccount/inviteworker",
                &tok,
                json!({"kf_account": kf, "invite_wx": wx}),
            )
            .await
        }
    };
    assert_eq!(errcode(&invite("alice@gzh_demo", "1bad").await), 65409);
    assert_eq!(errcode(&invite("nobody@gzh_demo", "alice_wx").await), 65401);
    assert_eq!(errcode(&invite("alice@gzh_demo", "alice_wx").await), 0);
    assert_eq!(errcode(&invite("alice@gzh_demo", "alice_wx").await), 65408);
    assert_eq!(errcode(&invite("alice@gzh_demo", "other_wx").await), 65411);
    let l = kf_list(&t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await);
    assert_eq!(l[0]["invite_wx"], "alice_wx");
    assert_eq!(l[0]["invite_status"], "waiting");
    assert!(l[0]["invite_expire_time"].as_i64().unwrap() > 0);
    // Nobody is online before binding.
    let online = t
        .oa_get("/cgi-bin/customservice/getonlinekflist", &tok, "")
        .await;
    assert_eq!(online["kf_online_list"], json!([]));
    t.post_json(
        &format!("/_sim/oa/{}/kf/accept", cfg.appid),
        json!({"kf_account": "alice@gzh_demo"}),
    )
    .await;
    let l = kf_list(&t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await);
    assert_eq!(l[0]["kf_wx"], "alice_wx");
    assert!(l[0].get("invite_wx").is_none());
    assert_eq!(errcode(&invite("alice@gzh_demo", "alice_wx2").await), 65412);
    // The same WeChat user cannot work for two accounts of this Official Account.
    assert_eq!(errcode(&invite("bob@gzh_demo", "alice_wx").await), 65407);
    t.post_json(
        &format!("/_sim/oa/{}/kf/status", cfg.appid),
        json!({"kf_account": "alice@gzh_demo", "status": 1}),
    )
    .await;
    let online = t
        .oa_get("/cgi-bin/customservice/getonlinekflist", &tok, "")
        .await;
    assert_eq!(
        online["kf_online_list"],
        json!([{"kf_account": "alice@gzh_demo", "status": 1, "kf_id": "1001", "accepted_case": 0}])
    );

    // Nickname update.
    assert_eq!(
        errcode(
            &t.oa_post(
                "/customservice/kfaccount/update",
                &tok,
                json!({"kf_account": "bob@gzh_demo", "nickname": "波波"}),
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/customservice/kfaccount/update",
                &tok,
                json!({"kf_account": "nobody@gzh_demo", "nickname": "x"}),
            )
            .await
        ),
        65401
    );
    let l = kf_list(&t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await);
    assert_eq!(l[1]["kf_nick"], "波波");

    // Avatar: multipart `media`, jpg or png.
    let upload = |name: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "media",
            reqwest::multipart::Part::bytes(vec![0xffu8, 0xd8, 0xff, 0xe0, 1, 2, 3])
                .file_name(name),
        );
        t.http
            .post(t.url(&format!(
                "/api.weixin.qq.com/customservice/kfaccount/uploadheadimg?access_token={tok}&kf_account=bob@gzh_demo"
            )))
            .multipart(form)
            .send()
    };
    let v: Value = upload("a.gif").await.unwrap().json().await.unwrap();
    assert_eq!(errcode(&v), 40005);
    let v: Value = upload("a.jpg").await.unwrap().json().await.unwrap();
    assert_eq!(errcode(&v), 0);
    let l = kf_list(&t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await);
    assert!(
        l[1]["kf_headimgurl"]
            .as_str()
            .unwrap()
            .starts_with("http://mmbiz.qpic.cn/")
    );

    // Delete (GET with ?kf_account=).
    assert_eq!(
        errcode(
            &t.oa_get(
                "/customservice/kfaccount/del",
                &tok,
                "&kf_account=bob@gzh_demo"
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_get(
                "/customservice/kfaccount/del",
                &tok,
                "&kf_account=bob@gzh_demo"
            )
            .await
        ),
        65401
    );
    let l = kf_list(&t.oa_get("/cgi-bin/customservice/getkflist", &tok, "").await);
    assert_eq!(l.len(), 1);
    // Without a token: 41001, as every API.
    assert_eq!(
        errcode(
            &t.get_json("/api.weixin.qq.com/cgi-bin/customservice/getkflist")
                .await
        ),
        41001
    );
}

#[tokio::test]
async fn a_custom_message_sent_as_an_account_carries_it() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let openid = t.subscribe(&cfg.appid).await;
    t.oa_post(
        "/customservice/kfaccount/add",
        &tok,
        json!({"kf_account": "alice@gzh_demo", "nickname": "小爱"}),
    )
    .await;
    let msg = |kf: &str| {
        json!({"touser": openid, "msgtype": "text", "text": {"content": "您好"},
               "customservice": {"kf_account": kf}})
    };
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/message/custom/send", &tok, msg("ghost@gzh_demo"))
                .await
        ),
        65401
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/message/custom/send", &tok, msg("alice@gzh_demo"))
                .await
        ),
        0
    );
    let inbox = t
        .get_json(&format!("/_sim/oa/{}/followers/{openid}/inbox", cfg.appid))
        .await;
    let last = inbox.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["source"], "custom");
    assert_eq!(last["kf_account"], "alice@gzh_demo");
    assert_eq!(last["content"]["content"], "您好");
}
