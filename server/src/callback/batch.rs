//! New callbacks written together: the group-commit writer's second kind of work
//! ([`crate::group_commit`]). A burst of new messages answered from memory is written with
//! three multi-row inserts per batch — the messages (`ON CONFLICT DO NOTHING`, so WeChat's
//! retries and concurrent copies of one message are told apart by what comes back), their
//! outbound rows and their delivery records — instead of a savepoint and three inserts each.
//!
//! Why: on SQLite every statement is a hand-off to the driver's worker thread and back, and the
//! writer runs its statements one after another; the statements per batch, not per message,
//! then bound the callback rate.
//!
//! The multi-row path needs `INSERT … RETURNING` (SQLite, PostgreSQL). On MySQL/MariaDB, and
//! whenever a multi-row insert fails (its savepoint is rolled back first), the batch's callbacks
//! are written one by one, each in its own savepoint, so one bad row never costs the others.
//!
//! A caller expecting a passive reply is asked whether it hung up before the batch is written
//! and again after (the inserts may have waited on a lock): a message whose caller is gone is
//! not stored here, and the pipeline stores it again the asynchronous way.

use std::{
    collections::{BTreeMap, HashMap},
    time::Instant,
};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, Set, SqlErr,
    TransactionTrait, sea_query::OnConflict,
};
use tokio::sync::oneshot;

use crate::{
    entities::{
        callback_delivery, inbound_message,
        outbound_message::{self, SendStatus},
    },
    group_commit::{Finish, GroupCommitError},
};

/// A new message, handled, to be stored with its replies and its delivery record.
pub struct NewCallback {
    pub account_id: i64,
    /// The message's de-duplication key (also in `message`).
    pub dedup_key: String,
    pub message: inbound_message::ActiveModel,
    /// Its outbound rows; `inbound_id` is set here.
    pub replies: Vec<outbound_message::ActiveModel>,
    /// The delivery record; `inbound_id` and `duration_ms` are set here.
    pub delivery: callback_delivery::ActiveModel,
    /// The rule that answered it: its hit is counted once the message is written.
    pub rule_id: Option<i64>,
    /// Asked right before the batch writes the message, when a passive reply is recorded with
    /// it: `true` if WeChat hung up, so that reply would reach nobody.
    pub hung_up: Option<Box<dyn Fn() -> bool + Send + Sync>>,
    pub started: Instant,
}

/// What became of a [`NewCallback`].
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// Stored (committed): the message's id, its delivery record's id and its outbound rows
    /// queued for the API.
    Handled {
        inbound_id: i64,
        delivery_id: i64,
        queued: Vec<i64>,
    },
    /// Its de-duplication key was stored already (or earlier in the same batch): nothing
    /// written.
    Duplicate,
    /// The caller hung up: nothing written.
    HungUp,
}

/// A queued [`NewCallback`] and where its caller waits.
pub(crate) struct Pending {
    pub new: NewCallback,
    pub answer: oneshot::Sender<Result<Written, GroupCommitError>>,
}

impl Pending {
    /// Tells the caller of a callback that the writer could not take.
    pub fn abort(self, why: &GroupCommitError) {
        let _ = self.answer.send(Err(why.clone()));
    }
}

