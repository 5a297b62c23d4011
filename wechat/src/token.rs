//! Token manager: per-credential caching, single-flight refresh, quota counting.
//!
//! * Tokens are keyed per credential with [`TokenKey`] (OA app id; WeCom corp id + agent
//!   id, or corp id + a hash of the secret; suite; authorised corp under a suite; provider;
//!   jsapi/agent tickets). Keys never contain secrets.
//! * [`TokenManager::get`] returns the cached token while it is fresh. Within
//!   `refresh_ahead` of expiry one caller refreshes (local mutex **and** the store's
//!   cross-instance lock), re-reading the store after taking the lock so queued callers
//!   reuse the new token; meanwhile other local callers keep using the still-valid token. The old token is never removed: it is overwritten only once the
//!   new one has arrived, and if the refresh fails while the old one is still valid, the
//!   old one is returned.
//! * [`TokenManager::force_refresh`] (used after 40001/40014/42001) refreshes only if the
//!   stored token is still the one that was rejected.
//! * Every fetch is counted per key per UTC day ([`TokenStore::record_fetch`]) for a quota display.
//!
//! ## Implementing a store
//!
//! [`TokenStore`] is object-safe (`Arc<dyn TokenStore>`): methods return boxed futures
//! ([`BoxFuture`]). A SQL store implements `lock` with a lease row (`key`, `holder`,
//! `expires_at`): insert-or-take-over-if-expired, polling until acquired; the returned
//! [`LockGuard::release`] deletes the row if still held. If a holder dies, the lease expires
//! after `ttl`.
//!
//! ```
//! # tokio_test_shim::run(async {
//! use std::sync::Arc;
//! use wechat::token::{TokenManager, MemoryTokenStore, TokenKey, FetchedToken};
//! let mgr = TokenManager::new(Arc::new(MemoryTokenStore::new()));
//! let key = TokenKey::oa("wx1");
//! let t = mgr.get(&key, || async { Ok(FetchedToken { value: "T1".into(), expires_in: 7200 }) }).await.unwrap();
//! assert_eq!(t, "T1");
//! // cached: the fetcher is not called again
//! let t = mgr.get(&key, || async { unreachable!() }).await.unwrap();
//! assert_eq!(t, "T1");
//! assert_eq!(mgr.fetches_today(&key).await.unwrap(), 1);
//! # });
//! # mod tokio_test_shim { pub fn run<F: std::future::Future>(f: F) -> F::Output {
//! #   tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f) } }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::Error;

/// A boxed, `Send` future (keeps [`TokenStore`] object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store key. Built with the constructors; never contains secrets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey(String);

fn secret_tag(secret: &str) -> String {
    hex::encode(&Sha256::digest(secret.as_bytes())[..8])
}

impl TokenKey {
    /// A raw key (for custom token kinds).
    pub fn raw(s: impl Into<String>) -> Self {
        TokenKey(s.into())
    }
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// OA / mini-program access token.
    pub fn oa(appid: &str) -> Self {
        TokenKey(format!("oa:{appid}:access_token"))
    }
    /// OA JS-SDK ticket.
    pub fn oa_jsapi_ticket(appid: &str) -> Self {
        TokenKey(format!("oa:{appid}:jsapi_ticket"))
    }
    /// WeCom self-built app token, keyed by corp id **and** agent id.
    pub fn work_agent(corpid: &str, agentid: i64) -> Self {
        TokenKey(format!("work:{corpid}:agent:{agentid}:access_token"))
    }
    /// WeCom token for a secret without an agent (contacts sync, customer contact …),
    /// keyed by corp id and a hash of the secret.
    pub fn work_secret(corpid: &str, secret: &str) -> Self {
        TokenKey(format!(
            "work:{corpid}:secret:{}:access_token",
            secret_tag(secret)
        ))
    }
    /// WeCom corp JS-SDK ticket (per token scope).
    pub fn work_jsapi_ticket(token_key: &TokenKey) -> Self {
        TokenKey(format!("{}:jsapi_ticket", token_key.0))
    }
    /// WeCom agent-config JS-SDK ticket (per token scope).
    pub fn work_agent_ticket(token_key: &TokenKey) -> Self {
        TokenKey(format!("{}:agent_config_ticket", token_key.0))
    }
    /// Suite access token.
    pub fn suite(suite_id: &str) -> Self {
        TokenKey(format!("suite:{suite_id}:suite_access_token"))
    }
    /// The latest `suite_ticket` pushed to the suite callback.
    pub fn suite_ticket(suite_id: &str) -> Self {
        TokenKey(format!("suite:{suite_id}:suite_ticket"))
    }
    /// Access token of a corp that authorised a suite.
    pub fn suite_corp(suite_id: &str, auth_corpid: &str) -> Self {
        TokenKey(format!("suite:{suite_id}:corp:{auth_corpid}:access_token"))
    }
    /// Provider access token.
    pub fn provider(corpid: &str) -> Self {
        TokenKey(format!("provider:{corpid}:provider_access_token"))
    }
}

