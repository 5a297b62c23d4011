//! The emulator's own control API under `/_sim/` (JSON in, JSON out; documented in
//! `sim/README.md`). Every endpoint is a thin wrapper over a typed method of [`Sim`].

mod oa;
mod pay;
mod suite;
mod work;

pub use pay::{MerchantUpdate, OrderAlteration};

use std::sync::Arc;

use axum::extract::{Path, Query, State as AxState};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::callback::Delivery;
use crate::error::SimError;
use crate::fault::{FaultKind, FaultSpec};
use crate::seed::{Seed, SeedSummary};
use crate::state::{Sim, SimConfig};

type S = AxState<Arc<Sim>>;
type R<T> = Result<Json<T>, SimError>;

/// Filter for [`Sim::deliveries`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeliveryFilter {
    /// appid / corpid / suite id / mch_id.
    #[serde(default)]
    pub target: Option<String>,
    /// `oa`, `work`, `suite`, `pay_notify`, …
    #[serde(default)]
    pub family: Option<String>,
    /// openid / userid / out_trade_no.
    #[serde(default)]
    pub subject: Option<String>,
    /// Only ids greater than this.
    #[serde(default)]
    pub after: Option<u64>,
}

impl Sim {
    /// Installs a fault; `token_invalidated` / `token_refreshed` are applied at once and return
    /// how many tokens they revoked / superseded.
    pub fn add_fault(&self, spec: FaultSpec) -> Value {
        let now = self.now();
        self.with(|s| match spec.kind {
            FaultKind::TokenInvalidated => json!({"revoked": s.tokens.revoke_target(&spec.target)}),
            FaultKind::TokenRefreshed => {
                json!({"superseded": s.tokens.refresh_target(&spec.target, now)})
            }
            _ => json!(s.faults.add(spec)),
        })
    }

    /// Recorded deliveries matching `f`, oldest first.
    pub fn deliveries(&self, f: &DeliveryFilter) -> Vec<Delivery> {
        self.with(|s| {
            s.deliveries
                .iter()
                .filter(|d| f.target.as_ref().is_none_or(|t| &d.target == t))
                .filter(|d| f.family.as_ref().is_none_or(|t| &d.family == t))
                .filter(|d| f.subject.as_ref().is_none_or(|t| &d.subject == t))
                .filter(|d| f.after.is_none_or(|a| d.id > a))
                .cloned()
                .collect()
        })
    }
}

pub(crate) async fn index(AxState(sim): S) -> Json<Value> {
    let counts = sim.with(|s| {
        json!({
            "oa": s.oa.len(),
            "corps": s.work.len(),
            "suites": s.suites.len(),
            "merchants": s.pay.merchants.len(),
            "faults": s.faults.list().len(),
            "deliveries": s.deliveries.len(),
            "jobs": s.jobs.len(),
        })
    });
    Json(json!({
        "emulator": "wechat-sim",
        "version": env!("CARGO_PKG_VERSION"),
        "now": sim.now(),
        "hosts": crate::HOSTS,
        "control": "/_sim/",
        "counts": counts,
    }))
}

async fn reset(AxState(sim): S) -> Json<Value> {
    sim.reset();
    Json(json!({"ok": true}))
}

async fn seed(AxState(sim): S, Json(seed): Json<Seed>) -> R<SeedSummary> {
    sim.load_seed(seed).map(Json)
}

async fn get_config(AxState(sim): S) -> Json<SimConfig> {
    Json(sim.config())
}

async fn set_config(AxState(sim): S, Json(c): Json<SimConfig>) -> Json<SimConfig> {
    sim.set_config(c);
    Json(sim.config())
}

fn clock_json(sim: &Sim) -> Value {
    json!({"now": sim.now(), "now_ms": sim.clock.now_ms(), "offset_ms": sim.clock.offset_ms()})
}

async fn clock(AxState(sim): S) -> Json<Value> {
    Json(clock_json(&sim))
}

#[derive(Deserialize)]
struct Advance {
    #[serde(default)]
    seconds: i64,
    #[serde(default)]
    minutes: i64,
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    days: i64,
}

async fn advance(AxState(sim): S, Json(a): Json<Advance>) -> R<Value> {
    let total = a.seconds + 60 * a.minutes + 3600 * a.hours + 86_400 * a.days;
    if total < 0 {
        return Err(SimError::bad("the clock only moves forward"));
    }
    sim.advance(total);
    // Let due jobs start before answering.
    tokio::task::yield_now().await;
    Ok(Json(clock_json(&sim)))
}

#[derive(Deserialize)]
struct SetClock {
    unix: i64,
}

async fn set_clock(AxState(sim): S, Json(c): Json<SetClock>) -> Json<Value> {
    sim.clock.set_ms(c.unix * 1000);
    sim.wake.notify_one();
    Json(clock_json(&sim))
}

async fn list_faults(AxState(sim): S) -> Json<Value> {
    Json(json!(sim.with(|s| s.faults.list())))
}

async fn add_fault(AxState(sim): S, Json(spec): Json<FaultSpec>) -> Json<Value> {
    Json(sim.add_fault(spec))
}

async fn clear_faults(AxState(sim): S) -> Json<Value> {
    sim.with(|s| s.faults.clear());
    Json(json!({"ok": true}))
}

async fn delete_fault(AxState(sim): S, Path(id): Path<u64>) -> R<Value> {
    if sim.with(|s| s.faults.remove(id)) {
        Ok(Json(json!({"ok": true})))
    } else {
        Err(SimError::not_found("no such fault"))
    }
}

async fn deliveries(AxState(sim): S, Query(f): Query<DeliveryFilter>) -> Json<Vec<Delivery>> {
    Json(sim.deliveries(&f))
}

async fn delivery(AxState(sim): S, Path(id): Path<u64>) -> R<Delivery> {
    sim.with(|s| s.deliveries.iter().find(|d| d.id == id).cloned())
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such delivery"))
}

async fn jobs(AxState(sim): S) -> Json<Value> {
    Json(json!(sim.with(|s| s.jobs.clone())))
}

/// The `/_sim` router.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/", get(index))
        .route("/reset", post(reset))
        .route("/seed", post(seed))
        .route("/config", get(get_config).post(set_config))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/clock/set", post(set_clock))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/faults/{id}", delete(delete_fault))
        .route("/deliveries", get(deliveries))
        .route("/deliveries/{id}", get(delivery))
        .route("/jobs", get(jobs))
        .merge(oa::router())
        .merge(pay::router())
        .merge(work::router())
        .merge(suite::router())
}
