//! Diagnoses for rejected deliveries, written for staff (never sent to the caller).

use wechat::{
    crypto::{CallbackQuery, MsgCrypt},
    error::CryptoError,
    message::MessageError,
    signature::verify_plain_signature,
    xml::XmlError,
};

/// True when the body tries to declare a DTD or entities.
pub fn looks_like_xxe(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("<!doctype") || lower.contains("<!entity")
}

const XXE: &str = "XXE attempt: the body declares a DOCTYPE/ENTITY; DTDs are never processed";

/// A bad signature or failed decryption.
pub fn crypto(
    e: &CryptoError,
    q: &CallbackQuery,
    body: &str,
    token: &str,
    now: i64,
    window_secs: i64,
) -> String {
    let field = if q.is_encrypted() {
        "msg_signature"
    } else {
        "signature"
    };
    match e {
        CryptoError::ValidateSignature => {
            let stale = window_secs > 0
                && MsgCrypt::check_timestamp(&q.timestamp, now, window_secs).is_err();
            let cause = if stale {
                format!(
                    "the timestamp {:?} is outside the ±{window_secs}s window: a stale or replayed request, or clock skew",
                    q.timestamp
                )
            } else if q.is_encrypted()
                && q.signature
                    .as_deref()
                    .is_some_and(|s| verify_plain_signature(token, &q.timestamp, &q.nonce, s))
            {
                "the Token is right (the plain signature matches) but msg_signature does not match the Encrypt value: the body was altered".to_string()
            } else if q.signature.is_none() && q.msg_signature.is_none() {
                "no signature parameter at all: not a WeChat request".to_string()
            } else if q.is_encrypted() && q.msg_signature.is_none() {
                "encrypt_type=aes but no msg_signature: not a WeChat request".to_string()
            } else {
                "wrong Token (the console's Token differs from this account's), or a forged request"
                    .to_string()
            };
            format!("bad {field}: {cause}")
        }
        CryptoError::ParseXml(_) if looks_like_xxe(body) => XXE.to_string(),
        CryptoError::ValidateReceiveId { expected, found } => format!(
            "decrypted, but the message was encrypted for {found:?} instead of {expected:?}: wrong AppID/CorpID configured"
        ),
        CryptoError::DecryptAes | CryptoError::IllegalBuffer | CryptoError::DecodeBase64 => {
            format!(
                "signature ({field}) valid, decryption failed ({}): wrong EncodingAESKey, or it was rotated in the console",
                e.code()
            )
        }
        other => format!("{} ({}): {}", other.code(), field, other.hint()),
    }
}

/// A body that did not parse.
pub fn parse(e: &MessageError, body: &str) -> String {
    match e {
        MessageError::Xml(XmlError::DocType | XmlError::Entity(_)) => XXE.to_string(),
        _ if looks_like_xxe(body) => XXE.to_string(),
        MessageError::Xml(XmlError::TooLarge(n)) => format!("XML too large (over {n} bytes)"),
        MessageError::Xml(x) => format!("XML refused: {x}"),
        other => format!("not a WeChat message: {other}"),
    }
}
