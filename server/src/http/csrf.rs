//! Cross-site request protection for unsafe methods under `/api/`.
//!
//! Refuses (403 `csrf`) when `Sec-Fetch-Site` is present and is neither `same-origin` nor `none`,
//! or when `Origin` is present and is neither the public URL's origin nor the request's own host.
//! Requests with a body must be `application/json` (415), which a cross-site form cannot send
//! without a CORS preflight. File uploads may be `multipart/form-data` only together with the
//! custom header [`UPLOAD_HEADER`]: a cross-site page cannot add a custom header without a CORS
//! preflight either, and we answer none.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{config::origin_of, error::AppError, state::AppState};

/// The header that lets a `multipart/form-data` upload through (any value).
pub const UPLOAD_HEADER: &str = "x-wxportal-upload";

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state.settings.public_url, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), code = e.code(), "refused cross-site request");
            e.into_response()
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

pub fn check(public_url: &str, req: &Request) -> Result<(), AppError> {
    if is_safe(req.method()) {
        return Ok(());
    }
    let headers = req.headers();
    same_origin(public_url, headers)?;
    let has_body = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() != "0")
        || headers.contains_key(header::TRANSFER_ENCODING);
    if has_body {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let upload = mime == "multipart/form-data" && headers.contains_key(UPLOAD_HEADER);
        if mime != "application/json" && !upload {
            return Err(AppError::UnsupportedMediaType);
        }
    }
    Ok(())
}

/// The `Sec-Fetch-Site` and `Origin` checks alone: a request that either header says comes from
/// another site is refused (also used by the form post of the public product page).
pub fn same_origin(public_url: &str, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        if !matches!(site, "same-origin" | "none") {
            return Err(AppError::Csrf(format!("Sec-Fetch-Site is {site}")));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").trim_end_matches('/');
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
        let ok = origin.eq_ignore_ascii_case(origin_of(public_url))
            || (!host.is_empty() && origin_host.eq_ignore_ascii_case(host));
        if !ok {
            return Err(AppError::Csrf("Origin does not match this site".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn req(method: &str, headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method(method).uri("/api/accounts");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    const PUBLIC: &str = "https://wx.example.com";

    #[test]
    fn safe_methods_pass() {
        assert!(check(PUBLIC, &req("GET", &[("sec-fetch-site", "cross-site")])).is_ok());
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(check(PUBLIC, &req("POST", &[("sec-fetch-site", "cross-site")])).is_err());
        assert!(check(PUBLIC, &req("POST", &[("sec-fetch-site", "same-site")])).is_err());
        assert!(check(PUBLIC, &req("POST", &[("origin", "https://evil.example")])).is_err());
        assert!(check(PUBLIC, &req("POST", &[("sec-fetch-site", "same-origin")])).is_ok());
        assert!(
            check(
                PUBLIC,
                &req("POST", &[("origin", "https://wx.example.com")])
            )
            .is_ok()
        );
        assert!(
            check(
                PUBLIC,
                &req(
                    "POST",
                    &[("origin", "http://127.0.0.1:9"), ("host", "127.0.0.1:9")]
                )
            )
            .is_ok()
        );
    }

    #[test]
    fn bodies_must_be_json() {
        let form = req(
            "POST",
            &[("content-length", "3"), ("content-type", "text/plain")],
        );
        assert!(matches!(
            check(PUBLIC, &form),
            Err(AppError::UnsupportedMediaType)
        ));
        let json = req(
            "POST",
            &[
                ("content-length", "3"),
                ("content-type", "application/json; charset=utf-8"),
            ],
        );
        assert!(check(PUBLIC, &json).is_ok());
    }

    #[test]
    fn multipart_needs_the_upload_header() {
        let ct = ("content-type", "multipart/form-data; boundary=x");
        let plain = req("POST", &[("content-length", "3"), ct]);
        assert!(matches!(
            check(PUBLIC, &plain),
            Err(AppError::UnsupportedMediaType)
        ));
        let upload = req("POST", &[("content-length", "3"), ct, (UPLOAD_HEADER, "1")]);
        assert!(check(PUBLIC, &upload).is_ok());
        // The header does not excuse a cross-site request.
        let cross = req(
            "POST",
            &[
                ("content-length", "3"),
                ct,
                (UPLOAD_HEADER, "1"),
                ("sec-fetch-site", "cross-site"),
            ],
        );
        assert!(matches!(check(PUBLIC, &cross), Err(AppError::Csrf(_))));
    }
}
