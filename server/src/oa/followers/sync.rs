//! Full follower sync: `tags/get` and `groups/get`, then `user/get` pages of 10,000 openids,
//! each page fetched through `user/info/batchget` in batches of 100 ([`BATCH`]) with
//! [`CONCURRENCY`] calls in flight, their answers taken in listing order and stored
//! [`STORE_BATCHES`] batches per transaction together with the checkpoint (the page's
//! `next_openid` and the offset within it) while the next calls run, so a crash or restart
//! resumes exactly after the last stored chunk. Memory stays flat: one page of openids and
//! at most [`CONCURRENCY`] + [`STORE_BATCHES`] batches of answers.
//!
//! One sync per account across instances: the `follower_sync_leases` row (insert, or take over
//! once expired; renewed after every chunk). `-1` (system busy), 45009 (quota) and transport
//! errors are retried with exponential backoff ([`backoff`]) up to [`MAX_ATTEMPTS`] times; then
//! the job fails with its checkpoint kept and the next start resumes it.
//!
//! A checkpoint can go stale: when its `next_openid` has since unsubscribed, WeChat answers
//! 40003 for it. The listing then restarts from the beginning within the same job (upserts
//! are idempotent), instead of failing on the same openid forever. Staff can also ask for a
//! fresh sync, which abandons a failed or interrupted job.

