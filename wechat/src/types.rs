//! Newtypes for identifiers, secrets and money.
//!
//! They parse rather than validate: identifiers accept any string (WeChat changes
//! formats), while [`EncodingAesKey`] and [`Fen`] check exactly what the protocol needs.
//! Secret types ([`Token`], [`AppSecret`], [`PayApiKey`], …) never print their value in
//! `Debug`.

use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};

use crate::error::CryptoError;

macro_rules! id_newtype {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value.
            pub fn new(v: impl Into<String>) -> Self {
                $name(v.into())
            }
            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Unwraps into the inner `String`.
            pub fn into_inner(self) -> String {
                self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
        impl From<&str> for $name {
            fn from(v: &str) -> Self {
                $name(v.to_owned())
            }
        }
        impl From<String> for $name {
            fn from(v: String) -> Self {
                $name(v)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

macro_rules! secret_newtype {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(v: impl Into<String>) -> Self {
                $name(v.into())
            }
            /// The secret value. Never log it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}(***)", stringify!($name))
            }
        }
        impl From<&str> for $name {
            fn from(v: &str) -> Self {
                $name(v.to_owned())
            }
        }
        impl From<String> for $name {
            fn from(v: String) -> Self {
                $name(v)
            }
        }
    };
}

id_newtype!(
    /// Official Account / mini-program / component app id (`wx…`).
    AppId
);
id_newtype!(
    /// WeCom corp id (`ww…` / `wx…`).
    CorpId
);
id_newtype!(
    /// WeCom third-party suite id.
    SuiteId
);
id_newtype!(
    /// A follower's OpenID.
    OpenId
);
id_newtype!(
    /// WeChat Pay merchant id.
    MchId
);
id_newtype!(
    /// A random nonce string used in signatures.
    Nonce
);

impl Nonce {
    /// A fresh random 16-character alphanumeric nonce.
    pub fn random() -> Self {
        Nonce(random_alnum(16))
    }
}

/// `len` random ASCII letters/digits.
pub fn random_alnum(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

secret_newtype!(
    /// The callback Token configured in the console (used in SHA-1 signatures).
    Token
);
secret_newtype!(
    /// OA AppSecret / WeCom corpsecret / suite secret / provider secret.
    AppSecret
);
secret_newtype!(
    /// WeChat Pay v2 merchant API key (32 characters).
    PayApiKey
);

/// Seconds since the Unix epoch, as used in callbacks and signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Self {
        Timestamp(time::OffsetDateTime::now_utc().unix_timestamp())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A 32-byte AES-256 key derived from an [`EncodingAesKey`].
#[derive(Clone, PartialEq, Eq)]
pub struct AesKey(pub [u8; 32]);

impl AesKey {
    /// The IV used by WXBizMsgCrypt: the first 16 key bytes.
    pub fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.0[..16]);
        iv
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKey(***)")
    }
}

/// The 43-character EncodingAESKey from the console.
///
/// Decoding is lenient on the trailing bits of the last character, exactly as the
/// official Java/Python/PHP samples are (most real keys have non-zero trailing bits).
///
/// ```
/// use wechat::types::EncodingAesKey;
/// let k = EncodingAesKey::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap();
/// assert_eq!(k.aes_key().0[0], 0x69);
/// assert!(EncodingAesKey::new("too-short").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct EncodingAesKey {
    key: AesKey,
}

impl EncodingAesKey {
    /// Parses a 43-character EncodingAESKey.
    pub fn new(s: &str) -> Result<Self, CryptoError> {
        let s = s.trim();
        if s.len() != 43 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CryptoError::IllegalAesKey);
        }
        let engine = GeneralPurpose::new(
            &alphabet::STANDARD,
            GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
        );
        let bytes = engine
            .decode(format!("{s}="))
            .map_err(|_| CryptoError::IllegalAesKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::IllegalAesKey)?;
        Ok(EncodingAesKey { key: AesKey(key) })
    }

    /// Wraps a raw 32-byte key (e.g. for tests or the emulator).
    pub fn from_aes_key(key: [u8; 32]) -> Self {
        EncodingAesKey { key: AesKey(key) }
    }

    /// The 43-character text form (canonical, zero trailing bits).
    pub fn to_encoded(&self) -> String {
        let s = base64::engine::general_purpose::STANDARD.encode(self.key.0);
        s.trim_end_matches('=').to_owned()
    }

    /// A fresh random key (for the emulator or for generating console values).
    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut k);
        Self::from_aes_key(k)
    }

    /// The derived AES key.
    pub fn aes_key(&self) -> &AesKey {
        &self.key
    }
}

impl fmt::Debug for EncodingAesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncodingAesKey(***)")
    }
}

