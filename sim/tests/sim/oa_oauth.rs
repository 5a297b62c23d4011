//! OA web authorisation (OAuth2) and the JS-SDK ticket.

use serde_json::json;

use crate::common::{errcode, query_map, spawn_sim};

#[tokio::test]
async fn oauth_page_code_token_userinfo() {
    let t = spawn_sim().await;
    let v = t
        .post_json(
            "/_sim/seed",
            json!({"oa": [{"appid": "wx2222222222222222", "secret": "0123456789abcdef0123456789abcdef",
                "followers": [{"openid": "oNick", "nickname": "小明", "city": "广州", "unionid": "uX"}]}]}),
        )
        .await;
    assert_eq!(v["oa"][0]["appid"], "wx2222222222222222");
    let page = t
        .http
        .get(t.url("/open.weixin.qq.com/connect/oauth2/authorize?appid=wx2222222222222222&redirect_uri=http%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=snsapi_userinfo&state=xyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("oNick"));
    let nr = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = nr
        .post(t.url("/open.weixin.qq.com/connect/oauth2/authorize/confirm"))
        .form(&[
            ("appid", "wx2222222222222222"),
            ("redirect_uri", "http://app.example/cb"),
            ("scope", "snsapi_userinfo"),
            ("state", "xyz"),
            ("openid", "oNick"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let q = query_map(loc.split_once('?').unwrap().1);
    assert_eq!(q["state"], "xyz");
    let code = &q["code"];
    let tok_url = |code: &str| {
        format!(
            "/api.weixin.qq.com/sns/oauth2/access_token?appid=wx2222222222222222&secret=0123456789abcdef0123456789abcdef&code={code}&grant_type=authorization_code"
        )
    };
    let v = t.get_json(&tok_url(code)).await;
    assert_eq!(v["openid"], "oNick");
    assert_eq!(v["scope"], "snsapi_userinfo");
    assert_eq!(v["unionid"], "uX");
    assert_eq!(errcode(&t.get_json(&tok_url(code)).await), 40163);
    assert_eq!(errcode(&t.get_json(&tok_url("bogus")).await), 40029);
    let at = v["access_token"].as_str().unwrap().to_owned();
    let info = t
        .get_json(&format!(
            "/api.weixin.qq.com/sns/userinfo?access_token={at}&openid=oNick&lang=zh_CN"
        ))
        .await;
    assert_eq!(info["nickname"], "小明");
    assert_eq!(info["city"], "广州");
    assert_eq!(info["privilege"], json!([]));
    assert_eq!(
        errcode(
            &t.get_json(&format!(
                "/api.weixin.qq.com/sns/auth?access_token={at}&openid=oNick"
            ))
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.get_json(&format!(
                "/api.weixin.qq.com/sns/auth?access_token={at}&openid=oOther"
            ))
            .await
        ),
        40003
    );
    let rt = v["refresh_token"].as_str().unwrap();
    let v2 = t
        .get_json(&format!("/api.weixin.qq.com/sns/oauth2/refresh_token?appid=wx2222222222222222&grant_type=refresh_token&refresh_token={rt}"))
        .await;
    assert_ne!(v2["access_token"], v["access_token"]);
    assert_eq!(v2["refresh_token"], rt);

    // snsapi_base for a new visitor: an openid, but no userinfo.
    let a = t
        .post_json(
            "/_sim/oa/wx2222222222222222/oauth",
            json!({"redirect_uri": "https://app.example/cb?x=1", "state": "s"}),
        )
        .await;
    assert!(
        a["redirect"]
            .as_str()
            .unwrap()
            .starts_with("https://app.example/cb?x=1&code=")
    );
    let v = t.get_json(&tok_url(a["code"].as_str().unwrap())).await;
    assert_eq!(v["openid"], a["openid"]);
    let info = t
        .get_json(&format!(
            "/api.weixin.qq.com/sns/userinfo?access_token={}&openid={}",
            v["access_token"].as_str().unwrap(),
            a["openid"].as_str().unwrap()
        ))
        .await;
    assert_eq!(errcode(&info), 48001);
    // Codes expire after 5 minutes.
    let a = t
        .post_json(
            "/_sim/oa/wx2222222222222222/oauth",
            json!({"openid": "oNick", "redirect_uri": "https://app.example/cb"}),
        )
        .await;
    t.sim.advance(301);
    assert_eq!(
        errcode(&t.get_json(&tok_url(a["code"].as_str().unwrap())).await),
        42003
    );
    let bad = t
        .get_json("/api.weixin.qq.com/sns/oauth2/access_token?appid=wx2222222222222222&secret=x&code=c&grant_type=authorization_code")
        .await;
    assert_eq!(errcode(&bad), 40125);
    let r = t
        .http
        .post(t.url("/_sim/oa/wx2222222222222222/oauth"))
        .json(&json!({"redirect_uri": "https://a/", "scope": "snsapi_login"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn jsapi_ticket_is_cached_until_expiry() {
    let t = spawn_sim().await;
    let (_cfg, tok) = t.oa_with_token().await;
    let a = t
        .oa_get("/cgi-bin/ticket/getticket", &tok, "&type=jsapi")
        .await;
    assert_eq!(a["errcode"], 0);
    assert_eq!(a["expires_in"], 7200);
    let b = t
        .oa_get("/cgi-bin/ticket/getticket", &tok, "&type=jsapi")
        .await;
    assert_eq!(a["ticket"], b["ticket"]);
    assert_ne!(
        t.oa_get("/cgi-bin/ticket/getticket", &tok, "&type=wx_card")
            .await["ticket"],
        a["ticket"]
    );
    assert_eq!(
        errcode(
            &t.oa_get("/cgi-bin/ticket/getticket", &tok, "&type=nope")
                .await
        ),
        40097
    );
}
