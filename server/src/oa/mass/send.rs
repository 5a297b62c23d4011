//! Handing a mass send to WeChat, exactly once.
//!
//! The job row (with its `clientmsgid`) is stored before WeChat is called. Whoever sends it
//! first claims it: one conditional update (`scheduled` and due, or `sending` with its lease run
//! out → `sending`, lease, attempts + 1) together with the account's row in `mass_locks` (free,
//! expired, or already this job's) in one transaction, so two instances never both send it and
//! an account never has two mass sends in flight. A crash mid-call leaves a `sending` row whose
//! lease runs out; the worker then sends it again with the same `clientmsgid`, and WeChat answers
//! 45065 if the first call got through: the job is then recorded as submitted, not sent twice.

use api::mass::{MassMessage, MassStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, SqlErr, TransactionTrait, sea_query::Expr,
};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use wechat::client::oa::OaClient;

use crate::{
    entities::{mass_job as job, mass_lock as lock},
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

/// How long a claim lasts while WeChat is called.
pub const SEND_LEASE: Duration = Duration::seconds(60);
/// How long the account stays locked after WeChat accepted a send, waiting for its
/// MASSSENDJOBFINISH (⚠️ WeChat's jobs usually end within minutes; past this the lock lapses).
pub const FINISH_WAIT: Duration = Duration::minutes(30);
/// Attempts before a send that keeps failing transiently is given up.
pub const MAX_ATTEMPTS: i32 = 5;
/// The worker's tick.
const TICK: std::time::Duration = std::time::Duration::from_secs(2);

/// The message as WeChat's object under its `msgtype`. A video is first handed to
/// `media/uploadvideo` with its title and description, and the media id that call answers is
/// the one sent (a new one on each attempt: the send's `clientmsgid` is what keeps a retry
/// from sending twice).
pub async fn wechat_message(
    client: &OaClient,
    message: &MassMessage,
) -> Result<Value, wechat::Error> {
    Ok(match message {
        MassMessage::Text { content } => json!({ "content": content }),
        MassMessage::Video {
            media_id,
            title,
            description,
        } => {
            let video = client
                .mass_upload_video(media_id, title, description)
                .await?;
            json!({ "media_id": video.media_id })
        }
        other => json!({ "media_id": other.media_id().unwrap_or("") }),
    })
}

/// WeChat's request body for a job, around the message's object (`wechat_message`).
pub fn body(m: &job::Model, msgtype: &str, inner: Value) -> AppResult<Value> {
    let mut b = json!({
        "msgtype": msgtype,
        msgtype: inner,
        "send_ignore_reprint": i32::from(m.send_ignore_reprint),
        "clientmsgid": m.clientmsgid,
    });
    match m.target_kind.as_str() {
        "all" => b["filter"] = json!({"is_to_all": true}),
        "tag" => b["filter"] = json!({"is_to_all": false, "tag_id": m.target_id}),
        "group" => b["filter"] = json!({"is_to_all": false, "group_id": m.target_id}),
        _ => {
            let openids: Vec<String> =
                serde_json::from_str(&m.openids).map_err(AppError::internal)?;
            b["touser"] = json!(openids);
        }
    }
    Ok(b)
}

/// Takes the account's lock for `job_id` until `until`: free, expired, or already this job's.
/// `false`: another send holds it. Run inside the claiming transaction.
async fn take_lock<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    job_id: i64,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> AppResult<bool> {
    let updated = lock::Entity::update_many()
        .col_expr(lock::Column::JobId, Expr::value(job_id))
        .col_expr(lock::Column::LeaseUntil, Expr::value(until))
        .filter(lock::Column::AccountId.eq(account_id))
        .filter(
            sea_orm::Condition::any()
                .add(lock::Column::LeaseUntil.lt(now))
                .add(lock::Column::JobId.eq(job_id)),
        )
        .exec(db)
        .await?;
    if updated.rows_affected == 1 {
        return Ok(true);
    }
    let exists = lock::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    let am = lock::ActiveModel {
        account_id: Set(account_id),
        job_id: Set(job_id),
        lease_until: Set(until),
    };
    match lock::Entity::insert(am).exec(db).await {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Sets the lease of the account's lock, if `job_id` still holds it.
async fn set_lock<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    job_id: i64,
    until: OffsetDateTime,
) -> AppResult<()> {
    lock::Entity::update_many()
        .col_expr(lock::Column::LeaseUntil, Expr::value(until))
        .filter(lock::Column::AccountId.eq(account_id))
        .filter(lock::Column::JobId.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Frees the account's lock, if `job_id` holds it.
pub async fn release<C: ConnectionTrait>(db: &C, account_id: i64, job_id: i64) -> AppResult<()> {
    lock::Entity::delete_many()
        .filter(lock::Column::AccountId.eq(account_id))
        .filter(lock::Column::JobId.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The job holding the account's lock now, if any.
pub async fn in_flight<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<Option<i64>> {
    let now = OffsetDateTime::now_utc();
    Ok(lock::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .filter(|l| l.lease_until > now)
        .map(|l| l.job_id))
}

/// Why a claim did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    Claimed(Box<job::Model>),
    /// Not due, already claimed, or finished.
    NotDue,
    /// Another mass send of the account is in flight.
    Busy(Option<i64>),
}

/// Claims job `id` for sending (see the module comment).
pub async fn claim(db: &DatabaseConnection, id: i64) -> AppResult<Claim> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let Some(m) = job::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(Claim::NotDue);
    };
    let due = sea_orm::Condition::any()
        .add(
            sea_orm::Condition::all()
                .add(job::Column::Status.eq(MassStatus::Scheduled.as_str()))
                .add(job::Column::ScheduledAt.lte(now)),
        )
        .add(
            sea_orm::Condition::all()
                .add(job::Column::Status.eq(MassStatus::Sending.as_str()))
                .add(job::Column::LeaseUntil.lt(now)),
        );
    let updated = job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(MassStatus::Sending.as_str()),
        )
        .col_expr(job::Column::LeaseUntil, Expr::value(Some(now + SEND_LEASE)))
        .col_expr(
            job::Column::Attempts,
            sea_orm::sea_query::ExprTrait::add(Expr::col(job::Column::Attempts), 1),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(due)
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(Claim::NotDue);
    }
    if !take_lock(&txn, m.account_id, id, now, now + SEND_LEASE).await? {
        txn.rollback().await?;
        return Ok(Claim::Busy(in_flight(db, m.account_id).await?));
    }
    txn.commit().await?;
    let claimed = job::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Claim::Claimed(Box::new(claimed)))
}

/// Whether a WeChat failure may go through on a later attempt (with the same clientmsgid).
fn transient(e: &wechat::Error) -> bool {
    match e {
        wechat::Error::Wechat(w) => matches!(w.code, -1 | 45009 | 45011 | 40001 | 40014 | 42001),
        wechat::Error::Http(_) | wechat::Error::Status { .. } => true,
        _ => false,
    }
}

/// Calls WeChat for a claimed job and records the outcome.
pub async fn send_claimed(state: &AppState, m: job::Model) -> AppResult<job::Model> {
    let db = &state.db;
    let message: MassMessage = serde_json::from_str(&m.content).map_err(AppError::internal)?;
    let result = match wechat_clients::oa(state, m.account_id).await {
        Ok(client) => match wechat_message(&client, &message).await {
            Ok(inner) => {
                let body = body(&m, message.msgtype(), inner)?;
                if m.target_kind == "followers" {
                    client.mass_send(&body).await
                } else {
                    client.mass_send_all(&body).await
                }
            }
            Err(e) => Err(e),
        },
        Err(e) => {
            fail(db, &m, None, &e.to_string()).await?;
            return reload(db, m.id).await;
        }
    };
    let now = OffsetDateTime::now_utc();
    match result {
        Ok(r) => {
            submitted(db, &m, Some(r.msg_id), r.msg_data_id, None, now).await?;
        }
        // The same clientmsgid was already accepted: an earlier attempt got through.
        Err(wechat::Error::Wechat(w)) if w.code == 45065 => {
            let note = "WeChat already had this send (45065: clientmsgid exists); not sent again";
            submitted(db, &m, None, None, Some(note), now).await?;
        }
        Err(e) if transient(&e) && m.attempts < MAX_ATTEMPTS => {
            // Leave it `sending`: once the lease runs out the worker tries again.
            tracing::warn!(account_id = m.account_id, job_id = m.id, error = %wechat_clients::describe(&e), "mass send will be retried");
            job::Entity::update_many()
                .col_expr(
                    job::Column::Error,
                    Expr::value(Some(wechat_clients::describe(&e))),
                )
                .col_expr(job::Column::UpdatedAt, Expr::value(now))
                .filter(job::Column::Id.eq(m.id))
                .exec(db)
                .await?;
        }
        Err(e) => {
            let code = match &e {
                wechat::Error::Wechat(w) => Some(w.code),
                _ => None,
            };
            fail(db, &m, code, &wechat_clients::describe(&e)).await?;
        }
    }
    reload(db, m.id).await
}

async fn reload(db: &DatabaseConnection, id: i64) -> AppResult<job::Model> {
    job::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn submitted(
    db: &DatabaseConnection,
    m: &job::Model,
    msg_id: Option<i64>,
    msg_data_id: Option<i64>,
    note: Option<&str>,
    now: OffsetDateTime,
) -> AppResult<()> {
    let txn = db.begin().await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(MassStatus::Submitted.as_str()),
        )
        .col_expr(job::Column::MsgId, Expr::value(msg_id))
        .col_expr(job::Column::MsgDataId, Expr::value(msg_data_id))
        .col_expr(job::Column::LeaseUntil, Expr::value(None::<OffsetDateTime>))
        .col_expr(job::Column::Error, Expr::value(note.map(str::to_string)))
        .col_expr(job::Column::Errcode, Expr::value(None::<i64>))
        .col_expr(job::Column::SubmittedAt, Expr::value(Some(now)))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(m.id))
        .filter(job::Column::Status.eq(MassStatus::Sending.as_str()))
        .exec(&txn)
        .await?;
    set_lock(&txn, m.account_id, m.id, now + FINISH_WAIT).await?;
    txn.commit().await?;
    Ok(())
}

