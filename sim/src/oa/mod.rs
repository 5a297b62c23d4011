//! Official Account APIs served under `/api.weixin.qq.com` (and `showqrcode` under
//! `/mp.weixin.qq.com`).

pub mod draft;
pub mod kf;
pub mod mass;
pub mod media;
pub mod menu;
pub mod model;
pub mod oauth;
pub mod qrcode;
pub mod token;
pub mod user;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::Value;

use crate::error::WxError;
use crate::fault::FaultKind;
use crate::state::{Sim, State};
use crate::token::{Owner, TokenProblem};

/// A request as the OA handlers see it: query parameters and the raw body.
pub struct Req {
    /// Query parameters (URL-decoded).
    pub q: HashMap<String, String>,
    /// Raw body.
    pub body: Bytes,
}

impl Req {
    /// A query parameter.
    pub fn query(&self, k: &str) -> Option<&str> {
        self.q.get(k).map(String::as_str)
    }

    /// The JSON body: empty → 44002, malformed → 47001.
    pub fn json(&self) -> Result<Value, WxError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(WxError::oa(44002));
        }
        serde_json::from_slice(&self.body).map_err(|_| {
            WxError::oa_msg(
                47001,
                format!(
                    "data format error hint: [{}]",
                    crate::proto::sign::random_alnum(12)
                ),
            )
        })
    }

    /// Like [`Req::json`], and also refuses `\uXXXX` escapes of non-ASCII characters with 40033,
    /// as the menu and tag APIs do (send raw UTF-8).
    pub fn json_strict(&self) -> Result<Value, WxError> {
        let v = self.json()?;
        if has_non_ascii_escape(&self.body) {
            return Err(WxError::oa(40033));
        }
        Ok(v)
    }
}

