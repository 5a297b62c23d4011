//! Menus (validation codes, conditional menus, trymatch) and QR codes.

use serde_json::{Value, json};

use crate::common::{errcode, spawn_sim};

fn leaf(name: &str, key: &str) -> Value {
    json!({"type": "click", "name": name, "key": key})
}

#[tokio::test]
async fn menu_create_get_delete() {
    let t = spawn_sim().await;
    let (_cfg, tok) = t.oa_with_token().await;
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/menu/get", &tok, "").await),
        46003
    );
    let menu = json!({"button": [
        leaf("今日歌曲", "V1001_TODAY_MUSIC"),
        {"name": "菜单", "sub_button": [
            {"type": "view", "name": "搜索", "url": "http://www.soso.com/"},
            {"type": "miniprogram", "name": "wxa", "url": "http://mp.weixin.qq.com", "appid": "wx286b93c14bbf93aa", "pagepath": "pages/lunar/index"},
            leaf("赞一下我们", "V1001_GOOD")
        ]}
    ]});
    assert_eq!(
        t.oa_post("/cgi-bin/menu/create", &tok, menu).await,
        json!({"errcode": 0, "errmsg": "ok"})
    );
    let v = t.oa_get("/cgi-bin/menu/get", &tok, "").await;
    assert_eq!(
        v["menu"]["button"][0],
        json!({"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC", "sub_button": []})
    );
    assert_eq!(
        v["menu"]["button"][1]["sub_button"][0]["sub_button"],
        json!([])
    );
    assert!(v["menu"]["menuid"].as_i64().is_some());
    assert!(v.get("conditionalmenu").is_none());
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/menu/delete", &tok, "").await),
        0
    );
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/menu/get", &tok, "").await),
        46003
    );
}

#[tokio::test]
async fn menu_validation_codes() {
    let t = spawn_sim().await;
    let (_cfg, tok) = t.oa_with_token().await;
    let long_url = format!("http://x.com/{}", "a".repeat(1020));
    let cases: Vec<(Value, i64)> = vec![
        (json!([]), 40016),
        (
            json!([
                leaf("a", "1"),
                leaf("b", "2"),
                leaf("c", "3"),
                leaf("d", "4")
            ]),
            40016,
        ),
        (json!([{"type": "bogus", "name": "a", "key": "k"}]), 40017),
        (json!([{"name": "a", "sub_button": []}]), 40017),
        (json!([leaf("十七个字节的名字超长了", "k")]), 40018),
        (json!([leaf("", "k")]), 40018),
        (json!([{"type": "click", "name": "a"}]), 40019),
        (json!([leaf("a", &"k".repeat(129))]), 40019),
        (
            json!([{"type": "view", "name": "a", "url": long_url}]),
            40020,
        ),
        (
            json!([{"type": "view", "name": "a", "url": "www.qq.com"}]),
            40055,
        ),
        (
            json!([{"name": "a", "sub_button": [leaf("1", "1"), leaf("2", "2"), leaf("3", "3"), leaf("4", "4"), leaf("5", "5"), leaf("6", "6")]}]),
            40023,
        ),
        (
            json!([{"name": "a", "sub_button": [{"type": "bogus", "name": "x", "key": "k"}]}]),
            40024,
        ),
        (
            json!([{"name": "a", "sub_button": [leaf(&"名".repeat(21), "k")]}]),
            40025,
        ),
        (
            json!([{"name": "a", "sub_button": [{"type": "click", "name": "x", "key": ""}]}]),
            40026,
        ),
        (
            json!([{"name": "a", "sub_button": [{"type": "view", "name": "x", "url": long_url}]}]),
            40027,
        ),
        (
            json!([{"name": "a", "sub_button": [{"type": "view", "name": "x", "url": "ftp://x"}]}]),
            40054,
        ),
        (json!([{"type": "media_id", "name": "a"}]), 40007),
    ];
    for (buttons, code) in cases {
        let v = t
            .oa_post(
                "/cgi-bin/menu/create",
                &tok,
                json!({"button": buttons.clone()}),
            )
            .await;
        assert_eq!(errcode(&v), code, "{buttons}");
    }
    // A sub-button name may be up to 60 bytes while a top-level one is limited to 16.
    let v = t
        .oa_post(
            "/cgi-bin/menu/create",
            &tok,
            json!({"button": [{"name": "a", "sub_button": [leaf(&"名".repeat(20), "k")]}]}),
        )
        .await;
    assert_eq!(errcode(&v), 0);
}

