//! Follower-facing pages: OAuth web authorisation identifies the follower (snsapi_base and
//! snsapi_userinfo), the state is bound to the browser, and the JS-SDK config is signed for the
//! page's URL with the emulator's jsapi_ticket.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, json_of, spawn_app_with};

pub(crate) struct Oa {
    pub(crate) app: TestApp,
    pub(crate) id: i64,
    pub(crate) appid: String,
    pub(crate) http: reqwest::Client,
}

pub(crate) async fn demo_oa() -> Oa {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        .expect("the demo OA")["id"]
        .as_i64()
        .unwrap();
    let full = json_of(
        admin.get(&format!("/api/accounts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let appid = full["settings"]["app_id"].as_str().unwrap().to_string();
    // Make sure the emulator knows the account (the sandbox syncs it on first use).
    admin
        .get(&format!("/api/accounts/{id}/sandbox/followers?page=1"))
        .await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Oa {
        app,
        id,
        appid,
        http,
    }
}

/// `name=value` of a Set-Cookie header named `name`.
pub(crate) fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

pub(crate) fn location(res: &reqwest::Response) -> String {
    res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

pub(crate) fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

impl Oa {
    pub(crate) fn url(&self, p: &str) -> String {
        format!("{}{p}", self.app.base)
    }

    pub(crate) async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(self.url(path));
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.send().await.unwrap()
    }

    pub(crate) async fn sim_get(&self, path: &str) -> Value {
        crate::helpers::sim_http()
            .get(self.url(&format!("/sandbox/_sim{path}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Opens `/oa/{id}/me{query}` as `openid`, agreeing on WeChat's authorize page; returns the
    /// follower cookie.
    async fn sign_in(
        &self,
        query: &str,
        openid: &str,
        cookie: Option<&str>,
        scope: &str,
    ) -> String {
        let res = self
            .get(&format!("/oa/{}/me{query}", self.id), cookie)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "to WeChat's authorize page"
        );
        let authorize = location(&res);
        assert!(
            authorize.contains("/sandbox/open.weixin.qq.com/connect/oauth2/authorize?"),
            "{authorize}"
        );
        assert!(authorize.ends_with("#wechat_redirect"));
        let q = query_of(&authorize);
        assert_eq!(q["appid"], self.appid);
        assert_eq!(q["scope"], scope);
        let state_cookie = set_cookie(&res, "wxp_oa_state").expect("state cookie");
        // The follower agrees (the emulator's authorize page posts this form).
        let res = self
            .http
            .post(self.url("/sandbox/open.weixin.qq.com/connect/oauth2/authorize/confirm"))
            .form(&[
                ("appid", q["appid"].as_str()),
                ("redirect_uri", q["redirect_uri"].as_str()),
                ("scope", q["scope"].as_str()),
                ("state", q["state"].as_str()),
                ("openid", openid),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        let back = location(&res);
        let path = back
            .split_once(&self.app.base)
            .map(|(_, p)| p.to_string())
            .unwrap_or(back.clone());
        assert!(
            path.starts_with(&format!("/oa/{}/oauth/callback?", self.id)),
            "{back}"
        );
        // Another browser (no state cookie) cannot use the callback URL.
        let stolen = self.get(&path, None).await;
        assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
        let res = self.get(&path, Some(&state_cookie)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "back to the page");
        assert!(location(&res).starts_with(&format!("/oa/{}/me", self.id)));
        let who = set_cookie(&res, "wxp_oa_who").expect("follower cookie");
        // The state is spent: the same callback again is refused.
        let again = self.get(&path, Some(&state_cookie)).await;
        assert!(
            set_cookie(&res, "wxp_oa_state").is_some(),
            "the state cookie is cleared"
        );
        assert_ne!(again.status(), StatusCode::SEE_OTHER);
        who
    }
}

#[tokio::test]
async fn the_page_identifies_the_follower_base_then_userinfo() {
    let oa = demo_oa().await;
    let people = oa.sim_get(&format!("/oa/{}", oa.appid)).await;
    let (openid, nickname) = people["followers"]
        .as_object()
        .unwrap()
        .values()
        .find(|f| f["subscribe"] == 1 || f["subscribed"] == true)
        .map(|f| {
            (
                f["openid"].as_str().unwrap().to_string(),
                f["nickname"].as_str().unwrap_or("").to_string(),
            )
        })
        .unwrap();

    let who = oa.sign_in("", &openid, None, "snsapi_base").await;
    let page = oa.get(&format!("/oa/{}/me", oa.id), Some(&who)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("<dd id=\"openid\">{openid}</dd>")),
        "{html}"
    );
    assert!(html.contains("仅识别身份"), "{html}");
    // English, one language at a time.
    let en = oa
        .get(&format!("/oa/{}/me?lang=en", oa.id), Some(&who))
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("Identity only") && !en.contains("仅识别身份"));
    // A forged follower cookie is not believed.
    let forged = oa
        .get(&format!("/oa/{}/me", oa.id), Some("wxp_oa_who=AAAA"))
        .await;
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);

    // Asking for the nickname goes through snsapi_userinfo.
    let who = oa
        .sign_in("?scope=userinfo", &openid, Some(&who), "snsapi_userinfo")
        .await;
    let html = oa
        .get(&format!("/oa/{}/me", oa.id), Some(&who))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("基本信息与昵称"), "{html}");
    if !nickname.is_empty() {
        assert!(html.contains(&nickname), "{nickname} in {html}");
    }
    // The follower cookie is bound to this account.
    let other = oa.get("/oa/999999/me", Some(&who)).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn jsapi_config_is_signed_for_the_page_url() {
    let oa = demo_oa().await;
    let page = "https://shop.example/list?tab=1";
    let res = oa
        .http
        .get(oa.url(&format!("/oa/{}/jsapi-config", oa.id)))
        .query(&[("url", format!("{page}#top"))])
        .header(header::ORIGIN, "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://shop.example"
    );
    let cfg: Value = res.json().await.unwrap();
    assert_eq!(cfg["appId"], oa.appid);
    // The WeChat browser (emulated) accepts it for the page, and not for another URL.
    let check = |url: &str| {
        let mut body = cfg.clone();
        body["url"] = json!(url);
        let http = crate::helpers::sim_http();
        let u = oa.url(&format!("/sandbox/_sim/oa/{}/jsapi/config", oa.appid));
        async move {
            let v: Value = http
                .post(u)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["errMsg"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(check(page).await, "config:ok");
    assert_eq!(
        check("https://shop.example/other").await,
        "config:invalid signature"
    );
    // Another origin cannot read it; a non-http URL is refused.
    let res = oa
        .http
        .get(oa.url(&format!("/oa/{}/jsapi-config", oa.id)))
        .query(&[("url", page)])
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
    let res = oa
        .http
        .get(oa.url(&format!("/oa/{}/jsapi-config?url=javascript:x", oa.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Bounded per client: past the per-minute allowance, 429 with Retry-After.
    let mut limited = None;
    for _ in 0..70 {
        let r = oa
            .http
            .get(oa.url(&format!("/oa/{}/jsapi-config?url=x", oa.id)))
            .send()
            .await
            .unwrap();
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("rate limited");
    assert!(r.headers().get(header::RETRY_AFTER).is_some());
}
