//! Argon2id password hashing, always off the async runtime, with a dummy hash so unknown
//! usernames cost the same time as wrong passwords.
//!
//! Every hash and verification holds a permit of a semaphore sized to the machine (one per CPU),
//! so a burst of sign-ins never holds more than that many Argon2 memory blocks at once
//! (19 MiB each by default). Verifications beyond the permits wait in a short queue; when that
//! is full they are refused at once with 429, so a flood is answered quickly instead of piling up.
//!
//! Argon2 runs on the hasher's own threads, one per permit, never on tokio's blocking pool: a
//! thread that has run Argon2 keeps the freed block in its malloc arena (glibc raises its mmap
//! threshold after the first free of a large block, so later blocks come from the arena), and
//! the blocking pool has hundreds of threads. A 1,000-request burst once left 350 MiB resident
//! that way; on a fixed set of threads the memory is at most permits × the block, reused.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{Output, PasswordHash, SaltString},
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
    /// The hasher's threads (one per permit) take their work from here; they end when the
    /// last clone of the hasher is dropped.
    jobs: std::sync::mpsc::Sender<Job>,
    /// Every thread that ever ran Argon2 (for tests: never more than the permits).
    threads: Arc<Mutex<std::collections::HashSet<std::thread::ThreadId>>>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Starts `n` threads that run jobs from one queue until it is closed.
fn start_workers(n: usize) -> Result<std::sync::mpsc::Sender<Job>, AppError> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..n {
        let rx = rx.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || {
                loop {
                    // Hold the receiver's lock only to take a job, not while running it.
                    let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        // A panicking job drops its answer (the caller gets an error); the
                        // thread stays for the next one.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                }
            })
            .map_err(|e| AppError::Internal(format!("cannot start the password hasher: {e}")))?;
    }
    Ok(tx)
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

thread_local! {
    /// This thread's Argon2 working memory, allocated once and reused by every computation on
    /// it (the hasher's threads live as long as the hasher): no 19 MiB allocation per sign-in
    /// for the allocator to keep around afterwards.
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into `out`, in this thread's reused working memory.
fn argon2_into(
    ctx: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> bool {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let need = params.block_count();
        if blocks.len() < need {
            blocks.resize(need, argon2::Block::default());
        }
        ctx.hash_password_into_with_memory(password, salt, out, &mut blocks[..need])
            .is_ok()
    })
}

fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    OsRng.unwrap_err().fill_bytes(&mut salt);
    let salt_string = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    let ctx = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    if !argon2_into(&ctx, params, password.as_bytes(), &salt, &mut out) {
        return Err(AppError::Internal("Argon2 refused its parameters".into()));
    }
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: params.try_into().map_err(AppError::internal)?,
        salt: Some(salt_string.as_salt()),
        hash: Some(Output::new(&out).map_err(AppError::internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash` (any Argon2 variant and parameters it
/// names), computed in this thread's reused working memory; constant-time comparison.
fn verify_with(hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let ctx = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2_into(&ctx, &params, password.as_bytes(), salt, &mut out)
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|computed| computed == expected)
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
        let jobs = start_workers(permits)?;
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
                jobs,
                threads: Arc::default(),
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

    /// How many threads ever ran Argon2 (each may keep a freed block in its malloc arena).
    pub fn argon2_threads(&self) -> usize {
        self.gate
            .threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// Runs `work` on one of the hasher's threads (the caller holds a permit, so one is free).
    async fn on_hasher_thread<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let threads = self.gate.threads.clone();
        let job: Job = Box::new(move || {
            threads
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(std::thread::current().id());
            let _ = tx.send(work());
        });
        self.gate
            .jobs
            .send(job)
            .map_err(|_| AppError::Internal("the password hasher has stopped".into()))?;
        rx.await
            .map_err(|_| AppError::Internal("the password hasher dropped a job".into()))
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let params = self.params.clone();
        let password = password.to_string();
        let _permit = self.permit().await?;
        let _running = Running::start(&self.gate);
        self.on_hasher_thread(move || hash_with(&params, &password))
            .await?
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
        let ok = self
            .on_hasher_thread(move || verify_with(&hash, &password))
            .await?;
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

    #[test]
    fn hashes_interoperate_with_the_argon2_crates_own_hasher_and_verifier() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let params = Params::new(64, 1, 1, None).unwrap();
        // Stored by the crate's hasher (as earlier versions of the portal did) → our verifier.
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
            .hash_password(b"correct horse 42", &salt)
            .unwrap()
            .to_string();
        assert!(verify_with(&theirs, "correct horse 42"));
        assert!(!verify_with(&theirs, "correct horse 43"));
        // Ours → the crate's verifier.
        let ours = hash_with(&params, "correct horse 42").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse 42", &parsed)
                .is_ok()
        );
        // A published Argon2id vector in PHC form (password "password", salt "somesalt",
        // m=65536, t=2, p=1; from the reference implementation's test suite).
        assert!(verify_with(
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "password"
        ));
        assert!(!verify_with("not a hash", "password"));
        assert!(!verify_with(
            &theirs.replace("argon2id", "scrypt"),
            "correct horse 42"
        ));
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