fn has_non_ascii_escape(body: &[u8]) -> bool {
    let s = String::from_utf8_lossy(body);
    let b = s.as_bytes();
    let mut i = 0;
    while i + 6 <= b.len() {
        if b[i] == b'\\' {
            if b[i + 1] == b'u'
                && let Ok(code) =
                    u32::from_str_radix(std::str::from_utf8(&b[i + 2..i + 6]).unwrap_or("zz"), 16)
                && code >= 0x80
            {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// An OA API operation: state, appid, now, request.
pub type OaFn = fn(&mut State, &str, i64, &Req) -> Result<Value, WxError>;

/// Renders a JSON body with WeChat's content type.
pub fn json_response(v: &Value) -> Response {
    let mut r = crate::proto::json::to_string(v).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    r
}

fn wx(r: Result<Value, WxError>) -> Response {
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

/// Maps a fault to the OA error it produces.
pub fn fault_error(kind: FaultKind) -> WxError {
    match kind {
        FaultKind::Busy => WxError::oa(-1),
        FaultKind::Quota => WxError::oa(45009),
        FaultKind::IpWhitelist => WxError::oa_msg(
            40164,
            "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist",
        ),
        FaultKind::Latency
        | FaultKind::TokenInvalidated
        | FaultKind::TokenRefreshed
        | FaultKind::CallbackTimeout
        | FaultKind::Errcode => WxError::oa(-1),
    }
}

/// Applies the faults of `target` for `path`.
pub async fn check_faults(sim: &Sim, target: &str, path: &str) -> Result<(), WxError> {
    let hit = sim.faults(target, path).await;
    match (hit.error, hit.errcode) {
        (None, _) => Ok(()),
        (Some(_), Some((code, Some(msg)))) => Err(WxError::oa_msg(code, &msg)),
        (Some(_), Some((code, None))) => Err(WxError::oa(code)),
        (Some(k), None) => Err(fault_error(k)),
    }
}

/// Resolves `access_token` to an OA appid (41001 / 40001 / 42001) and applies faults.
pub async fn authed(sim: &Sim, q: &HashMap<String, String>, path: &str) -> Result<String, WxError> {
    let token = q
        .get("access_token")
        .filter(|t| !t.is_empty())
        .ok_or(WxError::oa(41001))?;
    let now = sim.now();
    let owner = sim
        .with(|s| s.tokens.check(token, now))
        .map_err(|p| match p {
            TokenProblem::Invalid => WxError::oa(40001),
            TokenProblem::Expired => WxError::oa(42001),
        })?;
    let Owner::Oa { appid, .. } = owner else {
        return Err(WxError::oa(40001));
    };
    check_faults(sim, &appid, path).await?;
    let kind = sim
        .with(|s| s.oa.get(&appid).map(|a| a.cfg.account_type))
        .unwrap_or_default();
    if !kind.allows(path) {
        return Err(WxError::oa_msg(48001, "api unauthorized"));
    }
    Ok(appid)
}

async fn run(sim: Arc<Sim>, f: OaFn, req: Req, path: String) -> Response {
    let appid = match authed(&sim, &req.q, &path).await {
        Ok(a) => a,
        Err(e) => return wx(Err(e)),
    };
    let now = sim.now();
    wx(sim.with(|s| f(s, &appid, now, &req)))
}

/// A POST-only OA API (GET answers 43002).
pub fn p(f: OaFn) -> MethodRouter<Arc<Sim>> {
    post(
        move |AxState(sim): AxState<Arc<Sim>>,
              Query(q): Query<HashMap<String, String>>,
              uri: Uri,
              body: Bytes| { run(sim, f, Req { q, body }, uri.path().to_owned()) },
    )
    .fallback(|| async { wx(Err(WxError::oa(43002))) })
}

/// A GET OA API (POST accepted too, as WeChat does).
pub fn g(f: OaFn) -> MethodRouter<Arc<Sim>> {
    let h = move |AxState(sim): AxState<Arc<Sim>>,
                  Query(q): Query<HashMap<String, String>>,
                  uri: Uri,
                  body: Bytes| { run(sim, f, Req { q, body }, uri.path().to_owned()) };
    get(h).post(h)
}

/// The account for `appid` (it exists: the token was checked).
pub fn app<'a>(s: &'a mut State, appid: &str) -> Result<&'a mut model::OaApp, WxError> {
    s.oa.get_mut(appid).ok_or(WxError::oa(40013))
}

/// Routes of `api.weixin.qq.com`.
pub fn api_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/cgi-bin/token", get(token::token).post(token::token))
        .route("/cgi-bin/stable_token", post(token::stable_token))
        .route("/cgi-bin/clear_quota", p(token::clear_quota))
        .route("/cgi-bin/user/get", g(user::user_get))
        .route("/cgi-bin/user/info", g(user::user_info))
        .route("/cgi-bin/user/info/batchget", p(user::user_batchget))
        .route("/cgi-bin/user/info/updateremark", p(user::update_remark))
        .route("/cgi-bin/tags/create", p(user::tags_create))
        .route("/cgi-bin/tags/get", g(user::tags_get))
        .route("/cgi-bin/tags/update", p(user::tags_update))
        .route("/cgi-bin/tags/delete", p(user::tags_delete))
        .route("/cgi-bin/tags/members/batchtagging", p(user::batch_tagging))
        .route(
            "/cgi-bin/tags/members/batchuntagging",
            p(user::batch_untagging),
        )
        .route("/cgi-bin/tags/getidlist", p(user::tags_getidlist))
        .route("/cgi-bin/user/tag/get", p(user::user_tag_get))
        .route("/cgi-bin/groups/create", p(user::groups_create))
        .route("/cgi-bin/groups/get", g(user::groups_get))
        .route("/cgi-bin/groups/getid", p(user::groups_getid))
        .route("/cgi-bin/groups/update", p(user::groups_update))
        .route(
            "/cgi-bin/groups/members/update",
            p(user::groups_member_update),
        )
        .route(
            "/cgi-bin/groups/members/batchupdate",
            p(user::groups_member_batchupdate),
        )
        .route("/cgi-bin/groups/delete", p(user::groups_delete))
        .route("/cgi-bin/menu/create", p(menu::create))
        .route("/cgi-bin/menu/get", g(menu::get_menu))
        .route("/cgi-bin/menu/delete", g(menu::delete))
        .route("/cgi-bin/menu/addconditional", p(menu::add_conditional))
        .route("/cgi-bin/menu/delconditional", p(menu::del_conditional))
        .route("/cgi-bin/menu/trymatch", p(menu::try_match))
        .route("/cgi-bin/qrcode/create", p(qrcode::create))
        .route("/cgi-bin/message/custom/send", p(user::custom_send))
        .route("/customservice/kfaccount/add", p(kf::add))
        .route("/customservice/kfaccount/update", p(kf::update))
        .route("/customservice/kfaccount/del", g(kf::del))
        .route("/customservice/kfaccount/inviteworker", p(kf::invite))
        .route(
            "/customservice/kfaccount/uploadheadimg",
            post(kf::upload_headimg),
        )
        .route("/cgi-bin/customservice/getkflist", g(kf::list))
        .route("/cgi-bin/customservice/getonlinekflist", g(kf::online))
        .route("/cgi-bin/ticket/getticket", g(oauth::getticket))
        .route("/cgi-bin/media/upload", post(media::media_upload))
        .route("/cgi-bin/media/get", get(media::media_get))
        .route("/cgi-bin/media/uploadimg", post(media::upload_img))
        .route("/cgi-bin/material/add_material", post(media::add_material))
        .route("/cgi-bin/material/add_news", p(media::retired))
        .route("/cgi-bin/material/update_news", p(media::retired))
        .route("/cgi-bin/material/get_material", post(media::get_material))
        .route("/cgi-bin/material/del_material", p(media::del_material))
        .route(
            "/cgi-bin/material/batchget_material",
            p(media::batchget_material),
        )
        .route(
            "/cgi-bin/material/get_materialcount",
            g(media::material_count),
        )
        .route("/cgi-bin/draft/add", p(draft::add))
        .route("/cgi-bin/draft/get", p(draft::get))
        .route("/cgi-bin/draft/delete", p(draft::delete))
        .route("/cgi-bin/draft/update", p(draft::update))
        .route("/cgi-bin/draft/count", g(draft::count))
        .route("/cgi-bin/draft/batchget", p(draft::batchget))
        .route("/cgi-bin/freepublish/submit", p(draft::submit))
        .route("/cgi-bin/freepublish/get", p(draft::get_publish))
        .route("/cgi-bin/freepublish/delete", p(draft::delete_publish))
        .route("/cgi-bin/freepublish/batchget", p(draft::batchget_publish))
        .route("/cgi-bin/template/api_set_industry", p(mass::set_industry))
        .route("/cgi-bin/template/get_industry", g(mass::get_industry))
        .route("/cgi-bin/template/api_add_template", p(mass::add_template))
        .route(
            "/cgi-bin/template/get_all_private_template",
            g(mass::list_templates),
        )
        .route(
            "/cgi-bin/template/del_private_template",
            p(mass::del_template),
        )
        .route("/cgi-bin/message/template/send", p(mass::send_template))
        .route("/cgi-bin/media/uploadvideo", p(mass::upload_video))
        .route("/cgi-bin/message/mass/sendall", p(mass::sendall))
        .route("/cgi-bin/message/mass/send", p(mass::send))
        .route("/cgi-bin/message/mass/preview", p(mass::preview))
        .route("/cgi-bin/message/mass/get", p(mass::get))
        .route("/cgi-bin/message/mass/delete", p(mass::delete))
        .route("/cgi-bin/message/mass/speed/get", p(mass::speed_get))
        .route("/cgi-bin/message/mass/speed/set", p(mass::speed_set))
        .route("/sns/oauth2/access_token", get(oauth::access_token))
        .route("/sns/oauth2/refresh_token", get(oauth::refresh_token))
        .route("/sns/userinfo", get(oauth::userinfo))
        .route("/sns/auth", get(oauth::auth))
}

/// Routes of `mmbiz.qpic.cn` (WeChat's image host).
pub fn image_router() -> Router<Arc<Sim>> {
    Router::new().route("/{*path}", get(media::image))
}

/// Routes of `mp.weixin.qq.com`.
pub fn mp_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/cgi-bin/showqrcode", get(qrcode::show))
        .route("/mp/videodownload", get(media::video_download))
}
