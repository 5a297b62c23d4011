//! The master key and AES-256-GCM encryption of secrets at rest.
//!
//! Key: `WXPORTAL_MASTER_KEY` (base64 or hex of 32 bytes), else `{data_dir}/master.key`,
//! created on first run with mode 0600.
//!
//! Stored format (version 1): `wxv1:{key_id}:{base64(nonce ‖ ciphertext ‖ tag)}` where
//! `key_id` is the first 8 hex digits of SHA-256("wxportal master key id" ‖ key), the nonce is
//! 96 random bits, and the associated data binds the ciphertext to its place
//! (`{table}/{row}/{field}`), so a ciphertext copied to another row or field fails to decrypt.

use std::{
    fmt,
    io::Write,
    path::{Path, PathBuf},
};

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::{RngCore, TryRngCore};
use sha2::{Digest, Sha256};

const PREFIX: &str = "wxv1";
pub const KEY_FILE: &str = "master.key";

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "WXPORTAL_MASTER_KEY must be 32 bytes written as base64 (44 characters) or hex (64 characters)"
    )]
    BadKeyFormat,
    #[error("master key file {path}: {message}")]
    KeyFile { path: PathBuf, message: String },
    #[error("stored secret is not in a known format")]
    BadCiphertext,
    #[error(
        "stored secret was encrypted under another master key (key id {found}, this key is {expected})"
    )]
    WrongKey { found: String, expected: String },
    #[error("stored secret failed authentication (tampered, or moved from another row/field)")]
    Decrypt,
}

/// Where a secret lives; used as associated data.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub table: &'a str,
    pub row: i64,
    pub field: &'a str,
}

impl Binding<'_> {
    fn aad(&self) -> Vec<u8> {
        format!("wxportal/{}/{}/{}", self.table, self.row, self.field).into_bytes()
    }
}

#[derive(Clone)]
pub struct Vault {
    cipher: Aes256Gcm,
    key_id: String,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("key_id", &self.key_id)
            .finish()
    }
}

/// Parse a master key given as base64 (standard or URL-safe, padding optional) or hex.
pub fn parse_key(text: &str) -> Result<[u8; 32], VaultError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).map_err(|_| VaultError::BadKeyFormat)?
    } else {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        STANDARD
            .decode(text)
            .or_else(|_| STANDARD_NO_PAD.decode(text))
            .or_else(|_| URL_SAFE.decode(text))
            .or_else(|_| URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| VaultError::BadKeyFormat)?
    };
    bytes.try_into().map_err(|_| VaultError::BadKeyFormat)
}

impl Vault {
    pub fn new(key: [u8; 32]) -> Vault {
        let mut h = Sha256::new();
        h.update(b"wxportal master key id");
        h.update(key);
        let key_id = hex::encode(&h.finalize()[..4]);
        Vault {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)),
            key_id,
        }
    }

    /// The key from `configured` (the env value) or from the key file in `data_dir`, created if absent.
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<Vault, VaultError> {
        if let Some(text) = configured {
            return Ok(Vault::new(parse_key(text)?));
        }
        let path = data_dir.join(KEY_FILE);
        let key_file_err = |message: String| VaultError::KeyFile {
            path: path.clone(),
            message,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                check_permissions(&path);
                parse_key(&text)
                    .map(Vault::new)
                    .map_err(|e| key_file_err(e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::db::create_private_dir(data_dir).map_err(|e| key_file_err(e.to_string()))?;
                let mut key = [0u8; 32];
                rand::rngs::OsRng
                    .try_fill_bytes(&mut key)
                    .map_err(|e| key_file_err(e.to_string()))?;
                write_key_file(&path, &key).map_err(|e| key_file_err(e.to_string()))?;
                tracing::info!(path = %path.display(), "created a new master key file; back it up");
                Ok(Vault::new(key))
            }
            Err(e) => Err(key_file_err(e.to_string())),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn encrypt(&self, plaintext: &[u8], binding: Binding<'_>) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let aad = binding.aad();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .expect("AES-GCM encryption of a bounded message cannot fail");
        let mut out = Vec::with_capacity(12 + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}:{}:{}", self.key_id, STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str, binding: Binding<'_>) -> Result<Vec<u8>, VaultError> {
        let mut parts = stored.splitn(3, ':');
        let (Some(PREFIX), Some(kid), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VaultError::BadCiphertext);
        };
        if kid != self.key_id {
            return Err(VaultError::WrongKey {
                found: kid.to_string(),
                expected: self.key_id.clone(),
            });
        }
        let raw = STANDARD
            .decode(body)
            .map_err(|_| VaultError::BadCiphertext)?;
        if raw.len() < 12 + 16 {
            return Err(VaultError::BadCiphertext);
        }
        let (nonce, sealed) = raw.split_at(12);
        let aad = binding.aad();
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Decrypt)
    }

    pub fn decrypt_string(&self, stored: &str, binding: Binding<'_>) -> Result<String, VaultError> {
        String::from_utf8(self.decrypt(stored, binding)?).map_err(|_| VaultError::BadCiphertext)
    }
}

#[cfg(unix)]
fn write_key_file(path: &Path, key: &[u8; 32]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    writeln!(f, "{}", STANDARD.encode(key))?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_key_file(path: &Path, key: &[u8; 32]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    writeln!(f, "{}", STANDARD.encode(key))?;
    f.sync_all()
}

#[cfg(unix)]
fn check_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "master key file is readable by group or others; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Binding<'static> = Binding {
        table: "account_secrets",
        row: 7,
        field: "app_secret",
    };

    #[test]
    fn round_trip_and_binding() {
        let v = Vault::new([7u8; 32]);
        let c = v.encrypt(b"hello secret", B);
        assert!(c.starts_with("wxv1:"));
        assert!(!c.contains("hello"));
        assert_eq!(v.decrypt(&c, B).unwrap(), b"hello secret");
        let other_row = Binding { row: 8, ..B };
        assert!(matches!(v.decrypt(&c, other_row), Err(VaultError::Decrypt)));
        let other_field = Binding {
            field: "api_key",
            ..B
        };
        assert!(matches!(
            v.decrypt(&c, other_field),
            Err(VaultError::Decrypt)
        ));
        // Fresh nonce each time.
        assert_ne!(c, v.encrypt(b"hello secret", B));
    }

    #[test]
    fn wrong_key_is_reported() {
        let c = Vault::new([1u8; 32]).encrypt(b"x", B);
        assert!(matches!(
            Vault::new([2u8; 32]).decrypt(&c, B),
            Err(VaultError::WrongKey { .. })
        ));
    }

    #[test]
    fn keys_parse_from_base64_or_hex_only() {
        let key = [0xabu8; 32];
        assert_eq!(parse_key(&STANDARD.encode(key)).unwrap(), key);
        assert_eq!(parse_key(&hex::encode(key)).unwrap(), key);
        assert!(parse_key("too short").is_err());
        assert!(parse_key(&STANDARD.encode([1u8; 16])).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_data_dir_is_created_0700() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("fresh");
        Vault::load(None, &dir).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_created_0600_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = Vault::load(None, dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = Vault::load(None, dir.path()).unwrap();
        assert_eq!(a.key_id(), b.key_id());
    }
}
