//! QR images like the classic `MakeQRCode`: `GET /qr.png?data=…` and `/qr.svg?data=…`, with
//! `size` (width in pixels) and `margin` (quiet zone in modules). Data is bounded, responses are
//! cacheable (they depend on the query only) and answer `If-None-Match` with 304. The last
//! renders are also kept in memory (bounded), because the same few codes (a product's mode-1
//! code) are asked for over and over and rendering costs far more than serving.

use axum::{
    extract::Query,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use flate2::{Compression, Crc, write::ZlibEncoder};
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::{LazyLock, Mutex};

use axum::body::Bytes;

/// Longest `data` accepted, in bytes.
pub const MAX_DATA: usize = 1024;
pub const DEFAULT_SIZE: u32 = 256;
pub const MIN_SIZE: u32 = 32;
pub const MAX_SIZE: u32 = 1024;
pub const DEFAULT_MARGIN: u32 = 4;
pub const MAX_MARGIN: u32 = 16;

#[derive(Debug, Deserialize)]
pub struct QrQuery {
    #[serde(default)]
    pub data: String,
    pub size: Option<u32>,
    pub margin: Option<u32>,
}

/// A rendered request: the module matrix plus layout.
pub struct Matrix {
    width: usize,
    dark: Vec<bool>,
    margin: usize,
    scale: usize,
}

fn bad(msg: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        msg.to_string(),
    )
        .into_response()
}

pub fn matrix(q: &QrQuery) -> Result<Matrix, &'static str> {
    if q.data.is_empty() {
        return Err("data is required");
    }
    if q.data.len() > MAX_DATA {
        return Err("data is too long (at most 1024 bytes)");
    }
    let size = q.size.unwrap_or(DEFAULT_SIZE);
    if !(MIN_SIZE..=MAX_SIZE).contains(&size) {
        return Err("size must be between 32 and 1024");
    }
    let margin = q.margin.unwrap_or(DEFAULT_MARGIN);
    if margin > MAX_MARGIN {
        return Err("margin must be between 0 and 16");
    }
    let code = QrCode::with_error_correction_level(q.data.as_bytes(), EcLevel::M)
        .map_err(|_| "data does not fit in a QR code")?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    let total = width + 2 * margin as usize;
    let scale = (size as usize / total).max(1);
    Ok(Matrix {
        width,
        dark,
        margin: margin as usize,
        scale,
    })
}

impl Matrix {
    fn side_modules(&self) -> usize {
        self.width + 2 * self.margin
    }

    fn is_dark(&self, mx: usize, my: usize) -> bool {
        let (m, w) = (self.margin, self.width);
        mx >= m && my >= m && mx < m + w && my < m + w && self.dark[(my - m) * w + (mx - m)]
    }

