//! Callback message crypto compatible with the official `WXBizMsgCrypt` (OA safe and
//! compatible modes, open-platform components, WeCom apps and WeCom suites).
//!
//! Algorithm: AES-256-CBC with IV = key\[0..16\] over
//! `random(16) ‖ be_u32(len(msg)) ‖ msg ‖ receive_id`, PKCS#7 padded to a multiple of
//! **32** bytes, base64. The receive id is checked on decryption (−40005).
//!
//! Which receive id to use:
//!
//! | Scenario | receive id |
//! |---|---|
//! | OA safe/compatible mode | OA appid |
//! | open-platform component | component appid |
//! | WeCom self-built app | corpid |
//! | WeCom suite instruction callback | suite id ⚠️ (from memory of the WeCom doc, unverified) |
//! | WeCom suite data callback | authorising corpid ⚠️ (unverified) |
//!
//! ## Verify, decrypt, reply
//!
//! ```
//! use wechat::crypto::MsgCrypt;
//! use wechat::types::EncodingAesKey;
//!
//! // WeCom URL verification (GET msg_signature, timestamp, nonce, echostr): reply with
//! // exactly the returned string.
//! let key = EncodingAesKey::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap();
//! let crypt = MsgCrypt::new("QDG6eK", &key, "wx5823bf96d3bd56c7");
//! let echo = crypt.verify_url(
//!     "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780",
//!     "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
//! ).unwrap();
//! assert_eq!(echo, "1616140317555161061");
//!
//! // Encrypt a reply: the result is the complete HTTP response body.
//! let body = crypt.encrypt_reply("<xml><MsgType><![CDATA[text]]></MsgType></xml>", "1409659590", "263014780").unwrap();
//! let plain = crypt.decrypt_message(
//!     &wechat::crypto::parse_reply_envelope(&body).unwrap().msg_signature,
//!     "1409659590", "263014780", &body).unwrap();
//! assert_eq!(plain, "<xml><MsgType><![CDATA[text]]></MsgType></xml>");
//! ```

use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::CryptoError;
use crate::signature::{constant_time_eq, msg_signature, verify_plain_signature};
use crate::types::{AesKey, EncodingAesKey, Token};
use crate::xml;

mod query;
pub use query::{CallbackQuery, percent_decode, query_pairs};

type CbcEnc = cbc::Encryptor<Aes256>;
type CbcDec = cbc::Decryptor<Aes256>;

/// The padding block size used by WXBizMsgCrypt (32, not the AES block size 16).
pub const PAD_BLOCK: usize = 32;

/// Callback crypto for one (Token, EncodingAESKey, receive id) triple.
#[derive(Clone)]
pub struct MsgCrypt {
    token: Token,
    key: AesKey,
    previous_key: Option<AesKey>,
    receive_id: String,
    also_accepted: Vec<String>,
}

impl std::fmt::Debug for MsgCrypt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MsgCrypt")
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

/// A decrypted buffer split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The 16 random bytes.
    pub random: [u8; 16],
    /// The message bytes (UTF-8 for every real callback).
    pub msg: Vec<u8>,
    /// The trailing receive id.
    pub receive_id: Vec<u8>,
}

/// The fields of an encrypted reply envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyEnvelope {
    /// `Encrypt`.
    pub encrypt: String,
    /// `MsgSignature`.
    pub msg_signature: String,
    /// `TimeStamp`.
    pub timestamp: String,
    /// `Nonce`.
    pub nonce: String,
}

impl MsgCrypt {
    /// Creates the crypto for a Token, EncodingAESKey and receive id (see the module docs).
    pub fn new(
        token: impl Into<Token>,
        key: &EncodingAesKey,
        receive_id: impl Into<String>,
    ) -> Self {
        MsgCrypt {
            token: token.into(),
            key: key.aes_key().clone(),
            previous_key: None,
            receive_id: receive_id.into(),
            also_accepted: Vec::new(),
        }
    }

    /// Also accepts messages encrypted with the previous EncodingAESKey (during a key
    /// rotation in-flight messages still use the old key). Replies always use the new key.
    pub fn with_previous_key(mut self, previous: &EncodingAesKey) -> Self {
        self.previous_key = Some(previous.aes_key().clone());
        self
    }

    /// Also accepts messages whose receive id is `id` (e.g. one suite URL that receives
    /// both instruction callbacks with the suite id and data callbacks with the corp id ⚠️).
    /// Replies and pushes still use the primary receive id.
    pub fn also_accept_receive_id(mut self, id: impl Into<String>) -> Self {
        self.also_accepted.push(id.into());
        self
    }