impl fmt::Display for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A cached token. `Debug` never prints the value.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The token (secret).
    pub value: String,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
    /// When it was fetched, Unix seconds.
    pub fetched_at: i64,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("value", &"***")
            .field("expires_at", &self.expires_at)
            .field("fetched_at", &self.fetched_at)
            .finish()
    }
}

/// What a fetcher returns.
#[derive(Clone, PartialEq, Eq)]
pub struct FetchedToken {
    /// The token.
    pub value: String,
    /// Lifetime in seconds (`expires_in`).
    pub expires_in: i64,
}

impl fmt::Debug for FetchedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FetchedToken(***, expires_in={})", self.expires_in)
    }
}

/// A held lock. Call [`release`](LockGuard::release) when done; dropping without
/// releasing is allowed (a lease-based store lets the lease expire).
pub trait LockGuard: Send {
    /// Releases the lock.
    fn release(self: Box<Self>) -> BoxFuture<'static, ()>;
}

/// Errors from a store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e.0)
    }
}

/// Token storage with a cross-instance lock and per-day fetch counters.
pub trait TokenStore: Send + Sync {
    /// The cached token, if any (expired ones may be returned; the manager checks).
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>>;
    /// Stores (overwrites) a token.
    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Acquires the refresh lock for `key`, waiting as needed. `ttl` bounds how long a
    /// crashed holder can block others.
    fn lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Box<dyn LockGuard>, StoreError>>;
    /// Increments the fetch counter of `key` for `date` and returns the new count.
    fn record_fetch<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;
    /// The fetch counter of `key` for `date`.
    fn fetch_count<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;
}

type LockMap = Mutex<HashMap<TokenKey, Arc<tokio::sync::Mutex<()>>>>;

/// An in-memory [`TokenStore`] (one process; share one `Arc` between managers to
/// simulate several instances in tests).
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<TokenKey, CachedToken>>,
    locks: LockMap,
    counts: Mutex<HashMap<(TokenKey, time::Date), u64>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

struct MemoryGuard(#[allow(dead_code)] tokio::sync::OwnedMutexGuard<()>);

impl LockGuard for MemoryGuard {
    fn release(self: Box<Self>) -> BoxFuture<'static, ()> {
        drop(self);
        Box::pin(async {})
    }
}

fn lock_map<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>> {
        let v = lock_map(&self.tokens).get(key).cloned();
        Box::pin(async move { Ok(v) })
    }
    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        lock_map(&self.tokens).insert(key.clone(), token.clone());
        Box::pin(async { Ok(()) })
    }
    fn lock<'a>(
        &'a self,
        key: &'a TokenKey,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Box<dyn LockGuard>, StoreError>> {
        let m = lock_map(&self.locks)
            .entry(key.clone())
            .or_default()
            .clone();
        Box::pin(
            async move { Ok(Box::new(MemoryGuard(m.lock_owned().await)) as Box<dyn LockGuard>) },
        )
    }
    fn record_fetch<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        let mut c = lock_map(&self.counts);
        let n = c.entry((key.clone(), date)).or_insert(0);
        *n += 1;
        let v = *n;
        Box::pin(async move { Ok(v) })
    }
    fn fetch_count<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        let v = lock_map(&self.counts)
            .get(&(key.clone(), date))
            .copied()
            .unwrap_or(0);
        Box::pin(async move { Ok(v) })
    }
}