    /// An 8-bit greyscale PNG.
    pub fn png(&self) -> Vec<u8> {
        let side = self.side_modules() * self.scale;
        let mut raw = Vec::with_capacity((side + 1) * side);
        for y in 0..side {
            raw.push(0); // filter: none
            let my = y / self.scale;
            for x in 0..side {
                raw.push(if self.is_dark(x / self.scale, my) {
                    0
                } else {
                    255
                });
            }
        }
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        // Writing to a Vec cannot fail.
        let _ = z.write_all(&raw);
        let idat = z.finish().unwrap_or_default();
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::with_capacity(13);
        ihdr.extend_from_slice(&(side as u32).to_be_bytes());
        ihdr.extend_from_slice(&(side as u32).to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit, greyscale, deflate, no filter, no interlace
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &idat);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    /// An SVG with one path of unit squares.
    pub fn svg(&self) -> String {
        let side = self.side_modules();
        let px = side * self.scale;
        let mut d = String::new();
        for y in 0..side {
            for x in 0..side {
                if self.is_dark(x, y) {
                    d.push_str(&format!("M{x} {y}h1v1h-1z"));
                }
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
        )
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

fn etag(kind: &str, q: &QrQuery) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update(q.size.unwrap_or(DEFAULT_SIZE).to_be_bytes());
    h.update(q.margin.unwrap_or(DEFAULT_MARGIN).to_be_bytes());
    h.update(q.data.as_bytes());
    format!("\"{}\"", hex::encode(&h.finalize()[..12]))
}

/// Rendered images by ETag, oldest evicted first once `capacity` bytes are held.
struct RenderCache {
    capacity: usize,
    held: usize,
    images: HashMap<String, Bytes>,
    order: VecDeque<String>,
}

impl RenderCache {
    fn new(capacity: usize) -> RenderCache {
        RenderCache {
            capacity,
            held: 0,
            images: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    fn get(&self, tag: &str) -> Option<Bytes> {
        self.images.get(tag).cloned()
    }

    fn insert(&mut self, tag: String, image: Bytes) {
        if image.len() > self.capacity || self.images.contains_key(&tag) {
            return;
        }
        while self.held + image.len() > self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.images.remove(&oldest) {
                self.held -= gone.len();
            }
        }
        self.held += image.len();
        self.order.push_back(tag.clone());
        self.images.insert(tag, image);
    }
}

/// 8 MiB: a few hundred codes at the default size.
const RENDER_CACHE_BYTES: usize = 8 << 20;

static RENDERED: LazyLock<Mutex<RenderCache>> =
    LazyLock::new(|| Mutex::new(RenderCache::new(RENDER_CACHE_BYTES)));

fn render(format: &str, tag: &str, q: &QrQuery) -> Result<Bytes, &'static str> {
    // A poisoned lock only means another render panicked; the map itself is still consistent.
    let cached = RENDERED.lock().unwrap_or_else(|p| p.into_inner()).get(tag);
    if let Some(image) = cached {
        return Ok(image);
    }
    let m = matrix(q)?;
    let image = Bytes::from(if format == "png" {
        m.png()
    } else {
        m.svg().into_bytes()
    });
    RENDERED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(tag.to_string(), image.clone());
    Ok(image)
}

fn respond(kind: &str, content_type: &'static str, q: QrQuery, headers: &HeaderMap) -> Response {
    let tag = etag(kind, &q);
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400, immutable"),
        ),
        (
            header::ETAG,
            HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"qr\"")),
        ),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let body = match render(kind, &tag, &q) {
        Ok(image) => image,
        Err(e) => return bad(e),
    };
    (
        StatusCode::OK,
        cache,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

/// `GET /qr.png`
pub async fn png(headers: HeaderMap, Query(q): Query<QrQuery>) -> Response {
    respond("png", "image/png", q, &headers)
}

/// `GET /qr.svg`
pub async fn svg(headers: HeaderMap, Query(q): Query<QrQuery>) -> Response {
    respond("svg", "image/svg+xml", q, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(data: &str, size: Option<u32>, margin: Option<u32>) -> QrQuery {
        QrQuery {
            data: data.into(),
            size,
            margin,
        }
    }

    #[test]
    fn png_has_the_requested_layout() {
        let m = matrix(&q("weixin://wxpay/bizpayurl?pr=abc", Some(256), Some(4))).unwrap();
        let png = m.png();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let side = u32::from_be_bytes(png[16..20].try_into().unwrap()) as usize;
        assert_eq!(side, (m.width + 8) * m.scale);
        assert!(side <= 256 && side > 128);
        assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND crc");
    }

    #[test]
    fn bounds_are_enforced() {
        assert!(matrix(&q("", None, None)).is_err());
        assert!(matrix(&q(&"x".repeat(MAX_DATA + 1), None, None)).is_err());
        assert!(matrix(&q("x", Some(10), None)).is_err());
        assert!(matrix(&q("x", Some(2000), None)).is_err());
        assert!(matrix(&q("x", None, Some(17))).is_err());
        assert!(matrix(&q(&"x".repeat(MAX_DATA), None, Some(0))).is_ok());
    }

    #[test]
    fn the_render_cache_stays_within_its_bound_and_evicts_the_oldest() {
        let mut c = RenderCache::new(10);
        c.insert("a".into(), Bytes::from_static(b"1234"));
        c.insert("b".into(), Bytes::from_static(b"5678"));
        assert_eq!(c.get("a").as_deref(), Some(&b"1234"[..]));
        c.insert("c".into(), Bytes::from_static(b"9012"));
        assert!(c.get("a").is_none(), "the oldest goes first");
        assert!(c.get("b").is_some() && c.get("c").is_some());
        assert_eq!(c.held, 8);
        // Larger than the whole cache: served, not kept.
        c.insert("huge".into(), Bytes::from(vec![0u8; 11]));
        assert!(c.get("huge").is_none());
        assert_eq!(c.held, 8);
    }

    #[test]
    fn a_cached_render_is_the_same_image() {
        let query = q("weixin://wxpay/bizpayurl?pr=cached", Some(200), Some(2));
        let tag = etag("png", &query);
        let first = render("png", &tag, &query).unwrap();
        let again = render("png", &tag, &query).unwrap();
        assert_eq!(first, again);
        assert_eq!(&first[..], &matrix(&query).unwrap().png()[..]);
    }

    #[test]
    fn svg_is_one_path() {
        let s = matrix(&q("hello", Some(100), Some(0))).unwrap().svg();
        assert!(s.starts_with("<svg"));
        assert_eq!(s.matches("<path").count(), 1);
    }
}