    /// The configured receive id.
    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// The Token (secret; do not log).
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// Checks a callback timestamp against `now` (both Unix seconds) within `window_secs`.
    /// WeChat itself does not require this; use it as replay protection together with a
    /// nonce cache.
    pub fn check_timestamp(timestamp: &str, now: i64, window_secs: i64) -> Result<(), CryptoError> {
        let ts: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| CryptoError::TimestampOutOfWindow {
                skew_secs: i64::MAX,
            })?;
        let skew = now.saturating_sub(ts);
        if skew.saturating_abs() > window_secs {
            return Err(CryptoError::TimestampOutOfWindow { skew_secs: skew });
        }
        Ok(())
    }

    /// OA URL verification (plain `signature`): returns `echostr` to be sent back verbatim.
    /// OA echostr is **not** encrypted, even in safe mode.
    pub fn verify_plain_url<'a>(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
        echostr: &'a str,
    ) -> Result<&'a str, CryptoError> {
        self.verify_plain(signature, timestamp, nonce)?;
        Ok(echostr)
    }

    /// Verifies a plain-mode push (the 3-field `signature`). Use this only when
    /// `encrypt_type` is absent or `raw`.
    pub fn verify_plain(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<(), CryptoError> {
        if verify_plain_signature(self.token.expose(), timestamp, nonce, signature) {
            Ok(())
        } else {
            Err(CryptoError::ValidateSignature)
        }
    }

    /// WeCom URL verification (`msg_signature`, encrypted `echostr`): verifies the
    /// signature, decrypts and returns the plaintext that must be the exact response body.
    /// `echostr` must be URL-decoded (a `+` must not have become a space).
    pub fn verify_url(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        echostr: &str,
    ) -> Result<String, CryptoError> {
        self.check_msg_signature(msg_signature, timestamp, nonce, echostr)?;
        self.decrypt(echostr)
    }

    /// Verifies `msg_signature` over an `Encrypt` value.
    pub fn check_msg_signature(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<(), CryptoError> {
        let expected = msg_signature(self.token.expose(), timestamp, nonce, encrypt);
        if constant_time_eq(&expected, &signature.to_ascii_lowercase()) {
            Ok(())
        } else {
            Err(CryptoError::ValidateSignature)
        }
    }

    /// Decrypts an encrypted push body (`<xml>…<Encrypt>…</Encrypt>…</xml>`, safe or
    /// compatible mode, OA/WeCom/suite): verifies `msg_signature`, decrypts, checks the
    /// receive id and returns the inner message XML (untrimmed).
    pub fn decrypt_message(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        body: &str,
    ) -> Result<String, CryptoError> {
        let encrypt = extract_encrypt(body)?;
        self.check_msg_signature(msg_signature, timestamp, nonce, &encrypt)?;
        self.decrypt(&encrypt)
    }

    /// Encrypts a reply and wraps it in the exact envelope WeChat expects, with a random
    /// 16-byte prefix. `timestamp` is normally the current time and `nonce` may echo the
    /// request's nonce. The result is the complete HTTP response body.
    pub fn encrypt_reply(
        &self,
        reply_xml: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, CryptoError> {
        self.encrypt_reply_with_random(reply_xml, timestamp, nonce, &random16())
    }

    /// [`encrypt_reply`](Self::encrypt_reply) with a caller-supplied random prefix (test vectors).
    pub fn encrypt_reply_with_random(
        &self,
        reply_xml: &str,
        timestamp: &str,
        nonce: &str,
        random: &[u8; 16],
    ) -> Result<String, CryptoError> {
        let encrypt = self.encrypt_with_random(reply_xml, random)?;
        let sig = msg_signature(self.token.expose(), timestamp, nonce, &encrypt);
        Ok(reply_envelope(&encrypt, &sig, timestamp, nonce))
    }

    /// Builds an encrypted push as WeChat sends it (for the emulator and tests): returns
    /// `(body, msg_signature)`. `agent_id` adds `<AgentID>` (WeCom apps).
    pub fn encrypt_push(
        &self,
        msg_xml: &str,
        to_user_name: &str,
        agent_id: Option<&str>,
        timestamp: &str,
        nonce: &str,
    ) -> Result<(String, String), CryptoError> {
        let encrypt = self.encrypt(msg_xml)?;
        let sig = msg_signature(self.token.expose(), timestamp, nonce, &encrypt);
        let mut w = xml::Writer::new();
        w.open("xml");
        w.cdata("ToUserName", to_user_name);
        w.cdata("Encrypt", &encrypt);
        if let Some(a) = agent_id {
            w.cdata("AgentID", a);
        }
        w.close("xml");
        Ok((w.finish(), sig))
    }

    /// Encrypts `msg` with a random prefix (base64 output, no signature).
    pub fn encrypt(&self, msg: &str) -> Result<String, CryptoError> {
        self.encrypt_with_random(msg, &random16())
    }

    /// Encrypts `msg` with the given random prefix (base64 output, no signature).
    pub fn encrypt_with_random(&self, msg: &str, random: &[u8; 16]) -> Result<String, CryptoError> {
        encrypt_raw(
            &self.key,
            random,
            msg.as_bytes(),
            self.receive_id.as_bytes(),
        )
    }

    /// Decrypts a base64 `Encrypt`/echostr value (no signature check), checks the receive
    /// id and returns the message as UTF-8. With [`with_previous_key`](Self::with_previous_key)
    /// the previous key is tried when the current one fails.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptoError> {
        let primary = self.open_with(&self.key, encrypt);
        if primary.is_err()
            && let Some(prev) = &self.previous_key
            && let Ok(s) = self.open_with(prev, encrypt)
        {
            return Ok(s);
        }
        primary
    }

    fn open_with(&self, key: &AesKey, encrypt: &str) -> Result<String, CryptoError> {
        let d = decrypt_raw(key, encrypt)?;
        let ok = d.receive_id == self.receive_id.as_bytes()
            || self
                .also_accepted
                .iter()
                .any(|a| d.receive_id == a.as_bytes());
        if !ok {
            return Err(CryptoError::ValidateReceiveId {
                expected: self.receive_id.clone(),
                found: String::from_utf8_lossy(&d.receive_id).into_owned(),
            });
        }
        String::from_utf8(d.msg).map_err(|_| CryptoError::IllegalBuffer)
    }
}

/// A verified, decrypted callback body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCallback {
    /// The message XML (decrypted when the push was encrypted).
    pub xml: String,
    /// Whether the push was encrypted (then the reply must be encrypted too).
    pub encrypted: bool,
}