impl std::str::FromStr for EncodingAesKey {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EncodingAesKey::new(s)
    }
}

/// An amount of money in fen (1/100 yuan). Never a float.
///
/// ```
/// use wechat::types::Fen;
/// assert_eq!(Fen::from_yuan_str("0.01").unwrap(), Fen(1));
/// assert_eq!(Fen::from_yuan_str("1234.5").unwrap(), Fen(123450));
/// assert_eq!(Fen(123450).to_yuan_string(), "1234.50");
/// assert!(Fen::from_yuan_str("0.001").is_err());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Error for a malformed amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid amount {0:?}")]
pub struct AmountError(pub String);

impl Fen {
    /// Parses an integer number of fen (`total_fee` in Pay v2).
    pub fn from_fen_str(s: &str) -> Result<Fen, AmountError> {
        let t = s.trim();
        let ok = !t.is_empty()
            && t.strip_prefix('-')
                .unwrap_or(t)
                .bytes()
                .all(|b| b.is_ascii_digit())
            && t != "-";
        if !ok {
            return Err(AmountError(s.to_owned()));
        }
        t.parse::<i64>()
            .map(Fen)
            .map_err(|_| AmountError(s.to_owned()))
    }

    /// Parses a decimal yuan string exactly (`"0.01"` → 1 fen). Extra fraction digits
    /// are allowed only if they are zeros (`"0.600"`); anything finer than a fen errors.
    pub fn from_yuan_str(s: &str) -> Result<Fen, AmountError> {
        let err = || AmountError(s.to_owned());
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(err());
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        if frac.len() > 2 && frac[2..].bytes().any(|b| b != b'0') {
            return Err(err());
        }
        let int_v: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| err())?
        };
        let mut frac_v: i64 = 0;
        for (i, b) in frac.bytes().take(2).enumerate() {
            frac_v += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let v = int_v
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac_v))
            .ok_or_else(err)?;
        Ok(Fen(if neg { -v } else { v }))
    }

    /// Formats as yuan with exactly two decimals (`"1234.50"`).
    pub fn to_yuan_string(&self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn v1_key_derivation_is_lenient_on_trailing_bits() {
        let k = EncodingAesKey::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap();
        assert_eq!(
            hex::encode(k.aes_key().0),
            "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051"
        );
        assert_eq!(
            hex::encode(k.aes_key().iv()),
            "69b71d79f8218a39259a7a29aabb2dba"
        );
        // V8 key also has non-zero trailing bits.
        assert!(EncodingAesKey::new("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR").is_ok());
        // V6: A×43 is 32 zero bytes.
        let z = EncodingAesKey::new(&"A".repeat(43)).unwrap();
        assert_eq!(z.aes_key().0, [0u8; 32]);
        assert_eq!(z.to_encoded(), "A".repeat(43));
        assert!(EncodingAesKey::new(&"A".repeat(42)).is_err());
        assert!(EncodingAesKey::new(&format!("{}+", "A".repeat(42))).is_err());
        assert!(format!("{z:?}").contains("***"));
    }

    #[test]
    fn fen_parsing() {
        assert_eq!(Fen::from_yuan_str("0.60").unwrap(), Fen(60));
        assert_eq!(Fen::from_yuan_str("0.0").unwrap(), Fen(0));
        assert_eq!(Fen::from_yuan_str("0").unwrap(), Fen(0));
        assert_eq!(Fen::from_yuan_str("-1.05").unwrap(), Fen(-105));
        assert_eq!(Fen::from_yuan_str(".5").unwrap(), Fen(50));
        assert_eq!(Fen::from_yuan_str("19.990").unwrap(), Fen(1999));
        assert!(Fen::from_yuan_str("").is_err());
        assert!(Fen::from_yuan_str(".").is_err());
        assert!(Fen::from_yuan_str("1e3").is_err());
        assert!(Fen::from_yuan_str("99999999999999999999").is_err());
        assert_eq!(Fen::from_fen_str("100").unwrap(), Fen(100));
        assert!(Fen::from_fen_str("1.0").is_err());
        assert!(Fen::from_fen_str("-").is_err());
        assert_eq!(Fen(-5).to_yuan_string(), "-0.05");
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(format!("{:?}", PayApiKey::new("secret")), "PayApiKey(***)");
        assert_eq!(format!("{:?}", Token::new("secret")), "Token(***)");
    }

    proptest! {
        #[test]
        fn fen_yuan_roundtrip(v in -10_000_000_000i64..10_000_000_000i64) {
            prop_assert_eq!(Fen::from_yuan_str(&Fen(v).to_yuan_string()).unwrap(), Fen(v));
        }
    }
}
