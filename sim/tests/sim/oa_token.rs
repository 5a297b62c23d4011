//! OA access tokens, their lifetimes and the faults that hit them.

use serde_json::json;

use crate::common::{errcode, spawn_sim};

fn token_path(appid: &str, secret: &str) -> String {
    format!(
        "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"
    )
}

#[tokio::test]
async fn token_ok_and_credential_errors() {
    let t = spawn_sim().await;
    let cfg = t.new_oa().await;
    let v = t.get_json(&token_path(&cfg.appid, &cfg.secret)).await;
    assert_eq!(v["expires_in"], 7200);
    assert!(v["access_token"].as_str().unwrap().len() > 100);
    assert!(v.get("errcode").is_none());

    let wrong_hex = "0123456789abcdef0123456789abcdef";
    let v = t.get_json(&token_path(&cfg.appid, wrong_hex)).await;
    assert_eq!(errcode(&v), 40001);
    let msg = v["errmsg"].as_str().unwrap();
    assert!(msg.contains(" rid: "), "{msg}");
    let rid = msg.rsplit("rid: ").next().unwrap();
    assert_eq!(rid.split('-').count(), 3);
    assert_eq!(
        errcode(&t.get_json(&token_path(&cfg.appid, "nope")).await),
        40125
    );
    assert_eq!(
        errcode(
            &t.get_json(&token_path("wx0000000000000000", &cfg.secret))
                .await
        ),
        40013
    );
    assert_eq!(
        errcode(&t.get_json(&token_path("", &cfg.secret)).await),
        41002
    );
    assert_eq!(
        errcode(&t.get_json(&token_path(&cfg.appid, "")).await),
        41004
    );
    let v = t
        .get_json(&format!(
            "/api.weixin.qq.com/cgi-bin/token?grant_type=x&appid={}&secret={}",
            cfg.appid, cfg.secret
        ))
        .await;
    assert_eq!(errcode(&v), 40002);
}

#[tokio::test]
async fn old_token_valid_five_minutes_then_40001_and_expiry_42001() {
    let t = spawn_sim().await;
    let (cfg, old) = t.oa_with_token().await;
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &old, "").await), 0);
    let new = t.get_json(&token_path(&cfg.appid, &cfg.secret)).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(old, new);
    t.sim.advance(299);
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &old, "").await), 0);
    t.sim.advance(2);
    let v = t.oa_get("/cgi-bin/tags/get", &old, "").await;
    assert_eq!(errcode(&v), 40001);
    assert!(
        v["errmsg"]
            .as_str()
            .unwrap()
            .starts_with("invalid credential, access_token is invalid or not latest")
    );
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &new, "").await), 0);
    t.sim.advance(7200);
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &new, "").await),
        42001
    );
    assert_eq!(
        errcode(&t.get_json("/api.weixin.qq.com/cgi-bin/tags/get").await),
        41001
    );
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", "garbage", "").await),
        40001
    );
}

#[tokio::test]
async fn stable_token_is_stable_isolated_and_force_refresh_limited() {
    let t = spawn_sim().await;
    let (cfg, normal) = t.oa_with_token().await;
    let body = json!({"grant_type": "client_credential", "appid": cfg.appid, "secret": cfg.secret});
    let a = t
        .post_json("/api.weixin.qq.com/cgi-bin/stable_token", body.clone())
        .await;
    let b = t
        .post_json("/api.weixin.qq.com/cgi-bin/stable_token", body.clone())
        .await;
    assert_eq!(a["access_token"], b["access_token"]);
    assert_ne!(a["access_token"].as_str().unwrap(), normal);
    t.sim.advance(100);
    let c = t
        .post_json("/api.weixin.qq.com/cgi-bin/stable_token", body.clone())
        .await;
    assert_eq!(c["access_token"], a["access_token"]);
    assert!(c["expires_in"].as_i64().unwrap() <= 7100);

    let mut force = body.clone();
    force["force_refresh"] = json!(true);
    let d = t
        .post_json("/api.weixin.qq.com/cgi-bin/stable_token", force.clone())
        .await;
    assert_ne!(d["access_token"], a["access_token"]);
    assert_eq!(d["expires_in"], 7200);
    assert_eq!(
        errcode(
            &t.post_json("/api.weixin.qq.com/cgi-bin/stable_token", force.clone())
                .await
        ),
        45011
    );
    // The old stable token still works during the grace period; the normal token is untouched.
    assert_eq!(
        errcode(
            &t.oa_get("/cgi-bin/tags/get", a["access_token"].as_str().unwrap(), "")
                .await
        ),
        0
    );
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &normal, "").await),
        0
    );

    let mut wrong = body.clone();
    wrong["secret"] = json!("x");
    assert_eq!(
        errcode(
            &t.post_json("/api.weixin.qq.com/cgi-bin/stable_token", wrong)
                .await
        ),
        40125
    );
    assert_eq!(
        errcode(
            &t.post_raw("/api.weixin.qq.com/cgi-bin/stable_token", "")
                .await
        ),
        44002
    );
    assert_eq!(
        errcode(
            &t.post_raw("/api.weixin.qq.com/cgi-bin/stable_token", "{nope")
                .await
        ),
        47001
    );
}

