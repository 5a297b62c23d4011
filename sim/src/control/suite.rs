//! `/_sim/suites/…`: WeCom third-party suites.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::callback::Delivery;
use crate::error::SimError;
use crate::state::Sim;
use crate::suite::Installed;
use crate::suite::license::License;
use crate::suite::model::{Suite, SuiteConfig};

type S = AxState<Arc<Sim>>;
type R<T> = Result<Json<T>, SimError>;

#[derive(Deserialize)]
struct InstallRequest {
    pre_auth_code: String,
    corpid: String,
    #[serde(default)]
    userid: String,
    #[serde(default)]
    redirect_uri: Option<String>,
    #[serde(default)]
    state: String,
}

#[derive(Deserialize)]
struct LoginRequest {
    corpid: String,
    userid: String,
}

async fn list(AxState(sim): S) -> Json<Value> {
    Json(json!(sim.with(|s| {
        s.suites.values().map(|x| x.cfg.clone()).collect::<Vec<_>>()
    })))
}

async fn create(AxState(sim): S, Json(cfg): Json<SuiteConfig>) -> Json<SuiteConfig> {
    Json(sim.create_suite(cfg))
}

async fn show(AxState(sim): S, Path(id): Path<String>) -> R<Suite> {
    sim.with(|s| s.suites.get(&id).cloned())
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such suite"))
}

async fn push_ticket(AxState(sim): S, Path(id): Path<String>) -> R<Delivery> {
    sim.push_suite_ticket(&id).await.map(Json)
}

async fn install(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<InstallRequest>,
) -> R<Installed> {
    sim.suite_install(
        &id,
        &r.pre_auth_code,
        &r.corpid,
        &r.userid,
        r.redirect_uri.as_deref(),
        &r.state,
    )
    .await
    .map(Json)
}

#[derive(Deserialize)]
struct UninstallRequest {
    corpid: String,
}

async fn uninstall(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<UninstallRequest>,
) -> R<Delivery> {
    sim.suite_uninstall(&id, &r.corpid).await.map(Json)
}

async fn login(AxState(sim): S, Path(id): Path<String>, Json(r): Json<LoginRequest>) -> R<Value> {
    sim.suite_login_code(&id, &r.corpid, &r.userid)
        .map(|c| Json(json!({"auth_code": c})))
}

#[derive(Deserialize)]
struct MarketRequest {
    corpid: String,
    userid: String,
}

/// 线上自助注册授权: the corp's admin adds the suite from WeCom's app market.
async fn market_install(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<MarketRequest>,
) -> R<Installed> {
    sim.suite_market_install(&id, &r.corpid, &r.userid)
        .await
        .map(Json)
}

#[derive(Deserialize)]
struct LicenseAppRequest {
    corpid: String,
    #[serde(default)]
    status: Option<i64>,
    #[serde(default)]
    trial_ended: Option<bool>,
}

async fn license_app(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<LicenseAppRequest>,
) -> R<License> {
    sim.suite_license_app(&id, &r.corpid, r.status, r.trial_ended)
        .map(Json)
}

#[derive(Deserialize)]
struct LicenseMemberRequest {
    corpid: String,
    userid: String,
    /// 1 basic (default), 2 互通.
    #[serde(default = "one", rename = "type")]
    kind: i64,
    /// How long the account lasts (default 365 days).
    #[serde(default = "year")]
    days: i64,
}

fn one() -> i64 {
    1
}
fn year() -> i64 {
    365
}

async fn license_activate(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<LicenseMemberRequest>,
) -> R<License> {
    sim.suite_license_activate(&id, &r.corpid, &r.userid, r.kind, r.days)
        .map(Json)
}

async fn license_expire(
    AxState(sim): S,
    Path(id): Path<String>,
    Json(r): Json<LicenseMemberRequest>,
) -> R<License> {
    sim.suite_license_expire(&id, &r.corpid, &r.userid)
        .map(Json)
}

pub(super) fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/suites", get(list).post(create))
        .route("/suites/{suite_id}", get(show))
        .route("/suites/{suite_id}/push_ticket", post(push_ticket))
        .route("/suites/{suite_id}/install", post(install))
        .route("/suites/{suite_id}/login", post(login))
        .route("/suites/{suite_id}/uninstall", post(uninstall))
        .route("/suites/{suite_id}/market_install", post(market_install))
        .route("/suites/{suite_id}/license/app", post(license_app))
        .route(
            "/suites/{suite_id}/license/activate",
            post(license_activate),
        )
        .route("/suites/{suite_id}/license/expire", post(license_expire))
}
