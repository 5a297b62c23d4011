//! Group commit: one writer task per instance runs the small write transactions of many
//! concurrent requests (callbacks) together, one savepoint each inside one transaction, so the
//! commit, the database's write lock and the driver's hand-offs are shared.
//!
//! Durability is unchanged: a caller hears of its job only after the transaction holding it has
//! committed, so nothing is acknowledged to WeChat before it is in the database. A job that fails
//! or decides to write nothing rolls back its own savepoint and the others go on.
//!
//! Why: with a connection per request, SQLite's writers queue on its write lock and wait in its
//! busy handler (sleeps of 1–100 ms), and every write pays its own BEGIN/COMMIT. Batching turns
//! that into one writer with no lock contention. On PostgreSQL and MariaDB it shares the commit.
//!
//! The jobs run one after another in the writer task: they must only talk to the database (no
//! WeChat call, no waiting on anything else), or they hold up every other caller.
//!
//! Besides jobs (code, a savepoint each), the writer takes new callbacks as data
//! ([`GroupCommit::store_callback`]): the batch's callbacks are written after its jobs, together,
//! in a few multi-row inserts ([`crate::callback::batch`]), since on the busiest path the
//! statements per batch, not the commits, were what bounded the rate.

use std::{
    collections::BTreeMap,
    future::Future,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::callback::batch::{self, NewCallback, Pending, Written};
use crate::lazy_task::LazyTask;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The most jobs one transaction holds: bounds the time a batch keeps the write lock.
pub const MAX_BATCH: usize = 64;
/// Jobs waiting for the writer; past this, callers wait for room (backpressure).
const QUEUE: usize = 1024;

/// What a job decided about its own writes.
pub enum Step<T> {
    /// Keep them: the caller gets `T` once the batch has committed.
    Keep(T),
    /// Roll them back (say the row existed already): the caller gets `T` once the batch ended.
    Discard(T),
}

/// What a job sees: its savepoint, and the reply-rule hits to count for it. Every callback
/// answered by a rule bumps the same counter row; the writer adds a batch's hits once per rule,
/// in rule order, so two instances' batches never lock those rows in opposite orders.
pub struct Part<'t> {
    pub txn: &'t DatabaseTransaction,
    rule_hits: Mutex<Vec<i64>>,
}

impl Part<'_> {
    pub fn count_rule_hit(&self, rule_id: i64) {
        self.rule_hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(rule_id);
    }
}

/// Why a job's result never came: the batch's transaction failed (the caller answers 500 and
/// WeChat retries), or the writer is gone (shutting down).
#[derive(Debug, Clone, thiserror::Error)]
pub enum GroupCommitError {
    #[error("the group commit failed: {0}")]
    Batch(String),
    #[error("the group-commit writer has stopped")]
    Stopped,
}

impl From<GroupCommitError> for DbErr {
    fn from(e: GroupCommitError) -> DbErr {
        DbErr::Custom(e.to_string())
    }
}

/// What to tell a caller once its batch has ended, given how it ended.
pub(crate) type Finish = Box<dyn FnOnce(Result<(), &GroupCommitError>) + Send>;

/// What the writer is given: a job (a savepoint each), or a new callback (written with the
/// batch's other callbacks in multi-row inserts, [`crate::callback::batch`]).
enum Work {
    Job(Box<dyn Job>),
    Callback(Box<Pending>),
}

enum Ran {
    /// Kept: call with the batch's commit result.
    Kept(Finish),
    /// Roll the savepoint back; call once the batch has ended (it ignores how): a caller told
    /// "duplicate" must find the row it collided with, which only the batch's commit shows.
    Discarded(Finish),
}

trait Job: Send {
    fn run<'t>(self: Box<Self>, part: &'t Part<'t>) -> BoxFuture<'t, Ran>;
    fn abort(self: Box<Self>, why: &GroupCommitError);
}

/// Per instance (in [`crate::state::AppState`]); the writer starts on first use.
#[derive(Clone, Default)]
pub struct GroupCommit {
    writer: LazyTask<Work>,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    jobs: AtomicU64,
    batches: AtomicU64,
}

impl GroupCommit {
    /// `(jobs, transactions)` run so far: their ratio is the batching achieved.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.counts.jobs.load(Ordering::Relaxed),
            self.counts.batches.load(Ordering::Relaxed),
        )
    }

    /// Runs `work` in the next batch and returns its result once the batch has ended: committed
    /// for [`Step::Keep`]; for [`Step::Discard`] and errors, whose writes are rolled back, the
    /// result stands however the batch ended.
    pub async fn run<T, E, F>(&self, db: &DatabaseConnection, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbErr> + Send + 'static,
        F: for<'t> FnOnce(&'t Part<'t>) -> BoxFuture<'t, Result<Step<T>, E>> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Typed { work, answer });
        if let Err(e) = self.send(db, Work::Job(job)).await {
            return Err(E::from(e.into()));
        }
        answered
            .await
            .unwrap_or_else(|_| Err(E::from(GroupCommitError::Stopped.into())))
    }

    /// Stores a new, handled callback in the next batch, with that batch's other callbacks
    /// ([`batch`]); what became of it once the batch has ended (committed, for
    /// [`Written::Handled`]).
    pub async fn store_callback(
        &self,
        db: &DatabaseConnection,
        new: NewCallback,
    ) -> Result<Written, GroupCommitError> {
        let (answer, answered) = oneshot::channel();
        self.send(db, Work::Callback(Box::new(Pending { new, answer })))
            .await?;
        answered.await.unwrap_or(Err(GroupCommitError::Stopped))
    }

    async fn send(&self, db: &DatabaseConnection, work: Work) -> Result<(), GroupCommitError> {
        let (db, counts) = (db.clone(), self.counts.clone());
        self.writer
            .send(work, QUEUE, |queue| writer(db, queue, counts))
            .await
            .map_err(|_| GroupCommitError::Stopped)
    }
}

