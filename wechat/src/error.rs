//! Error types.
//!
//! [`Error`] is the crate-boundary error. [`CryptoError`] mirrors the official
//! `WXBizMsgCrypt` error codes −40001…−40011 ([`CryptoError::code`]) and each variant
//! carries a [`hint`](CryptoError::hint) naming the likely misconfiguration.

use std::fmt;

/// Callback crypto errors, mirroring the official `WXBizMsgCrypt` codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// −40001: the signature did not match.
    #[error("-40001 signature mismatch: {}", self.hint())]
    ValidateSignature,
    /// −40001 (same family): the callback timestamp is outside the accepted window.
    #[error("-40001 timestamp outside the accepted window ({skew_secs}s): {}", self.hint())]
    TimestampOutOfWindow {
        /// Observed difference between the callback timestamp and local time.
        skew_secs: i64,
    },
    /// −40002: the body could not be parsed.
    #[error("-40002 XML parse failed: {0}")]
    ParseXml(String),
    /// −40003: computing the signature failed.
    #[error("-40003 computing the signature failed")]
    ComputeSignature,
    /// −40004: EncodingAESKey is not 43 base64 characters decoding to 32 bytes.
    #[error("-40004 illegal EncodingAESKey: {}", self.hint())]
    IllegalAesKey,
    /// −40005: the receive id inside the ciphertext is not the expected one.
    #[error("-40005 receive id mismatch (expected {expected:?}, found {found:?}): {}", self.hint())]
    ValidateReceiveId {
        /// The receive id this `MsgCrypt` was configured with.
        expected: String,
        /// The receive id found in the decrypted buffer (lossy UTF-8).
        found: String,
    },
    /// −40006: AES encryption failed.
    #[error("-40006 AES encryption failed")]
    EncryptAes,
    /// −40007: AES decryption failed (ciphertext not a multiple of 16 bytes, empty …).
    #[error("-40007 AES decryption failed: {}", self.hint())]
    DecryptAes,
    /// −40008: the decrypted buffer is malformed (length field, UTF-8 …).
    #[error("-40008 decrypted buffer is malformed: {}", self.hint())]
    IllegalBuffer,
    /// −40009: base64 encoding failed.
    #[error("-40009 base64 encoding failed")]
    EncodeBase64,
    /// −40010: the ciphertext is not valid base64.
    #[error("-40010 ciphertext is not valid base64: {}", self.hint())]
    DecodeBase64,
    /// −40011: building the reply failed.
    #[error("-40011 building the reply failed")]
    GenReturnXml,
}

impl CryptoError {
    /// The official numeric code (−40001 … −40011).
    pub fn code(&self) -> i32 {
        match self {
            CryptoError::ValidateSignature | CryptoError::TimestampOutOfWindow { .. } => -40001,
            CryptoError::ParseXml(_) => -40002,
            CryptoError::ComputeSignature => -40003,
            CryptoError::IllegalAesKey => -40004,
            CryptoError::ValidateReceiveId { .. } => -40005,
            CryptoError::EncryptAes => -40006,
            CryptoError::DecryptAes => -40007,
            CryptoError::IllegalBuffer => -40008,
            CryptoError::EncodeBase64 => -40009,
            CryptoError::DecodeBase64 => -40010,
            CryptoError::GenReturnXml => -40011,
        }
    }

