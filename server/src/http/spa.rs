//! The embedded single-page app (`dist/`, built by `cargo xtask build`) and the fallback route:
//! static files by path, `index.html` (200) for deep links, JSON 404 for unknown `/api/*`.
//!
//! `index.html` loads its assets as `/file?v=<content hash>`, so versioned requests are cached
//! for a year. Each asset goes out in the coding the request's `Accept-Encoding` prefers among
//! those on hand: the brotli and gzip copies `cargo xtask dist` writes beside the large assets
//! (`wxportal_bg.wasm.br`, `.gz`), else the file as it is (a text or wasm asset without a `.gz`
//! copy is gzipped here once and kept).

use std::{
    borrow::Cow,
    collections::HashMap,
    sync::{LazyLock, Mutex},
};

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};

use super::compress::gzip_bytes;
use super::encoding::{self, Coding};
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

pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
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
            if rel == "index.html" {
                return index();
            }
            let mime = file.metadata.mimetype();
            if let Some(res) = asset_response(&Embedded, rel, mime, versioned(&uri), &headers).await
            {
                return res;
            }
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
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SPA_CSP),
    );
    res
}

/// The admin SPA's Content-Security-Policy. Scripts only from the portal itself (the bootstrap
/// is `/boot.js`, never inline), wasm compilation allowed; `style-src 'unsafe-inline'` because
/// components set `style` attributes; images from anywhere, as inbound WeChat pictures and
/// avatars are hot-linked by WeChat's own URLs; no framing, no plugins, no `<base>`.
pub const SPA_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; media-src 'self' blob:; \
connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// Where the SPA's files come from: the `dist/` embedded in the binary ([`Embedded`]); tests
/// serve their own.
pub trait AssetSource {
    /// The bytes of `rel` (a path inside `dist/`), if there is such a file.
    fn get(&self, rel: &str) -> Option<Bytes>;
}

/// The `dist/` embedded at build time.
pub struct Embedded;

impl AssetSource for Embedded {
    fn get(&self, rel: &str) -> Option<Bytes> {
        Assets::get(rel).map(|file| match file.data {
            // Embedded bytes are static: no copy per request.
            Cow::Borrowed(b) => Bytes::from_static(b),
            Cow::Owned(v) => Bytes::from(v),
        })
    }
}

/// One asset of the SPA, in the coding the request accepts best: the precompressed
/// `<rel>.br` / `<rel>.gz` that `cargo xtask dist` writes beside it when present (a compressible
/// type without a `.gz` copy is gzipped here once and kept), else the file as it is. Always
/// `Vary: Accept-Encoding`; `Content-Type` is the asset's own (`mime`), whatever the coding.
/// `None` if the source has no `rel`.
pub async fn asset_response(
    source: &impl AssetSource,
    rel: &str,
    mime: &str,
    versioned: bool,
    headers: &HeaderMap,
) -> Option<Response> {
    let identity = source.get(rel)?;
    let br = source.get(&format!("{rel}.br"));
    let gz = source.get(&format!("{rel}.gz"));
    let mut available = Vec::with_capacity(2);
    if br.is_some() {
        available.push(Coding::Brotli);
    }
    if gz.is_some() || compressible(mime) {
        available.push(Coding::Gzip);
    }
    let coding = encoding::choose(headers, &available);
    let (coding, body) = match coding {
        Coding::Brotli => (coding, br.unwrap_or(identity)),
        Coding::Gzip => match gz {
            Some(gz) => (coding, gz),
            None => match gzipped(rel, identity.clone()).await {
                Some(gz) => (coding, gz),
                None => (Coding::Identity, identity),
            },
        },
        Coding::Identity => (coding, identity),
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if coding != Coding::Identity {
        h.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static(coding.token()),
        );
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // `?v=<hash>` URLs (and hashed file names) never change content: cache them for a year.
    let cache = if versioned || looks_hashed(rel) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(res)
}

/// The request names a content version (`?v=…`), as `index.html` does for every asset.
fn versioned(uri: &Uri) -> bool {
    uri.query()
        .is_some_and(|q| q.split('&').any(|pair| pair.starts_with("v=")))
}

pub(crate) fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.starts_with("application/javascript")
        || mime.starts_with("application/wasm")
        || mime.starts_with("application/json")
        || mime.starts_with("image/svg+xml")
}

/// Embedded files never change while the process runs: compress each once.
static GZIPPED: LazyLock<Mutex<HashMap<String, Bytes>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The gzip form of an asset without a precompressed copy, or `None` if compressing failed
/// (then it goes out as is).
async fn gzipped(rel: &str, raw: Bytes) -> Option<Bytes> {
    if let Some(hit) = GZIPPED.lock().ok().and_then(|m| m.get(rel).cloned()) {
        return Some(hit);
    }
    // Compressing the wasm takes a moment: keep it off the async workers.
    let compressed = Bytes::from(
        tokio::task::spawn_blocking(move || gzip_bytes(&raw, flate2::Compression::best()))
            .await
            .ok()??,
    );
    if let Ok(mut map) = GZIPPED.lock() {
        map.insert(rel.to_string(), compressed.clone());
    }
    Some(compressed)
}

fn looks_hashed(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.split(['-', '.'])
        .any(|part| part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The site's icon (the SPA inlines it; the payer's pages link it, and browsers ask for
/// `/favicon.ico` on their own): the brand mark as SVG.
pub async fn favicon() -> Response {
    const ICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='#07c160'/><text x='16' y='22' font-size='16' text-anchor='middle' fill='white' font-family='sans-serif'>wx</text></svg>";
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn versioned_requests_are_recognised() {
        assert!(versioned(
            &"/wxportal.js?v=4f02421af8d433c0".parse().unwrap()
        ));
        assert!(versioned(&"/style.css?x=1&v=abc".parse().unwrap()));
        assert!(!versioned(&"/style.css".parse().unwrap()));
        assert!(!versioned(&"/style.css?version=1".parse().unwrap()));
    }

    #[test]
    fn compressible_types() {
        assert!(compressible("application/wasm"));
        assert!(compressible("text/css"));
        assert!(!compressible("image/png"));
    }

    #[test]
    fn gzip_round_trips() {
        let raw = "wxportal ".repeat(1000);
        let packed = gzip_bytes(raw.as_bytes(), flate2::Compression::best()).unwrap();
        assert!(packed.len() < raw.len() / 10);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, raw);
    }
}