/// Clock used by the manager (Unix seconds); replaceable in tests.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The token manager. Cheap to share behind an `Arc`.
pub struct TokenManager {
    store: Arc<dyn TokenStore>,
    local: LockMap,
    refresh_ahead: i64,
    lock_ttl: Duration,
    clock: Clock,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl TokenManager {
    /// A manager over `store`, refreshing 300 s before expiry.
    pub fn new(store: Arc<dyn TokenStore>) -> Self {
        TokenManager {
            store,
            local: Mutex::default(),
            refresh_ahead: 300,
            lock_ttl: Duration::from_secs(30),
            clock: Arc::new(now_unix),
        }
    }

    /// Sets how long before expiry a token is refreshed (seconds).
    pub fn with_refresh_ahead(mut self, secs: i64) -> Self {
        self.refresh_ahead = secs;
        self
    }

    /// Sets the store lock TTL.
    pub fn with_lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// Replaces the clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    fn now(&self) -> i64 {
        (self.clock)()
    }

    fn is_fresh(&self, t: &CachedToken) -> bool {
        t.expires_at - self.refresh_ahead > self.now()
    }

    fn is_valid(&self, t: &CachedToken) -> bool {
        t.expires_at > self.now()
    }

    fn local_lock(&self, key: &TokenKey) -> Arc<tokio::sync::Mutex<()>> {
        lock_map(&self.local)
            .entry(key.clone())
            .or_default()
            .clone()
    }

