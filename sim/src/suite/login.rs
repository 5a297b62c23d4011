//! The provider's web login (第三方网页登录 / 服务商后台登录) on `open.work.weixin.qq.com`:
//! `GET /wwopen/sso/3rd_qrConnect?appid=PROVIDER_CORPID&redirect_uri=&state=&usertype=` shows
//! an emulated "scan with WeCom" page (pick a corp member instead of scanning), and its form
//! redirects to `redirect_uri?auth_code=…&state=…` with a code `service/get_login_info` takes
//! once. ⚠️ The path and parameters follow the reference; WeCom's real page is a QR code.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Form, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::esc;
use crate::state::Sim;

/// The scan page: the provider's suites' corps and their members.
pub(super) async fn page(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let provider = get("appid");
    let suite = sim.with(|s| {
        s.suites
            .values()
            .find(|x| x.cfg.provider_corpid == provider)
            .map(|x| (x.cfg.suite_id.clone(), x.cfg.name.clone()))
    });
    let Some((suite_id, name)) = suite else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<html><body>appid 无效 (unknown provider corpid)</body></html>"),
        )
            .into_response();
    };
    let options: String = sim.with(|s| {
        s.work
            .values()
            .flat_map(|c| {
                c.members.values().map(move |m| {
                    format!(
                        "<option value=\"{}|{}\">{} — {} ({})</option>",
                        esc(&c.cfg.corpid),
                        esc(&m.userid),
                        esc(&c.cfg.name),
                        esc(&m.name),
                        esc(&m.userid)
                    )
                })
            })
            .collect()
    });
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>企业微信登录 {name}</title></head><body>\
         <h1>企业微信扫码登录「{name}」</h1><p>(wechat-sim emulated scan: pick who scans)</p>\
         <form method=\"post\" action=\"3rd_qrConnect/confirm\">\
         <input type=\"hidden\" name=\"suite_id\" value=\"{sid}\">\
         <input type=\"hidden\" name=\"redirect_uri\" value=\"{ru}\"><input type=\"hidden\" name=\"state\" value=\"{st}\">\
         <label>扫码成员 <select name=\"who\" data-testid=\"sim-login-who\">{options}</select></label> \
         <button type=\"submit\">确认登录</button></form></body></html>",
        name = esc(&name),
        sid = esc(&suite_id),
        ru = esc(&get("redirect_uri")),
        st = esc(&get("state")),
    ))
    .into_response()
}

#[derive(Deserialize)]
pub(super) struct Confirm {
    suite_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    state: String,
    who: String,
}

/// The member confirmed on the phone: back to the provider with the auth code.
pub(super) async fn confirm(AxState(sim): AxState<Arc<Sim>>, Form(f): Form<Confirm>) -> Response {
    let (corpid, userid) = f.who.split_once('|').unwrap_or((&f.who, ""));
    match sim.suite_login_code(&f.suite_id, corpid, userid) {
        Ok(code) if !f.redirect_uri.is_empty() => {
            let sep = if f.redirect_uri.contains('?') {
                '&'
            } else {
                '?'
            };
            // Like the install redirect, the state goes back as the provider sent it.
            let to = format!("{}{sep}auth_code={code}&state={}", f.redirect_uri, f.state);
            (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
        }
        Ok(code) => Html(format!(
            "<html><body>auth_code: {}</body></html>",
            esc(&code)
        ))
        .into_response(),
        Err(err) => (
            StatusCode::BAD_REQUEST,
            Html(format!("<html><body>{}</body></html>", esc(&err.message))),
        )
            .into_response(),
    }
}
