//! Gzip for small dynamic responses (the payer's pages and QR SVGs): what a phone on a slow
//! network loads first. Built on flate2, which the SPA's asset compression already uses.
//! (Brotli would need a new dependency; every browser that sends `br` also sends `gzip`.)

use std::io::Write;

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

use super::encoding::accepts_gzip;
use super::spa::compressible;

/// Bodies larger than this are sent as they are (these pages are a few KiB).
const MAX_BODY: usize = 1024 * 1024;
/// Below this, compression costs more than it saves.
const MIN_BODY: usize = 512;

/// Middleware: gzip the response when the client accepts it and the type is text-like.
pub async fn gzip(req: Request, next: Next) -> Response {
    let wants = accepts_gzip(req.headers());
    let res = next.run(req).await;
    if !wants
        || res.headers().contains_key(header::CONTENT_ENCODING)
        || !res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(compressible)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        // Too large to buffer: it was consumed, so answer with what is known to be safe.
        parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if bytes.len() < MIN_BODY {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Some(zipped) = gzip_bytes(&bytes, flate2::Compression::default()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    Response::from_parts(parts, Body::from(zipped))
}

/// `raw` gzipped at `level`; `None` if the encoder failed.
pub fn gzip_bytes(raw: &[u8], level: flate2::Compression) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
    encoder.write_all(raw).ok()?;
    encoder.finish().ok()
}