use std::{
    collections::{HashMap, VecDeque},
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use api::followers::{SyncJob, SyncState, SyncStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use time::OffsetDateTime;
use tokio::task::JoinHandle;
use wechat::client::oa::{OaClient, OpenIdPage, UserInfo};

use super::queries;
use crate::{
    entities::db_enum::DbEnum,
    entities::{follower, follower_sync_job as job, follower_sync_lease as lease},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// Openids per `user/info/batchget`.
pub const BATCH: usize = 100;
/// Batch calls in flight at once: 16 × 5 ms calls keep pace with storing, where one at a time
/// would spend 50 s of a million-follower sync waiting. WeChat publishes daily quotas for
/// `user/info/batchget`, not a concurrency limit (⚠️ unverified); 45009 and -1 back off.
pub const CONCURRENCY: usize = 16;
/// Batches stored per transaction (1,000 followers): fewer, larger commits, and one multi-row
/// statement per table stays below every database's bind-parameter limit (16 columns × 1,000).
pub const STORE_BATCHES: usize = 10;
/// Attempts per call on retryable errors.
pub const MAX_ATTEMPTS: u32 = 6;
/// Listing restarts after a stale checkpoint (40003) before the run gives up: followers
/// unsubscribing faster than a listing completes would otherwise restart it forever.
const MAX_RESTARTS: u32 = 3;
/// How long a lease lasts without renewal.
const LEASE_TTL: Duration = Duration::from_secs(60);

/// Delay before retry `attempt` (1-based): 200 ms doubling, at most 10 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((200u64 << attempt.saturating_sub(1).min(6)).min(10_000))
}

/// `-1` (system busy), 45009 (API quota) and transport failures are worth retrying.
pub fn retryable(e: &wechat::Error) -> bool {
    match e {
        wechat::Error::Wechat(w) => w.code == -1 || w.code == 45009,
        wechat::Error::Http(_) | wechat::Error::Status { .. } => true,
        _ => false,
    }
}

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Call and retry counters shared by the concurrent batch calls of one run.
#[derive(Clone, Default)]
pub struct Counters {
    pub calls: Arc<AtomicI64>,
    pub retries: Arc<AtomicI64>,
}

impl Counters {
    /// Runs `call` with retries on retryable errors, counting calls and retries.
    pub async fn call<T, F, Fut>(&self, mut call: F) -> Result<T, wechat::Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, wechat::Error>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.calls.fetch_add(1, Ordering::Relaxed);
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if retryable(&e) && attempt < MAX_ATTEMPTS => {
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(attempt, error = %wechat_clients::describe(&e), "WeChat call failed; backing off");
                    tokio::time::sleep(backoff(attempt)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// One attempt at the account's sync lease: insert it, or take it over once expired.
async fn try_acquire(db: &DatabaseConnection, account_id: i64, holder: &str) -> AppResult<bool> {
    let now = now_ms();
    let until = now + LEASE_TTL.as_millis() as i64;
    let inserted = lease::Entity::insert(lease::ActiveModel {
        account_id: Set(account_id),
        holder: Set(holder.to_string()),
        expires_at_ms: Set(until),
    })
    .exec_without_returning(db)
    .await;
    match inserted {
        Ok(_) => return Ok(true),
        Err(e) if e.sql_err().is_none() => return Err(e.into()),
        Err(_) => {}
    }
    let taken = lease::Entity::update_many()
        .col_expr(lease::Column::Holder, Expr::value(holder))
        .col_expr(lease::Column::ExpiresAtMs, Expr::value(until))
        .filter(lease::Column::AccountId.eq(account_id))
        .filter(lease::Column::ExpiresAtMs.lt(now))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Extends our lease; `false` if another instance took it (we must stop).
async fn renew<C: sea_orm::ConnectionTrait>(
    db: &C,
    account_id: i64,
    holder: &str,
) -> AppResult<bool> {
    let r = lease::Entity::update_many()
        .col_expr(
            lease::Column::ExpiresAtMs,
            Expr::value(now_ms() + LEASE_TTL.as_millis() as i64),
        )
        .filter(lease::Column::AccountId.eq(account_id))
        .filter(lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

async fn release(db: &DatabaseConnection, account_id: i64, holder: &str) {
    let r = lease::Entity::delete_many()
        .filter(lease::Column::AccountId.eq(account_id))
        .filter(lease::Column::Holder.eq(holder))
        .exec(db)
        .await;
    if let Err(e) = r {
        tracing::warn!(account_id, error = %e, "could not release the follower sync lease; it expires on its own");
    }
}

pub fn to_api(m: &job::Model) -> SyncJob {
    let end = m.finished_at.unwrap_or(m.updated_at);
    let secs = (end - m.started_at).as_seconds_f64();
    let run = (m.stored - m.resumed_from).max(0) as f64;
    SyncJob {
        id: m.id,
        status: *m.status,
        phase: m.phase.clone(),
        started_by: m.started_by.clone(),
        total: m.total,
        stored: m.stored,
        calls: m.calls,
        retries: m.retries,
        resumed_from: m.resumed_from,
        rate_per_sec: if secs > 0.0 {
            (run / secs * 10.0).round() / 10.0
        } else {
            0.0
        },
        error: m.error.clone(),
        started_at: rfc3339(m.started_at),
        updated_at: rfc3339(m.updated_at),
        finished_at: m.finished_at.map(rfc3339),
    }
}

async fn latest(db: &DatabaseConnection, account_id: i64) -> AppResult<Option<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .order_by_desc(job::Column::Id)
        .one(db)
        .await?)
}

/// The latest sync of the account and how many subscribed followers are stored. While a sync
/// runs, that count is reused for up to [`COUNT_REUSE`]: every staff page watching the bar asks
/// each second, and on PostgreSQL counting a table the sync is filling competes with it.
pub async fn status(state: &AppState, account_id: i64) -> AppResult<SyncState> {
    let db = &state.db;
    let job = latest(db, account_id).await?;
    let running = job
        .as_ref()
        .is_some_and(|j| *j.status == SyncStatus::Running);
    let counts = &state.subscribed_counts;
    let reused = running.then(|| counts.recent(account_id)).flatten();
    let subscribed = match reused {
        Some(n) => n,
        None => {
            let n = follower::Entity::find()
                .filter(follower::Column::AccountId.eq(account_id))
                .filter(follower::Column::Subscribed.eq(true))
                .count(db)
                .await?;
            counts.keep(account_id, n);
            n
        }
    };
    Ok(SyncState {
        job: job.as_ref().map(to_api),
        subscribed,
    })
}

/// How long a count of subscribed followers is reused while a sync runs.
pub const COUNT_REUSE: Duration = Duration::from_secs(5);

/// Per instance: the last count of each account's subscribed followers (`AppState`).
#[derive(Clone, Default)]
pub struct SubscribedCounts(Arc<std::sync::Mutex<HashMap<i64, (std::time::Instant, u64)>>>);

impl SubscribedCounts {
    fn recent(&self, account_id: i64) -> Option<u64> {
        let counts = self.0.lock().unwrap_or_else(|p| p.into_inner());
        counts
            .get(&account_id)
            .filter(|(at, _)| at.elapsed() < COUNT_REUSE)
            .map(|(_, n)| *n)
    }

    fn keep(&self, account_id: i64, n: u64) {
        let mut counts = self.0.lock().unwrap_or_else(|p| p.into_inner());
        counts.insert(account_id, (std::time::Instant::now(), n));
    }
}

/// Starts a full sync (or, unless `fresh`, resumes the interrupted / failed one from its
/// checkpoint) in the background. 409 while another sync of the account runs anywhere.
pub async fn start(
    state: &AppState,
    account_id: i64,
    actor: &str,
    fresh: bool,
) -> AppResult<SyncJob> {
    let client = wechat_clients::oa(state, account_id).await?;
    let holder = crate::auth::passwords::random_alnum(24);
    if !try_acquire(&state.db, account_id, &holder).await? {
        return Err(AppError::refused(
            "follower_sync_running",
            "a follower sync of this account is already running",
        ));
    }
    let job = match prepare(&state.db, account_id, actor, fresh).await {
        Ok(j) => j,
        Err(e) => {
            release(&state.db, account_id, &holder).await;
            return Err(e);
        }
    };
    let db = state.db.clone();
    let api_job = to_api(&job);
    tokio::spawn(run(db, client, job, holder));
    Ok(api_job)
}

/// The job to run: the latest one if it was interrupted (still `running` with an expired
/// lease, which we now hold) or failed while storing followers, else a new one. `fresh`
/// closes such a job as failed ("abandoned") and starts a new one.
async fn prepare(
    db: &DatabaseConnection,
    account_id: i64,
    actor: &str,
    fresh: bool,
) -> AppResult<job::Model> {
    let now = OffsetDateTime::now_utc();
    let resumable = latest(db, account_id).await?.filter(|j| {
        j.status == SyncStatus::Running
            || (j.status == SyncStatus::Failed && j.phase == "followers")
    });
    if let Some(j) = resumable.clone()
        && fresh
    {
        let mut am: job::ActiveModel = j.into();
        am.status = Set(SyncStatus::Failed.into());
        am.error = Set(Some(format!(
            "abandoned: {actor} started a fresh full sync"
        )));
        am.updated_at = Set(now);
        am.finished_at = Set(Some(now));
        am.update(db).await?;
    } else if let Some(j) = resumable {
        let stored = j.stored;
        let mut am: job::ActiveModel = j.into();
        am.status = Set(SyncStatus::Running.into());
        am.error = Set(None);
        am.resumed_from = Set(stored);
        am.started_at = Set(now);
        am.updated_at = Set(now);
        am.finished_at = Set(None);
        return Ok(am.update(db).await?);
    }
    Ok(job::ActiveModel {
        account_id: Set(account_id),
        status: Set(SyncStatus::Running.into()),
        phase: Set("tags".into()),
        started_by: Set(actor.to_string()),
        total: Set(0),
        stored: Set(0),
        calls: Set(0),
        retries: Set(0),
        page_openid: Set(String::new()),
        page_offset: Set(0),
        resumed_from: Set(0),
        error: Set(None),
        started_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Why a run stopped early.
enum Stop {
    /// Another instance holds the lease now.
    LostLease,
    Failed(String),
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Self {
        Stop::Failed(e.to_string())
    }
}

impl From<sea_orm::DbErr> for Stop {
    fn from(e: sea_orm::DbErr) -> Self {
        Stop::Failed(format!("database error: {e}"))
    }
}

fn wx(e: wechat::Error) -> Stop {
    Stop::Failed(wechat_clients::describe(&e))
}

async fn run(db: DatabaseConnection, client: OaClient, job: job::Model, holder: String) {
    let account_id = job.account_id;
    let job_id = job.id;
    let counters = Counters::default();
    let result = run_phases(&db, &client, job, &holder, &counters).await;
    let now = OffsetDateTime::now_utc();
    let (status, error) = match result {
        Ok(()) => (SyncStatus::Done, None),
        Err(Stop::LostLease) => {
            tracing::warn!(account_id, job_id, "follower sync lease lost; stopping");
            return;
        }
        Err(Stop::Failed(e)) => (SyncStatus::Failed, Some(e)),
    };
    let update = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(DbEnum(status)))
        .col_expr(job::Column::Error, Expr::value(error.clone()))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            job::Column::Calls,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Calls),
                counters.calls.swap(0, Ordering::Relaxed),
            ),
        )
        .col_expr(
            job::Column::Retries,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Retries),
                counters.retries.swap(0, Ordering::Relaxed),
            ),
        )
        .filter(job::Column::Id.eq(job_id))
        .exec(&db)
        .await;
    if let Err(e) = update {
        tracing::error!(account_id, job_id, error = %e, "could not record the end of a follower sync");
    }
    match &error {
        Some(e) => {
            tracing::warn!(account_id, job_id, error = %e, "follower sync failed; the next start resumes it")
        }
        None => tracing::info!(account_id, job_id, "follower sync done"),
    }
    release(&db, account_id, &holder).await;
}

async fn set_phase(
    db: &DatabaseConnection,
    job_id: i64,
    phase: &str,
    counters: &Counters,
) -> Result<(), Stop> {
    job::Entity::update_many()
        .col_expr(job::Column::Phase, Expr::value(phase))
        .col_expr(
            job::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .col_expr(
            job::Column::Calls,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Calls),
                counters.calls.swap(0, Ordering::Relaxed),
            ),
        )
        .col_expr(
            job::Column::Retries,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Retries),
                counters.retries.swap(0, Ordering::Relaxed),
            ),
        )
        .filter(job::Column::Id.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn run_phases(
    db: &DatabaseConnection,
    client: &OaClient,
    job: job::Model,
    holder: &str,
    counters: &Counters,
) -> Result<(), Stop> {
    let account_id = job.account_id;
    if job.phase == "tags" || job.phase == "groups" {
        set_phase(db, job.id, "tags", counters).await?;
        let tags = counters.call(|| client.tags_get()).await.map_err(wx)?;
        queries::replace_tags(db, account_id, &tags).await?;
        set_phase(db, job.id, "groups", counters).await?;
        // Legacy groups are gone for many accounts (48001 and friends): not fatal.
        match counters.call(|| client.groups_get()).await {
            Ok(groups) => queries::replace_groups(db, account_id, &groups).await?,
            Err(e) => {
                tracing::info!(account_id, error = %wechat_clients::describe(&e), "legacy groups not available; skipped")
            }
        }
        set_phase(db, job.id, "followers", counters).await?;
    }
    if job.phase != "finishing" {
        sync_followers(db, client, &job, holder, counters).await?;
        set_phase(db, job.id, "finishing", counters).await?;
    }
    // For the update below and for the list pages staff open next.
    queries::refresh_statistics(db).await;
    // Everyone user/get no longer lists has unsubscribed — unless a callback changed them
    // since this sync started (their event is newer than our listing).
    let started = job::Entity::find_by_id(job.id)
        .one(db)
        .await?
        .map(|j| j.started_at)
        .unwrap_or(job.started_at);
    follower::Entity::update_many()
        .col_expr(follower::Column::Subscribed, Expr::value(false))
        .col_expr(
            follower::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Subscribed.eq(true))
        .filter(
            Condition::any()
                .add(follower::Column::SeenSyncId.is_null())
                .add(follower::Column::SeenSyncId.ne(job.id)),
        )
        .filter(follower::Column::UpdatedAt.lt(started))
        .exec(db)
        .await?;
    job::Entity::update_many()
        .col_expr(job::Column::Phase, Expr::value("done"))
        .filter(job::Column::Id.eq(job.id))
        .exec(db)
        .await?;
    Ok(())
}

async fn sync_followers(
    db: &DatabaseConnection,
    client: &OaClient,
    job: &job::Model,
    holder: &str,
    counters: &Counters,
) -> Result<(), Stop> {
    let account_id = job.account_id;
    let mut next = job.page_openid.clone();
    let mut offset = job.page_offset.max(0) as usize;
    let mut progress = Progress {
        stored: job.stored.max(0),
        analyze_at: 1_000,
    };
    let mut restarts = 0;
    // The next page is asked for as soon as its `next_openid` is known, so that listing it
    // overlaps storing this one.
    let mut listing = list(client, counters, &next);
    loop {
        let page = match listing.wait("listing").await? {
            Ok(page) => page,
            Err(e) if !next.is_empty() && stale_checkpoint(&e) && restarts < MAX_RESTARTS => {
                restarts += 1;
                tracing::info!(
                    account_id,
                    job_id = job.id,
                    "the sync checkpoint's openid is no longer listed (40003); restarting the listing"
                );
                restart_listing(db, job.id).await?;
                next.clear();
                offset = 0;
                progress.stored = 0;
                listing = list(client, counters, &next);
                continue;
            }
            Err(e) => return Err(wx(e)),
        };
        if let Some(total) = page.total {
            job::Entity::update_many()
                .col_expr(job::Column::Total, Expr::value(total))
                .filter(job::Column::Id.eq(job.id))
                .exec(db)
                .await?;
        }
        let ids = page.data.openid;
        if page.count == 0 || ids.is_empty() {
            return Ok(());
        }
        if !page.next_openid.is_empty() {
            listing = list(client, counters, &page.next_openid);
        }
        if offset < ids.len() {
            store_page(
                db,
                client,
                job,
                holder,
                counters,
                &ids,
                offset,
                &mut progress,
            )
            .await?;
        }
        if page.next_openid.is_empty() {
            return Ok(());
        }
        next = page.next_openid;
        offset = 0;
        job::Entity::update_many()
            .col_expr(job::Column::PageOpenid, Expr::value(next.clone()))
            .col_expr(job::Column::PageOffset, Expr::value(0i64))
            .filter(job::Column::Id.eq(job.id))
            .exec(db)
            .await?;
    }
}

/// A task of the sync running in the background (a `user/get` page asked for ahead, a batch
/// call, a chunk being stored), aborted if the sync stops before waiting for it: its answer
/// would not be used, and a chunk's transaction rolls back.
struct Background<T>(JoinHandle<T>);

impl<T: Send + 'static> Background<T> {
    fn spawn(task: impl Future<Output = T> + Send + 'static) -> Self {
        Background(tokio::spawn(task))
    }

    async fn wait(&mut self, what: &str) -> Result<T, Stop> {
        (&mut self.0)
            .await
            .map_err(|e| Stop::Failed(format!("{what} task failed: {e}")))
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `user/get` from `next`, in the background.
fn list(
    client: &OaClient,
    counters: &Counters,
    next: &str,
) -> Background<Result<OpenIdPage, wechat::Error>> {
    let (client, counters, next) = (client.clone(), counters.clone(), next.to_string());
    Background::spawn(async move { counters.call(|| client.user_get(&next)).await })
}

/// The stored count of a run and when PostgreSQL's planner statistics are refreshed next (as
/// the count doubles, see `queries::refresh_statistics`: a handful of ANALYZEs per million).
struct Progress {
    stored: i64,
    analyze_at: i64,
}

/// Fetches `ids[offset..]` through `user/info/batchget` with [`CONCURRENCY`] calls in flight,
/// taking the answers in listing order, and stores them [`STORE_BATCHES`] batches per
/// transaction together with the checkpoint, while the next calls are already running.
#[allow(clippy::too_many_arguments)]
async fn store_page(
    db: &DatabaseConnection,
    client: &OaClient,
    job: &job::Model,
    holder: &str,
    counters: &Counters,
    ids: &[String],
    offset: usize,
    progress: &mut Progress,
) -> Result<(), Stop> {
    let mut batches = ids[offset..].chunks(BATCH);
    // Dropped on an early stop (an error, a lost lease): the calls still in flight are aborted.
    let mut in_flight = VecDeque::with_capacity(CONCURRENCY);
    let mut end = offset;
    let mut pending: Vec<UserInfo> = Vec::with_capacity(BATCH * STORE_BATCHES);
    let mut pending_batches = 0;
    // One chunk is stored in the background while the next one is fetched; chunks are still
    // stored one after another, in listing order, each with its checkpoint.
    let mut storing: Option<Background<Result<(), Stop>>> = None;
    loop {
        while in_flight.len() < CONCURRENCY {
            let Some(batch) = batches.next() else { break };
            let (client, counters, batch) = (client.clone(), counters.clone(), batch.to_vec());
            in_flight.push_back(Background::spawn(async move {
                counters
                    .call(|| client.user_info_batch(&batch, "zh_CN"))
                    .await
            }));
        }
        let Some(mut head) = in_flight.pop_front() else {
            break;
        };
        let infos = head.wait("batch").await?.map_err(wx)?;
        // The answer's size, not the request's: WeChat leaves out openids it no longer knows.
        end = (end + BATCH).min(ids.len());
        pending.extend(infos);
        pending_batches += 1;
        if pending_batches == STORE_BATCHES || end == ids.len() {
            if let Some(mut previous) = storing.take() {
                previous.wait("storing").await??;
            }
            let chunk = std::mem::replace(&mut pending, Vec::with_capacity(BATCH * STORE_BATCHES));
            progress.stored += chunk.len() as i64;
            let task = (
                db.clone(),
                job.clone(),
                holder.to_string(),
                counters.clone(),
            );
            storing = Some(Background::spawn(async move {
                let (db, job, holder, counters) = task;
                store_chunk(&db, &job, &holder, &counters, &chunk, end).await
            }));
            pending_batches = 0;
            if progress.stored >= progress.analyze_at {
                queries::refresh_statistics(db).await;
                progress.analyze_at = progress.stored.saturating_mul(2);
            }
        }
    }
    match storing {
        Some(mut last) => last.wait("storing").await?,
        None => Ok(()),
    }
}

/// One transaction: the followers, the job's progress and checkpoint (`end`: the offset in the
/// page after the last stored batch), the lease renewed; rolled back if the lease was lost.
async fn store_chunk(
    db: &DatabaseConnection,
    job: &job::Model,
    holder: &str,
    counters: &Counters,
    infos: &[UserInfo],
    end: usize,
) -> Result<(), Stop> {
    let txn = db.begin().await?;
    queries::upsert_followers(&txn, job.account_id, job.id, infos).await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::Stored,
            sea_orm::sea_query::ExprTrait::add(Expr::col(job::Column::Stored), infos.len() as i64),
        )
        .col_expr(job::Column::PageOffset, Expr::value(end as i64))
        .col_expr(
            job::Column::Calls,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Calls),
                counters.calls.swap(0, Ordering::Relaxed),
            ),
        )
        .col_expr(
            job::Column::Retries,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(job::Column::Retries),
                counters.retries.swap(0, Ordering::Relaxed),
            ),
        )
        .col_expr(
            job::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(job::Column::Id.eq(job.id))
        .exec(&txn)
        .await?;
    if !renew(&txn, job.account_id, holder).await? {
        txn.rollback().await?;
        return Err(Stop::LostLease);
    }
    txn.commit().await?;
    Ok(())
}