#[tokio::test]
async fn conditional_menus_and_trymatch() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let a = t.subscribe(&cfg.appid).await;
    let b = t.subscribe(&cfg.appid).await;
    let cond = json!({"button": [leaf("VIP", "vip")], "matchrule": {"tag_id": "100"}});
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/menu/addconditional", &tok, cond.clone())
                .await
        ),
        65303
    );
    t.oa_post(
        "/cgi-bin/menu/create",
        &tok,
        json!({"button": [leaf("默认", "default")]}),
    )
    .await;
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/menu/addconditional",
                &tok,
                json!({"button": [leaf("x", "x")], "matchrule": {}})
            )
            .await
        ),
        65304
    );
    t.oa_post(
        "/cgi-bin/tags/create",
        &tok,
        json!({"tag": {"name": "vip"}}),
    )
    .await;
    t.oa_post(
        "/cgi-bin/tags/members/batchtagging",
        &tok,
        json!({"openid_list": [a], "tagid": 100}),
    )
    .await;
    let v = t.oa_post("/cgi-bin/menu/addconditional", &tok, cond).await;
    let menuid = v["menuid"].as_str().unwrap().to_owned();
    let got = t.oa_get("/cgi-bin/menu/get", &tok, "").await;
    assert_eq!(
        got["conditionalmenu"][0]["matchrule"],
        json!({"tag_id": "100"})
    );
    assert_eq!(
        t.oa_post("/cgi-bin/menu/trymatch", &tok, json!({"user_id": a}))
            .await["button"][0]["key"],
        "vip"
    );
    assert_eq!(
        t.oa_post("/cgi-bin/menu/trymatch", &tok, json!({"user_id": b}))
            .await["button"][0]["key"],
        "default"
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/menu/trymatch",
                &tok,
                json!({"user_id": "onobody"})
            )
            .await
        ),
        65302
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/menu/delconditional", &tok, json!({"menuid": "1"}))
                .await
        ),
        65301
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/menu/delconditional",
                &tok,
                json!({"menuid": menuid})
            )
            .await
        ),
        0
    );
    assert_eq!(
        t.oa_post("/cgi-bin/menu/trymatch", &tok, json!({"user_id": a}))
            .await["button"][0]["key"],
        "default"
    );
}

#[tokio::test]
async fn qrcode_create_and_showqrcode_png() {
    let t = spawn_sim().await;
    let (_cfg, tok) = t.oa_with_token().await;
    let v = t
        .oa_post(
            "/cgi-bin/qrcode/create",
            &tok,
            json!({"action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": 123}}}),
        )
        .await;
    assert_eq!(v["expire_seconds"], 60);
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .starts_with("http://weixin.qq.com/q/")
    );
    let ticket = v["ticket"].as_str().unwrap().to_owned();
    let enc: String = url_encode(&ticket);
    let r = t
        .http
        .get(t.url(&format!(
            "/mp.weixin.qq.com/cgi-bin/showqrcode?ticket={enc}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    t.sim.advance(61);
    let r = t
        .http
        .get(t.url(&format!(
            "/mp.weixin.qq.com/cgi-bin/showqrcode?ticket={enc}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let v = t
        .oa_post("/cgi-bin/qrcode/create", &tok, json!({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "promo"}}}))
        .await;
    assert!(v.get("expire_seconds").is_none());
    let v = t
        .oa_post("/cgi-bin/qrcode/create", &tok, json!({"expire_seconds": 9_999_999, "action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "x"}}}))
        .await;
    assert_eq!(v["expire_seconds"], 2_592_000);
    for bad in [
        json!({"action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": 100_001}}}),
        json!({"action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "x".repeat(65)}}}),
        json!({"action_name": "QR_NOPE", "action_info": {"scene": {"scene_id": 1}}}),
    ] {
        assert_eq!(
            errcode(&t.oa_post("/cgi-bin/qrcode/create", &tok, bad).await),
            40097
        );
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
