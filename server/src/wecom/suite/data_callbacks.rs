//! A suite's data URL (数据回调URL, `GET|POST /wx/{suite_account_id}/data`): messages and events
//! of the members of the corps that authorised the suite, encrypted with the suite's Token and
//! EncodingAESKey, receive id = the corp's CorpID (⚠️ unverified: WeCom doc 90968 from memory).
//!
//! The envelope's `ToUserName` (the CorpID, in clear next to `<Encrypt>`) names the corp; the
//! delivery then goes through the ordinary callback pipeline as a delivery to the corp's managed
//! account ([`super::managed`], created on the corp's first message): signature, replay checks,
//! decryption (the decrypted receive id must be that CorpID, so a forged `ToUserName` is
//! refused), de-duplication, storage as a WeCom app message, the event handlers and the
//! account's reply rules. A corp that never authorised the suite is refused and recorded under
//! the suite.
//!
//! WeCom verifies the URL when the provider saves it (GET with an encrypted echostr); that is
//! answered like the instruction URL's (receive id = SuiteID, ⚠️ unverified).

use api::accounts::AccountKind;
use axum::{
    Router,
    body::Body,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};

use super::{corps, managed};
use crate::{
    accounts::queries,
    audit::service::Actor,
    callback::{self, pipeline},
    error::AppResult,
    state::AppState,
};

/// `/wx/{id}/data`.
pub fn router() -> Router<AppState> {
    Router::new().route("/wx/{id}/data", get(verify).post(receive))
}

/// The data URL of suite account `id` under `public_url`.
pub fn url(public_url: &str, id: i64) -> String {
    format!("{}/wx/{id}/data", public_url.trim_end_matches('/'))
}

async fn suite(state: &AppState, id: &str) -> AppResult<Option<crate::entities::account::Model>> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    Ok(queries::find(&state.db, id)
        .await?
        .filter(|m| *m.kind == AccountKind::WorkSuite))
}

async fn verify(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match suite(&state, &id).await {
        Ok(Some(s)) => {
            callback::respond(pipeline::handle_get(&state, s.id, query.unwrap_or_default()).await)
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "loading the suite of a data URL failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The CorpID an encrypted push is addressed to (`ToUserName` of the envelope).
fn addressee(body: &str) -> Option<String> {
    let root = wechat::xml::parse(body).ok()?;
    root.child_text("ToUserName")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Where a data push goes: the managed account of its corp, or a refusal to record.
enum Route {
    Account(i64),
    Refused(String),
}

async fn route(
    state: &AppState,
    suite: &crate::entities::account::Model,
    body: Option<&str>,
) -> AppResult<Route> {
    let Some(corpid) = body.and_then(addressee) else {
        return Ok(Route::Refused(
            "data URL push without a ToUserName (the authorised corp's CorpID): not a WeCom data callback".into(),
        ));
    };
    let Some(row) = corps::find(state, suite.id, &corpid).await? else {
        return Ok(Route::Refused(format!(
            "data URL push for corp {corpid}, which never authorised this suite here"
        )));
    };
    // A revoked corp keeps its account (its history): WeCom no longer pushes for it, but what
    // arrives is still checked and stored there.
    let account = managed::ensure(state, suite, &row, &Actor::system()).await?;
    Ok(Route::Account(account.id))
}

async fn receive(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let suite = match suite(&state, &id).await {
        Ok(Some(s)) => s,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "loading the suite of a data URL failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let query = query.unwrap_or_default();
    let body = axum::body::to_bytes(body, callback::MAX_BODY_BYTES)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    match route(&state, &suite, body.as_deref()).await {
        Ok(Route::Account(account_id)) => {
            let input = pipeline::Input {
                account_id,
                query,
                body,
                replay_of: None,
            };
            callback::post_detached(state, input).await
        }
        Ok(Route::Refused(why)) => callback::respond(
            pipeline::reject_post(
                &state,
                suite.id,
                &query,
                body.as_deref().unwrap_or(""),
                StatusCode::FORBIDDEN,
                why,
            )
            .await,
        ),
        Err(e) => {
            tracing::error!(error = %e, "routing a suite data callback failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
