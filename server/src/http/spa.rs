//! The embedded single-page app (`dist/`, built by `cargo xtask build`) and the fallback route:
//! static files by path, `index.html` (200) for deep links, JSON 404 for unknown `/api/*`.

use axum::{
    body::Body,
    http::{HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};

use crate::error::AppError;

#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../dist"]
#[allow_missing = true]
struct Assets;

const PLACEHOLDER: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>wxportal</title></head>\
<body><h1>wxportal</h1><p>The web UI is not built into this binary. Run <code>cargo xtask build</code>.</p></body></html>";

/// Whether the SPA is embedded in this binary.
pub fn embedded() -> bool {
    Assets::get("index.html").is_some()
}

pub async fn fallback(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return AppError::NotFound.into_response();
    }
    let rel = path.trim_start_matches('/');
    if !rel.is_empty() {
        if let Some(file) = Assets::get(rel) {
            return file_response(rel, file);
        }
        let last = rel.rsplit('/').next().unwrap_or("");
        if last.contains('.') && !last.ends_with(".html") {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
    }
    index()
}

fn index() -> Response {
    let body = match Assets::get("index.html") {
        Some(file) => Body::from(file.data.into_owned()),
        None => Body::from(PLACEHOLDER),
    };
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

fn file_response(rel: &str, file: rust_embed::EmbeddedFile) -> Response {
    if rel == "index.html" {
        return index();
    }
    let mime = file.metadata.mimetype().to_string();
    let mut res = Response::new(Body::from(file.data.into_owned()));
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // Trunk/xtask output carries content hashes in file names; other files revalidate.
    let cache = if looks_hashed(rel) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

fn looks_hashed(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.split(['-', '.'])
        .any(|part| part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}
