//! The control API: seed, clock, reset, listing, nesting under a prefix.

use serde_json::json;

use crate::common::{errcode, spawn_sim};

#[tokio::test]
async fn seed_clock_and_reset() {
    let t = spawn_sim().await;
    let seed = json!({
        "clock_unix": 1_700_000_000,
        "oa": [{
            "appid": "wx1111111111111111",
            "secret": "0123456789abcdef0123456789abcdef",
            "tags": [{"id": 100, "name": "vip"}],
            "followers": [{"openid": "oSeed1", "tagid_list": [100]}, {"openid": "oSeed2", "subscribed": false}],
            "menu": [{"type": "click", "name": "a", "key": "k"}]
        }],
        "merchants": [{"mch_id": "1900000109", "key": "192006250b4c09247ec02edce69f6a2d"}],
        "faults": [{"target": "wx1111111111111111", "kind": "busy", "path": "/menu/get", "count": 1}]
    });
    let v = t.post_json("/_sim/seed", seed).await;
    assert_eq!(v["oa"][0]["appid"], "wx1111111111111111");
    assert_eq!(v["faults"], 1);
    let clock = t.get_json("/_sim/clock").await;
    assert!((clock["now"].as_i64().unwrap() - 1_700_000_000).abs() <= 2);
    let tok = t
        .get_json("/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1111111111111111&secret=0123456789abcdef0123456789abcdef")
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        t.oa_get("/cgi-bin/user/get", &tok, "").await["data"]["openid"],
        json!(["oSeed1"])
    );
    assert_eq!(
        t.oa_get("/cgi-bin/user/info", &tok, "&openid=oSeed1").await["subscribe_time"],
        clock["now"]
    );
    assert_eq!(errcode(&t.oa_get("/cgi-bin/menu/get", &tok, "").await), -1);
    assert_eq!(
        t.oa_get("/cgi-bin/menu/get", &tok, "").await["menu"]["button"][0]["key"],
        "k"
    );

    let v = t
        .post_json("/_sim/clock/advance", json!({"hours": 2}))
        .await;
    assert!(v["now"].as_i64().unwrap() >= 1_700_007_200);
    assert_eq!(
        errcode(&t.oa_get("/cgi-bin/user/get", &tok, "").await),
        42001
    );
    let r = t
        .http
        .post(t.url("/_sim/clock/advance"))
        .json(&json!({"seconds": -5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let list = t.get_json("/_sim/oa").await;
    assert_eq!(list[0]["followers"], 1);
    t.post_json("/_sim/reset", json!({})).await;
    assert_eq!(t.get_json("/_sim/oa").await, json!([]));
    let r = t
        .http
        .get(t.url("/_sim/oa/wx1111111111111111"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let idx = t.get_json("/_sim/").await;
    assert_eq!(idx["emulator"], "wechat-sim");
}

#[tokio::test]
async fn nests_into_a_router_with_its_own_state() {
    let sim = wechat_sim::Sim::new(wechat_sim::SimConfig::default());
    let app: axum::Router = axum::Router::<String>::new()
        .route(
            "/",
            axum::routing::get(
                |axum::extract::State(s): axum::extract::State<String>| async move { s },
            ),
        )
        .nest("/sandbox", wechat_sim::router_with(sim))
        .with_state("portal".to_owned());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    assert_eq!(
        reqwest::get(format!("http://{addr}/"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "portal"
    );
    let v: serde_json::Value = reqwest::get(format!("http://{addr}/sandbox/_sim/clock"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["now"].as_i64().is_some());
}

#[tokio::test]
async fn works_nested_under_a_prefix() {
    let sim = wechat_sim::Sim::new(wechat_sim::SimConfig::default());
    let app = axum::Router::new().nest("/sandbox", wechat_sim::router(sim.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let cfg = sim.create_oa(Default::default()).unwrap();
    let http = reqwest::Client::new();
    let v: serde_json::Value = http
        .get(format!(
            "http://{addr}/sandbox/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            cfg.appid, cfg.secret
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["access_token"].is_string());
    // Fault paths are matched on the WeChat path, without the prefix.
    sim.add_fault(
        serde_json::from_value(
            json!({"target": cfg.appid, "kind": "busy", "path": "/cgi-bin/tags/get"}),
        )
        .unwrap(),
    );
    let tok = v["access_token"].as_str().unwrap();
    let v: serde_json::Value = http
        .get(format!(
            "http://{addr}/sandbox/api.weixin.qq.com/cgi-bin/tags/get?access_token={tok}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(errcode(&v), -1);
    let r = http
        .get(format!("http://{addr}/sandbox/_sim/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn the_example_seed_loads() {
    let t = spawn_sim().await;
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/seed.example.json")).unwrap();
    let seed: wechat_sim::Seed = serde_json::from_str(&text).unwrap();
    let s = t.sim.load_seed(seed).unwrap();
    assert_eq!(s.oa[0].appid, "wx1234567890abcdef");
    assert_eq!(s.work[0].apps[0].agentid, 1_000_002);
    assert_eq!(s.suites.len(), 1);
    let tok = t
        .get_json("/qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1234567890abcdef&corpsecret=DemoAppSecret000000000000000000000000000000")
        .await;
    assert!(tok["access_token"].is_string(), "{tok}");
    let idx = t.get_json("/_sim/").await;
    assert_eq!(idx["counts"]["merchants"], 1);
}
