//! Argon2id password hashing, always off the async runtime, with a dummy hash so unknown
//! usernames cost the same time as wrong passwords.
//!
//! Every hash and verification holds a permit of a semaphore sized to the machine (one per CPU),
//! so a burst of sign-ins never holds more than that many Argon2 memory blocks at once
//! (19 MiB each by default). Verifications beyond the permits wait in a short queue; when that
//! is full they are refused at once with 429, so a flood is answered quickly instead of piling up.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand::{Rng, RngCore, TryRngCore, distr::Alphanumeric, rngs::OsRng};

use time::OffsetDateTime;

use crate::{config::PasswordHashing, error::AppError};

/// How many verifications may wait for a permit, per permit, before more are refused.
pub const QUEUE_PER_PERMIT: usize = 8;

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    dummy_hash: Arc<String>,
    gate: Arc<Gate>,
    clock: Clock,
}

/// The bound on concurrent Argon2 work and on the verifications waiting for it.
struct Gate {
    permits: tokio::sync::Semaphore,
    /// How many permits there are.
    size: usize,
    /// Verifications admitted (waiting or running).
    admitted: AtomicUsize,
    max_admitted: usize,
    /// Argon2 verifications run so far (for tests and metrics).
    verified: AtomicU64,
    /// Argon2 computations running now, and the most that ever ran at once (each holds
    /// `memory_kib` of memory, so this is what bounds the memory of a burst).
    running: AtomicUsize,
    peak_running: AtomicUsize,
}

/// The time used by login throttling: the system clock, or a fixed instant that tests move.
#[derive(Clone, Default)]
pub struct Clock(Arc<Mutex<Option<OffsetDateTime>>>);

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// Stop the clock at `at` (tests).
    pub fn freeze(&self, at: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
    }

    /// Move a frozen clock forward (tests); freezes a running one at now + `by`.
    pub fn advance(&self, by: time::Duration) {
        let now = self.now();
        self.freeze(now + by);
    }
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
    /// One permit per CPU.
    pub fn new(cfg: PasswordHashing) -> Result<Passwords, AppError> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Passwords::with_permits(cfg, cpus)
    }

    /// At most `permits` Argon2 computations at once, and `permits × QUEUE_PER_PERMIT`
    /// verifications waiting.
    pub fn with_permits(cfg: PasswordHashing, permits: usize) -> Result<Passwords, AppError> {
        let params = Params::new(cfg.memory_kib, cfg.iterations, cfg.parallelism, None)
            .map_err(|e| AppError::Internal(format!("invalid password hashing parameters: {e}")))?;
        let dummy_hash = hash_with(&params, &random_password())?;
        let permits = permits.max(1);
        Ok(Passwords {
            params,
            dummy_hash: Arc::new(dummy_hash),
            gate: Arc::new(Gate {
                permits: tokio::sync::Semaphore::new(permits),
                size: permits,
                admitted: AtomicUsize::new(0),
                max_admitted: permits * (1 + QUEUE_PER_PERMIT),
                verified: AtomicU64::new(0),
                running: AtomicUsize::new(0),
                peak_running: AtomicUsize::new(0),
            }),
            clock: Clock::default(),
        })
    }

    /// The clock login throttling reads (shared by every clone).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// How many Argon2 verifications ran (shared by every clone).
    pub fn verifications(&self) -> u64 {
        self.gate.verified.load(Ordering::Relaxed)
    }

    /// How many Argon2 computations may run at once.
    pub fn permits(&self) -> usize {
        self.gate.size
    }

    /// The most Argon2 computations that ever ran at once (shared by every clone).
    pub fn peak_concurrent_argon2(&self) -> usize {
        self.gate.peak_running.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let params = self.params.clone();
        let password = password.to_string();
        let _permit = self.permit().await?;
        let _running = Running::start(&self.gate);
        tokio::task::spawn_blocking(move || hash_with(&params, &password))
            .await
            .map_err(AppError::internal)?
    }

    /// Verify against `hash`, or against the dummy hash when there is no user (always false then).
    /// Refused with 429 (retry after a second) when the verification queue is full.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let _admitted = self.admit()?;
        let _permit = self.permit().await?;
        let real = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.as_str().to_string(), str::to_string);
        let password = password.to_string();
        self.gate.verified.fetch_add(1, Ordering::Relaxed);
        let _running = Running::start(&self.gate);
        let ok = tokio::task::spawn_blocking(move || verify_with(&hash, &password))
            .await
            .map_err(AppError::internal)?;
        Ok(ok && real)
    }

    /// One of the permits to run Argon2.
    async fn permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        self.gate
            .permits
            .acquire()
            .await
            .map_err(AppError::internal)
    }

    /// A place in the verification queue, or 429 when it is full.
    fn admit(&self) -> Result<Admitted<'_>, AppError> {
        let before = self.gate.admitted.fetch_add(1, Ordering::AcqRel);
        let admitted = Admitted(&self.gate);
        if before >= self.gate.max_admitted {
            return Err(AppError::RateLimited {
                retry_after: Duration::from_secs(1),
            });
        }
        Ok(admitted)
    }
}

