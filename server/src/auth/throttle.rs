//! Login throttling, shared across instances through the `login_failures` table.
//!
//! - Per (username, client IP) pair: the first [`FREE_FAILURES`] failures cost nothing; after
//!   that each attempt must wait 1 s, 2 s, 4 s … (doubling per further failure, at most
//!   [`MAX_DELAY`]) after the pair's last failure. An attacker's failures from one address
//!   therefore never lock the real user out from another.
//! - Per client IP, a looser ceiling for abuse spread over many usernames: at most
//!   [`MAX_PER_IP`] failures in [`IP_WINDOW`].
//!
//! An attempt is recorded *before* the password is verified ([`begin`]) and the limits are
//! checked against the rows recorded before it, so a concurrent burst cannot pass the check
//! before any failure is stored: of simultaneous attempts at most the allowance is verified.
//! A refused or successful attempt removes its row again; a failed one keeps it.

use std::time::Duration;

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;

use crate::{entities::login_failure, error::AppError};

/// Failures of a (username, IP) pair before the backoff starts.
pub const FREE_FAILURES: u64 = 5;
/// The longest wait the backoff imposes.
pub const MAX_DELAY: time::Duration = time::Duration::minutes(15);
/// Failures older than this are forgotten (and the backoff with them).
pub const MEMORY: time::Duration = time::Duration::hours(24);
/// Failures from one client IP, over any usernames, allowed in [`IP_WINDOW`].
pub const MAX_PER_IP: u64 = 100;
pub const IP_WINDOW: time::Duration = time::Duration::minutes(15);

pub fn normalize(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

fn ip_key(ip: &str) -> String {
    ip.chars().take(64).collect()
}

/// The wait after the last failure once a pair has `failures` failures: none below
/// [`FREE_FAILURES`], then 1 s, 2 s, 4 s … capped at [`MAX_DELAY`].
pub fn backoff(failures: u64) -> time::Duration {
    if failures < FREE_FAILURES {
        return time::Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    time::Duration::seconds(1i64 << doublings).min(MAX_DELAY)
}

/// `wait` rounded up to whole seconds, at least one (databases store the instants with less
/// precision than the clock, so a wait may fall a fraction short of the delay).
fn whole_seconds(wait: time::Duration) -> Duration {
    let mut secs = wait.whole_seconds();
    if wait.subsec_nanoseconds() > 0 {
        secs += 1;
    }
    Duration::from_secs(secs.max(1) as u64)
}

/// A recorded attempt: [`Attempt::failed`] keeps it, [`Attempt::succeeded`] and
/// [`Attempt::withdraw`] remove it.
#[must_use]
pub struct Attempt {
    id: i64,
    username: String,
    ip: String,
}

/// Record an attempt of `username` from `ip`, then refuse it (429, its row removed) if the
/// attempts recorded before it already exhaust the pair's backoff or the IP's ceiling.
pub async fn begin(
    db: &DatabaseConnection,
    username: &str,
    ip: &str,
    now: OffsetDateTime,
) -> Result<Attempt, AppError> {
    let attempt = Attempt {
        id: login_failure::Entity::insert(login_failure::ActiveModel {
            username: Set(normalize(username)),
            ip: Set(ip_key(ip)),
            at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await?
        .last_insert_id,
        username: normalize(username),
        ip: ip_key(ip),
    };
    match refusal(db, &attempt, now).await {
        Ok(None) => Ok(attempt),
        Ok(Some(retry_after)) => {
            attempt.withdraw(db).await?;
            Err(AppError::RateLimited { retry_after })
        }
        Err(e) => {
            attempt.withdraw(db).await.ok();
            Err(e)
        }
    }
}

/// How long `attempt` must wait, judged by the other attempts on record.
async fn refusal(
    db: &DatabaseConnection,
    attempt: &Attempt,
    now: OffsetDateTime,
) -> Result<Option<Duration>, AppError> {
    let others = || login_failure::Entity::find().filter(login_failure::Column::Id.ne(attempt.id));
    let pair = || {
        others()
            .filter(login_failure::Column::Username.eq(attempt.username.as_str()))
            .filter(login_failure::Column::Ip.eq(attempt.ip.as_str()))
            .filter(login_failure::Column::At.gt(now - MEMORY))
    };
    let failures = pair().count(db).await?;
    let mut wait = time::Duration::ZERO;
    let delay = backoff(failures);
    if delay > time::Duration::ZERO {
        let last: Option<OffsetDateTime> = pair()
            .select_only()
            .column(login_failure::Column::At)
            .order_by_desc(login_failure::Column::At)
            .into_tuple()
            .one(db)
            .await?;
        if let Some(last) = last {
            wait = wait.max(last + delay - now);
        }
    }
    // The IP ceiling: the oldest of its last MAX_PER_IP failures must leave the window first.
    let recent_by_ip: Vec<OffsetDateTime> = others()
        .select_only()
        .column(login_failure::Column::At)
        .filter(login_failure::Column::Ip.eq(attempt.ip.as_str()))
        .filter(login_failure::Column::At.gt(now - IP_WINDOW))
        .order_by_desc(login_failure::Column::At)
        .limit(MAX_PER_IP)
        .into_tuple()
        .all(db)
        .await?;
    if recent_by_ip.len() as u64 >= MAX_PER_IP
        && let Some(oldest) = recent_by_ip.last()
    {
        wait = wait.max((*oldest + IP_WINDOW - now).max(time::Duration::seconds(1)));
    }
    Ok((wait > time::Duration::ZERO).then(|| whole_seconds(wait)))
}

impl Attempt {
    /// The password was wrong: the attempt stays on record; stale rows are dropped.
    pub async fn failed(
        self,
        db: &DatabaseConnection,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::At.lt(now - MEMORY))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Signed in: forget this pair's failures (other addresses keep theirs).
    pub async fn succeeded(self, db: &DatabaseConnection) -> Result<(), AppError> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Username.eq(self.username.as_str()))
            .filter(login_failure::Column::Ip.eq(self.ip.as_str()))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Neither success nor failure (refused, or the verifier was busy): remove the record.
    pub async fn withdraw(self, db: &DatabaseConnection) -> Result<(), AppError> {
        login_failure::Entity::delete_by_id(self.id)
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Forget every failure of `username`, from any address (the admin unlock). Returns how many.
pub async fn clear_username(db: &DatabaseConnection, username: &str) -> Result<u64, AppError> {
    let res = login_failure::Entity::delete_many()
        .filter(login_failure::Column::Username.eq(normalize(username)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_after_the_free_failures_and_is_capped() {
        assert_eq!(backoff(0), time::Duration::ZERO);
        assert_eq!(backoff(FREE_FAILURES - 1), time::Duration::ZERO);
        assert_eq!(backoff(FREE_FAILURES), time::Duration::seconds(1));
        assert_eq!(backoff(FREE_FAILURES + 1), time::Duration::seconds(2));
        assert_eq!(backoff(FREE_FAILURES + 2), time::Duration::seconds(4));
        assert_eq!(backoff(FREE_FAILURES + 9), time::Duration::seconds(512));
        assert_eq!(backoff(FREE_FAILURES + 10), MAX_DELAY);
        assert_eq!(backoff(u64::MAX), MAX_DELAY);
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        let d = |ms| whole_seconds(time::Duration::milliseconds(ms)).as_secs();
        assert_eq!(d(899_999), 900);
        assert_eq!(d(900_000), 900);
        assert_eq!(d(1), 1);
        assert_eq!(d(0), 1);
    }
}
