//! OAuth 2.0 web authorisation for the follower-facing pages.
//!
//! `start` sends the browser to WeChat's authorize page with a fresh random `state`, which is
//! also set in a short-lived cookie on this browser (`wxp_oa_state`, `HttpOnly`,
//! `SameSite=Lax`, path `/oa/{id}/`). WeChat comes back to `/oa/{id}/oauth/callback?code&state`:
//! the state must equal the cookie's (compared in constant time) and the cookie is cleared, so a
//! callback URL cannot be replayed or planted in another browser; the code is exchanged once
//! (`sns/oauth2/access_token`), and for `snsapi_userinfo` the nickname is read
//! (`sns/userinfo`). The follower is then kept in a cookie sealed by the vault (AES-GCM bound to
//! this account), valid for two hours.

use api::accounts::WechatEnv;
use axum::{
    Extension,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use wechat::client::oa::OAuthScope;

use super::{
    PageThrottle,
    pages::{Lang, error_page, limited},
};
use crate::{
    accounts::queries as accounts, auth::handlers::ClientIp, entities::account,
    http::extract::Path, state::AppState, vault::Binding, wechat_clients,
};

/// The state cookie's name and lifetime.
pub const STATE_COOKIE: &str = "wxp_oa_state";
const STATE_TTL_SECS: i64 = 600;
/// The follower cookie's name and lifetime.
pub const WHO_COOKIE: &str = "wxp_oa_who";
pub const WHO_TTL_SECS: i64 = 7200;

/// The follower a browser was identified as.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Follower {
    pub openid: String,
    /// `snsapi_base` or `snsapi_userinfo`.
    pub scope: String,
    #[serde(default)]
    pub nickname: Option<String>,
    /// Unix seconds.
    pub exp: i64,
}

impl Follower {
    pub fn has_userinfo(&self) -> bool {
        self.scope.split(',').any(|s| s == "snsapi_userinfo")
    }
}

fn binding(account_id: i64) -> Binding<'static> {
    Binding {
        table: "oa_web",
        row: account_id,
        field: "follower",
    }
}

/// Where WeChat sends the browser back to: the public URL, or the loopback address the
/// sandbox emulator uses for sandbox accounts.
pub fn portal_base(state: &AppState, account: &account::Model) -> String {
    match state.wechat.sandbox() {
        Some(sbx) if *account.environment == WechatEnv::Sandbox => sbx.callback_base.clone(),
        _ => state.settings.public_url.trim_end_matches('/').to_string(),
    }
}

fn secure(state: &AppState) -> &'static str {
    if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

fn cookie(state: &AppState, account_id: i64, name: &str, value: &str, max_age: i64) -> String {
    format!(
        "{name}={value}; Path=/oa/{account_id}/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        secure(state)
    )
}

/// A cookie's value from the request.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The follower this browser was identified as for `account_id`, if the cookie is authentic
/// and fresh.
pub fn follower(state: &AppState, account_id: i64, headers: &HeaderMap) -> Option<Follower> {
    let raw = cookie_value(headers, WHO_COOKIE)?;
    let sealed = String::from_utf8(URL_SAFE_NO_PAD.decode(raw).ok()?).ok()?;
    let plain = state
        .vault
        .decrypt_string(&sealed, binding(account_id))
        .ok()?;
    let f: Follower = serde_json::from_str(&plain).ok()?;
    (f.exp > OffsetDateTime::now_utc().unix_timestamp()).then_some(f)
}

/// The follower page a browser returns to once WeChat identified the follower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// `/oa/{id}/me`.
    Me,
    /// `/oa/{id}/orders` ("my orders / pay").
    Orders,
}

impl Landing {
    fn code(self) -> &'static str {
        match self {
            Landing::Me => "m",
            Landing::Orders => "o",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Landing::Me => "me",
            Landing::Orders => "orders",
        }
    }

    /// The landing carried in an OAuth `state` (`random.scope.landing.lang`); states without
    /// one (`random.scope.lang`) return to `/me`.
    fn from_state(state: &str) -> Landing {
        let parts: Vec<&str> = state.split('.').collect();
        match parts.as_slice() {
            [_, _, "o", _] => Landing::Orders,
            _ => Landing::Me,
        }
    }
}

/// The state carries the scope, the landing page and the language the page asked for after
/// the random part (the language last: [`Lang::from_state`] reads it).
fn new_state(scope: OAuthScope, landing: Landing, lang: Lang) -> String {
    let random: [u8; 18] = rand::random();
    format!(
        "{}.{}.{}.{}",
        URL_SAFE_NO_PAD.encode(random),
        match scope {
            OAuthScope::Base => "b",
            OAuthScope::UserInfo => "u",
        },
        landing.code(),
        lang.code()
    )
}