    /// A human hint naming the likely cause.
    pub fn hint(&self) -> &'static str {
        match self {
            CryptoError::ValidateSignature => {
                "wrong Token, or the wrong signature parameter: encrypted posts (encrypt_type=aes, WeCom) \
                 must be checked with msg_signature, plain posts with signature; also check that '+' in \
                 echostr was not turned into a space"
            }
            CryptoError::TimestampOutOfWindow { .. } => {
                "clock skew between this server and WeChat, or a replayed request"
            }
            CryptoError::ParseXml(_) => {
                "the body is not the XML WeChat sends (or it exceeds size/depth limits)"
            }
            CryptoError::ComputeSignature => "internal error while hashing",
            CryptoError::IllegalAesKey => {
                "EncodingAESKey must be exactly the 43 characters shown in the console"
            }
            CryptoError::ValidateReceiveId { .. } => {
                "wrong AppID/CorpID/SuiteID configured as receive id (OA: appid; WeCom app: corpid; \
                 suite instructions: suite id; open platform: component appid)"
            }
            CryptoError::EncryptAes => "internal error while encrypting",
            CryptoError::DecryptAes => "wrong EncodingAESKey, or the ciphertext was truncated",
            CryptoError::IllegalBuffer => {
                "wrong EncodingAESKey (decryption produced garbage), or the key was rotated"
            }
            CryptoError::EncodeBase64 => "internal error while encoding",
            CryptoError::DecodeBase64 => {
                "the Encrypt/echostr value is not base64: check URL-decoding of the query ('+' vs space)"
            }
            CryptoError::GenReturnXml => "internal error while building the reply",
        }
    }
}

/// A WeChat API error: the response carried a non-zero `errcode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatApiError {
    /// `errcode`.
    pub code: i64,
    /// `errmsg` as returned (may contain the `rid: …` suffix).
    pub msg: String,
    /// The request id (`rid: …` in `errmsg`), when present.
    pub rid: Option<String>,
    /// A human hint for common codes.
    pub hint: Option<&'static str>,
}

impl WechatApiError {
    /// Builds the error from `errcode`/`errmsg`, extracting the `rid` and a hint.
    pub fn new(code: i64, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        let rid = extract_rid(&msg);
        WechatApiError {
            code,
            hint: hint_for_code(code),
            msg,
            rid,
        }
    }

    /// True for the codes that mean "the access token is bad; refresh it and retry once"
    /// (40001, 40014, 42001, and WeCom's 42009 "token expired").
    pub fn is_token_invalid(&self) -> bool {
        matches!(self.code, 40001 | 40014 | 42001 | 42009)
    }
}

impl fmt::Display for WechatApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WeChat error {}: {}", self.code, self.msg)?;
        if let Some(h) = self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for WechatApiError {}

fn extract_rid(msg: &str) -> Option<String> {
    // errmsg looks like "invalid credential, ... rid: 6566d0b5-1c2f6e0a-3f0e0c8d"
    let idx = msg.rfind("rid:")?;
    let rest = msg[idx + 4..].trim_start();
    let rid: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if rid.is_empty() { None } else { Some(rid) }
}