impl MsgCrypt {
    /// URL verification (GET) for any mode: WeCom (`msg_signature` + encrypted `echostr`)
    /// returns the decrypted echo; OA (`signature`) returns `echostr` verbatim. The result
    /// is the exact response body.
    pub fn verify_get(&self, q: &CallbackQuery) -> Result<String, CryptoError> {
        let echostr = q.echostr.as_deref().ok_or(CryptoError::ValidateSignature)?;
        match (&q.msg_signature, &q.signature) {
            (Some(ms), _) => self.verify_url(ms, &q.timestamp, &q.nonce, echostr),
            (None, Some(s)) => self
                .verify_plain_url(s, &q.timestamp, &q.nonce, echostr)
                .map(str::to_owned),
            (None, None) => Err(CryptoError::ValidateSignature),
        }
    }

    /// A push (POST) for any mode: encrypted pushes are checked with `msg_signature` and
    /// decrypted; plain pushes are checked with `signature`.
    pub fn open_post(&self, q: &CallbackQuery, body: &str) -> Result<OpenedCallback, CryptoError> {
        if q.is_encrypted() {
            let ms = q
                .msg_signature
                .as_deref()
                .ok_or(CryptoError::ValidateSignature)?;
            Ok(OpenedCallback {
                xml: self.decrypt_message(ms, &q.timestamp, &q.nonce, body)?,
                encrypted: true,
            })
        } else {
            let s = q
                .signature
                .as_deref()
                .ok_or(CryptoError::ValidateSignature)?;
            self.verify_plain(s, &q.timestamp, &q.nonce)?;
            Ok(OpenedCallback {
                xml: body.to_owned(),
                encrypted: false,
            })
        }
    }

