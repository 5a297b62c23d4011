//! The nightly reconcile (夜间核对): once a Beijing night, from 03:00, the drift check of every
//! WeCom app that has a contacts mirror, its result stored for the overview and the drift card.
//! Nothing is repaired: staff decide per item.
//!
//! Every instance runs [`nightly_loop`]. A night of an app is claimed by inserting its row
//! (`account_id`, `day` is unique: one insert lands) with a lease; a row left `running` by an
//! instance that died, or `failed`, is taken over by one conditional update once its lease ran
//! out. A done night is never run again.

use api::accounts::{AccountKind, WechatEnv};
use api::wecom_contacts::{DriftReport, DriftRun, DriftRunState};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
    sea_query::ExprTrait,
};
use time::{Duration, OffsetDateTime};

use super::{drift, sync};
use crate::{
    entities::wecom_drift_check as check,
    error::{AppError, AppResult},
    pay::days::{cst, date_str},
    state::AppState,
    util::rfc3339,
};

/// The hour (Beijing) from which a night's check runs.
pub const FROM_HOUR: u8 = 3;
/// How long a claim protects a running check.
const LEASE: Duration = Duration::minutes(10);
/// A failed night is tried again after this long (the same night only).
const RETRY: Duration = Duration::hours(1);

/// Claims `day` of `account_id`; the claimed row, or `None` when another instance holds it or
/// it is done.
pub async fn claim(
    state: &AppState,
    account_id: i64,
    day: &str,
) -> AppResult<Option<check::Model>> {
    let now = OffsetDateTime::now_utc();
    let key = || {
        Condition::all()
            .add(check::Column::AccountId.eq(account_id))
            .add(check::Column::Day.eq(day))
    };
    let inserted = check::Entity::insert(check::ActiveModel {
        account_id: Set(account_id),
        day: Set(day.to_string()),
        state: Set(DriftRunState::Running.as_str().into()),
        lease_until: Set(now + LEASE),
        attempts: Set(1),
        departments: Set(0),
        members: Set(0),
        tags: Set(0),
        differences: Set(0),
        report: Set("{}".into()),
        error: Set(None),
        started_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if e.sql_err().is_some() => {
            let r = check::Entity::update_many()
                .col_expr(
                    check::Column::State,
                    Expr::value(DriftRunState::Running.as_str()),
                )
                .col_expr(check::Column::LeaseUntil, Expr::value(now + LEASE))
                .col_expr(
                    check::Column::Attempts,
                    Expr::col(check::Column::Attempts).add(1),
                )
                .col_expr(check::Column::StartedAt, Expr::value(now))
                .filter(key())
                .filter(check::Column::State.ne(DriftRunState::Done.as_str()))
                .filter(check::Column::LeaseUntil.lt(now))
                .exec(&state.db)
                .await?;
            if r.rows_affected != 1 {
                return Ok(None);
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(check::Entity::find().filter(key()).one(&state.db).await?)
}

/// Settles a claimed night, if the claim (its attempt number) is still the current one.
async fn settle(
    state: &AppState,
    row: &check::Model,
    result: Result<DriftReport, AppError>,
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let mut q = check::Entity::update_many()
        .col_expr(check::Column::FinishedAt, Expr::value(Some(now)))
        .filter(check::Column::Id.eq(row.id))
        .filter(check::Column::State.eq(DriftRunState::Running.as_str()))
        .filter(check::Column::Attempts.eq(row.attempts));
    q = match &result {
        Ok(r) => q
            .col_expr(
                check::Column::State,
                Expr::value(DriftRunState::Done.as_str()),
            )
            .col_expr(
                check::Column::Departments,
                Expr::value(r.departments as i64),
            )
            .col_expr(check::Column::Members, Expr::value(r.members as i64))
            .col_expr(check::Column::Tags, Expr::value(r.tags as i64))
            .col_expr(
                check::Column::Differences,
                Expr::value(r.items.len() as i64),
            )
            .col_expr(
                check::Column::Report,
                Expr::value(serde_json::to_string(r).map_err(AppError::internal)?),
            )
            .col_expr(check::Column::Error, Expr::value(None::<String>)),
        Err(e) => q
            .col_expr(
                check::Column::State,
                Expr::value(DriftRunState::Failed.as_str()),
            )
            // Not before an hour has passed.
            .col_expr(check::Column::LeaseUntil, Expr::value(now + RETRY))
            .col_expr(check::Column::Error, Expr::value(Some(e.to_string()))),
    };
    q.exec(&state.db).await?;
    Ok(())
}

/// Runs `day`'s check of `account_id` if this call claims it: `true` when it ran.
pub async fn run(state: &AppState, account_id: i64, day: &str) -> AppResult<bool> {
    let Some(row) = claim(state, account_id, day).await? else {
        return Ok(false);
    };
    let result = drift::check(state, account_id).await;
    if let Err(e) = &result {
        tracing::warn!(account_id, day, error = %e, "nightly contacts reconcile failed");
    }
    settle(state, &row, result).await?;
    Ok(true)
}

/// The WeCom apps to reconcile: those with a mirror (a contacts sync ran), production ones, and
/// sandbox ones when the sandbox runs.
async fn apps(state: &AppState) -> AppResult<Vec<i64>> {
    let mut out = Vec::new();
    for a in crate::accounts::queries::list(&state.db, Some(AccountKind::WorkApp), None).await? {
        if a.environment != WechatEnv::Production && !state.settings.sandbox {
            continue;
        }
        if sync::status(state, a.id).await?.job.is_some() {
            out.push(a.id);
        }
    }
    Ok(out)
}

/// Tonight's checks as if it were `now` (from 03:00 Beijing); how many this call ran.
pub async fn nightly_at(state: &AppState, now: OffsetDateTime) -> AppResult<usize> {
    let now = now.to_offset(cst());
    if now.hour() < FROM_HOUR {
        return Ok(0);
    }
    let day = date_str(now.date());
    let mut ran = 0;
    for id in apps(state).await? {
        if run(state, id, &day).await? {
            ran += 1;
        }
    }
    Ok(ran)
}

/// Every instance runs this every 10 minutes (cheap once the night is done), the first time
/// 5 minutes after start-up.
pub async fn nightly_loop(state: AppState) {
    let every = std::time::Duration::from_secs(10 * 60);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(5 * 60);
    let mut tick = tokio::time::interval_at(first, every);
    loop {
        tick.tick().await;
        if let Err(e) = nightly_at(&state, OffsetDateTime::now_utc()).await {
            tracing::warn!(error = %e, "nightly contacts reconcile pass failed");
        }
    }
}

fn to_api(m: &check::Model, with_report: bool) -> DriftRun {
    DriftRun {
        day: m.day.clone(),
        state: DriftRunState::parse(&m.state).unwrap_or(DriftRunState::Failed),
        started_at: rfc3339(m.started_at),
        finished_at: m.finished_at.map(rfc3339),
        differences: u64::try_from(m.differences).unwrap_or(0),
        report: with_report
            .then(|| serde_json::from_str::<DriftReport>(&m.report).ok())
            .flatten(),
        error: m.error.clone(),
    }
}

/// The latest night's check of an app (its report too when `with_report`).
pub async fn last(
    state: &AppState,
    account_id: i64,
    with_report: bool,
) -> AppResult<Option<DriftRun>> {
    Ok(check::Entity::find()
        .filter(check::Column::AccountId.eq(account_id))
        .order_by_desc(check::Column::Day)
        .one(&state.db)
        .await?
        .map(|m| to_api(&m, with_report)))
}
