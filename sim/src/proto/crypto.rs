//! `WXBizMsgCrypt`-compatible callback crypto (protocol reference §1.2).

use aes::Aes256;
use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use rand::Rng;

use super::sign::{msg_signature, random_alnum};

/// Lenient decoder: 43-character EncodingAESKeys usually carry non-zero trailing bits (§1.5).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// Why a ciphertext could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptError {
    /// The EncodingAESKey is not 43 characters decoding to 32 bytes (−40004).
    IllegalAesKey,
    /// Not base64 (−40010).
    Base64,
    /// Not a multiple of the block size, or empty (−40007).
    Aes,
    /// The length field or UTF-8 is broken (−40008).
    Buffer,
    /// The receive id does not match (−40005).
    ReceiveId(String),
    /// The signature does not match (−40001).
    Signature,
}

impl std::fmt::Display for CryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CryptError::IllegalAesKey => f.write_str("-40004 illegal EncodingAESKey"),
            CryptError::Base64 => f.write_str("-40010 ciphertext is not base64"),
            CryptError::Aes => f.write_str("-40007 AES decryption failed"),
            CryptError::Buffer => f.write_str("-40008 decrypted buffer is malformed"),
            CryptError::ReceiveId(found) => {
                write!(f, "-40005 receive id mismatch (found {found:?})")
            }
            CryptError::Signature => f.write_str("-40001 signature mismatch"),
        }
    }
}

/// AES key material derived from an EncodingAESKey.
#[derive(Clone)]
pub struct MsgCrypt {
    token: String,
    key: [u8; 32],
    receive_id: String,
}

impl std::fmt::Debug for MsgCrypt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token or the key.
        f.debug_struct("MsgCrypt")
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

/// Checks that `s` is a well-formed EncodingAESKey (43 chars of `[A-Za-z0-9]`).
pub fn valid_aes_key(s: &str) -> bool {
    s.len() == 43 && s.bytes().all(|b| b.is_ascii_alphanumeric()) && decode_key(s).is_ok()
}

fn decode_key(s: &str) -> Result<[u8; 32], CryptError> {
    if s.len() != 43 {
        return Err(CryptError::IllegalAesKey);
    }
    let bytes = LENIENT
        .decode(format!("{s}="))
        .map_err(|_| CryptError::IllegalAesKey)?;
    bytes.try_into().map_err(|_| CryptError::IllegalAesKey)
}

impl MsgCrypt {
    /// Builds a crypt for `receive_id` (OA: appid; WeCom: corpid; suite instructions: suite id).
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptError> {
        Ok(MsgCrypt {
            token: token.to_owned(),
            key: decode_key(encoding_aes_key)?,
            receive_id: receive_id.to_owned(),
        })
    }

    /// Encrypts `msg` with a random 16-byte prefix; returns the base64 text.
    pub fn encrypt(&self, msg: &str) -> String {
        let random = random_alnum(16);
        self.encrypt_with_random(msg, random.as_bytes())
    }

    /// Encrypts with a given 16-byte random prefix (deterministic, for test vectors).
    pub fn encrypt_with_random(&self, msg: &str, random: &[u8]) -> String {
        let mut buf = Vec::with_capacity(msg.len() + self.receive_id.len() + 52);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&(msg.len() as u32).to_be_bytes());
        buf.extend_from_slice(msg.as_bytes());
        buf.extend_from_slice(self.receive_id.as_bytes());
        // PKCS#7 with K = 32 (a full block of 32 when already aligned).
        let pad = 32 - (buf.len() % 32);
        buf.extend(std::iter::repeat_n(pad as u8, pad));
        let len = buf.len();
        let enc = cbc::Encryptor::<Aes256>::new((&self.key).into(), self.key[..16].into());
        let out = enc
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .expect("buffer is block aligned");
        STANDARD.encode(out)
    }

    /// Decrypts a base64 ciphertext and checks the receive id.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptError> {
        let (msg, receive_id) = self.decrypt_any(encrypt)?;
        if receive_id != self.receive_id {
            return Err(CryptError::ReceiveId(receive_id));
        }
        Ok(msg)
    }

    /// Decrypts and returns `(msg, receive_id)` without checking the receive id.
    pub fn decrypt_any(&self, encrypt: &str) -> Result<(String, String), CryptError> {
        let mut data = STANDARD
            .decode(encrypt.trim())
            .map_err(|_| CryptError::Base64)?;
        if data.is_empty() || data.len() % 16 != 0 {
            return Err(CryptError::Aes);
        }
        let dec = cbc::Decryptor::<Aes256>::new((&self.key).into(), self.key[..16].into());
        let plain = dec
            .decrypt_padded_mut::<NoPadding>(&mut data)
            .map_err(|_| CryptError::Aes)?;
        let mut pad = *plain.last().ok_or(CryptError::Buffer)? as usize;
        if !(1..=32).contains(&pad) {
            pad = 0;
        }
        let plain = &plain[..plain.len().saturating_sub(pad)];
        if plain.len() < 20 {
            return Err(CryptError::Buffer);
        }
        let len = u32::from_be_bytes([plain[16], plain[17], plain[18], plain[19]]) as usize;
        if 20 + len > plain.len() {
            return Err(CryptError::Buffer);
        }
        let msg = std::str::from_utf8(&plain[20..20 + len]).map_err(|_| CryptError::Buffer)?;
        let rid = String::from_utf8_lossy(&plain[20 + len..]).into_owned();
        Ok((msg.to_owned(), rid))
    }

    /// `msg_signature` over this crypt's token.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        msg_signature(&self.token, timestamp, nonce, encrypt)
    }

    /// Verifies `msg_signature` then decrypts.
    pub fn verify_and_decrypt(
        &self,
        msg_sig: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<String, CryptError> {
        if self.signature(timestamp, nonce, encrypt) != msg_sig {
            return Err(CryptError::Signature);
        }
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
    }
}