/// Sends the browser to WeChat's authorize page; it comes back to `landing`.
pub async fn start(
    state: &AppState,
    account: &account::Model,
    scope: OAuthScope,
    landing: Landing,
    lang: Lang,
) -> Response {
    let client = match wechat_clients::oa(state, account.id).await {
        Ok(c) => c,
        Err(_) => return error_page(lang, 409, lang.pick("暂时无法登录", "Sign-in unavailable")),
    };
    let st = new_state(scope, landing, lang);
    let redirect = format!(
        "{}/oa/{}/oauth/callback",
        portal_base(state, account),
        account.id
    );
    let url = client.oauth_authorize_url(&redirect, scope, Some(&st));
    let mut res = Redirect::to(&url).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie(
        state,
        account.id,
        STATE_COOKIE,
        &st,
        STATE_TTL_SECS,
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

/// Loads an Official Account for a public page (`None`: no such account).
pub async fn official_account(state: &AppState, id: i64) -> Option<account::Model> {
    accounts::find(&state.db, id)
        .await
        .ok()
        .flatten()
        .filter(|a| *a.kind == api::accounts::AccountKind::OfficialAccount)
}

/// `GET /oa/{id}/oauth/callback?code=&state=`.
pub async fn callback(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let st = q.state.unwrap_or_default();
    let lang = Lang::from_state(&st);
    if let Err(wait) = throttle.0.hit(&ip, std::time::Instant::now()) {
        return limited(lang, wait);
    }
    let Some(account) = official_account(&state, id).await else {
        return error_page(lang, 404, lang.pick("页面不存在", "Page not found"));
    };
    let expected = cookie_value(&headers, STATE_COOKIE).unwrap_or("");
    let matches = !st.is_empty() && bool::from(st.as_bytes().ct_eq(expected.as_bytes()));
    let clear_state = cookie(&state, id, STATE_COOKIE, "", 0);
    let with_cleared = |mut res: Response| {
        if let Ok(v) = HeaderValue::from_str(&clear_state) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res
    };
    if !matches {
        return with_cleared(error_page(
            lang,
            400,
            lang.pick(
                "链接已失效，请从公众号菜单重新打开",
                "This link has expired: open the page again from the account's menu",
            ),
        ));
    }
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        // The follower declined (snsapi_userinfo): WeChat comes back without a code.
        return with_cleared(error_page(
            lang,
            403,
            lang.pick(
                "你没有授权，页面无法识别你",
                "You did not authorise the page",
            ),
        ));
    };
    let identified = identify(&state, &account, &code).await;
    let Some(who) = identified else {
        return with_cleared(error_page(
            lang,
            502,
            lang.pick(
                "微信授权失败，请重新打开页面",
                "WeChat authorisation failed: open the page again",
            ),
        ));
    };
    let sealed = state.vault.encrypt(
        serde_json::to_string(&who).unwrap_or_default().as_bytes(),
        binding(id),
    );
    let value = URL_SAFE_NO_PAD.encode(sealed.as_bytes());
    let landing = Landing::from_state(&st);
    let mut res = with_cleared(
        Redirect::to(&format!("/oa/{id}/{}?lang={}", landing.path(), lang.code())).into_response(),
    );
    if let Ok(v) = HeaderValue::from_str(&cookie(&state, id, WHO_COOKIE, &value, WHO_TTL_SECS)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Exchanges the code (once) and, for `snsapi_userinfo`, reads the follower's nickname.
async fn identify(state: &AppState, account: &account::Model, code: &str) -> Option<Follower> {
    let client = wechat_clients::oa(state, account.id).await.ok()?;
    let token = match client.oauth_access_token(code).await {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(account_id = account.id, error = %wechat_clients::describe(&e), "oauth code exchange failed");
            return None;
        }
    };
    let mut who = Follower {
        openid: token.openid.clone(),
        scope: token.scope.clone(),
        nickname: None,
        exp: OffsetDateTime::now_utc().unix_timestamp() + WHO_TTL_SECS,
    };
    if who.has_userinfo() {
        match client
            .oauth_userinfo(&token.access_token, &token.openid)
            .await
        {
            Ok(u) => who.nickname = Some(u.nickname).filter(|n| !n.is_empty()),
            Err(e) => {
                tracing::warn!(account_id = account.id, error = %wechat_clients::describe(&e), "sns/userinfo failed");
            }
        }
    }
    Some(who)
}
