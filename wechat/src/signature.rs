//! SHA-1 callback signatures, JS-SDK and card signatures, and constant-time comparison.
//!
//! * plain `signature` = `sha1(sort([token, timestamp, nonce]))` — OA plain mode and OA URL
//!   verification;
//! * `msg_signature` = `sha1(sort([token, timestamp, nonce, encrypt]))` — every encrypted
//!   post (`encrypt_type=aes`) and every WeCom callback. **Do not** verify encrypted posts
//!   with the plain `signature`.
//!
//! Pay v2 signatures live in [`crate::pay`].
//!
//! ```
//! use wechat::signature::{plain_signature, verify_plain_signature};
//! assert_eq!(plain_signature("test", "1410685589", "test"), "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff");
//! assert!(verify_plain_signature("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"));
//! ```

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// Compares two strings in constant time (for equal lengths).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// `hex_lower(sha1(concat(sort(parts))))` — sorted by raw byte order, no separator.
pub fn sha1_sorted(parts: &[&str]) -> String {
    let mut v: Vec<&str> = parts.to_vec();
    v.sort_unstable();
    let mut h = Sha1::new();
    for p in v {
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The plain (3-field) callback signature.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    sha1_sorted(&[token, timestamp, nonce])
}

/// Verifies the plain (3-field) signature in constant time. Case-insensitive on the hex.
pub fn verify_plain_signature(token: &str, timestamp: &str, nonce: &str, signature: &str) -> bool {
    constant_time_eq(
        &plain_signature(token, timestamp, nonce),
        &signature.to_ascii_lowercase(),
    )
}

/// The 4-field `msg_signature` over the base64 `encrypt` text exactly as received.
pub fn msg_signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    sha1_sorted(&[token, timestamp, nonce, encrypt])
}

/// Verifies `msg_signature` in constant time. Case-insensitive on the hex.
pub fn verify_msg_signature(
    token: &str,
    timestamp: &str,
    nonce: &str,
    encrypt: &str,
    signature: &str,
) -> bool {
    constant_time_eq(
        &msg_signature(token, timestamp, nonce, encrypt),
        &signature.to_ascii_lowercase(),
    )
}

/// JS-SDK `wx.config` signature. The URL's `#fragment` is removed; values are not URL-encoded.
///
/// ```
/// let s = wechat::signature::jsapi_signature(
///     "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
///     "Wm3WZYTPz0wzccnW", "1414587457", "http://mp.weixin.qq.com?params=value");
/// assert_eq!(s, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
/// ```
pub fn jsapi_signature(ticket: &str, noncestr: &str, timestamp: &str, url: &str) -> String {
    let url = url.split('#').next().unwrap_or(url);
    let s = format!("jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}");
    hex::encode(Sha1::digest(s.as_bytes()))
}

/// The complete `wx.config` parameters for a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsapiConfig {
    /// `appId` (OA app id or WeCom corp id).
    pub app_id: String,
    /// `timestamp`.
    pub timestamp: i64,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `signature`.
    pub signature: String,
}

impl JsapiConfig {
    /// Builds the config with a fresh nonce and the current time.
    pub fn new(app_id: &str, ticket: &str, url: &str) -> Self {
        let ts = crate::types::Timestamp::now().0;
        let nonce = crate::types::Nonce::random().into_inner();
        JsapiConfig {
            app_id: app_id.to_owned(),
            timestamp: ts,
            signature: jsapi_signature(ticket, &nonce, &ts.to_string(), url),
            nonce_str: nonce,
        }
    }
}

/// Card-ext signature: values sorted and concatenated, SHA-1.
pub fn card_signature(values: &[&str]) -> String {
    sha1_sorted(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v10_plain_signatures() {
        assert_eq!(
            plain_signature("test", "1410685589", "test"),
            "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"
        );
        assert_eq!(
            plain_signature("AAAAA", "1715943329", "1590219412"),
            "cc0c594499c1634947d5b502f158ee518947db27"
        );
        assert_eq!(
            plain_signature("spamtest", "1409735669", "1320562132"),
            "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
        );
        assert!(verify_plain_signature(
            "AAAAA",
            "1715943329",
            "1590219412",
            "CC0C594499C1634947D5B502F158EE518947DB27"
        ));
        assert!(!verify_plain_signature(
            "AAAAA",
            "1715943329",
            "1590219412",
            ""
        ));
        assert!(!verify_plain_signature(
            "AAAAB",
            "1715943329",
            "1590219412",
            "cc0c594499c1634947d5b502f158ee518947db27"
        ));
    }

    #[test]
    fn generic_sorted_sha1_card_vector() {
        assert_eq!(
            sha1_sorted(&["789", "456", "123"]),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
    }

    #[test]
    fn j1_jsapi_and_card() {
        let ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";
        assert_eq!(
            jsapi_signature(
                ticket,
                "Wm3WZYTPz0wzccnW",
                "1414587457",
                "http://mp.weixin.qq.com?params=value"
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
        );
        assert_eq!(
            jsapi_signature(
                ticket,
                "Wm3WZYTPz0wzccnW",
                "1414587457",
                "http://mp.weixin.qq.com?params=value#frag"
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
        );
        assert_eq!(
            card_signature(&[ticket, "1414587457", "random_card_id", "Wm3WZYTPz0wzccnW"]),
            "22dce6bad4db532d4a2ef82ca2ca7bbe1e10ef28"
        );
    }

    #[test]
    fn msg_signature_vectors() {
        // V3
        let enc = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
        assert_eq!(
            msg_signature("QDG6eK", "1409659813", "1372623149", enc),
            "477715d11cdb4164915debcba66cb864d751f3e6"
        );
        assert!(verify_msg_signature(
            "QDG6eK",
            "1409659813",
            "1372623149",
            enc,
            "477715d11cdb4164915debcba66cb864d751f3e6"
        ));
    }

    #[test]
    fn constant_time_eq_basics() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