/// A human hint for common WeChat `errcode`s.
pub fn hint_for_code(code: i64) -> Option<&'static str> {
    Some(match code {
        -1 => "WeChat system busy: retry later",
        40001 => {
            "invalid credential: wrong AppSecret when fetching a token, or the access_token was \
             replaced by a newer one (another process refreshed it; use one shared token store)"
        }
        40002 => "invalid grant_type",
        40003 => "invalid openid (not a follower of this account, or from another appid)",
        40013 => "invalid appid / corpid",
        40014 => "invalid access_token: refresh it (is another system sharing this appid?)",
        40029 | 40163 => "invalid or already used OAuth code",
        40033 => "invalid charset: the body contained \\uXXXX escapes; send raw UTF-8",
        40125 => "invalid AppSecret: copy it again from the console (retrying will not help)",
        40164 => {
            "caller IP is not in the IP whitelist: add this server's egress IP in the console, \
             or route calls through a fixed-IP proxy (retrying will not help)"
        }
        41001 => "access_token missing",
        42001 => "access_token expired: refresh it",
        42002 => "refresh_token expired",
        42003 => "OAuth code expired",
        43001 => "GET required",
        43002 => "POST required",
        44002 => "empty POST body",
        45009 => {
            "daily API quota reached: wait for the daily reset (OA: clear_quota); do not retry"
        }
        45011 => "per-minute frequency limit: slow down",
        47001 => "malformed JSON/XML body",
        // Menus.
        40016 => "menu: 1 to 3 top-level buttons are allowed",
        40017 | 40024 => "menu: a button has a missing or unknown type",
        40018 => "menu: a top-level button name is empty or longer than 16 bytes",
        40025 => "menu: a sub-button name is empty or longer than 60 bytes",
        40019 | 40026 => "menu: a button key is empty or longer than 128 bytes",
        40020 | 40027 => "menu: a button URL is empty or longer than 1024 bytes",
        40023 => "menu: at most 5 sub-buttons per button",
        40054 | 40055 => "menu: a button URL must start with http:// or https://",
        46003 => "no menu is set for this account",
        65301 => "no conditional menu with this menuid",
        65302 => "no such follower (trymatch needs a follower's OpenID or WeChat ID)",
        65303 => "a conditional menu needs a default menu first",
        65304 => "a conditional menu needs at least one match condition",
        65305 => "too many conditional menus: delete one first",
        65310 | 65311 => "match rule: a province needs a country, a city needs a province",
        // Customer-service accounts (⚠️ meanings from client libraries, unverified).
        65400 => {
            "customer service: the new customer-service feature is not enabled for this account"
        }
        65401 => "customer service: no such customer-service account (or a malformed one)",
        65403 => "customer service: the nickname is empty or longer than 16 characters",
        65405 => "customer service: at most 100 customer-service accounts",
        65406 => "customer service: this customer-service account already exists",
        65407 => "customer service: that WeChat user already works for this account",
        65408 => "customer service: this invitation was already sent",
        65409 => "customer service: invalid WeChat ID",
        65410 => "customer service: too many bound WeChat users",
        65411 => "customer service: an invitation is still waiting for an answer",
        65412 => "customer service: the account is already bound to a WeChat user",
        // Materials, drafts, publishing.
        40004 => "invalid media type",
        40005 => "invalid file type for this kind of media",
        40006 => "file too large for this kind of media",
        40007 => {
            "invalid media_id (unknown, deleted, of another account, or a temporary medium older than 3 days)"
        }
        41005 => "the upload carried no file",
        45002 => "article content too long",
        45003 => "article title too long",
        45106 => "this API was retired by WeChat: use drafts and freepublish",
        45110 => "article author too long",
        53600 => "invalid publish_id or article_id",
        // Mass and template messages.
        45028 => {
            "no mass-send quota left (subscription accounts: 1 a day, service accounts: 4 a month)"
        }
        45065 => "a mass send with this clientmsgid was already accepted within 24 hours",
        40130 => "a mass send to chosen followers needs 2 to 10,000 openids",
        45159 => "invalid tag id for a mass send",
        43004 => "the follower has not subscribed (or unsubscribed)",
        40037 => "invalid template_id: sync the templates, it may have been deleted",
        45026 => "too many private templates: delete one first",
        48001 => "API unauthorized: this account type lacks the permission (verify the account)",
        50001 => "user not authorized for this API",
        60011 => "no privilege for the object: check the app's visible range / contacts permission",
        60020 => "untrusted IP: add this server's egress IP to the WeCom app's trusted IPs",
        81013 => "all receivers are invalid",
        48002 => {
            "API forbidden for this secret: messages and menus need the app's own secret, not the \
             contacts-sync secret"
        }
        82001 => {
            "too many receivers, or none this app may reach (touser ≤ 1000, toparty/totag ≤ 100)"
        }
        301002 => "token belongs to another agent: WeCom tokens are per (corpid, agent secret)",
        _ => return None,
    })
}

