//! Callback crypto (protocol reference §1.2), as a thin adapter over `wechat::crypto` so the
//! emulator keeps a small, stable API. The unit tests pin it to the reference's vectors.

use rand::Rng;
use wechat::crypto::MsgCrypt as Inner;
use wechat::types::EncodingAesKey;

use super::sign::{msg_signature, random_alnum};

/// Why a ciphertext could not be opened (the official −400xx families).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptError {
    /// The EncodingAESKey is not 43 characters decoding to 32 bytes (−40004).
    IllegalAesKey,
    /// The receive id does not match (−40005).
    ReceiveId(String),
    /// The signature does not match (−40001).
    Signature,
    /// Any other failure (base64, AES, buffer): the official code and message.
    Other(i32, String),
}

impl std::fmt::Display for CryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CryptError::IllegalAesKey => f.write_str("-40004 illegal EncodingAESKey"),
            CryptError::ReceiveId(found) => {
                write!(f, "-40005 receive id mismatch (found {found:?})")
            }
            CryptError::Signature => f.write_str("-40001 signature mismatch"),
            CryptError::Other(_, m) => f.write_str(m),
        }
    }
}

impl From<wechat::CryptoError> for CryptError {
    fn from(e: wechat::CryptoError) -> Self {
        match e {
            wechat::CryptoError::IllegalAesKey => CryptError::IllegalAesKey,
            wechat::CryptoError::ValidateReceiveId { found, .. } => CryptError::ReceiveId(found),
            wechat::CryptoError::ValidateSignature => CryptError::Signature,
            other => CryptError::Other(other.code(), other.to_string()),
        }
    }
}

/// Crypto for one (Token, EncodingAESKey, receive id).
#[derive(Clone)]
pub struct MsgCrypt {
    token: String,
    inner: Inner,
}

impl std::fmt::Debug for MsgCrypt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token or the key.
        f.debug_struct("MsgCrypt")
            .field("receive_id", &self.inner.receive_id())
            .finish_non_exhaustive()
    }
}

/// Checks that `s` is a well-formed EncodingAESKey (43 chars of `[A-Za-z0-9]`).
pub fn valid_aes_key(s: &str) -> bool {
    s.len() == 43 && EncodingAesKey::new(s).is_ok()
}

impl MsgCrypt {
    /// Builds a crypt for `receive_id` (OA: appid; WeCom: corpid; suite instructions: suite id).
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptError> {
        if encoding_aes_key.len() != 43 {
            return Err(CryptError::IllegalAesKey);
        }
        let key = EncodingAesKey::new(encoding_aes_key)?;
        Ok(MsgCrypt {
            token: token.to_owned(),
            inner: Inner::new(token, &key, receive_id),
        })
    }

    /// Encrypts `msg` with a random 16-character prefix; returns the base64 text.
    pub fn encrypt(&self, msg: &str) -> String {
        self.encrypt_with_random(msg, random_alnum(16).as_bytes())
    }

    /// Encrypts with a given 16-byte random prefix (deterministic, for test vectors).
    pub fn encrypt_with_random(&self, msg: &str, random: &[u8]) -> String {
        let mut r = [0u8; 16];
        let n = random.len().min(16);
        r[..n].copy_from_slice(&random[..n]);
        // Encryption cannot fail for a valid key (only base64/AES internals could).
        self.inner.encrypt_with_random(msg, &r).unwrap_or_default()
    }

    /// Decrypts a base64 ciphertext and checks the receive id.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptError> {
        Ok(self.inner.decrypt(encrypt)?)
    }

    /// `msg_signature` over this crypt's token.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        msg_signature(&self.token, timestamp, nonce, encrypt)
    }

    /// Verifies `msg_signature` (constant time) then decrypts.
    pub fn verify_and_decrypt(
        &self,
        msg_sig: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<String, CryptError> {
        self.inner
            .check_msg_signature(msg_sig, timestamp, nonce, encrypt)?;
        self.decrypt(encrypt)
    }
}

/// A fresh random EncodingAESKey (43 alphanumerics).
pub fn random_aes_key() -> String {
    loop {
        let k = random_alnum(43);
        if valid_aes_key(&k) {
            return k;
        }
    }
}

/// A random numeric nonce like WeChat's (9–10 digits).
pub fn random_nonce() -> String {
    rand::rng()
        .random_range(100_000_000u64..4_000_000_000)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_encrypt_fixed_random() {
        let c = MsgCrypt::new(
            "pamtest",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            "wxb11529c136998cb6",
        )
        .unwrap();
        assert_eq!(
            c.encrypt_with_random("我是中文abcd123", b"aaaabbbbccccdddd"),
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
        );
    }

    #[test]
    fn v9_padding_32() {
        let c = MsgCrypt::new(
            "pamtest",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            "wxb11529c136998cb6",
        )
        .unwrap();
        let e = c.encrypt_with_random("abcdefghijklmnopqrstuvwxyz", b"aaaabbbbccccdddd");
        assert_eq!(
            e,
            "jn1L23DB+6ELqJ+6bruv24kfnRA9CJ8qXRQfcTjuspbcu/BSVDHix6RSI3nK3z+fMd03dqZ5HIPCrQNNDa2xYd47apRHAo9FEf57/GQVWffqnF3WzheksoIGmk00BgBc"
        );
        assert_eq!(
            c.signature("1409304348", "xxxxxx", &e),
            "2b07674cc11d69d1eb5a852d4d239f5190949b19"
        );
        assert_eq!(c.decrypt(&e).unwrap(), "abcdefghijklmnopqrstuvwxyz");
    }

    #[test]
    fn v2_wecom_echostr() {
        let c = MsgCrypt::new(
            "QDG6eK",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "wx5823bf96d3bd56c7",
        )
        .unwrap();
        let echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        let out = c
            .verify_and_decrypt(
                "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                "1409659589",
                "263014780",
                echo,
            )
            .unwrap();
        assert_eq!(out, "1616140317555161061");
        assert_eq!(
            c.verify_and_decrypt("0", "1409659589", "263014780", echo),
            Err(CryptError::Signature)
        );
    }

    #[test]
    fn roundtrip_and_wrong_receive_id() {
        let key = random_aes_key();
        let c = MsgCrypt::new("t", &key, "wxA").unwrap();
        let e = c.encrypt("<xml>你好</xml>");
        assert_eq!(c.decrypt(&e).unwrap(), "<xml>你好</xml>");
        let other = MsgCrypt::new("t", &key, "wxB").unwrap();
        assert_eq!(other.decrypt(&e), Err(CryptError::ReceiveId("wxA".into())));
        assert!(MsgCrypt::new("t", "short", "x").is_err());
        assert!(matches!(
            c.decrypt("!!!"),
            Err(CryptError::Other(-40010, _))
        ));
    }
}
