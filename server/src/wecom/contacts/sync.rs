//! The full contacts sync, WeCom's compliant path since 2022: `department/simplelist` and
//! `user/list_id` (cursor pages) through the contacts secret (else the app secret), then
//! department names (`department/list`) and each member's details (`user/get`) through the app
//! secret, then tags (`tag/list`, `tag/get`). Members stored by a run carry its id, so a run
//! that failed or was interrupted (a `running` job whose lease expired) resumes where it stopped.
//! A run with any item it could not read ends `partial` with counts and per-item reasons, never
//! `succeeded`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::time::Duration;

use api::wecom_contacts::{ContactSyncJob, ContactSyncState, ContactSyncStatus, SyncFailure};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use time::OffsetDateTime;

use super::mirror::{self, Clients};
use crate::{
    entities::{
        wecom_contact_sync_job as job, wecom_department as dept, wecom_member as member,
        wecom_tag as tag,
    },
    error::{AppError, AppResult},
    oa::followers::sync::Counters,
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// Members per `user/list_id` page (WeCom's maximum).
const LIST_ID_PAGE: u32 = 10_000;
/// How long a running job's lease lasts without progress.
const LEASE: Duration = Duration::from_secs(120);
/// Per-item failures kept on the job (the count stays exact).
const MAX_FAILURES_KEPT: usize = 200;
/// Progress is written every this many members.
const PROGRESS_EVERY: i64 = 20;

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn status_of(m: &job::Model) -> ContactSyncStatus {
    match m.status.as_str() {
        "running" if m.lease_until_ms >= now_ms() => ContactSyncStatus::Running,
        "running" | "failed" => ContactSyncStatus::Failed,
        "partial" => ContactSyncStatus::Partial,
        _ => ContactSyncStatus::Succeeded,
    }
}

pub fn to_api(m: &job::Model) -> ContactSyncJob {
    let status = status_of(m);
    let error = match (&m.error, m.status.as_str(), status) {
        (None, "running", ContactSyncStatus::Failed) => {
            Some("interrupted: start the sync again to resume it".to_string())
        }
        (e, _, _) => e.clone(),
    };
    ContactSyncJob {
        id: m.id,
        status,
        phase: m.phase.clone(),
        started_by: m.started_by.clone(),
        departments: m.departments,
        members_total: m.members_total,
        members_done: m.members_done,
        tags: m.tags,
        failed: m.failed,
        calls: m.calls,
        failures: m
            .failures
            .as_deref()
            .and_then(|f| serde_json::from_str(f).ok())
            .unwrap_or_default(),
        error,
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

/// The latest sync and what the mirror holds.
pub async fn status(state: &AppState, account_id: i64) -> AppResult<ContactSyncState> {
    let db = &state.db;
    let job = latest(db, account_id).await?;
    let departments = dept::Entity::find()
        .filter(dept::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    let members = member::Entity::find()
        .filter(member::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    let tags = tag::Entity::find()
        .filter(tag::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    let has_contacts_secret =
        crate::accounts::service::reveal_secret(state, account_id, "contacts_secret")
            .await?
            .is_some_and(|s| !s.is_empty());
    let managed_corp = crate::accounts::queries::find(db, account_id)
        .await?
        .is_some_and(|m| crate::wecom::suite::managed::link_of(&m).is_some());
    Ok(ContactSyncState {
        job: job.as_ref().map(to_api),
        departments,
        members,
        tags,
        has_contacts_secret,
        managed_corp,
    })
}

/// Starts a full sync in the background, or resumes the latest one if it failed or was
/// interrupted. 409 while one runs.
pub async fn start(state: &AppState, account_id: i64, actor: &str) -> AppResult<ContactSyncJob> {
    let clients = Clients::load(state, account_id).await?;
    let db = &state.db;
    let now = OffsetDateTime::now_utc();
    let lease = now_ms() + LEASE.as_millis() as i64;
    let job = match latest(db, account_id).await? {
        Some(j) if status_of(&j) == ContactSyncStatus::Running => {
            return Err(AppError::refused(
                "contacts_sync_running",
                "a contacts sync of this account is already running",
            ));
        }
        // Take the interrupted or failed run over: one conditional update, so two starts
        // cannot both resume it.
        Some(j) if status_of(&j) == ContactSyncStatus::Failed => {
            let taken = job::Entity::update_many()
                .col_expr(job::Column::Status, Expr::value("running"))
                .col_expr(job::Column::LeaseUntilMs, Expr::value(lease))
                .col_expr(job::Column::Error, Expr::value(Option::<String>::None))
                // Items that failed are read again, so their reasons start over.
                .col_expr(job::Column::Failed, Expr::value(0i64))
                .col_expr(job::Column::Failures, Expr::value(Option::<String>::None))
                .col_expr(job::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    job::Column::FinishedAt,
                    Expr::value(Option::<OffsetDateTime>::None),
                )
                .filter(job::Column::Id.eq(j.id))
                .filter(job::Column::LeaseUntilMs.eq(j.lease_until_ms))
                .exec(db)
                .await?;
            if taken.rows_affected != 1 {
                return Err(AppError::refused(
                    "contacts_sync_running",
                    "a contacts sync of this account is already running",
                ));
            }
            job::Entity::find_by_id(j.id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
        }
        _ => {
            job::ActiveModel {
                account_id: Set(account_id),
                status: Set("running".into()),
                phase: Set("departments".into()),
                started_by: Set(actor.chars().take(64).collect()),
                departments: Set(0),
                members_total: Set(0),
                members_done: Set(0),
                tags: Set(0),
                failed: Set(0),
                calls: Set(0),
                failures: Set(None),
                error: Set(None),
                lease_until_ms: Set(lease),
                started_at: Set(now),
                updated_at: Set(now),
                finished_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    let out = to_api(&job);
    tokio::spawn(run(state.db.clone(), clients, job));
    Ok(out)
}

/// What one run collects as it goes.
struct Run {
    db: DatabaseConnection,
    job: job::Model,
    failures: Vec<SyncFailure>,
    counters: Counters,
}

impl Run {
    fn fail_item(&mut self, kind: &str, id: impl ToString, e: &wechat::Error) {
        self.job.failed += 1;
        if self.failures.len() < MAX_FAILURES_KEPT {
            self.failures.push(SyncFailure {
                kind: kind.into(),
                id: id.to_string(),
                reason: wechat_clients::describe(e),
            });
        }
    }

    /// Writes progress and renews the lease.
    async fn save(&mut self, phase: &str) -> AppResult<()> {
        let now = OffsetDateTime::now_utc();
        self.job.phase = phase.into();
        let mut am: job::ActiveModel = self.job.clone().into();
        am.phase = Set(phase.into());
        am.departments = Set(self.job.departments);
        am.members_total = Set(self.job.members_total);
        am.members_done = Set(self.job.members_done);
        am.tags = Set(self.job.tags);
        am.failed = Set(self.job.failed);
        am.calls = Set(self.counters.calls.load(Ordering::Relaxed));
        am.failures = Set(Some(
            serde_json::to_string(&self.failures).map_err(AppError::internal)?,
        ));
        am.lease_until_ms = Set(now_ms() + LEASE.as_millis() as i64);
        am.updated_at = Set(now);
        self.job = am.update(&self.db).await?;
        Ok(())
    }
}

async fn run(db: DatabaseConnection, clients: Clients, job: job::Model) {
    let account_id = job.account_id;
    let failures: Vec<SyncFailure> = job
        .failures
        .as_deref()
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or_default();
    let counters = Counters::default();
    counters.calls.store(job.calls, Ordering::Relaxed);
    let mut r = Run {
        db,
        job,
        failures,
        counters,
    };
    let outcome = phases(&mut r, &clients).await;
    let (status, error) = match outcome {
        Ok(()) if r.job.failed == 0 => ("succeeded", None),
        Ok(()) => ("partial", None),
        Err(e) => ("failed", Some(e)),
    };
    let phase = if error.is_some() {
        r.job.phase.clone()
    } else {
        "done".to_string()
    };
    let saved = async {
        r.save(&phase).await?;
        let mut am: job::ActiveModel = r.job.clone().into();
        am.status = Set(status.into());
        am.error = Set(error.clone());
        am.finished_at = Set(Some(OffsetDateTime::now_utc()));
        am.update(&r.db).await?;
        AppResult::Ok(())
    }
    .await;
    if let Err(e) = saved {
        tracing::error!(account_id, error = %e, "could not record the end of a contacts sync");
    }
    match error {
        Some(e) => tracing::warn!(account_id, error = %e, "contacts sync failed"),
        None => tracing::info!(account_id, status, "contacts sync finished"),
    }
}

fn wx(e: wechat::Error) -> String {
    wechat_clients::describe(&e)
}

async fn phases(r: &mut Run, clients: &Clients) -> Result<(), String> {
    let account_id = r.job.account_id;
    let reader = clients.reader().clone();
    let app = clients.app.clone();
    let c = r.counters.clone();
    let e = |x: AppError| x.to_string();

    // Departments: ids and places, then names through the app secret.
    r.save("departments").await.map_err(e)?;
    let ids = c
        .call(|| reader.department_simple_list(None))
        .await
        .map_err(wx)?;
    let names: BTreeMap<i64, (String, String)> = match c.call(|| app.department_list(None)).await {
        Ok(list) => list
            .into_iter()
            .filter_map(|d| Some((d.id?, (d.name, d.name_en.unwrap_or_default()))))
            .collect(),
        Err(x) => {
            r.fail_item("department", "*", &x);
            BTreeMap::new()
        }
    };
    for d in &ids {
        let (name, name_en) = names.get(&d.id).cloned().unwrap_or_default();
        mirror::store_department(
            &r.db, account_id, d.id, &name, &name_en, d.parentid, d.order,
        )
        .await
        .map_err(e)?;
    }
    let keep: Vec<i64> = ids.iter().map(|d| d.id).collect();
    let gone: Vec<i64> = dept::Entity::find()
        .select_only()
        .column(dept::Column::DeptId)
        .filter(dept::Column::AccountId.eq(account_id))
        .into_tuple::<i64>()
        .all(&r.db)
        .await
        .map_err(|x| x.to_string())?
        .into_iter()
        .filter(|id| !keep.contains(id))
        .collect();
    for id in gone {
        mirror::delete_department(&r.db, account_id, id)
            .await
            .map_err(e)?;
    }
    r.job.departments = ids.len() as i64;

    // Members: every membership through user/list_id's cursor.
    r.save("members").await.map_err(e)?;
    let mut userids: BTreeSet<String> = BTreeSet::new();
    let mut cursor = String::new();
    loop {
        let cur = cursor.clone();
        let page = c
            .call(|| reader.user_list_id(&cur, LIST_ID_PAGE))
            .await
            .map_err(wx)?;
        userids.extend(page.dept_user.into_iter().map(|p| p.userid));
        if page.next_cursor.is_empty() {
            break;
        }
        cursor = page.next_cursor;
    }
    let stored: Vec<(String, Option<i64>)> = member::Entity::find()
        .select_only()
        .column(member::Column::Userid)
        .column(member::Column::SyncJobId)
        .filter(member::Column::AccountId.eq(account_id))
        .into_tuple()
        .all(&r.db)
        .await
        .map_err(|x| x.to_string())?;
    for (u, _) in stored.iter().filter(|(u, _)| !userids.contains(u)) {
        mirror::delete_member(&r.db, account_id, u)
            .await
            .map_err(e)?;
    }
    let done_before: BTreeSet<&String> = stored
        .iter()
        .filter(|(_, j)| *j == Some(r.job.id))
        .map(|(u, _)| u)
        .collect();
    r.job.members_total = userids.len() as i64;
    r.job.members_done = userids.iter().filter(|u| done_before.contains(u)).count() as i64;

    // Details through the app secret (restricted fields stay unknown for post-2022 apps).
    r.save("details").await.map_err(e)?;
    for (i, u) in userids
        .iter()
        .filter(|u| !done_before.contains(u))
        .enumerate()
    {
        match c.call(|| app.user_get(u)).await {
            Ok(user) => {
                mirror::store_member(&r.db, account_id, &user, Some(r.job.id))
                    .await
                    .map_err(e)?;
                r.job.members_done += 1;
            }
            Err(x) => r.fail_item("member", u, &x),
        }
        if (i as i64 + 1) % PROGRESS_EVERY == 0 {
            r.save("details").await.map_err(e)?;
        }
    }

    // Tags with their members.
    r.save("tags").await.map_err(e)?;
    let tags = c.call(|| reader.tag_list()).await.map_err(wx)?;
    for t in &tags {
        match c.call(|| reader.tag_get(t.tagid)).await {
            Ok(v) => {
                let (_, users, parties) = mirror::tag_members_of(&v);
                mirror::store_tag(
                    &r.db, account_id, t.tagid, &t.tagname, &users, &parties, None,
                )
                .await
                .map_err(e)?;
            }
            Err(x) => r.fail_item("tag", t.tagid, &x),
        }
    }
    let keep: Vec<i64> = tags.iter().map(|t| t.tagid).collect();
    let gone: Vec<i64> = tag::Entity::find()
        .select_only()
        .column(tag::Column::TagId)
        .filter(tag::Column::AccountId.eq(account_id))
        .into_tuple::<i64>()
        .all(&r.db)
        .await
        .map_err(|x| x.to_string())?
        .into_iter()
        .filter(|id| !keep.contains(id))
        .collect();
    for id in gone {
        mirror::delete_tag(&r.db, account_id, id).await.map_err(e)?;
    }
    r.job.tags = tags.len() as i64;
    Ok(())
}