    /// The response body for a reply: encrypted (envelope) when the push was encrypted,
    /// plain otherwise. `timestamp` is the current time; `nonce` may echo the request's.
    pub fn seal_reply(
        &self,
        opened: &OpenedCallback,
        reply_xml: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, CryptoError> {
        if opened.encrypted {
            self.encrypt_reply(reply_xml, timestamp, nonce)
        } else {
            Ok(reply_xml.to_owned())
        }
    }
}

fn random16() -> [u8; 16] {
    // ASCII alphanumerics, like the official samples.
    let s = crate::types::random_alnum(16);
    let mut r = [0u8; 16];
    r.copy_from_slice(&s.as_bytes()[..16]);
    r
}

/// The exact reply envelope (`\n` between elements, as the official samples emit).
pub fn reply_envelope(encrypt: &str, msg_signature: &str, timestamp: &str, nonce: &str) -> String {
    let mut s = String::with_capacity(encrypt.len() + 200);
    s.push_str("<xml>\n<Encrypt>");
    xml::push_cdata(&mut s, encrypt);
    s.push_str("</Encrypt>\n<MsgSignature>");
    xml::push_cdata(&mut s, msg_signature);
    s.push_str("</MsgSignature>\n<TimeStamp>");
    s.push_str(&xml::escape_text(timestamp));
    s.push_str("</TimeStamp>\n<Nonce>");
    xml::push_cdata(&mut s, nonce);
    s.push_str("</Nonce>\n</xml>");
    s
}

/// Parses a reply envelope (the emulator uses this to check replies).
pub fn parse_reply_envelope(body: &str) -> Result<ReplyEnvelope, CryptoError> {
    let e = xml::parse(body).map_err(|e| CryptoError::ParseXml(e.to_string()))?;
    let get = |n: &str| {
        e.child_text(n)
            .map(str::to_owned)
            .ok_or_else(|| CryptoError::ParseXml(format!("missing {n}")))
    };
    Ok(ReplyEnvelope {
        encrypt: get("Encrypt")?,
        msg_signature: get("MsgSignature")?,
        timestamp: get("TimeStamp")?,
        nonce: get("Nonce")?,
    })
}

/// Extracts `<Encrypt>` from a push body.
pub fn extract_encrypt(body: &str) -> Result<String, CryptoError> {
    let e = xml::parse(body).map_err(|e| CryptoError::ParseXml(e.to_string()))?;
    e.child_text("Encrypt")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| CryptoError::ParseXml("no <Encrypt> element".into()))
}

/// PKCS#7 padding to a multiple of 32 (`len % 32 == 0` adds 32 bytes of 0x20).
pub fn pad32(buf: &mut Vec<u8>) {
    let n = PAD_BLOCK - (buf.len() % PAD_BLOCK);
    buf.extend(std::iter::repeat_n(n as u8, n));
}

/// Low-level encryption: `base64(AES-256-CBC(pad32(random ‖ be_u32(len) ‖ msg ‖ receive_id)))`.
pub fn encrypt_raw(
    key: &AesKey,
    random: &[u8; 16],
    msg: &[u8],
    receive_id: &[u8],
) -> Result<String, CryptoError> {
    let len = u32::try_from(msg.len()).map_err(|_| CryptoError::EncryptAes)?;
    let mut buf = Vec::with_capacity(16 + 4 + msg.len() + receive_id.len() + PAD_BLOCK);
    buf.extend_from_slice(random);
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(msg);
    buf.extend_from_slice(receive_id);
    pad32(&mut buf);
    let n = buf.len();
    let ct = CbcEnc::new((&key.0).into(), (&key.iv()).into())
        .encrypt_padded_mut::<NoPadding>(&mut buf, n)
        .map_err(|_| CryptoError::EncryptAes)?;
    Ok(STANDARD.encode(ct))
}