#[tokio::test]
async fn faults_ip_quota_busy_latency_and_invalidated_token() {
    let t = spawn_sim().await;
    let (cfg, token) = t.oa_with_token().await;
    let f = t
        .post_json("/_sim/faults", json!({"target": cfg.appid, "kind": "ip_whitelist", "path": "/cgi-bin/token", "count": 1}))
        .await;
    assert!(f["id"].as_u64().is_some());
    let v = t.get_json(&token_path(&cfg.appid, &cfg.secret)).await;
    assert_eq!(errcode(&v), 40164);
    assert!(v["errmsg"].as_str().unwrap().contains("not in whitelist"));
    assert!(t.get_json(&token_path(&cfg.appid, &cfg.secret)).await["access_token"].is_string());

    t.post_json(
        "/_sim/faults",
        json!({"target": cfg.appid, "kind": "quota", "count": 2}),
    )
    .await;
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await),
        45009
    );
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/user/get", &token, "").await),
        45009
    );
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await), 0);

    t.post_json(
        "/_sim/faults",
        json!({"target": "*", "kind": "busy", "path": "/tags/"}),
    )
    .await;
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await),
        -1
    );
    assert_eq!(
        t.oa_get("/cgi-bin/tags/get", &token, "").await["errmsg"]
            .as_str()
            .unwrap()
            .split(" rid:")
            .next(),
        Some("system error")
    );
    assert_eq!(
        t.get_json("/_sim/faults").await.as_array().unwrap().len(),
        1
    );
    t.http.delete(t.url("/_sim/faults")).send().await.unwrap();
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await), 0);

    t.post_json(
        "/_sim/faults",
        json!({"target": cfg.appid, "kind": "latency", "latency_ms": 300, "count": 1}),
    )
    .await;
    let started = std::time::Instant::now();
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await), 0);
    assert!(started.elapsed().as_millis() >= 300);

    let v = t
        .post_json(
            "/_sim/faults",
            json!({"target": cfg.appid, "kind": "token_invalidated"}),
        )
        .await;
    assert!(v["revoked"].as_u64().unwrap() >= 2);
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &token, "").await),
        40001
    );
}

#[tokio::test]
async fn method_and_body_errors() {
    let t = spawn_sim().await;
    let (_cfg, token) = t.oa_with_token().await;
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/create", &token, "").await),
        43002
    );
    let path = format!("/api.weixin.qq.com/cgi-bin/tags/create?access_token={token}");
    assert_eq!(errcode(&t.post_raw(&path, "").await), 44002);
    assert_eq!(errcode(&t.post_raw(&path, "{\"tag\":").await), 47001);
    // \uXXXX escapes of non-ASCII text are refused (send raw UTF-8).
    assert_eq!(
        errcode(
            &t.post_raw(&path, r#"{"tag":{"name":"\u5e7f\u4e1c"}}"#)
                .await
        ),
        40033
    );
    // A backslash-u followed by non-ASCII text is malformed JSON, not a crash.
    assert_eq!(
        errcode(&t.post_raw(&path, r#"{"tag":{"name":"\u中文字"}}"#).await),
        47001
    );
    let r = t
        .http
        .get(t.url(&format!(
            "/api.weixin.qq.com/cgi-bin/tags/get?access_token={token}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/json; encoding=utf-8"
    );
}

#[tokio::test]
async fn token_daily_quota_and_clear_quota() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    for _ in 1..2000 {
        let v = t.get_json(&token_path(&cfg.appid, &cfg.secret)).await;
        assert!(v["access_token"].is_string(), "{v}");
    }
    let v = t.get_json(&token_path(&cfg.appid, &cfg.secret)).await;
    assert_eq!(errcode(&v), 45009);
    assert!(
        v["errmsg"]
            .as_str()
            .unwrap()
            .starts_with("reach max api daily quota limit")
    );
    let _ = tok;
    let body = json!({"grant_type": "client_credential", "appid": cfg.appid, "secret": cfg.secret});
    let st = t
        .post_json("/api.weixin.qq.com/cgi-bin/stable_token", body)
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/clear_quota", &st, json!({"appid": "wx0"}))
                .await
        ),
        40013
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/clear_quota", &st, json!({"appid": cfg.appid}))
                .await
        ),
        0
    );
    assert!(t.get_json(&token_path(&cfg.appid, &cfg.secret)).await["access_token"].is_string());
}

#[tokio::test]
async fn another_server_refreshing_kills_our_token_after_five_minutes() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    let v = t
        .post_json(
            "/_sim/faults",
            json!({"target": cfg.appid, "kind": "token_refreshed"}),
        )
        .await;
    assert_eq!(v["superseded"], 1);
    assert_eq!(errcode(&t.oa_get("/cgi-bin/tags/get", &tok, "").await), 0);
    t.sim.advance(300);
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/tags/get", &tok, "").await),
        40001
    );
}

#[tokio::test]
async fn account_types_gate_apis_with_48001() {
    let t = spawn_sim().await;
    let (cfg, tok) = t.oa_with_token().await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"account_type": "subscription"})).unwrap(),
        )
        .unwrap();
    let v = t.oa_get("/cgi-bin/user/get", &tok, "").await;
    assert_eq!(errcode(&v), 48001);
    assert!(
        v["errmsg"]
            .as_str()
            .unwrap()
            .starts_with("api unauthorized")
    );
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/menu/get", &tok, "").await),
        46003,
        "menus are for everyone"
    );
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"account_type": "subscription_verified"})).unwrap(),
        )
        .unwrap();
    assert_eq!(errcode(&t.oa_get("/cgi-bin/user/get", &tok, "").await), 0);
    let qr = json!({"action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": 1}}});
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/qrcode/create", &tok, qr.clone()).await),
        48001
    );
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"account_type": "test"})).unwrap(),
        )
        .unwrap();
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/qrcode/create", &tok, qr).await),
        0
    );
}