/// Writes `items` in `txn` and adds the rules' hits of what was written to `hits`; what to tell
/// each caller once the batch has ended. `Err`: the transaction is unusable (a savepoint could
/// not be rolled back) and the batch must fail, with the finishes gathered so far.
pub(crate) async fn write(
    txn: &DatabaseTransaction,
    items: Vec<Pending>,
    hits: &mut BTreeMap<i64, i64>,
) -> Result<Vec<Finish>, (DbErr, Vec<Finish>)> {
    let mut finishes: Vec<Finish> = Vec::with_capacity(items.len());
    let mut live = Vec::with_capacity(items.len());
    for item in items {
        if hung_up(&item.new) {
            finishes.push(settled(item.answer, Ok(Written::HungUp)));
        } else {
            live.push(item);
        }
    }
    if live.is_empty() {
        return Ok(finishes);
    }
    let news: Vec<&NewCallback> = live.iter().map(|p| &p.new).collect();
    let results = match together(txn, &news).await {
        Ok(Together::Written(results)) => results,
        not_written => {
            if let Err(e) = not_written {
                tracing::warn!(error = %e, callbacks = news.len(), "a multi-row callback insert failed; writing them one by one");
            }
            match one_by_one(txn, &news).await {
                Ok(results) => results,
                Err(e) => return Err((e, finishes)),
            }
        }
    };
    for (item, result) in live.into_iter().zip(results) {
        match result {
            Ok(Written::Handled {
                inbound_id,
                delivery_id,
                queued,
            }) => {
                if let Some(rule_id) = item.new.rule_id {
                    *hits.entry(rule_id).or_default() += 1;
                }
                let answer = item.answer;
                finishes.push(Box::new(move |committed| {
                    let _ = answer.send(match committed {
                        Ok(()) => Ok(Written::Handled {
                            inbound_id,
                            delivery_id,
                            queued,
                        }),
                        Err(e) => Err(e.clone()),
                    });
                }));
            }
            // A duplicate is told once the batch has ended however it ended: its caller then
            // looks for the row it collided with, which may be this batch's.
            other => finishes.push(settled(item.answer, other)),
        }
    }
    Ok(finishes)
}

fn settled(
    answer: oneshot::Sender<Result<Written, GroupCommitError>>,
    result: Result<Written, GroupCommitError>,
) -> Finish {
    Box::new(move |_| {
        let _ = answer.send(result);
    })
}

type Results = Vec<Result<Written, GroupCommitError>>;

enum Together {
    Written(Results),
    /// Nothing written: the database has no `INSERT … RETURNING`, or a caller hung up while
    /// the batch was being written (its rows must go, the others stay).
    OneByOne,
}

/// The multi-row path, in a savepoint of its own, rolled back on failure so that the caller
/// can write the same callbacks one by one.
async fn together(txn: &DatabaseTransaction, news: &[&NewCallback]) -> Result<Together, DbErr> {
    if !txn.get_database_backend().support_returning() {
        return Ok(Together::OneByOne);
    }
    let savepoint = txn.begin().await?;
    match insert_together(&savepoint, news).await {
        // Asked again once written: the inserts may have waited on a lock (rare, so the whole
        // batch is simply written again one by one).
        Ok(_) if news.iter().any(|n| hung_up(n)) => {
            savepoint.rollback().await?;
            Ok(Together::OneByOne)
        }
        Ok(results) => {
            savepoint.commit().await?;
            Ok(Together::Written(results))
        }
        Err(e) => {
            savepoint.rollback().await?;
            Err(e)
        }
    }
}

fn hung_up(n: &NewCallback) -> bool {
    n.hung_up.as_ref().is_some_and(|hung_up| hung_up())
}