async fn fail(
    db: &DatabaseConnection,
    m: &job::Model,
    errcode: Option<i64>,
    error: &str,
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(MassStatus::Failed.as_str()),
        )
        .col_expr(job::Column::Errcode, Expr::value(errcode))
        .col_expr(job::Column::Error, Expr::value(Some(error.to_string())))
        .col_expr(job::Column::LeaseUntil, Expr::value(None::<OffsetDateTime>))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .filter(job::Column::Id.eq(m.id))
        .exec(&txn)
        .await?;
    release(&txn, m.account_id, m.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Sends every due job (scheduled and due, or a `sending` one whose claim lapsed).
pub async fn send_due(state: &AppState) -> AppResult<usize> {
    let now = OffsetDateTime::now_utc();
    let due: Vec<i64> = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(job::Column::Status.eq(MassStatus::Scheduled.as_str()))
                        .add(job::Column::ScheduledAt.lte(now)),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(job::Column::Status.eq(MassStatus::Sending.as_str()))
                        .add(job::Column::LeaseUntil.lt(now)),
                ),
        )
        .order_by_asc(job::Column::ScheduledAt)
        .limit(20)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for id in due {
        if let Claim::Claimed(m) = claim(&state.db, id).await? {
            if m.attempts > MAX_ATTEMPTS {
                fail(&state.db, &m, None, "gave up after repeated failures").await?;
                continue;
            }
            send_claimed(state, *m).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Every instance runs this: scheduled sends go out when due, interrupted ones are resumed.
pub async fn worker_loop(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = send_due(&state).await {
            tracing::warn!(error = %e, "mass send worker failed");
        }
    }
}
