//! 线上自助注册授权: a corp's admin adds the suite from WeCom's app market (emulated page on
//! `open.work.weixin.qq.com/3rdapp/market`, or the control call): no pre-auth code from the
//! provider, no redirect to the provider; WeCom pushes `create_auth` with the auth code and no
//! `State` to the instruction URL, and the provider exchanges it.
//!
//! ⚠️ unverified: the real market lives in WeCom's admin console; only its outcome (the
//! `create_auth` without `State`) is emulated here.

use std::sync::Arc;

use axum::extract::{Form, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

use super::{Installed, esc};
use crate::error::SimError;
use crate::state::Sim;

impl Sim {
    /// The admin `userid` of `corpid` adds suite `suite_id` from the market.
    pub async fn suite_market_install(
        &self,
        suite_id: &str,
        corpid: &str,
        userid: &str,
    ) -> Result<Installed, SimError> {
        self.with(|s| {
            let member = s
                .work
                .get(corpid)
                .ok_or_else(|| SimError::bad("no such corp"))?
                .members
                .contains_key(userid);
            if !member {
                return Err(SimError::bad("no such corp member"));
            }
            if !s.suites.contains_key(suite_id) {
                return Err(SimError::not_found("no such suite"));
            }
            Ok(())
        })?;
        let auth_code = self
            .push_create_auth(suite_id, corpid, userid, None)
            .await?;
        Ok(Installed {
            auth_code,
            redirect: None,
        })
    }
}

/// `GET /3rdapp/market?suite_id=`: the market page (the suite, a corp and its admin, "添加").
pub(super) async fn page(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let suite_id = q.get("suite_id").cloned().unwrap_or_default();
    let Some(name) = sim.with(|s| s.suites.get(&suite_id).map(|x| x.cfg.name.clone())) else {
        return (
            StatusCode::NOT_FOUND,
            Html("<html><body>应用不存在 (no such suite)</body></html>"),
        )
            .into_response();
    };
    let who: Vec<(String, String, String)> = sim.with(|s| {
        s.work
            .values()
            .flat_map(|c| {
                c.members
                    .keys()
                    .map(|m| (c.cfg.corpid.clone(), c.cfg.name.clone(), m.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    let options: String = who
        .iter()
        .map(|(id, n, m)| {
            format!(
                "<option value=\"{}|{}\">{} — {}</option>",
                esc(id),
                esc(m),
                esc(n),
                esc(m)
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>应用市场 {name}</title></head><body>\
         <h1>企业微信应用市场 — 「{name}」</h1><p>(wechat-sim emulated app market: 线上自助注册授权)</p>\
         <form method=\"post\" action=\"market/confirm\"><input type=\"hidden\" name=\"suite_id\" value=\"{sid}\">\
         <label>企业与管理员 <select name=\"who\">{options}</select></label> <button type=\"submit\">添加应用</button></form></body></html>",
        name = esc(&name),
        sid = esc(&suite_id),
    ))
    .into_response()
}

#[derive(Deserialize)]
pub(super) struct Confirm {
    suite_id: String,
    who: String,
}

/// The market form's target: the suite is added; WeCom tells the provider by `create_auth`.
pub(super) async fn confirm(AxState(sim): AxState<Arc<Sim>>, Form(f): Form<Confirm>) -> Response {
    let (corpid, userid) = f.who.split_once('|').unwrap_or((&f.who, ""));
    match sim.suite_market_install(&f.suite_id, corpid, userid).await {
        Ok(_) => Html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><h1>添加成功</h1><p>{}</p></body></html>",
            esc(corpid)
        ))
        .into_response(),
        Err(err) => (
            StatusCode::BAD_REQUEST,
            Html(format!("<html><body>{}</body></html>", esc(&err.message))),
        )
            .into_response(),
    }
}
