//! `GET /oa/{id}/jsapi-config?url=`: the `wx.config` parameters for a page (hosted here or
//! elsewhere) that uses the JS-SDK. The jsapi_ticket comes from the token broker (cached and
//! shared by every instance, fetched once per expiry), the signature is computed per URL
//! (`wechat::signature::jsapi_signature`: SHA-1 over `jsapi_ticket`, `noncestr`, `timestamp`,
//! `url` with any `#fragment` removed). A browser on the page's own origin may read the answer
//! (CORS for exactly that origin).

use std::time::Instant;

use axum::{
    Extension, Json,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::{PageThrottle, oauth::official_account};
use crate::{auth::handlers::ClientIp, http::extract::Path, state::AppState, wechat_clients};

/// Longest page URL accepted.
pub const MAX_URL: usize = 1024;

#[derive(Debug, Deserialize)]
pub struct ConfigQuery {
    #[serde(default)]
    pub url: Option<String>,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// `scheme://host[:port]` of an http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_len == 0 {
        return None;
    }
    Some(&url[..url.len() - rest.len() + host_len])
}

pub async fn config(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<ConfigQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = throttle.0.hit(&ip, Instant::now()) {
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests",
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    let url = q.url.unwrap_or_default();
    let url = url.split('#').next().unwrap_or("").trim().to_string();
    let Some(origin) = origin_of(&url).map(str::to_string) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "url must be the page's full http(s) URL",
        );
    };
    if url.len() > MAX_URL {
        return error(StatusCode::BAD_REQUEST, "bad_request", "url is too long");
    }
    if official_account(&state, id).await.is_none() {
        return error(StatusCode::NOT_FOUND, "not_found", "not found");
    }
    let cfg = match wechat_clients::oa(&state, id).await {
        Ok(client) => client.jsapi_config(&url).await,
        Err(_) => {
            return error(
                StatusCode::CONFLICT,
                "conflict",
                "the account cannot reach WeChat",
            );
        }
    };
    let mut res = match cfg {
        Ok(c) => Json(c).into_response(),
        Err(e) => {
            tracing::warn!(account_id = id, error = %wechat_clients::describe(&e), "jsapi ticket failed");
            return error(
                StatusCode::BAD_GATEWAY,
                "wechat",
                "WeChat refused the jsapi ticket",
            );
        }
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    // Only the page the signature is for may read it from another origin.
    if headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|o| o == origin)
        && let Ok(v) = HeaderValue::from_str(&origin)
    {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://a.example/p?q=1"),
            Some("https://a.example")
        );
        assert_eq!(
            origin_of("http://a.example:8080"),
            Some("http://a.example:8080")
        );
        assert_eq!(origin_of("ftp://a.example/"), None);
        assert_eq!(origin_of("https:///x"), None);
    }

    /// The protocol reference's vector (JS-SDK 附录1): the signature the endpoint hands out is
    /// this function's.
    #[test]
    fn the_reference_vector() {
        assert_eq!(
            wechat::signature::jsapi_signature(
                "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
                "Wm3WZYTPz0wzccnW",
                "1414587457",
                "http://mp.weixin.qq.com?params=value",
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
        );
    }
}