/// Leaves the verification queue when dropped.
struct Admitted<'a>(&'a Gate);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One Argon2 computation in progress, counted from start to drop.
struct Running<'a>(&'a Gate);

impl<'a> Running<'a> {
    fn start(gate: &'a Gate) -> Running<'a> {
        let now = gate.running.fetch_add(1, Ordering::AcqRel) + 1;
        gate.peak_running.fetch_max(now, Ordering::AcqRel);
        Running(gate)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::AcqRel);
    }
}

/// 16 random letters and digits (at least one of each) from the OS RNG.
pub fn random_password() -> String {
    loop {
        let p = random_alnum(16);
        // Redraw the rare draw the staff policy would refuse (no digit, or too predictable).
        if api::validate::password(&p, "admin").is_ok() {
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

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_argon2_runs_one_at_a_time_per_permit() {
        let p = Passwords::with_permits(
            PasswordHashing {
                memory_kib: 64,
                iterations: 1,
                parallelism: 1,
            },
            1,
        )
        .unwrap();
        let h = p.hash("correct horse 42").await.unwrap();
        // Hold the only permit: verifications queue up behind it.
        let permit = p.gate.permits.acquire().await.unwrap();
        let mut waiting = Vec::new();
        for _ in 0..QUEUE_PER_PERMIT + 1 {
            let p = p.clone();
            let h = h.clone();
            waiting.push(tokio::spawn(async move {
                p.verify("correct horse 42", Some(&h)).await
            }));
        }
        // Wait until all of them are admitted (no clock involved: poll the counter).
        while p.gate.admitted.load(Ordering::Acquire) < QUEUE_PER_PERMIT + 1 {
            tokio::task::yield_now().await;
        }
        assert_eq!(p.verifications(), 0, "nothing ran without a permit");
        let refused = p.verify("correct horse 42", Some(&h)).await;
        assert!(
            matches!(refused, Err(AppError::RateLimited { .. })),
            "{refused:?}"
        );
        drop(permit);
        for w in waiting {
            assert!(w.await.unwrap().unwrap());
        }
        assert_eq!(p.verifications(), QUEUE_PER_PERMIT as u64 + 1);
        assert_eq!(p.gate.admitted.load(Ordering::Acquire), 0);
        // Room again.
        assert!(p.verify("correct horse 42", Some(&h)).await.unwrap());
    }

    #[test]
    fn clock_freezes_and_advances() {
        let c = Clock::default();
        let t = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20000);
        c.freeze(t);
        assert_eq!(c.now(), t);
        c.clone().advance(time::Duration::seconds(3));
        assert_eq!(c.now(), t + time::Duration::seconds(3));
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
