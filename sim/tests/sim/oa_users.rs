//! Followers, tags, legacy groups and custom messages.

use serde_json::{Value, json};

use crate::common::{errcode, spawn_sim};

#[tokio::test]
async fn user_get_pages_of_10000_then_count_zero() {
    let t = spawn_sim().await;
    let followers: Vec<Value> = (0..10_001)
        .map(|i| json!({"openid": format!("o{:027}", i)}))
        .collect();
    let v = t
        .post_json(
            "/_sim/seed",
            json!({"oa": [{"appid": "wx1234567890abcdef", "followers": followers}]}),
        )
        .await;
    let secret = v["oa"][0]["secret"].as_str().unwrap().to_owned();
    let tok = t
        .get_json(&format!(
            "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1234567890abcdef&secret={secret}"
        ))
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Raw bytes in WeChat's key order.
    let raw = t
        .http
        .get(t.url(&format!(
            "/api.weixin.qq.com/cgi-bin/user/get?access_token={tok}"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        raw.starts_with(r#"{"total":10001,"count":10000,"data":{"openid":["o"#),
        "{}",
        &raw[..60]
    );
    assert!(raw.ends_with(&format!(r#""]}},"next_openid":"o{:027}"}}"#, 9_999)));
    let p1 = t.oa_get("/cgi-bin/user/get", &tok, "").await;
    assert_eq!(p1["total"], 10_001);
    assert_eq!(p1["count"], 10_000);
    assert_eq!(p1["data"]["openid"].as_array().unwrap().len(), 10_000);
    let next = p1["next_openid"].as_str().unwrap().to_owned();
    assert_eq!(next, format!("o{:027}", 9_999));
    let p2 = t
        .oa_get("/cgi-bin/user/get", &tok, &format!("&next_openid={next}"))
        .await;
    assert_eq!(p2["count"], 1);
    let p3 = t
        .oa_get(
            "/cgi-bin/user/get",
            &tok,
            &format!("&next_openid={}", p2["next_openid"].as_str().unwrap()),
        )
        .await;
    assert_eq!(p3["count"], 0);
    assert!(p3.get("data").is_none());
}

#[tokio::test]
async fn user_info_batchget_remark() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let a = t.subscribe(&cfg.appid).await;
    let b = t.subscribe(&cfg.appid).await;
    let v = t
        .oa_get(
            "/cgi-bin/user/info",
            &tok,
            &format!("&openid={a}&lang=zh_CN"),
        )
        .await;
    assert_eq!(v["subscribe"], 1);
    assert_eq!(v["openid"], a);
    assert_eq!(v["subscribe_scene"], "ADD_SCENE_SEARCH");
    assert!(v["subscribe_time"].as_i64().unwrap() > 1_600_000_000);
    assert!(v.get("nickname").is_none());
    assert_eq!(
        errcode(
            &t.oa_get("/cgi-bin/user/info", &tok, "&openid=onobody")
                .await
        ),
        40003
    );

    let v = t
        .oa_post(
            "/cgi-bin/user/info/batchget",
            &tok,
            json!({"user_list": [{"openid": a}, {"openid": b}]}),
        )
        .await;
    assert_eq!(v["user_info_list"].as_array().unwrap().len(), 2);
    let many: Vec<Value> = (0..101).map(|_| json!({"openid": a})).collect();
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/user/info/batchget",
                &tok,
                json!({"user_list": many})
            )
            .await
        ),
        40032
    );

    let v = t
        .oa_post(
            "/cgi-bin/user/info/updateremark",
            &tok,
            json!({"openid": a, "remark": "老客户"}),
        )
        .await;
    assert_eq!(v, json!({"errcode": 0, "errmsg": "ok"}));
    assert_eq!(
        t.oa_get("/cgi-bin/user/info", &tok, &format!("&openid={a}"))
            .await["remark"],
        "老客户"
    );

    t.sim
        .oa_act(
            &cfg.appid,
            Some(&b),
            wechat_sim::FollowerAction::Unsubscribe,
        )
        .await
        .unwrap();
    let v = t
        .oa_get("/cgi-bin/user/info", &tok, &format!("&openid={b}"))
        .await;
    assert_eq!(v["subscribe"], 0);
    assert!(v.get("subscribe_time").is_none());
    let v = t.oa_get("/cgi-bin/user/get", &tok, "").await;
    assert_eq!(v["total"], 1);
}

#[tokio::test]
async fn tags_lifecycle_and_limits() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let a = t.subscribe(&cfg.appid).await;
    let v = t
        .oa_post(
            "/cgi-bin/tags/create",
            &tok,
            json!({"tag": {"name": "广东"}}),
        )
        .await;
    assert_eq!(v["tag"]["name"], "广东");
    let id = v["tag"]["id"].as_i64().unwrap();
    assert_eq!(id, 100);
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/create",
                &tok,
                json!({"tag": {"name": "广东"}})
            )
            .await
        ),
        45157
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/create",
                &tok,
                json!({"tag": {"name": "一二三四五六七八九十一"}})
            )
            .await
        ),
        45158
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/update",
                &tok,
                json!({"tag": {"id": 2, "name": "x"}})
            )
            .await
        ),
        45058
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/update",
                &tok,
                json!({"tag": {"id": 999, "name": "x"}})
            )
            .await
        ),
        45159
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/update",
                &tok,
                json!({"tag": {"id": id, "name": "广州"}})
            )
            .await
        ),
        0
    );

    let v = t
        .oa_post(
            "/cgi-bin/tags/members/batchtagging",
            &tok,
            json!({"openid_list": [a], "tagid": id}),
        )
        .await;
    assert_eq!(errcode(&v), 0);
    let many: Vec<String> = (0..51).map(|_| a.clone()).collect();
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/members/batchtagging",
                &tok,
                json!({"openid_list": many, "tagid": id})
            )
            .await
        ),
        40032
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/members/batchtagging",
                &tok,
                json!({"openid_list": ["onobody"], "tagid": id})
            )
            .await
        ),
        40003
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/members/batchtagging",
                &tok,
                json!({"openid_list": [a], "tagid": 12345})
            )
            .await
        ),
        45159
    );
    assert_eq!(
        t.oa_post("/cgi-bin/tags/getidlist", &tok, json!({"openid": a}))
            .await["tagid_list"],
        json!([id])
    );
    let v = t
        .oa_post(
            "/cgi-bin/user/tag/get",
            &tok,
            json!({"tagid": id, "next_openid": ""}),
        )
        .await;
    assert_eq!(v["count"], 1);
    assert_eq!(v["data"]["openid"], json!([a]));
    let tags = t.oa_get("/cgi-bin/tags/get", &tok, "").await;
    assert_eq!(
        tags["tags"],
        json!([{"id": 2, "name": "星标组", "count": 0}, {"id": id, "name": "广州", "count": 1}])
    );

    // 20 tags per follower.
    let mut ids = vec![id];
    for i in 0..19 {
        ids.push(
            t.oa_post(
                "/cgi-bin/tags/create",
                &tok,
                json!({"tag": {"name": format!("t{i}")}}),
            )
            .await["tag"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    for tid in &ids[1..] {
        assert_eq!(
            errcode(
                &t.oa_post(
                    "/cgi-bin/tags/members/batchtagging",
                    &tok,
                    json!({"openid_list": [a], "tagid": tid})
                )
                .await
            ),
            0
        );
    }
    let extra = t
        .oa_post(
            "/cgi-bin/tags/create",
            &tok,
            json!({"tag": {"name": "extra"}}),
        )
        .await["tag"]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/members/batchtagging",
                &tok,
                json!({"openid_list": [a], "tagid": extra})
            )
            .await
        ),
        45059
    );
    // 100 tags per account.
    for i in 21..100 {
        assert_eq!(
            errcode(
                &t.oa_post(
                    "/cgi-bin/tags/create",
                    &tok,
                    json!({"tag": {"name": format!("n{i}")}})
                )
                .await
            ),
            0
        );
    }
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/create",
                &tok,
                json!({"tag": {"name": "one too many"}})
            )
            .await
        ),
        45056
    );

    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/tags/members/batchuntagging",
                &tok,
                json!({"openid_list": [a], "tagid": ids[1]})
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/tags/delete", &tok, json!({"tag": {"id": id}}))
                .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/tags/delete", &tok, json!({"tag": {"id": 2}}))
                .await
        ),
        45058
    );
    let left = t
        .oa_post("/cgi-bin/tags/getidlist", &tok, json!({"openid": a}))
        .await["tagid_list"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(left, 18);
    // Ids are not reused after a delete.
    let last = *ids.last().unwrap();
    t.oa_post("/cgi-bin/tags/delete", &tok, json!({"tag": {"id": 199}}))
        .await;
    let again = t
        .oa_post(
            "/cgi-bin/tags/create",
            &tok,
            json!({"tag": {"name": "again"}}),
        )
        .await["tag"]["id"]
        .as_i64()
        .unwrap();
    assert!(again > 199 && again > last, "{again} reused an id");
}

