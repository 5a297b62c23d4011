//! Signatures (protocol reference §1.2, §3.1, §3.5) as thin adapters over `wechat::signature`
//! and `wechat::pay`, plus random strings.

use std::collections::BTreeMap;

use rand::Rng;

/// `hex_lower(sha1(concat(sort(parts))))`: the plain callback signature when given
/// `[token, timestamp, nonce]`, and `msg_signature` when the ciphertext is added.
pub fn sha1_sorted(parts: &[&str]) -> String {
    wechat::signature::sha1_sorted(parts)
}

/// Plain (3-field) signature.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    sha1_sorted(&[token, timestamp, nonce])
}

/// `msg_signature` (4-field).
pub fn msg_signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    sha1_sorted(&[token, timestamp, nonce, encrypt])
}

/// Random `[A-Za-z0-9]` string.
pub fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// The last `n` characters of `s` (for generated display names).
pub fn tail(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    &s[start..]
}

/// Random string over `[A-Za-z0-9_-]` (openids, tokens).
pub fn random_token(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// Random lower-case hex.
pub fn random_hex(n: usize) -> String {
    const CHARS: &[u8] = b"0123456789abcdef";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// Pay v2 sign type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SignType {
    /// `MD5` (the default when `sign_type` is absent).
    #[serde(rename = "MD5")]
    Md5,
    /// `HMAC-SHA256`.
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
}

impl SignType {
    /// Parses the `sign_type` field value.
    pub fn parse(s: &str) -> Option<SignType> {
        match s {
            "MD5" => Some(SignType::Md5),
            "HMAC-SHA256" => Some(SignType::HmacSha256),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }
}

/// Pay v2 signature over every non-empty field except `sign` (§3.1).
pub fn pay_sign(fields: &BTreeMap<String, String>, key: &str, sign_type: SignType) -> String {
    wechat::pay::sign(&wechat::pay::PayMap(fields.clone()), key, sign_type.into())
}

impl From<SignType> for wechat::pay::SignType {
    fn from(s: SignType) -> Self {
        match s {
            SignType::Md5 => wechat::pay::SignType::Md5,
            SignType::HmacSha256 => wechat::pay::SignType::HmacSha256,
        }
    }
}

/// Encrypts a refund notify `req_info`: AES-256-ECB, key = lowercase hex md5(API key), PKCS#7.
pub fn encrypt_req_info(plain: &str, api_key: &str) -> String {
    wechat::pay::encrypt_req_info(plain, api_key)
}

/// Decrypts a `req_info` (used by tests).
pub fn decrypt_req_info(b64: &str, api_key: &str) -> Option<String> {
    wechat::pay::decrypt_req_info(b64, api_key).ok()
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
            plain_signature("spamtest", "1409735669", "1320562132"),
            "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
        );
    }

    #[test]
    fn tail_is_char_safe() {
        assert_eq!(tail("wx1234567890abcdef", 4), "cdef");
        assert_eq!(tail("企业微信号", 4), "业微信号");
        assert_eq!(tail("ab", 4), "ab");
    }

    #[test]
    fn p1_pay_sign() {
        let m: BTreeMap<String, String> = [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
            ("empty", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let key = "192006250b4c09247ec02edce69f6a2d";
        assert_eq!(
            pay_sign(&m, key, SignType::Md5),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
        assert_eq!(
            pay_sign(&m, key, SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn req_info_roundtrip() {
        let e = encrypt_req_info("<root><a>1</a></root>", "192006250b4c09247ec02edce69f6a2d");
        assert_eq!(
            decrypt_req_info(&e, "192006250b4c09247ec02edce69f6a2d").unwrap(),
            "<root><a>1</a></root>"
        );
    }
}
