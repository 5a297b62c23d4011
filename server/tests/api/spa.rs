use std::{
    collections::HashMap,
    io::{Read, Write},
    sync::Arc,
};

use axum::{
    body::Bytes,
    http::{HeaderMap, Uri},
    response::IntoResponse,
};
use reqwest::{StatusCode, header};
use wxportal::http::spa::{self, AssetSource};

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn deep_links_get_the_spa_and_api_misses_get_json() {
    let app = spawn_app().await;
    let c = app.client();
    for path in [
        "/",
        "/accounts",
        "/accounts/12/edit",
        "/login?next=%2Fstaff",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let ct = r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(r.text().await.unwrap().to_lowercase().contains("<html"));
    }
    assert_error(c.get("/api/nope").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(c.get("/api").await, StatusCode::NOT_FOUND, "not_found").await;
    let r = c.get("/missing-file.js").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c.get("/").await;
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn the_spa_forbids_inline_scripts_and_framing() {
    let app = spawn_app().await;
    let r = app.client().get("/accounts").await;
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    // Plain HTTP deployments must not be told to insist on HTTPS.
    assert!(r.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

#[tokio::test]
async fn secure_cookies_come_with_hsts() {
    let app = crate::helpers::spawn_app_with(|s| s.cookie_secure = true).await;
    for path in ["/", "/api/auth/session", "/healthz"] {
        let r = app.client().get(path).await;
        assert_eq!(
            r.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000",
            "{path}"
        );
    }
}

/// A `dist/` as `cargo xtask dist` writes it: an asset with `.br` and `.gz` copies beside it,
/// one with only its bytes (gzipped by the server, once), and a type not worth compressing.
struct StubDist(HashMap<String, Bytes>);

impl AssetSource for StubDist {
    fn get(&self, rel: &str) -> Option<Bytes> {
        self.0.get(rel).cloned()
    }
}

fn brotli(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).unwrap();
    out
}

fn gzip(raw: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw).unwrap();
    enc.finish().unwrap()
}

fn decode(coding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match coding {
        Some("br") => brotli::Decompressor::new(body, 4096)
            .read_to_end(&mut out)
            .unwrap(),
        Some("gzip") => flate2::read::GzDecoder::new(body)
            .read_to_end(&mut out)
            .unwrap(),
        None => return body.to_vec(),
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    };
    out
}

/// Serves the stub through the SPA's own asset handler on a real socket (the embedded `dist/`
/// of a test build may be missing or built by an older xtask), `?v=` marking a versioned URL.
async fn serve_stub() -> (String, Bytes) {
    let wasm: Vec<u8> = (0..60_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let wasm = Bytes::from(wasm);
    let css = Bytes::from(".wx { color: #07c160; }\n".repeat(200));
    let png = Bytes::from_static(b"\x89PNG\r\n\x1a\n not really a picture");
    let mut files = HashMap::new();
    files.insert("app_bg.wasm.br".into(), Bytes::from(brotli(&wasm)));
    files.insert("app_bg.wasm.gz".into(), Bytes::from(gzip(&wasm)));
    files.insert("app_bg.wasm".into(), wasm.clone());
    files.insert("only.css".into(), css);
    files.insert("logo.png".into(), png);
    let dist = Arc::new(StubDist(files));
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let dist = dist.clone();
        async move {
            let rel = uri.path().trim_start_matches('/');
            let mime = match rel.rsplit('.').next() {
                Some("wasm") => "application/wasm",
                Some("css") => "text/css",
                _ => "image/png",
            };
            let versioned = uri.query().is_some_and(|q| q.starts_with("v="));
            spa::asset_response(&*dist, rel, mime, versioned, &headers)
                .await
                .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, wasm)
}

struct Got {
    encoding: Option<String>,
    content_type: String,
    vary: String,
    cache: String,
    decoded: Vec<u8>,
}

async fn fetch(base: &str, path: &str, accept_encoding: Option<&str>) -> Got {
    // The test client never decompresses by itself: what it gets is what was sent.
    let mut req = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(ae) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, ae);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let h = r.headers().clone();
    let text = |name: header::HeaderName| {
        h.get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let encoding = h
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_string());
    let body = r.bytes().await.unwrap();
    if let Some(len) = h.get(header::CONTENT_LENGTH) {
        assert_eq!(len.to_str().unwrap(), body.len().to_string());
    }
    Got {
        decoded: decode(encoding.as_deref(), &body),
        encoding,
        content_type: text(header::CONTENT_TYPE),
        vary: text(header::VARY),
        cache: text(header::CACHE_CONTROL),
    }
}

#[tokio::test]
async fn assets_are_served_in_the_negotiated_encoding() {
    let (base, wasm) = serve_stub().await;
    for (accept, expected) in [
        (Some("gzip, deflate, br, zstd"), Some("br")),
        (Some("br"), Some("br")),
        (Some("*"), Some("br")),
        (Some("gzip"), Some("gzip")),
        (Some("br;q=0.5, gzip;q=0.8"), Some("gzip")),
        (Some("br;q=0, gzip"), Some("gzip")),
        (Some("gzip;q=0.5, identity"), None),
        (Some("br;q=0, gzip;q=0"), None),
        (Some("deflate"), None),
        (None, None),
    ] {
        let got = fetch(&base, "/app_bg.wasm?v=0123abcd", accept).await;
        assert_eq!(got.encoding.as_deref(), expected, "{accept:?}");
        assert_eq!(got.content_type, "application/wasm", "{accept:?}");
        assert_eq!(got.vary, "accept-encoding", "{accept:?}");
        assert_eq!(got.cache, "public, max-age=31536000, immutable");
        assert!(got.decoded == wasm, "{accept:?}: decodes to other bytes");
    }
    // Unversioned: revalidated every time, same negotiation.
    let got = fetch(&base, "/app_bg.wasm", Some("br")).await;
    assert_eq!(got.cache, "no-cache");
    assert_eq!(got.encoding.as_deref(), Some("br"));

    // No precompressed copies: gzip made by the server (twice, the second from its cache), no br.
    let css = Bytes::from(".wx { color: #07c160; }\n".repeat(200));
    for _ in 0..2 {
        let got = fetch(&base, "/only.css", Some("br, gzip")).await;
        assert_eq!(got.encoding.as_deref(), Some("gzip"));
        assert_eq!(got.content_type, "text/css");
        assert!(got.decoded == css);
    }
    let got = fetch(&base, "/only.css", Some("br")).await;
    assert_eq!(got.encoding, None);
    assert!(got.decoded == css);

    // Already compressed types go out as they are.
    let got = fetch(&base, "/logo.png", Some("br, gzip")).await;
    assert_eq!(got.encoding, None);
    assert_eq!(got.content_type, "image/png");
}

/// The real binary's `dist/`, when this build embeds one that `cargo xtask dist` made with
/// precompressed copies: the wasm goes out as brotli or gzip and decodes to the embedded bytes.
#[tokio::test]
async fn the_embedded_wasm_is_served_precompressed() {
    // The workspace tests run before `cargo xtask test` builds dist/, so usually there is none to
    // embed; e2e/tests/spa-assets.spec.ts checks the same against the real binary and its dist/.
    let Some(wasm) = spa::Embedded.get("wxportal_bg.wasm") else {
        eprintln!("no dist/ embedded in this build: e2e spa-assets.spec.ts checks this instead");
        return;
    };
    let app = spawn_app().await;
    for (accept, expected, copy) in [
        ("br, gzip", "br", "wxportal_bg.wasm.br"),
        ("gzip", "gzip", "wxportal_bg.wasm.gz"),
    ] {
        if spa::Embedded.get(copy).is_none() {
            eprintln!("{copy} is not embedded (dist/ made by an older xtask)");
            continue;
        }
        let got = fetch(&app.base, "/wxportal_bg.wasm?v=1", Some(accept)).await;
        assert_eq!(got.encoding.as_deref(), Some(expected));
        assert_eq!(got.content_type, "application/wasm");
        assert!(got.decoded == wasm);
    }
    let got = fetch(&app.base, "/wxportal_bg.wasm?v=1", None).await;
    assert_eq!(got.encoding, None);
    assert!(got.decoded == wasm);
}