/// Low-level decryption into parts (no receive-id check).
pub fn decrypt_raw(key: &AesKey, encrypt: &str) -> Result<Decrypted, CryptoError> {
    let mut buf = STANDARD
        .decode(encrypt.trim().as_bytes())
        .map_err(|_| CryptoError::DecodeBase64)?;
    if buf.is_empty() || buf.len() % 16 != 0 {
        return Err(CryptoError::DecryptAes);
    }
    let pt = CbcDec::new((&key.0).into(), (&key.iv()).into())
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|_| CryptoError::DecryptAes)?;
    // Official unpadding: pad = last byte; outside 1..=32 means "no padding".
    let last = *pt.last().ok_or(CryptoError::IllegalBuffer)? as usize;
    let pad = if (1..=PAD_BLOCK).contains(&last) {
        last
    } else {
        0
    };
    let content_end = pt
        .len()
        .checked_sub(pad)
        .ok_or(CryptoError::IllegalBuffer)?;
    if content_end < 20 {
        return Err(CryptoError::IllegalBuffer);
    }
    let content = &pt[..content_end];
    let mut random = [0u8; 16];
    random.copy_from_slice(&content[..16]);
    let len = u32::from_be_bytes([content[16], content[17], content[18], content[19]]) as usize;
    let msg_end = 20usize.checked_add(len).ok_or(CryptoError::IllegalBuffer)?;
    if msg_end > content.len() {
        return Err(CryptoError::IllegalBuffer);
    }
    Ok(Decrypted {
        random,
        msg: content[20..msg_end].to_vec(),
        receive_id: content[msg_end..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const V1_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const V2_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    const V8_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

    fn crypt(token: &str, key: &str, id: &str) -> MsgCrypt {
        MsgCrypt::new(token, &EncodingAesKey::new(key).unwrap(), id)
    }

    const V1_A2_MSG: &str = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
    const V1_A2_ENC: &str = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    #[test]
    fn v1_encrypt_fixed_random() {
        let c = crypt("pamtest", V1_KEY, "wxb11529c136998cb6");
        let r = *b"aaaabbbbccccdddd";
        assert_eq!(
            c.encrypt_with_random("我是中文abcd123", &r).unwrap(),
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
        );
        assert_eq!(c.encrypt_with_random(V1_A2_MSG, &r).unwrap(), V1_A2_ENC);
        assert_eq!(c.decrypt(V1_A2_ENC).unwrap(), V1_A2_MSG);
        assert_eq!(c.decrypt("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==").unwrap(), "我是中文abcd123");
    }

    #[test]
    fn v2_wecom_verify_url() {
        let c = crypt("QDG6eK", V2_KEY, "wx5823bf96d3bd56c7");
        let echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        let out = c
            .verify_url(
                "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                "1409659589",
                "263014780",
                echostr,
            )
            .unwrap();
        assert_eq!(out, "1616140317555161061");
        let d = decrypt_raw(EncodingAesKey::new(V2_KEY).unwrap().aes_key(), echostr).unwrap();
        assert_eq!(&d.random, b"c41b64491c2468d0");
        // '+' turned into a space by a careless framework fails loudly
        assert!(
            c.verify_url(
                "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                "1409659589",
                "263014780",
                &echostr.replace('+', " ")
            )
            .is_err()
        );
        // wrong signature
        assert_eq!(
            c.verify_url(
                "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4",
                "1409659589",
                "263014780",
                echostr
            ),
            Err(CryptoError::ValidateSignature)
        );
    }

    const V3_ENC: &str = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    #[test]
    fn v3_wecom_decrypt() {
        let c = crypt("QDG6eK", V2_KEY, "wx5823bf96d3bd56c7");
        let body = format!(
            "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[{V3_ENC}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
        );
        let m = c
            .decrypt_message(
                "477715d11cdb4164915debcba66cb864d751f3e6",
                "1409659813",
                "1372623149",
                &body,
            )
            .unwrap();
        let expected = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
        assert_eq!(m, expected);
        assert_eq!(m.len(), 284);
        // wrong corp id → −40005
        let wrong = crypt("QDG6eK", V2_KEY, "wx0000000000000000");
        let e = wrong.decrypt(V3_ENC).unwrap_err();
        assert_eq!(e.code(), -40005);
        // wrong key → garbage → −40008 (or −40005)
        let wrong_key = crypt("QDG6eK", V1_KEY, "wx5823bf96d3bd56c7");
        let code = wrong_key.decrypt(V3_ENC).unwrap_err().code();
        assert!(code == -40008 || code == -40005, "{code}");
    }

    #[test]
    fn v4_oa_compat_mode_decrypt() {
        let c = crypt("spamtest", V1_KEY, "wx2c2769f8efd9abc2");
        let enc = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
        let plain_fields = "<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId>";
        let body = format!("<xml>{plain_fields}<Encrypt><![CDATA[{enc}]]></Encrypt></xml>");
        let m = c
            .decrypt_message(
                "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
                "1409735669",
                "1320562132",
                &body,
            )
            .unwrap();
        assert!(m.starts_with("<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"));
        assert!(m.ends_with("<MsgId>6054768590064713728</MsgId>\n</xml>"));
        assert_eq!(m.len(), 280);
        let d = decrypt_raw(EncodingAesKey::new(V1_KEY).unwrap().aes_key(), enc).unwrap();
        assert_eq!(&d.random, b"89465c840c5f116f");
        // The plain signature verifies too, but decrypt_message insists on msg_signature.
        c.verify_plain(
            "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a",
            "1409735669",
            "1320562132",
        )
        .unwrap();
        assert_eq!(
            c.decrypt_message(
                "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a",
                "1409735669",
                "1320562132",
                &body
            ),
            Err(CryptoError::ValidateSignature)
        );
    }

    #[test]
    fn v6_component_push_and_reply() {
        let key = EncodingAesKey::new(&"A".repeat(43)).unwrap();
        let c = MsgCrypt::new("AAAAA", &key, "wx134c8103faa5a59e");
        let enc = "D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg==";
        let body = format!(
            "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"
        );
        c.verify_plain(
            "cc0c594499c1634947d5b502f158ee518947db27",
            "1715943329",
            "1590219412",
        )
        .unwrap();
        let m = c
            .decrypt_message(
                "6c12a4205838198b8fa631b3220723bb07f1015c",
                "1715943329",
                "1590219412",
                &body,
            )
            .unwrap();
        assert_eq!(
            m,
            "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>"
        );
        assert_eq!(m.len(), 292);
        let d = decrypt_raw(key.aes_key(), enc).unwrap();
        assert_eq!(&d.random, b"1205899eaf019bbd");

        let reply = "<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>";
        let out = c
            .encrypt_reply_with_random(reply, "1713424427", "415670741", b"999951349e8ee746")
            .unwrap();
        let env = parse_reply_envelope(&out).unwrap();
        assert_eq!(
            env.encrypt,
            "hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7"
        );
        assert_eq!(
            env.msg_signature,
            "03e0812039325c2712ef5f0f980fd14c70d6e307"
        );
        assert_eq!(env.timestamp, "1713424427");
        assert_eq!(env.nonce, "415670741");
    }

    #[test]
    fn v8_wecom_verify_encrypt_decrypt_envelope() {
        let c = crypt("123456", V8_KEY, "wx49f0ab532d5d035a");
        assert_eq!(
            c.verify_url(
                "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
                "1411443780",
                "437374425",
                "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
            )
            .unwrap(),
            "5927782489442352469"
        );
        let reply = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
        let out = c
            .encrypt_reply_with_random(reply, "1411525903", "461056294", b"1234567890123456")
            .unwrap();
        let expected = "<xml>\n<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>\n<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>";
        assert_eq!(out, expected);

        let enc = "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";
        let body = format!(
            "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>"
        );
        let m = c
            .decrypt_message(
                "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
                "1411525903",
                "461056294",
                &body,
            )
            .unwrap();
        assert_eq!(
            m,
            "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<FromUserName><![CDATA[messense]]></FromUserName>\n<CreateTime>1411525903</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<MsgId>4363689963896700987</MsgId>\n<AgentID>1</AgentID>\n</xml>"
        );
    }

    #[test]
    fn v9_padding_32_boundary() {
        let c = crypt("pamtest", V1_KEY, "wxb11529c136998cb6");
        let msg = "abcdefghijklmnopqrstuvwxyz";
        let enc = c.encrypt_with_random(msg, b"aaaabbbbccccdddd").unwrap();
        assert_eq!(
            enc,
            "jn1L23DB+6ELqJ+6bruv24kfnRA9CJ8qXRQfcTjuspbcu/BSVDHix6RSI3nK3z+fMd03dqZ5HIPCrQNNDa2xYd47apRHAo9FEf57/GQVWffqnF3WzheksoIGmk00BgBc"
        );
        assert_eq!(STANDARD.decode(&enc).unwrap().len(), 96);
        assert_eq!(
            msg_signature("pamtest", "1409304348", "xxxxxx", &enc),
            "2b07674cc11d69d1eb5a852d4d239f5190949b19"
        );
        assert_eq!(c.decrypt(&enc).unwrap(), msg);
    }

    /// Own vectors, computed independently (Python + `openssl enc -aes-256-cbc -nopad` with
    /// manual 32-byte PKCS#7; the same pipeline reproduces V9): key/appid/random as V1.
    #[test]
    fn own_fixed_vectors_boundary_and_chinese() {
        let c = crypt("pamtest", V1_KEY, "wxb11529c136998cb6");
        let r = b"aaaabbbbccccdddd";
        // 18-byte Chinese message (6 chars): length field counts bytes
        assert_eq!(
            c.encrypt_with_random("中文消息测试", r).unwrap(),
            "jn1L23DB+6ELqJ+6bruv208hKE7w6KRF90rrI3xlfhHISyBtdrtzYxDAw9dGuhUK2431aMFfYu2j8zBKh7GcWQ=="
        );
        // FullStr 63 bytes → 1 byte of padding
        assert_eq!(
            c.encrypt_with_random(&"x".repeat(25), r).unwrap(),
            "jn1L23DB+6ELqJ+6bruv2+kYEKnjOllx0vu67To/q3GbnMS0uObVt/vm2ls1rtRa8D4dFzKJmYwgOitfskjphg=="
        );
        // FullStr 65 bytes → 31 bytes of padding
        assert_eq!(
            c.encrypt_with_random(&"x".repeat(27), r).unwrap(),
            "jn1L23DB+6ELqJ+6bruv2+0wptD48z3s9uX+QmivI1gsb6e1yY+C/nGkuYUV/I7HIhSsjqXixe2FRFUAopd69MMmAI9dhzn6SZ8LYzhEHC6RYctEq/wyeCHhB+Zf0DaV"
        );
    }

    #[test]
    fn own_vectors_padding_lengths_and_chinese() {
        // FullStr = 16 + 4 + msg + 18 (appid); check the ciphertext length for msgs around 32-byte boundaries.
        let c = crypt("pamtest", V1_KEY, "wxb11529c136998cb6");
        for (msg_len, ct_len) in [
            (25usize, 64usize),
            (26, 96),
            (27, 96),
            (57, 96),
            (58, 128),
            (59, 128),
        ] {
            let msg = "x".repeat(msg_len);
            let enc = c.encrypt_with_random(&msg, b"aaaabbbbccccdddd").unwrap();
            assert_eq!(
                STANDARD.decode(&enc).unwrap().len(),
                ct_len,
                "msg_len {msg_len}"
            );
            assert_eq!(c.decrypt(&enc).unwrap(), msg);
        }
        // Chinese: 18 UTF-8 bytes ("中文消息测试" = 6 chars × 3) — length counted in bytes
        let msg = "中文消息测试";
        let enc = c.encrypt_with_random(msg, b"aaaabbbbccccdddd").unwrap();
        let d = decrypt_raw(EncodingAesKey::new(V1_KEY).unwrap().aes_key(), &enc).unwrap();
        assert_eq!(d.msg.len(), 18);
        assert_eq!(c.decrypt(&enc).unwrap(), msg);
    }

    #[test]
    fn malformed_inputs_give_typed_errors() {
        let c = crypt("pamtest", V1_KEY, "wxb11529c136998cb6");
        assert_eq!(c.decrypt("not base64!").unwrap_err().code(), -40010);
        assert_eq!(c.decrypt("").unwrap_err().code(), -40007);
        assert_eq!(c.decrypt("AAAA").unwrap_err().code(), -40007);
        assert_eq!(
            c.decrypt_message("x", "1", "2", "<xml></xml>")
                .unwrap_err()
                .code(),
            -40002
        );
        assert_eq!(
            c.decrypt_message("x", "1", "2", "garbage")
                .unwrap_err()
                .code(),
            -40002
        );
        // a random 32-byte block decrypts to garbage: never panics
        let enc = STANDARD.encode([7u8; 32]);
        assert!(c.decrypt(&enc).is_err());
    }

    #[test]
    fn key_rotation_accepts_previous_key() {
        let old = EncodingAesKey::new(V1_KEY).unwrap();
        let new = EncodingAesKey::new(V2_KEY).unwrap();
        let sender = MsgCrypt::new("t", &old, "wxid");
        let enc = sender.encrypt("hello").unwrap();
        let receiver = MsgCrypt::new("t", &new, "wxid").with_previous_key(&old);
        assert_eq!(receiver.decrypt(&enc).unwrap(), "hello");
        assert!(MsgCrypt::new("t", &new, "wxid").decrypt(&enc).is_err());
    }

    #[test]
    fn additional_receive_ids() {
        let c = crypt("QDG6eK", V2_KEY, "suite1").also_accept_receive_id("wx5823bf96d3bd56c7");
        assert!(c.decrypt(V3_ENC).is_ok());
        assert_eq!(
            crypt("QDG6eK", V2_KEY, "suite1")
                .decrypt(V3_ENC)
                .unwrap_err()
                .code(),
            -40005
        );
    }

    #[test]
    fn timestamp_window() {
        assert!(MsgCrypt::check_timestamp("1000", 1100, 300).is_ok());
        assert!(MsgCrypt::check_timestamp("1000", 1400, 300).is_err());
        assert!(MsgCrypt::check_timestamp("x", 1400, 300).is_err());
    }

    #[test]
    fn encrypt_push_roundtrip() {
        let c = crypt("QDG6eK", V2_KEY, "wx5823bf96d3bd56c7");
        let (body, sig) = c
            .encrypt_push(
                "<xml><A>1</A></xml>",
                "wx5823bf96d3bd56c7",
                Some("218"),
                "123",
                "456",
            )
            .unwrap();
        assert_eq!(
            c.decrypt_message(&sig, "123", "456", &body).unwrap(),
            "<xml><A>1</A></xml>"
        );
    }

    #[test]
    fn callback_query_picks_the_right_signature() {
        // V4 query: encrypt_type=aes → msg_signature is used even though signature is valid too
        let c = crypt("spamtest", V1_KEY, "wx2c2769f8efd9abc2");
        let enc = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
        let body = format!(
            "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"
        );
        let q = CallbackQuery::from_pairs([
            ("signature", "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"),
            ("timestamp", "1409735669"),
            ("nonce", "1320562132"),
            ("encrypt_type", "aes"),
            ("msg_signature", "5d197aaffba7e9b25a30732f161a50dee96bd5fa"),
        ]);
        let o = c.open_post(&q, &body).unwrap();
        assert!(o.encrypted && o.xml.contains("abcdteT"));
        let sealed = c
            .seal_reply(&o, "<xml/>", "1409735670", "1320562132")
            .unwrap();
        assert!(sealed.contains("<MsgSignature>"));
        let mut bad = q.clone();
        bad.msg_signature = Some("16120ec1b8dbb870f510d87ce6bc2463eae6ca1a".into());
        assert_eq!(
            c.open_post(&bad, &body),
            Err(CryptoError::ValidateSignature)
        );
        // plain mode
        let pq = CallbackQuery::from_pairs([
            ("signature", "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"),
            ("timestamp", "1409735669"),
            ("nonce", "1320562132"),
        ]);
        let o = c.open_post(&pq, "<xml><A>1</A></xml>").unwrap();
        assert!(!o.encrypted);
        assert_eq!(c.seal_reply(&o, "<xml/>", "1", "2").unwrap(), "<xml/>");
        // OA GET echoes echostr; WeCom GET decrypts (V2)
        let mut g = pq.clone();
        g.echostr = Some("hello".into());
        assert_eq!(c.verify_get(&g).unwrap(), "hello");
        let w = crypt("QDG6eK", V2_KEY, "wx5823bf96d3bd56c7");
        let wq = CallbackQuery::from_pairs([
            ("msg_signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"),
            ("timestamp", "1409659589"),
            ("nonce", "263014780"),
            (
                "echostr",
                "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
            ),
        ]);
        assert_eq!(w.verify_get(&wq).unwrap(), "1616140317555161061");
        assert!(CallbackQuery::from_pairs([("msg_signature", "x")]).is_encrypted());
    }

    proptest! {
        #[test]
        fn roundtrip_any_utf8(msg in "\\PC{0,200}", id in "[a-zA-Z0-9]{0,20}") {
            let c = crypt("tok", V8_KEY, &id);
            let enc = c.encrypt(&msg).unwrap();
            prop_assert_eq!(c.decrypt(&enc).unwrap(), msg);
        }

        #[test]
        fn roundtrip_around_boundaries(k in 0usize..8, delta in 0usize..3) {
            // message lengths such that FullStr is 32k-1, 32k, 32k+1
            let id = "wxb11529c136998cb6";
            let base = (32 * (k + 1)).saturating_sub(16 + 4 + id.len());
            let len = (base + delta).saturating_sub(1);
            let msg = "m".repeat(len);
            let c = crypt("tok", V1_KEY, id);
            let enc = c.encrypt(&msg).unwrap();
            let ct = STANDARD.decode(&enc).unwrap();
            prop_assert_eq!(ct.len() % 32, 0);
            prop_assert!(ct.len() > 16 + 4 + len + id.len());
            prop_assert_eq!(c.decrypt(&enc).unwrap(), msg);
        }

        #[test]
        fn reply_roundtrip(msg in "\\PC{0,100}", ts in "[0-9]{1,10}", nonce in "[0-9a-z]{1,12}") {
            let c = crypt("tok", V2_KEY, "corp");
            let body = c.encrypt_reply(&msg, &ts, &nonce).unwrap();
            let env = parse_reply_envelope(&body).unwrap();
            prop_assert_eq!(c.decrypt_message(&env.msg_signature, &ts, &nonce, &body).unwrap(), msg);
        }
    }
}