    /// The current token for `key`, fetching with `fetch` if absent or near expiry.
    pub async fn get<F, Fut>(&self, key: &TokenKey, fetch: F) -> Result<String, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        let current = self.store.get(key).await?;
        if let Some(t) = current {
            if self.is_fresh(&t) {
                return Ok(t.value);
            }
            if self.is_valid(&t) {
                // Refresh ahead of expiry: one caller refreshes, the others keep using the
                // still-valid token instead of queueing behind the refresh.
                let local = self.local_lock(key);
                return match local.try_lock_owned() {
                    Ok(held) => self.refresh_holding(held, key, None, fetch).await,
                    Err(_) => Ok(t.value),
                };
            }
        }
        self.refresh(key, None, fetch).await
    }

    /// Forces a refresh after WeChat rejected `rejected` (40001/40014/42001). If the store
    /// already holds a different valid token (another caller refreshed), that one is
    /// returned without fetching.
    pub async fn force_refresh<F, Fut>(
        &self,
        key: &TokenKey,
        rejected: &str,
        fetch: F,
    ) -> Result<String, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        self.refresh(key, Some(rejected), fetch).await
    }

    async fn refresh<F, Fut>(
        &self,
        key: &TokenKey,
        rejected: Option<&str>,
        fetch: F,
    ) -> Result<String, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        let held = self.local_lock(key).lock_owned().await;
        self.refresh_holding(held, key, rejected, fetch).await
    }

    async fn refresh_holding<F, Fut>(
        &self,
        _held: tokio::sync::OwnedMutexGuard<()>,
        key: &TokenKey,
        rejected: Option<&str>,
        fetch: F,
    ) -> Result<String, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        let guard = self.store.lock(key, self.lock_ttl).await?;
        let result = self.refresh_locked(key, rejected, fetch).await;
        guard.release().await;
        result
    }

    async fn refresh_locked<F, Fut>(
        &self,
        key: &TokenKey,
        rejected: Option<&str>,
        fetch: F,
    ) -> Result<String, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        // Re-read after taking the lock: someone may have refreshed meanwhile.
        let current = self.store.get(key).await?;
        if let Some(t) = &current {
            let usable = match rejected {
                None => self.is_fresh(t),
                Some(bad) => t.value != bad && self.is_valid(t),
            };
            if usable {
                return Ok(t.value.clone());
            }
        }
        let now = self.now();
        let date = time::OffsetDateTime::from_unix_timestamp(now)
            .map(|d| d.date())
            .unwrap_or(time::Date::MIN);
        // Count the attempt before fetching: WeChat counts calls, not successes.
        if let Err(e) = self.store.record_fetch(key, date).await {
            tracing::warn!(key = %key, error = %e, "could not record token fetch");
        }
        match fetch().await {
            Ok(f) => {
                let t = CachedToken {
                    value: f.value,
                    expires_at: now + f.expires_in.max(0),
                    fetched_at: now,
                };
                if let Err(e) = self.store.put(key, &t).await {
                    // Still hand out the token: failing the call would only burn quota.
                    tracing::warn!(key = %key, error = %e, "could not store refreshed token");
                }
                tracing::debug!(key = %key, expires_in = f.expires_in, "token refreshed");
                Ok(t.value)
            }
            Err(e) => {
                // Never drop a still-valid token because a refresh failed.
                if let Some(t) = current
                    && self.is_valid(&t)
                    && rejected != Some(t.value.as_str())
                {
                    tracing::warn!(key = %key, error = %e, "token refresh failed; using the still-valid token");
                    return Ok(t.value);
                }
                Err(e)
            }
        }
    }

    /// Stores a token obtained elsewhere (e.g. a `suite_ticket` push, or the access token
    /// returned together with a permanent code).
    pub async fn put(&self, key: &TokenKey, value: String, expires_in: i64) -> Result<(), Error> {
        let now = self.now();
        let t = CachedToken {
            value,
            expires_at: now + expires_in,
            fetched_at: now,
        };
        self.store.put(key, &t).await?;
        Ok(())
    }

    /// The stored value if still valid (no fetching).
    pub async fn peek(&self, key: &TokenKey) -> Result<Option<String>, Error> {
        Ok(self
            .store
            .get(key)
            .await?
            .filter(|t| self.is_valid(t))
            .map(|t| t.value))
    }

    /// Number of fetches recorded for `key` today (UTC).
    pub async fn fetches_today(&self, key: &TokenKey) -> Result<u64, Error> {
        let date = time::OffsetDateTime::from_unix_timestamp(self.now())
            .map(|d| d.date())
            .unwrap_or(time::Date::MIN);
        Ok(self.store.fetch_count(key, date).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

    fn fetched(v: &str, e: i64) -> Result<FetchedToken, Error> {
        Ok(FetchedToken {
            value: v.into(),
            expires_in: e,
        })
    }

    #[test]
    fn keys_are_per_credential_and_secret_free() {
        assert_ne!(TokenKey::work_agent("c", 1), TokenKey::work_agent("c", 2));
        assert_ne!(
            TokenKey::work_secret("c", "s1"),
            TokenKey::work_secret("c", "s2")
        );
        assert!(
            !TokenKey::work_secret("c", "supersecret")
                .as_str()
                .contains("supersecret")
        );
        assert_ne!(
            TokenKey::suite_corp("s", "c1"),
            TokenKey::suite_corp("s", "c2")
        );
        assert_ne!(TokenKey::oa("a"), TokenKey::oa_jsapi_ticket("a"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn single_flight_100_callers_one_fetch() {
        let store = Arc::new(MemoryTokenStore::new());
        // two "instances" sharing one store
        let a = Arc::new(TokenManager::new(store.clone()));
        let b = Arc::new(TokenManager::new(store.clone()));
        let n = Arc::new(AtomicUsize::new(0));
        let key = TokenKey::oa("wx1");
        let mut hs = Vec::new();
        for i in 0..100 {
            let m = if i % 2 == 0 { a.clone() } else { b.clone() };
            let n = n.clone();
            let key = key.clone();
            hs.push(tokio::spawn(async move {
                m.get(&key, || async move {
                    n.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    fetched("T", 7200)
                })
                .await
                .unwrap()
            }));
        }
        for h in hs {
            assert_eq!(h.await.unwrap(), "T");
        }
        assert_eq!(n.load(Ordering::SeqCst), 1);
        assert_eq!(a.fetches_today(&key).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn refresh_ahead_and_keep_valid_token_on_failure() {
        let now = Arc::new(AtomicI64::new(1_000_000));
        let c = now.clone();
        let m = TokenManager::new(Arc::new(MemoryTokenStore::new()))
            .with_clock(Arc::new(move || c.load(Ordering::SeqCst)));
        let key = TokenKey::oa("wx1");
        assert_eq!(
            m.get(&key, || async { fetched("T1", 7200) }).await.unwrap(),
            "T1"
        );
        // 7000 s later: inside the 300 s refresh window → refresh
        now.fetch_add(7000, Ordering::SeqCst);
        assert_eq!(
            m.get(&key, || async { fetched("T2", 7200) }).await.unwrap(),
            "T2"
        );
        // refresh window again, but the fetch fails: the old valid token is kept
        now.fetch_add(7000, Ordering::SeqCst);
        let r = m
            .get(&key, || async { Err(Error::Invalid("boom".into())) })
            .await
            .unwrap();
        assert_eq!(r, "T2");
        assert_eq!(m.peek(&key).await.unwrap().as_deref(), Some("T2"));
        // expired and the fetch fails → error
        now.fetch_add(1000, Ordering::SeqCst);
        assert!(
            m.get(&key, || async { Err(Error::Invalid("boom".into())) })
                .await
                .is_err()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn readers_keep_the_old_token_while_one_refreshes_ahead() {
        let now = Arc::new(AtomicI64::new(1_000_000));
        let c = now.clone();
        let m = Arc::new(
            TokenManager::new(Arc::new(MemoryTokenStore::new()))
                .with_clock(Arc::new(move || c.load(Ordering::SeqCst))),
        );
        let key = TokenKey::oa("wx1");
        m.get(&key, || async { fetched("OLD", 7200) })
            .await
            .unwrap();
        now.fetch_add(7000, Ordering::SeqCst); // inside the refresh window, still valid
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let m2 = m.clone();
        let k2 = key.clone();
        let refresher = tokio::spawn(async move {
            m2.get(&k2, || async move {
                let _ = rx.await; // hold the refresh open
                fetched("NEW", 7200)
            })
            .await
            .unwrap()
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // while the refresh is in flight, readers get the old valid token immediately
        for _ in 0..10 {
            assert_eq!(
                m.get(&key, || async { unreachable!() }).await.unwrap(),
                "OLD"
            );
        }
        assert_eq!(m.peek(&key).await.unwrap().as_deref(), Some("OLD"));
        tx.send(()).unwrap();
        assert_eq!(refresher.await.unwrap(), "NEW");
        assert_eq!(
            m.get(&key, || async { unreachable!() }).await.unwrap(),
            "NEW"
        );
    }

    #[tokio::test]
    async fn force_refresh_reuses_a_token_refreshed_by_someone_else() {
        let m = TokenManager::new(Arc::new(MemoryTokenStore::new()));
        let key = TokenKey::oa("wx1");
        m.get(&key, || async { fetched("T1", 7200) }).await.unwrap();
        // T1 rejected → fetch T2
        assert_eq!(
            m.force_refresh(&key, "T1", || async { fetched("T2", 7200) })
                .await
                .unwrap(),
            "T2"
        );
        // a second caller that also saw T1 rejected must not fetch again
        assert_eq!(
            m.force_refresh(&key, "T1", || async { unreachable!() })
                .await
                .unwrap(),
            "T2"
        );
        assert_eq!(m.fetches_today(&key).await.unwrap(), 2);
    }
}
