//! WeChat Pay API v2 under `/api.mch.weixin.qq.com`.

pub mod model;
pub mod notify;

use std::sync::Arc;

use axum::Router;

use crate::state::Sim;

/// Routes of `api.mch.weixin.qq.com`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
}