struct Typed<T, E, F> {
    work: F,
    answer: oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> Job for Typed<T, E, F>
where
    T: Send + 'static,
    E: From<DbErr> + Send + 'static,
    F: for<'t> FnOnce(&'t Part<'t>) -> BoxFuture<'t, Result<Step<T>, E>> + Send + 'static,
{
    fn run<'t>(self: Box<Self>, part: &'t Part<'t>) -> BoxFuture<'t, Ran> {
        let Typed { work, answer } = *self;
        Box::pin(async move {
            match work(part).await {
                Ok(Step::Keep(value)) => Ran::Kept(Box::new(move |committed| {
                    let _ = answer.send(match committed {
                        Ok(()) => Ok(value),
                        Err(e) => Err(E::from(DbErr::Custom(e.to_string()))),
                    });
                })),
                Ok(Step::Discard(value)) => Ran::Discarded(Box::new(move |_| {
                    let _ = answer.send(Ok(value));
                })),
                Err(e) => Ran::Discarded(Box::new(move |_| {
                    let _ = answer.send(Err(e));
                })),
            }
        })
    }

    fn abort(self: Box<Self>, why: &GroupCommitError) {
        let _ = self
            .answer
            .send(Err(E::from(DbErr::Custom(why.to_string()))));
    }
}

async fn writer(db: DatabaseConnection, mut queue: mpsc::Receiver<Work>, counts: Arc<Counts>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // No waiting to fill a batch: whatever queued while the last one ran goes into the next,
    // so a lone callback is written at once and a burst shares its commits.
    while let n @ 1.. = queue.recv_many(&mut batch, MAX_BATCH).await {
        counts.jobs.fetch_add(n as u64, Ordering::Relaxed);
        counts.batches.fetch_add(1, Ordering::Relaxed);
        run_batch(&db, std::mem::take(&mut batch)).await;
    }
}

async fn run_batch(db: &DatabaseConnection, work: Vec<Work>) {
    let mut jobs = Vec::new();
    let mut callbacks = Vec::new();
    for w in work {
        match w {
            Work::Job(job) => jobs.push(job),
            Work::Callback(pending) => callbacks.push(*pending),
        }
    }
    // SQLite: take the write lock at BEGIN, not at the first write (a deferred transaction
    // that must upgrade fails at once when another writer got in first).
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = match db.begin_with_options(options).await {
        Ok(txn) => txn,
        Err(e) => return fail(jobs, callbacks, Vec::new(), e),
    };
    let mut finishes = Vec::with_capacity(jobs.len());
    let mut hits: BTreeMap<i64, i64> = BTreeMap::new();
    for job in jobs {
        let savepoint = match txn.begin().await {
            Ok(sp) => sp,
            Err(e) => {
                job.abort(&GroupCommitError::Batch(e.to_string()));
                continue;
            }
        };
        let part = Part {
            txn: &savepoint,
            rule_hits: Mutex::new(Vec::new()),
        };
        let ran = job.run(&part).await;
        let rule_hits = part
            .rule_hits
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match ran {
            Ran::Kept(finish) => match savepoint.commit().await {
                Ok(()) => {
                    for id in rule_hits {
                        *hits.entry(id).or_default() += 1;
                    }
                    finishes.push(finish);
                }
                Err(e) => finish(Err(&GroupCommitError::Batch(e.to_string()))),
            },
            Ran::Discarded(finish) => {
                finishes.push(finish);
                if let Err(e) = savepoint.rollback().await {
                    // The transaction is unusable: fail what it holds.
                    return fail(Vec::new(), callbacks, finishes, e);
                }
            }
        }
    }
    if !callbacks.is_empty() {
        match batch::write(&txn, callbacks, &mut hits).await {
            Ok(more) => finishes.extend(more),
            Err((e, more)) => {
                finishes.extend(more);
                return fail(Vec::new(), Vec::new(), finishes, e);
            }
        }
    }
    for (rule_id, n) in hits {
        if let Err(e) = crate::replies::service::add_hits(&txn, rule_id, n).await {
            return fail(Vec::new(), Vec::new(), finishes, e);
        }
    }
    match txn.commit().await {
        Ok(()) => finishes.into_iter().for_each(|finish| finish(Ok(()))),
        Err(e) => fail(Vec::new(), Vec::new(), finishes, e),
    }
}

/// The batch failed: every caller still waiting hears why (the transaction rolls back on drop).
fn fail(jobs: Vec<Box<dyn Job>>, callbacks: Vec<Pending>, finishes: Vec<Finish>, e: DbErr) {
    let callers = jobs.len() + callbacks.len() + finishes.len();
    tracing::error!(error = %e, callers, "a group commit failed");
    let why = GroupCommitError::Batch(e.to_string());
    jobs.into_iter().for_each(|job| job.abort(&why));
    callbacks
        .into_iter()
        .for_each(|pending| pending.abort(&why));
    finishes.into_iter().for_each(|finish| finish(Err(&why)));
}