/// WeChat's answer for a `next_openid` that is not (any longer) one of the account's followers.
fn stale_checkpoint(e: &wechat::Error) -> bool {
    matches!(e, wechat::Error::Wechat(w) if w.code == 40003)
}

/// Back to the first page: the checkpoint and the progress count start over (everything is
/// upserted again; followers stored before keep this job's mark).
async fn restart_listing(db: &DatabaseConnection, job_id: i64) -> Result<(), Stop> {
    job::Entity::update_many()
        .col_expr(job::Column::PageOpenid, Expr::value(String::new()))
        .col_expr(job::Column::PageOffset, Expr::value(0i64))
        .col_expr(job::Column::Stored, Expr::value(0i64))
        .col_expr(job::Column::ResumedFrom, Expr::value(0i64))
        .col_expr(
            job::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(job::Column::Id.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Re-starts syncs interrupted by a crash or restart once their lease expires (every instance
/// tries; the lease lets one win).
pub async fn resume_loop(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        let running = job::Entity::find()
            .filter(job::Column::Status.eq(DbEnum(SyncStatus::Running)))
            .all(&state.db)
            .await;
        let Ok(running) = running else { continue };
        for j in running {
            let expired = lease::Entity::find_by_id(j.account_id)
                .one(&state.db)
                .await
                .ok()
                .flatten()
                .is_none_or(|l| l.expires_at_ms < now_ms());
            if expired {
                match start(&state, j.account_id, &j.started_by, false).await {
                    Ok(_) => tracing::info!(
                        account_id = j.account_id,
                        job_id = j.id,
                        "resuming an interrupted follower sync"
                    ),
                    Err(e) => {
                        tracing::debug!(account_id = j.account_id, error = %e, "follower sync not resumed")
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_reused_per_account_only_while_recent() {
        let counts = SubscribedCounts::default();
        assert_eq!(counts.recent(7), None);
        counts.keep(7, 1_000);
        assert_eq!(counts.recent(7), Some(1_000));
        assert_eq!(counts.recent(8), None);
        counts
            .0
            .lock()
            .unwrap()
            .insert(7, (std::time::Instant::now() - COUNT_REUSE, 1_000));
        assert_eq!(counts.recent(7), None, "older than COUNT_REUSE");
    }
}