#[tokio::test]
async fn legacy_groups() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let a = t.subscribe(&cfg.appid).await;
    let v = t.oa_get("/cgi-bin/groups/get", &tok, "").await;
    assert_eq!(
        v["groups"][0],
        json!({"id": 0, "name": "未分组", "count": 1})
    );
    let g = t
        .oa_post(
            "/cgi-bin/groups/create",
            &tok,
            json!({"group": {"name": "VIP"}}),
        )
        .await["group"]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/groups/members/update",
                &tok,
                json!({"openid": a, "to_groupid": g})
            )
            .await
        ),
        0
    );
    assert_eq!(
        t.oa_post("/cgi-bin/groups/getid", &tok, json!({"openid": a}))
            .await["groupid"],
        g
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/groups/members/update",
                &tok,
                json!({"openid": a, "to_groupid": 777})
            )
            .await
        ),
        40050
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/groups/update",
                &tok,
                json!({"group": {"id": g, "name": "VIP2"}})
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/groups/members/batchupdate",
                &tok,
                json!({"openid_list": [a], "to_groupid": 2})
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/groups/members/batchupdate",
                &tok,
                json!({"openid_list": [a], "to_groupid": g})
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/groups/delete", &tok, json!({"group": {"id": g}}))
                .await
        ),
        0
    );
    assert_eq!(
        t.oa_post("/cgi-bin/groups/getid", &tok, json!({"openid": a}))
            .await["groupid"],
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/groups/delete", &tok, json!({"group": {"id": 1}}))
                .await
        ),
        40050
    );
}

#[tokio::test]
async fn custom_message_only_inside_48_hours() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let a = t.subscribe(&cfg.appid).await;
    let msg = json!({"touser": a, "msgtype": "text", "text": {"content": "hello"}});
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/message/custom/send", &tok, msg.clone())
                .await
        ),
        0
    );
    let inbox = t
        .get_json(&format!("/_sim/oa/{}/followers/{a}/inbox", cfg.appid))
        .await;
    assert_eq!(inbox[0]["source"], "custom");
    assert_eq!(inbox[0]["content"]["content"], "hello");
    t.sim.advance(48 * 3600);
    let tok = t
        .get_json(&format!(
            "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            cfg.appid, cfg.secret
        ))
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/message/custom/send", &tok, msg.clone())
                .await
        ),
        45015
    );
    t.sim
        .oa_act(
            &cfg.appid,
            Some(&a),
            wechat_sim::FollowerAction::Text {
                content: "hi".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/custom/send", &tok, msg).await),
        0
    );
    let bad = json!({"touser": a, "msgtype": "nope", "nope": {}});
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/custom/send", &tok, bad).await),
        40008
    );
}
