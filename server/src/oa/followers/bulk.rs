//! Bulk tagging, untagging and legacy-group moves as background jobs.
//!
//! The request validates and selects the followers, inserts the `follower_bulk_jobs` row and
//! answers at once; a task then calls WeChat in batches of 50 ([`TAGGING_BATCH`]) and stores
//! each accepted batch together with the job's progress in one transaction, so the portal
//! never claims what WeChat refused and the progress never runs ahead of what is stored.
//! One job runs per account at a time (409 while another runs). Nothing resumes a job whose
//! instance died: it reads as failed ("interrupted") and, tagging being idempotent, staff simply
//! run it again.

use api::followers::{BulkJob, BulkKind, Selection, SyncStatus, TAGGING_BATCH};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use wechat::client::oa::OaClient;

use super::{queries, service};
use crate::{
    audit::{self, Actor},
    entities::db_enum::DbEnum,
    entities::{follower, follower_bulk_job as job},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// How many jobs the list shows.
pub const LIST_LIMIT: u64 = 20;
/// A running job not updated for this long lost its instance (a batch takes seconds at most).
const STALE_AFTER: Duration = Duration::minutes(2);
/// The error shown for a job whose instance stopped while it ran.
const INTERRUPTED: &str = "interrupted: the server stopped while this job ran; run it again (already tagged followers are skipped by WeChat)";

/// The job as staff see it at `now`: a `running` row nobody updated lately is shown failed.
pub fn to_api(m: &job::Model, now: OffsetDateTime) -> BulkJob {
    let interrupted = m.status == SyncStatus::Running && now - m.updated_at > STALE_AFTER;
    let (status, error) = match *m.status {
        _ if interrupted => (SyncStatus::Failed, Some(INTERRUPTED.to_string())),
        SyncStatus::Running => (SyncStatus::Running, None),
        SyncStatus::Done => (SyncStatus::Done, None),
        SyncStatus::Failed => (SyncStatus::Failed, m.error.clone()),
    };
    BulkJob {
        id: m.id,
        kind: BulkKind::parse(&m.kind),
        target_id: m.target_id,
        status,
        total: m.total.max(0) as u64,
        done: m.done.max(0) as u64,
        calls: m.calls.max(0) as u64,
        error,
        started_by: m.started_by.clone(),
        started_at: rfc3339(m.started_at),
        finished_at: m.finished_at.map(rfc3339),
    }
}

/// The account's latest jobs, newest first.
pub async fn list(db: &DatabaseConnection, account_id: i64) -> AppResult<Vec<BulkJob>> {
    let rows = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .order_by_desc(job::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let now = OffsetDateTime::now_utc();
    Ok(rows.iter().map(|m| to_api(m, now)).collect())
}

pub async fn get(db: &DatabaseConnection, account_id: i64, job_id: i64) -> AppResult<BulkJob> {
    let m = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(job::Column::Id.eq(job_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_api(&m, OffsetDateTime::now_utc()))
}

/// Validates the target and the selection, records the job and starts it in the background.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    kind: BulkKind,
    target_id: i64,
    selection: &Selection,
) -> AppResult<BulkJob> {
    service::tag_exists(
        &state.db,
        account_id,
        target_id,
        kind == BulkKind::MoveGroup,
    )
    .await?;
    let now = OffsetDateTime::now_utc();
    // One job per account at a time: each may make 2,000 calls against the account's API quota,
    // and two staff members starting one each would race for it. (Two requests in the same
    // instant can both pass this check; tagging is idempotent, so that costs quota, not data.)
    let running = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(job::Column::Status.eq(DbEnum(SyncStatus::Running)))
        .filter(job::Column::UpdatedAt.gt(now - STALE_AFTER))
        .one(&state.db)
        .await?;
    if let Some(r) = running {
        return Err(AppError::refused(
            "bulk_job_running",
            format!(
                "bulk job #{} started by {} is still running on this account: wait for it to end",
                r.id, r.started_by
            ),
        ));
    }
    let selected = service::select(&state.db, account_id, selection).await?;
    let client = wechat_clients::oa(state, account_id).await?;
    let row = job::ActiveModel {
        account_id: Set(account_id),
        kind: Set(kind.as_str().to_string()),
        target_id: Set(target_id),
        status: Set(SyncStatus::Running.into()),
        total: Set(selected.len() as i64),
        done: Set(0),
        calls: Set(0),
        error: Set(None),
        started_by: Set(actor.name.clone()),
        started_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    let api_job = to_api(&row, now);
    tokio::spawn(run(
        state.db.clone(),
        client,
        actor.clone(),
        row,
        kind,
        selected,
    ));
    Ok(api_job)
}

/// Followers processed and calls made so far by one run.
#[derive(Default)]
struct Progress {
    done: i64,
    calls: i64,
}

async fn run(
    db: DatabaseConnection,
    client: OaClient,
    actor: Actor,
    row: job::Model,
    kind: BulkKind,
    selected: Vec<(i64, String)>,
) {
    let mut progress = Progress::default();
    let result = run_batches(&db, &client, &row, kind, &selected, &mut progress).await;
    let (status, error) = match result {
        Ok(()) => (SyncStatus::Done, None),
        Err(e) => (SyncStatus::Failed, Some(e)),
    };
    let now = OffsetDateTime::now_utc();
    let ended = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(DbEnum(status)))
        .col_expr(job::Column::Error, Expr::value(error.clone()))
        .col_expr(job::Column::Done, Expr::value(progress.done))
        .col_expr(job::Column::Calls, Expr::value(progress.calls))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .filter(job::Column::Id.eq(row.id))
        .exec(&db)
        .await;
    if let Err(e) = ended {
        tracing::error!(account_id = row.account_id, job_id = row.id, error = %e, "could not record the end of a bulk follower job");
    }
    let target = row.target_id;
    let (action, verb) = match kind {
        BulkKind::Tag => ("tag.tag", format!("tagged with tag {target}")),
        BulkKind::Untag => ("tag.untag", format!("untagged from tag {target}")),
        BulkKind::MoveGroup => ("group.move", format!("moved to group {target}")),
    };
    let summary = match &error {
        None => format!("{} followers {verb}", progress.done),
        Some(e) => format!(
            "{} of {} followers {verb}, then failed: {e}",
            progress.done,
            selected.len()
        ),
    };
    let id_field = if kind == BulkKind::MoveGroup {
        "group_id"
    } else {
        "tag_id"
    };
    let recorded = audit::service::record(
        &db,
        &actor,
        action,
        "account",
        Some(row.account_id),
        summary,
        json!({
            id_field: target,
            "job_id": row.id,
            "count": progress.done,
            "selected": selected.len(),
            "status": status,
        }),
    )
    .await;
    if let Err(e) = recorded {
        tracing::error!(account_id = row.account_id, job_id = row.id, error = %e, "could not audit a bulk follower job");
    }
}

/// Calls WeChat batch by batch; each accepted batch is stored with the job's progress in one
/// transaction. Stops at the first refusal with WeChat's error explained.
async fn run_batches(
    db: &DatabaseConnection,
    client: &OaClient,
    row: &job::Model,
    kind: BulkKind,
    selected: &[(i64, String)],
    progress: &mut Progress,
) -> Result<(), String> {
    let target = row.target_id;
    for batch in selected.chunks(TAGGING_BATCH) {
        let openids: Vec<String> = batch.iter().map(|(_, o)| o.clone()).collect();
        let ids: Vec<i64> = batch.iter().map(|(i, _)| *i).collect();
        progress.calls += 1;
        let accepted = match kind {
            BulkKind::Tag => client.tags_batch_tagging(target, &openids).await,
            BulkKind::Untag => client.tags_batch_untagging(target, &openids).await,
            BulkKind::MoveGroup => client.groups_move_members(&openids, target).await,
        };
        accepted.map_err(|e| wechat_clients::describe(&e))?;
        progress.done += batch.len() as i64;
        store_batch(db, row, kind, &ids, progress)
            .await
            .map_err(|e| format!("WeChat accepted a batch but storing it failed: {e}"))?;
    }
    Ok(())
}

async fn store_batch(
    db: &DatabaseConnection,
    row: &job::Model,
    kind: BulkKind,
    ids: &[i64],
    progress: &Progress,
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    // The job row first: on SQLite a transaction that reads before its first write fails with
    // SQLITE_BUSY_SNAPSHOT (517) when another connection wrote meanwhile (a session touched by a
    // poll, a callback); starting with a write takes the write lock up front instead.
    job::Entity::update_many()
        .col_expr(job::Column::Done, Expr::value(progress.done))
        .col_expr(job::Column::Calls, Expr::value(progress.calls))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    match kind {
        BulkKind::Tag | BulkKind::Untag => {
            queries::set_membership(
                &txn,
                row.account_id,
                ids,
                row.target_id,
                kind == BulkKind::Tag,
            )
            .await?;
        }
        BulkKind::MoveGroup => {
            follower::Entity::update_many()
                .col_expr(follower::Column::GroupId, Expr::value(row.target_id))
                .col_expr(follower::Column::UpdatedAt, Expr::value(now))
                .filter(follower::Column::AccountId.eq(row.account_id))
                .filter(follower::Column::Id.is_in(ids.iter().copied()))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
