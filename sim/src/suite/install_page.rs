//! The install page on `open.work.weixin.qq.com/3rdapp/install` (服务商辅助授权): the emulated
//! consent page the provider's link opens, and its form's target.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Form, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::Installed;
use crate::state::Sim;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET open.work.weixin.qq.com/3rdapp/install?suite_id=&pre_auth_code=&redirect_uri=&state=`:
/// an emulated consent page listing the corps (pick one and an admin, then "授权").
pub(super) async fn page(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let (suite_id, pre) = (get("suite_id"), get("pre_auth_code"));
    let name = sim.with(|s| {
        s.suites
            .get(&suite_id)
            .filter(|x| x.pre_auth_codes.contains_key(&pre))
            .map(|x| x.cfg.name.clone())
    });
    let Some(name) = name else {
        return (StatusCode::BAD_REQUEST, Html("<html><body>授权链接无效或已过期 (invalid suite_id or pre_auth_code)</body></html>")).into_response();
    };
    let corps: Vec<(String, String, Vec<String>)> = sim.with(|s| {
        s.work
            .values()
            .map(|c| {
                (
                    c.cfg.corpid.clone(),
                    c.cfg.name.clone(),
                    c.members.keys().cloned().collect(),
                )
            })
            .collect()
    });
    let mut options = String::new();
    for (id, n, members) in &corps {
        for m in members {
            options.push_str(&format!(
                "<option value=\"{}|{}\">{} — {}</option>",
                esc(id),
                esc(m),
                esc(n),
                esc(m)
            ));
        }
    }
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>授权 {name}</title></head><body>\
         <h1>企业微信 — 安装应用「{name}」</h1><p>(wechat-sim emulated install page)</p>\
         <form method=\"post\" action=\"install/confirm\">\
         <input type=\"hidden\" name=\"suite_id\" value=\"{sid}\"><input type=\"hidden\" name=\"pre_auth_code\" value=\"{pre}\">\
         <input type=\"hidden\" name=\"redirect_uri\" value=\"{ru}\"><input type=\"hidden\" name=\"state\" value=\"{st}\">\
         <label>企业与管理员 <select name=\"who\">{options}</select></label> <button type=\"submit\">同意并授权</button></form></body></html>",
        name = esc(&name),
        sid = esc(&suite_id),
        pre = esc(&pre),
        ru = esc(&get("redirect_uri")),
        st = esc(&get("state")),
    );
    Html(page).into_response()
}

#[derive(Deserialize)]
pub(super) struct Confirm {
    suite_id: String,
    pre_auth_code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    state: String,
    who: String,
}

/// The consent form's target: redirects to `redirect_uri` with the auth code.
pub(super) async fn confirm(AxState(sim): AxState<Arc<Sim>>, Form(f): Form<Confirm>) -> Response {
    let (corpid, userid) = f.who.split_once('|').unwrap_or((&f.who, ""));
    let redirect = (!f.redirect_uri.is_empty()).then_some(f.redirect_uri.as_str());
    match sim
        .suite_install(
            &f.suite_id,
            &f.pre_auth_code,
            corpid,
            userid,
            redirect,
            &f.state,
        )
        .await
    {
        Ok(Installed {
            redirect: Some(r), ..
        }) => (StatusCode::FOUND, [(header::LOCATION, r)]).into_response(),
        Ok(Installed { auth_code, .. }) => Html(format!(
            "<html><body>auth_code: {}</body></html>",
            esc(&auth_code)
        ))
        .into_response(),
        Err(err) => (
            StatusCode::BAD_REQUEST,
            Html(format!("<html><body>{}</body></html>", esc(&err.message))),
        )
            .into_response(),
    }
}