async fn insert_together<C: ConnectionTrait>(
    db: &C,
    news: &[&NewCallback],
) -> Result<Results, DbErr> {
    // Messages: what comes back is what was new; a key met twice in the batch is new once.
    let stored = inbound_message::Entity::insert_many(news.iter().map(|n| n.message.clone()))
        .on_conflict(
            OnConflict::columns([
                inbound_message::Column::AccountId,
                inbound_message::Column::DedupKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    let mut new_ids: HashMap<(i64, &str), i64> = stored
        .iter()
        .map(|m| ((m.account_id, m.dedup_key.as_str()), m.id))
        .collect();
    let ids: Vec<Option<i64>> = news
        .iter()
        .map(|n| new_ids.remove(&(n.account_id, n.dedup_key.as_str())))
        .collect();

    let replies: Vec<outbound_message::ActiveModel> = news
        .iter()
        .zip(&ids)
        .filter_map(|(n, id)| id.map(|id| (n, id)))
        .flat_map(|(n, id)| {
            n.replies.iter().cloned().map(move |mut row| {
                row.inbound_id = Set(Some(id));
                row
            })
        })
        .collect();
    let mut queued: HashMap<i64, Vec<i64>> = HashMap::new();
    if !replies.is_empty() {
        for row in outbound_message::Entity::insert_many(replies)
            .exec_with_returning(db)
            .await?
        {
            if let (SendStatus::Pending, Some(inbound_id)) = (row.status.0, row.inbound_id) {
                queued.entry(inbound_id).or_default().push(row.id);
            }
        }
    }

    let deliveries: Vec<callback_delivery::ActiveModel> = news
        .iter()
        .zip(&ids)
        .filter_map(|(n, id)| id.map(|id| delivery_row(n, id)))
        .collect();
    let mut delivery_ids: HashMap<i64, i64> = HashMap::new();
    if !deliveries.is_empty() {
        for row in callback_delivery::Entity::insert_many(deliveries)
            .exec_with_returning(db)
            .await?
        {
            if let Some(inbound_id) = row.inbound_id {
                delivery_ids.insert(inbound_id, row.id);
            }
        }
    }

    ids.into_iter()
        .map(|id| {
            let Some(inbound_id) = id else {
                return Ok(Ok(Written::Duplicate));
            };
            let delivery_id = delivery_ids
                .get(&inbound_id)
                .copied()
                .ok_or_else(|| DbErr::Custom("a delivery record did not come back".into()))?;
            Ok(Ok(Written::Handled {
                inbound_id,
                delivery_id,
                queued: queued.remove(&inbound_id).unwrap_or_default(),
            }))
        })
        .collect()
}

fn delivery_row(n: &NewCallback, inbound_id: i64) -> callback_delivery::ActiveModel {
    let mut row = n.delivery.clone();
    row.inbound_id = Set(Some(inbound_id));
    row.duration_ms = Set(i64::try_from(n.started.elapsed().as_millis()).unwrap_or(i64::MAX));
    row
}

/// Each callback in its own savepoint. `Err`: a savepoint could not be opened or rolled back,
/// so the transaction is unusable.
async fn one_by_one(txn: &DatabaseTransaction, news: &[&NewCallback]) -> Result<Results, DbErr> {
    let mut results = Vec::with_capacity(news.len());
    for n in news {
        let savepoint = txn.begin().await?;
        match insert_one(&savepoint, n).await {
            Ok(written @ Written::Handled { .. }) => match savepoint.commit().await {
                Ok(()) => results.push(Ok(written)),
                Err(e) => return Err(e),
            },
            Ok(other) => {
                savepoint.rollback().await?;
                results.push(Ok(other));
            }
            Err(e) => {
                savepoint.rollback().await?;
                tracing::error!(error = %e, account_id = n.account_id, "storing a callback failed");
                results.push(Err(GroupCommitError::Batch(e.to_string())));
            }
        }
    }
    Ok(results)
}

async fn insert_one<C: ConnectionTrait>(db: &C, n: &NewCallback) -> Result<Written, DbErr> {
    let message = match n.message.clone().insert(db).await {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Written::Duplicate);
        }
        Err(e) => return Err(e),
    };
    let mut queued = Vec::new();
    for row in &n.replies {
        let mut row = row.clone();
        row.inbound_id = Set(Some(message.id));
        let row = row.insert(db).await?;
        if row.status.0 == SendStatus::Pending {
            queued.push(row.id);
        }
    }
    let delivery = delivery_row(n, message.id).insert(db).await?;
    if hung_up(n) {
        return Ok(Written::HungUp);
    }
    Ok(Written::Handled {
        inbound_id: message.id,
        delivery_id: delivery.id,
        queued,
    })
}