/// WeChat Pay v2 errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    /// The body is not a valid Pay XML map.
    #[error("pay XML parse failed: {0}")]
    Parse(String),
    /// `return_code` was not `SUCCESS` (communication-level failure).
    #[error("pay return_code FAIL: {return_msg}")]
    ReturnFail {
        /// `return_msg`.
        return_msg: String,
    },
    /// `result_code` was not `SUCCESS` (business failure).
    #[error("pay result_code FAIL: {err_code}: {err_code_des}")]
    ResultFail {
        /// `err_code`.
        err_code: String,
        /// `err_code_des`.
        err_code_des: String,
    },
    /// `sign` missing or empty: the message is rejected, never trusted.
    #[error("pay message has no sign (rejected: unsigned messages are never trusted)")]
    MissingSign,
    /// `sign` did not verify.
    #[error(
        "pay signature mismatch (wrong API key, or a sign type different from the one the order used)"
    )]
    SignatureMismatch,
    /// A required field is missing or malformed.
    #[error("pay field {field}: {reason}")]
    Field {
        /// Field name.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// `req_info` decryption failed.
    #[error("refund req_info decryption failed (wrong API key?)")]
    ReqInfo,
    /// The bill could not be parsed.
    #[error("bill parse failed: {0}")]
    Bill(String),
    /// The client certificate (PKCS#12) could not be loaded.
    #[error("client certificate: {0}")]
    Certificate(String),
}

/// The crate-boundary error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WeChat answered with a non-zero `errcode`.
    #[error(transparent)]
    Wechat(#[from] WechatApiError),
    /// Network / HTTP transport error (distinct from WeChat errors). The URL is stripped
    /// (query strings carry secrets and tokens).
    #[error("HTTP error: {0}")]
    Http(reqwest::Error),
    /// Unexpected HTTP status from WeChat or a proxy.
    #[error("unexpected HTTP status {status}")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// A response could not be decoded.
    #[error("decode error: {0}")]
    Decode(String),
    /// Callback crypto error.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// Pay v2 error.
    #[error(transparent)]
    Pay(#[from] PayError),
    /// Token store error.
    #[error("token store: {0}")]
    Store(String),
    /// Invalid input given to the client.
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl Error {
    /// The WeChat error, if this is one.
    pub fn as_wechat(&self) -> Option<&WechatApiError> {
        match self {
            Error::Wechat(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_cover_official_range() {
        let all = [
            CryptoError::ValidateSignature,
            CryptoError::ParseXml(String::new()),
            CryptoError::ComputeSignature,
            CryptoError::IllegalAesKey,
            CryptoError::ValidateReceiveId {
                expected: String::new(),
                found: String::new(),
            },
            CryptoError::EncryptAes,
            CryptoError::DecryptAes,
            CryptoError::IllegalBuffer,
            CryptoError::EncodeBase64,
            CryptoError::DecodeBase64,
            CryptoError::GenReturnXml,
        ];
        let codes: Vec<i32> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes, (1..=11).map(|i| -40000 - i).collect::<Vec<_>>());
        for e in &all {
            assert!(!e.hint().is_empty());
            assert!(e.to_string().starts_with(&e.code().to_string()));
        }
    }

    #[test]
    fn api_error_extracts_rid_and_hint() {
        let e = WechatApiError::new(
            40001,
            "invalid credential, access_token is invalid or not latest rid: 6566d0b5-1c2f6e0a-3f0e0c8d",
        );
        assert_eq!(e.rid.as_deref(), Some("6566d0b5-1c2f6e0a-3f0e0c8d"));
        assert!(e.hint.is_some());
        assert!(e.is_token_invalid());
        let e = WechatApiError::new(45009, "reach max api daily quota limit");
        assert_eq!(e.rid, None);
        assert!(!e.is_token_invalid());
        for c in [
            40001, 40014, 42001, 40125, 40164, 45009, 48001, 60020, 40016, 40018, 40023, 46003,
            65303, 40005, 40006, 40007, 45106,
        ] {
            assert!(hint_for_code(c).is_some(), "{c}");
        }
    }
}
