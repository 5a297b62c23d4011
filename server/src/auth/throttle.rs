//! Login throttling, shared across instances through the `login_failures` table:
//! at most 5 failures per username and 20 per client IP in 15 minutes.

use std::time::Duration;

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use crate::{entities::login_failure, error::AppError};

pub const WINDOW: time::Duration = time::Duration::minutes(15);
pub const MAX_PER_USERNAME: usize = 5;
pub const MAX_PER_IP: usize = 20;

pub fn normalize(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

async fn retry_after(
    db: &DatabaseConnection,
    column: login_failure::Column,
    value: &str,
    limit: usize,
    now: OffsetDateTime,
) -> Result<Option<Duration>, AppError> {
    let times: Vec<OffsetDateTime> = login_failure::Entity::find()
        .select_only()
        .column(login_failure::Column::At)
        .filter(column.eq(value))
        .filter(login_failure::Column::At.gt(now - WINDOW))
        .order_by_desc(login_failure::Column::At)
        .limit(limit as u64)
        .into_tuple()
        .all(db)
        .await?;
    if times.len() < limit {
        return Ok(None);
    }
    // The oldest of the last `limit` failures must leave the window first.
    let oldest = times[limit - 1];
    let wait = (oldest + WINDOW - now).max(time::Duration::seconds(1));
    Ok(Some(
        Duration::from_secs(wait.whole_seconds().max(1) as u64),
    ))
}

/// Refuse with 429 when either limit is reached.
pub async fn check(db: &DatabaseConnection, username: &str, ip: &str) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let by_user = retry_after(
        db,
        login_failure::Column::Username,
        &normalize(username),
        MAX_PER_USERNAME,
        now,
    )
    .await?;
    let by_ip = retry_after(db, login_failure::Column::Ip, ip, MAX_PER_IP, now).await?;
    match by_user.into_iter().chain(by_ip).max() {
        Some(retry_after) => Err(AppError::RateLimited { retry_after }),
        None => Ok(()),
    }
}

pub async fn record_failure(
    db: &DatabaseConnection,
    username: &str,
    ip: &str,
) -> Result<(), AppError> {
    login_failure::Entity::insert(login_failure::ActiveModel {
        username: Set(normalize(username)),
        ip: Set(ip.chars().take(64).collect()),
        at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    // Old rows are useless; drop them now and then.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(OffsetDateTime::now_utc() - WINDOW))
        .exec(db)
        .await?;
    Ok(())
}

/// A successful sign-in forgets the username's failures.
pub async fn clear(db: &DatabaseConnection, username: &str) -> Result<(), AppError> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Username.eq(normalize(username)))
        .exec(db)
        .await?;
    Ok(())
}
