//! # wechat-sim — a stateful emulator of WeChat's servers
//!
//! Serves each WeChat host under a path prefix named after the host: a client swaps
//! `https://api.weixin.qq.com` for `http://127.0.0.1:PORT/api.weixin.qq.com`. The emulator's
//! own control API lives under `/_sim/` (see `sim/README.md`).
//!
//! Embedding (e.g. under `/sandbox` in the portal):
//!
//! ```no_run
//! # async fn demo() {
//! let sim = wechat_sim::Sim::new(wechat_sim::SimConfig::default());
//! let app: axum::Router = axum::Router::new().nest("/sandbox", wechat_sim::router(sim.clone()));
//! // Act as a follower in-process:
//! let cfg = sim.create_oa(Default::default()).unwrap();
//! let r = sim
//!     .oa_act(&cfg.appid, None, wechat_sim::FollowerAction::Subscribe { ticket: None })
//!     .await
//!     .unwrap();
//! println!("{} subscribed: {:?}", r.openid, r.delivery.outcome);
//! # let _ = app;
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod callback;
pub mod clock;
pub mod control;
pub mod error;
pub mod fault;
pub mod oa;
pub mod pay;
pub mod proto;
pub mod sched;
pub mod seed;
pub mod state;
pub mod suite;
pub mod token;
pub mod work;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;

pub use callback::oa::{ActResult, FollowerAction};
pub use callback::work::MemberAction;
pub use callback::{Delivery, Outcome, VerifyResult};
pub use clock::Clock;
pub use error::{SimError, WxError};
pub use fault::{FaultKind, FaultSpec};
pub use oa::model::{CallbackMode, OaConfig};
pub use pay::model::MerchantConfig;
pub use seed::Seed;
pub use state::{Sim, SimConfig};
pub use suite::model::SuiteConfig;
pub use work::model::{AgentConfig, CallbackConfig, CorpConfig};

/// The WeChat hosts the emulator serves, each under `/<host>`.
pub const HOSTS: &[&str] = &[
    "api.weixin.qq.com",
    "mp.weixin.qq.com",
    "api.mch.weixin.qq.com",
    "qyapi.weixin.qq.com",
    "open.weixin.qq.com",
    "open.work.weixin.qq.com",
    "mmbiz.qpic.cn",
];

/// The emulator as an axum router: WeChat hosts under `/<host>/…` and the control API under
/// `/_sim/…`. Works at the root or nested (e.g. `Router::new().nest("/sandbox", router(sim))`).
pub fn router(sim: Arc<Sim>) -> Router {
    router_with(sim)
}

/// Like [`router`], for nesting into a router with its own state type `S` (the emulator's
/// state is already provided): `Router::<AppState>::new().nest("/sandbox", router_with(sim))`.
pub fn router_with<S: Clone + Send + Sync + 'static>(sim: Arc<Sim>) -> Router<S> {
    Router::new()
        .nest(
            "/api.weixin.qq.com",
            oa::api_router().layer(axum::extract::DefaultBodyLimit::max(25 << 20)),
        )
        .nest("/mp.weixin.qq.com", oa::mp_router())
        .nest("/api.mch.weixin.qq.com", pay::router())
        .nest(
            "/qyapi.weixin.qq.com",
            work::router()
                .merge(suite::service_router())
                .layer(axum::extract::DefaultBodyLimit::max(25 << 20)),
        )
        .nest("/open.work.weixin.qq.com", suite::open_work_router())
        .nest("/open.weixin.qq.com", oa::oauth::open_router())
        .nest("/mmbiz.qpic.cn", oa::image_router())
        .nest("/_sim", control::router())
        .route("/_sim/", axum::routing::get(control::index))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "not emulated (see /_sim/ and sim/README.md)",
            )
                .into_response()
        })
        .with_state(sim)
}

/// Serves the emulator on a bound listener until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, sim: Arc<Sim>) -> std::io::Result<()> {
    axum::serve(listener, router(sim)).await
}
