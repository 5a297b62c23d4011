//! The follower's own page (`/oa/{id}/me`), server-rendered, mobile-first, in one language at a
//! time (`?lang=en`, Simplified Chinese by default), like the public pay pages.

use std::time::{Duration, Instant};

use axum::{
    Extension,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;
use wechat::client::oa::OAuthScope;

use super::{PageThrottle, oauth};
use crate::{
    auth::handlers::ClientIp, http::extract::Path, oa::followers::queries as followers,
    pay::pages::esc, state::AppState, util::rfc3339,
};

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: Option<&str>) -> Lang {
        match s {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The language carried at the end of an OAuth `state`.
    pub fn from_state(state: &str) -> Lang {
        Lang::parse(state.rsplit('.').next())
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

const CSS: &str = "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f5f5;color:#222}main{max-width:28rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem}h1{font-size:1.25rem;margin:.25rem 0}dl{margin:0}dt{color:#888;font-size:.875rem;margin-top:.5rem}dd{margin:0;word-break:break-all}.muted{color:#888;font-size:.875rem}.btn{display:block;text-align:center;padding:.75rem;border-radius:.5rem;background:#07c160;color:#fff;font-weight:600;text-decoration:none;margin-top:.75rem}.lang{display:block;text-align:right;font-size:.875rem;color:#576b95}h2{font-size:1rem;color:#555;margin:1.25rem .25rem .5rem}.row{display:flex;justify-content:space-between;align-items:center;gap:.5rem}.price{color:#07c160;font-weight:600;white-space:nowrap}.price.big{font-size:1.75rem}button.btn{width:100%;border:0;font-size:1rem;cursor:pointer}button.btn:disabled{opacity:.6}a.order{display:block;color:inherit;text-decoration:none}.state{font-size:.875rem;font-weight:600;white-space:nowrap}.paid{color:#07c160}.waiting{color:#f0a020}.closed{color:#999}.back{display:inline-block;color:#576b95;text-decoration:none;margin:0 0 .5rem}.note{background:#fff7e6;border-radius:.5rem;padding:.5rem .75rem;font-size:.875rem;color:#8a5a00}code{font-size:.8125rem;word-break:break-all}";

pub fn page(lang: Lang, title: &str, body: &str) -> Response {
    let html_lang = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let html = format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>",
        esc(title)
    );
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(html),
    )
        .into_response()
}

/// A page that only says what went wrong.
pub fn error_page(lang: Lang, status: u16, message: &str) -> Response {
    let mut r = page(
        lang,
        message,
        &format!("<div class=\"card\"><h1>{}</h1></div>", esc(message)),
    );
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    r
}

/// 429 with `Retry-After`.
pub fn limited(lang: Lang, wait: Duration) -> Response {
    let mut r = error_page(
        lang,
        429,
        lang.pick(
            "访问太频繁，请稍后再试",
            "Too many requests: try again shortly",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

#[derive(Debug, Default, Deserialize)]
pub struct MeQuery {
    #[serde(default)]
    pub lang: Option<String>,
    /// `userinfo`: ask for the nickname too (`snsapi_userinfo`).
    #[serde(default)]
    pub scope: Option<String>,
}

/// `GET /oa/{id}/me`: who the follower is, as this account knows them. A browser that is not
/// identified yet is sent through OAuth first.
pub async fn me(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<MeQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(q.lang.as_deref());
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        return limited(lang, wait);
    }
    let Some(account) = oauth::official_account(&state, id).await else {
        return error_page(lang, 404, lang.pick("页面不存在", "Page not found"));
    };
    let wants_userinfo = q.scope.as_deref() == Some("userinfo");
    let who = oauth::follower(&state, id, &headers);
    let who = match who {
        Some(w) if !wants_userinfo || w.has_userinfo() => w,
        _ => {
            let scope = if wants_userinfo {
                OAuthScope::UserInfo
            } else {
                OAuthScope::Base
            };
            return oauth::start(&state, &account, scope, oauth::Landing::Me, lang).await;
        }
    };
    let record = followers::find(&state.db, id, &who.openid)
        .await
        .ok()
        .flatten();
    let t = |zh, en| lang.pick(zh, en);
    let name = who
        .nickname
        .clone()
        .or_else(|| record.as_ref().and_then(|r| r.nickname.clone()))
        .unwrap_or_else(|| t("朋友", "friend").to_string());
    let mut body = String::new();
    let other = match lang {
        Lang::Zh => ("en", "English"),
        Lang::En => ("zh", "中文"),
    };
    body.push_str(&format!(
        "<a class=\"lang\" href=\"/oa/{id}/me?lang={}\">{}</a>",
        other.0, other.1
    ));
    body.push_str(&format!(
        "<div class=\"card\"><h1 id=\"greeting\">{} {}</h1><p class=\"muted\">{}</p><dl>",
        esc(t("你好，", "Hello,")),
        esc(&name),
        esc(&account.name)
    ));
    body.push_str(&format!(
        "<dt>OpenID</dt><dd id=\"openid\">{}</dd>",
        esc(&who.openid)
    ));
    let status = match &record {
        Some(r) if r.subscribed => t("已关注", "Following"),
        Some(_) => t("已取消关注", "Unfollowed"),
        None => t("未关注", "Not following"),
    };
    body.push_str(&format!(
        "<dt>{}</dt><dd id=\"status\">{}</dd>",
        t("关注状态", "Status"),
        esc(status)
    ));
    if let Some(at) = record.as_ref().and_then(|r| r.subscribe_time) {
        body.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            t("关注时间 (UTC)", "Following since (UTC)"),
            esc(&rfc3339(at))
        ));
    }
    let scope = if who.has_userinfo() {
        t("基本信息与昵称", "Basic profile and nickname")
    } else {
        t("仅识别身份", "Identity only")
    };
    body.push_str(&format!(
        "<dt>{}</dt><dd id=\"scope\">{}</dd></dl>",
        t("授权范围", "Authorised"),
        esc(scope)
    ));
    if !who.has_userinfo() {
        body.push_str(&format!(
            "<a class=\"btn\" href=\"/oa/{id}/me?scope=userinfo&lang={}\">{}</a>",
            lang.code(),
            esc(t("显示我的昵称", "Show my nickname"))
        ));
    }
    body.push_str("</div>");
    page(lang, t("我的", "Me"), &body)
}
