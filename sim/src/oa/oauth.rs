//! Web authorisation (OAuth2): the authorize page on `open.weixin.qq.com`, `sns/oauth2/*`,
//! `sns/userinfo`, `sns/auth`; and the JS-SDK ticket (`cgi-bin/ticket/getticket`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::model::{Follower, OAuthGrant, new_openid};
use super::{Req, app, json_response};
use crate::error::{SimError, WxError};
use crate::proto::sign::random_token;
use crate::state::{Sim, State};
use crate::token::{Owner, TokenProblem};

/// OAuth codes live 5 minutes.
pub const CODE_TTL: i64 = 300;
/// Refresh tokens live 30 days.
pub const REFRESH_TTL: i64 = 30 * 86_400;

/// The result of an emulated authorisation.
#[derive(Debug, Clone, Serialize)]
pub struct Authorized {
    /// The code.
    pub code: String,
    /// The user.
    pub openid: String,
    /// `redirect_uri?code=…&state=…`.
    pub redirect: String,
}

impl Sim {
    /// The user `openid` (a new visitor when `None`) opens the authorize URL and agrees:
    /// returns the code and the redirect.
    pub fn oa_oauth_authorize(
        &self,
        appid: &str,
        openid: Option<&str>,
        redirect_uri: &str,
        scope: &str,
        state: &str,
    ) -> Result<Authorized, SimError> {
        if !["snsapi_base", "snsapi_userinfo"].contains(&scope) {
            return Err(SimError::bad("scope参数错误"));
        }
        if !(redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://")) {
            return Err(SimError::bad("redirect_uri参数错误"));
        }
        let now = self.now();
        let code = random_token(32).replace(['-', '_'], "0");
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::bad("appid参数错误"))?;
            let openid = match openid {
                Some(o) => o.to_owned(),
                None => {
                    let o = new_openid();
                    let mut f = Follower::new(o.clone(), now);
                    f.subscribed = false;
                    a.followers.insert(o.clone(), f);
                    a.subscribed_total = None;
                    o
                }
            };
            if !a.followers.contains_key(&openid) {
                return Err(SimError::bad("unknown openid for this account"));
            }
            a.oauth_codes.insert(
                code.clone(),
                OAuthGrant {
                    openid: openid.clone(),
                    scope: scope.to_owned(),
                    expires: now + CODE_TTL,
                    used: false,
                },
            );
            let sep = if redirect_uri.contains('?') { '&' } else { '?' };
            Ok(Authorized {
                redirect: format!("{redirect_uri}{sep}code={code}&state={state}"),
                code: code.clone(),
                openid,
            })
        })
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET open.weixin.qq.com/connect/oauth2/authorize?appid=&redirect_uri=&response_type=code&scope=&state=`:
/// an emulated page where you pick who is browsing; it then redirects like WeChat.
async fn authorize_page(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let appid = get("appid");
    let users = sim.with(|s| {
        s.oa.get(&appid).map(|a| {
            a.followers
                .values()
                .map(|f| (f.openid.clone(), f.nickname.clone()))
                .collect::<Vec<_>>()
        })
    });
    let Some(users) = users else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<html><body>appid参数错误</body></html>"),
        )
            .into_response();
    };
    if get("response_type") != "code" {
        return (
            StatusCode::BAD_REQUEST,
            Html("<html><body>response_type参数错误</body></html>"),
        )
            .into_response();
    }
    let mut options = String::from("<option value=\"\">(a new visitor)</option>");
    for (o, n) in users {
        options.push_str(&format!(
            "<option value=\"{}\">{} {}</option>",
            esc(&o),
            esc(&o),
            esc(&n)
        ));
    }
    let hidden: String = ["appid", "redirect_uri", "scope", "state"]
        .iter()
        .map(|k| {
            format!(
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                esc(&get(k))
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>微信授权</title></head><body>\
         <h1>微信网页授权 (wechat-sim)</h1><form method=\"post\" action=\"authorize/confirm\">{hidden}\
         <label>User <select name=\"openid\">{options}</select></label> <button type=\"submit\">允许</button></form></body></html>"
    ))
    .into_response()
}

#[derive(Deserialize)]
struct Confirm {
    appid: String,
    redirect_uri: String,
    scope: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    openid: String,
}

async fn authorize_confirm(AxState(sim): AxState<Arc<Sim>>, Form(f): Form<Confirm>) -> Response {
    let openid = (!f.openid.is_empty()).then_some(f.openid.as_str());
    match sim.oa_oauth_authorize(&f.appid, openid, &f.redirect_uri, &f.scope, &f.state) {
        Ok(a) => (StatusCode::FOUND, [(header::LOCATION, a.redirect)]).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Html(format!("<html><body>{}</body></html>", esc(&e.message))),
        )
            .into_response(),
    }
}

/// Routes of `open.weixin.qq.com`.
pub fn open_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/connect/oauth2/authorize", get(authorize_page))
        .route("/connect/oauth2/authorize/confirm", post(authorize_confirm))
}

fn reply(r: Result<Value, WxError>) -> Response {
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

fn issue(
    st: &mut State,
    appid: &str,
    openid: &str,
    scope: &str,
    now: i64,
) -> Result<Value, WxError> {
    let (token, ttl) = st.tokens.issue(
        Owner::Sns {
            appid: appid.to_owned(),
            openid: openid.to_owned(),
            scope: scope.to_owned(),
        },
        now,
    );
    let refresh = random_token(80);
    let a = app(st, appid)?;
    a.refresh_tokens.insert(
        refresh.clone(),
        OAuthGrant {
            openid: openid.to_owned(),
            scope: scope.to_owned(),
            expires: now + REFRESH_TTL,
            used: false,
        },
    );
    let mut v = json!({"access_token": token, "expires_in": ttl, "refresh_token": refresh, "openid": openid, "scope": scope});
    if let Some(u) = a.followers.get(openid).and_then(|f| f.unionid.clone()) {
        v["unionid"] = json!(u);
    }
    Ok(v)
}

/// `GET sns/oauth2/access_token?appid=&secret=&code=&grant_type=authorization_code`.
pub async fn access_token(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let r = async {
        let appid = get("appid");
        super::check_faults(&sim, appid, "/sns/oauth2/access_token").await?;
        if get("grant_type") != "authorization_code" {
            return Err(WxError::oa(40002));
        }
        super::token::check_credentials(&sim, appid, get("secret"))?;
        let now = sim.now();
        sim.with(|st| {
            let a = app(st, appid)?;
            let g = a
                .oauth_codes
                .get_mut(get("code"))
                .ok_or(WxError::oa_msg(40029, "invalid code"))?;
            if g.used {
                return Err(WxError::oa_msg(40163, "code been used"));
            }
            if now >= g.expires {
                return Err(WxError::oa_msg(42003, "code expired"));
            }
            g.used = true;
            let g = g.clone();
            issue(st, appid, &g.openid, &g.scope, now)
        })
    }
    .await;
    reply(r)
}

/// `GET sns/oauth2/refresh_token?appid=&grant_type=refresh_token&refresh_token=`.
pub async fn refresh_token(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let now = sim.now();
    let r = sim.with(|st| {
        if get("grant_type") != "refresh_token" {
            return Err(WxError::oa(40002));
        }
        let appid = get("appid");
        let a = st.oa.get(appid).ok_or(WxError::oa(40013))?;
        let g = a
            .refresh_tokens
            .get(get("refresh_token"))
            .filter(|g| now < g.expires)
            .cloned();
        let g = g.ok_or(WxError::oa_msg(40030, "invalid refresh_token"))?;
        let mut v = issue(st, appid, &g.openid, &g.scope, now)?;
        // The refresh token itself stays the same.
        v["refresh_token"] = json!(get("refresh_token"));
        Ok(v)
    });
    reply(r)
}

fn sns_owner(sim: &Sim, r: &Req) -> Result<(String, String, String), WxError> {
    let t = r
        .query("access_token")
        .filter(|t| !t.is_empty())
        .ok_or(WxError::oa(41001))?;
    match sim.with(|s| s.tokens.check(t, sim.now())) {
        Ok(Owner::Sns {
            appid,
            openid,
            scope,
        }) => {
            if r.query("openid").is_some_and(|o| o != openid) {
                return Err(WxError::oa(40003));
            }
            Ok((appid, openid, scope))
        }
        Err(TokenProblem::Expired) => Err(WxError::oa(42001)),
        _ => Err(WxError::oa(40001)),
    }
}

/// `GET sns/userinfo?access_token=&openid=&lang=` (needs `snsapi_userinfo`, else 48001).
pub async fn userinfo(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let req = Req {
        q,
        body: Default::default(),
    };
    let r = sns_owner(&sim, &req).and_then(|(appid, openid, scope)| {
        if scope != "snsapi_userinfo" {
            return Err(WxError::oa_msg(48001, "api unauthorized"));
        }
        sim.with(|s| {
            let f =
                s.oa.get(&appid)
                    .and_then(|a| a.followers.get(&openid))
                    .ok_or(WxError::oa(40003))?;
            let mut v = json!({
                "openid": f.openid, "nickname": f.nickname, "sex": f.sex, "province": f.province,
                "city": f.city, "country": f.country, "headimgurl": "", "privilege": []
            });
            if let Some(u) = &f.unionid {
                v["unionid"] = json!(u);
            }
            Ok(v)
        })
    });
    reply(r)
}

/// `GET sns/auth?access_token=&openid=`.
pub async fn auth(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let req = Req {
        q,
        body: Default::default(),
    };
    reply(sns_owner(&sim, &req).map(|_| crate::error::ok()))
}

/// `GET cgi-bin/ticket/getticket?access_token=&type=jsapi|wx_card`: the same ticket while it
/// is valid (7200 s).
pub fn getticket(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let kind = r.query("type").unwrap_or("jsapi");
    if !["jsapi", "wx_card"].contains(&kind) {
        return Err(WxError::oa(40097));
    }
    let a = app(st, appid)?;
    let (t, exp) = match a.tickets.get(kind).filter(|(_, e)| now < *e) {
        Some(x) => x.clone(),
        None => {
            let x = (random_token(86), now + 7200);
            a.tickets.insert(kind.to_owned(), x.clone());
            x
        }
    };
    Ok(json!({"errcode": 0, "errmsg": "ok", "ticket": t, "expires_in": exp - now}))
}
