//! `GET /api/system/info`: version, public URL and default WeChat environment for the SPA.

use api::{accounts::WechatEnv, system::SystemInfo};
use axum::{Json, extract::State};

use crate::{http::routes::Route, state::AppState};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/system/info", info)
            .authenticated()
            .summary("Server version, public URL, default environment")
            .response::<SystemInfo>(),
    ]
}

pub async fn info(State(state): State<AppState>) -> Json<SystemInfo> {
    Json(SystemInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        public_url: state.settings.public_url.clone(),
        default_environment: if state.settings.sandbox {
            WechatEnv::Sandbox
        } else {
            WechatEnv::Production
        },
    })
}
