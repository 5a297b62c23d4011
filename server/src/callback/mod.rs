//! The WeChat callback gateway: `GET|POST /wx/{account_id}` for Official Accounts (plain,
//! compatible and safe mode) and WeCom apps, outside the session and CSRF layers.
//!
//! Pipeline: signature (constant time, the right field for the mode) → timestamp window and
//! nonce replay check → decrypt → parse → de-duplication through a unique key in the database →
//! store the message → the features' event handlers ([`dispatch`]) → match rules → passive reply
//! (encrypted in safe mode) within the budget, else `success` and the reply goes the
//! asynchronous way (so does a reply ready only after WeChat hung up: the pipeline runs in a
//! task of its own and outlives the request) → record the reply with its outbound rows, once
//! ([`handling`]: a retry of a message stored but never handled, say after a crash, handles it;
//! a retry while it is being handled waits for its reply). A suite's instructions
//! go to [`crate::wecom::suite`] instead. Every delivery, accepted or rejected, is recorded with a
//! diagnosis for the inspector; the caller only ever sees a plain status code.

pub mod batch;
pub mod config;
pub mod diagnose;
pub mod dispatch;
pub mod events;
pub mod handling;
pub mod nonces;
pub mod pipeline;
mod record;
pub mod retention;

use axum::{
    Router,
    body::Body,
    extract::{Path, RawQuery, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::state::AppState;

/// What the callback gateway keeps in memory per instance (see [`config`] and [`nonces`]).
#[derive(Clone, Default)]
pub struct Memory {
    pub(crate) config: config::CallbackCache,
    pub(crate) nonces: nonces::NonceWindow,
}

/// The largest body read from WeChat (the XML parser refuses more anyway).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// `/wx/{account_id}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/wx/{account_id}", get(get_handler).post(post_handler))
}

pub fn respond(out: pipeline::Outcome) -> Response {
    let mut res = (out.status, out.body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if out.xml {
            "application/xml; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        }),
    );
    res
}

async fn get_handler(
    State(state): State<AppState>,
    Path(account_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Ok(id) = account_id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    respond(pipeline::handle_get(&state, id, query.unwrap_or_default()).await)
}

async fn post_handler(
    State(state): State<AppState>,
    Path(account_id): Path<String>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let Ok(id) = account_id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();
    let input = pipeline::Input {
        account_id: id,
        query: query.unwrap_or_default(),
        body: body.map(|b| String::from_utf8_lossy(&b).into_owned()),
        replay_of: None,
    };
    post_detached(state, input).await
}

/// Runs one POST delivery through the pipeline and answers it (also for a suite's data URL,
/// `wecom::suite::data_callbacks`, once it knows the corp's account).
pub async fn post_detached(state: AppState, input: pipeline::Input) -> Response {
    // The pipeline runs in its own task: when WeChat hangs up, hyper drops this handler, and
    // a message half-way through (stored, but its events or reply not yet) must still finish.
    let (answer, answered) = tokio::sync::oneshot::channel();
    // Held by this handler only: dropped with it when WeChat hangs up (`Caller::hung_up`).
    let (alive, _) = tokio::sync::watch::channel(());
    let caller = pipeline::Caller::waiting_on(&alive);
    tokio::spawn(async move {
        let out = pipeline::handle_post(&state, input, caller).await;
        // Nobody to answer when WeChat has hung up; the pipeline has recorded the delivery.
        let _ = answer.send(out);
    });
    let response = match answered.await {
        Ok(out) => respond(out),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    drop(alive);
    response
}
