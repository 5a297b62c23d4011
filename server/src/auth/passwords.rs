//! Argon2id password hashing, always off the async runtime, with a dummy hash so unknown
//! usernames cost the same time as wrong passwords.

use std::sync::Arc;

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand::{Rng, RngCore, TryRngCore, distr::Alphanumeric, rngs::OsRng};

use crate::{config::PasswordHashing, error::AppError};

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    dummy_hash: Arc<String>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords").finish_non_exhaustive()
    }
}

fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    OsRng.unwrap_err().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

fn verify_with(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

impl Passwords {
    pub fn new(cfg: PasswordHashing) -> Result<Passwords, AppError> {
        let params = Params::new(cfg.memory_kib, cfg.iterations, cfg.parallelism, None)
            .map_err(|e| AppError::Internal(format!("invalid password hashing parameters: {e}")))?;
        let dummy_hash = hash_with(&params, &random_password())?;
        Ok(Passwords {
            params,
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let params = self.params.clone();
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_with(&params, &password))
            .await
            .map_err(AppError::internal)?
    }

    /// Verify against `hash`, or against the dummy hash when there is no user (always false then).
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let real = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.as_str().to_string(), str::to_string);
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_with(&hash, &password))
            .await
            .map_err(AppError::internal)?;
        Ok(ok && real)
    }
}

/// 16 random letters and digits (at least one of each) from the OS RNG.
pub fn random_password() -> String {
    loop {
        let p = random_alnum(16);
        if p.bytes().any(|b| b.is_ascii_digit()) && p.bytes().any(|b| b.is_ascii_alphabetic()) {
            return p;
        }
    }
}

/// `len` random ASCII letters and digits from the OS RNG.
pub fn random_alnum(len: usize) -> String {
    OsRng
        .unwrap_err()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Passwords {
        Passwords::new(PasswordHashing {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let p = cheap();
        let h = p.hash("correct horse 42").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse 42", Some(&h)).await.unwrap());
        assert!(!p.verify("wrong", Some(&h)).await.unwrap());
        assert!(!p.verify("anything", None).await.unwrap());
    }

    #[test]
    fn random_passwords_fit_the_policy() {
        for _ in 0..20 {
            let p = random_password();
            assert_eq!(p.len(), 16);
            assert_eq!(api::validate::password(&p, "admin"), Ok(()));
        }
    }
}
