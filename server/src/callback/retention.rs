//! Pruning on a schedule (every instance may run it; deletes are idempotent): nonces older than
//! twice the timestamp window (at least an hour), deliveries older than
//! `callback_retention_days`, and pay notifications of orders settled more than
//! `pay_notification_retention_days` ago. Messages are never pruned here: they are the log.

use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use super::pipeline::prune_nonces;
use crate::{entities::callback_delivery, error::AppResult, state::AppState};

const TICK: Duration = Duration::from_secs(600);

/// How long nonces are kept for a timestamp window of `window_secs`.
pub fn nonce_keep(window_secs: u64) -> Duration {
    Duration::from_secs(window_secs.saturating_mul(2).max(3600))
}

/// Deletes deliveries received before `older_than`.
pub async fn prune_deliveries<C: ConnectionTrait>(
    db: &C,
    older_than: OffsetDateTime,
) -> AppResult<u64> {
    Ok(callback_delivery::Entity::delete_many()
        .filter(callback_delivery::Column::ReceivedAt.lt(older_than))
        .exec(db)
        .await?
        .rows_affected)
}

/// One pass: returns (nonces, deliveries) deleted.
pub async fn prune(state: &AppState, now: OffsetDateTime) -> AppResult<(u64, u64)> {
    let nonces = prune_nonces(
        &state.db,
        now - nonce_keep(state.settings.callback_timestamp_window_secs),
    )
    .await?;
    let days = state.settings.callback_retention_days;
    let deliveries = prune_deliveries(
        &state.db,
        now - Duration::from_secs(days.saturating_mul(86_400)),
    )
    .await?;
    Ok((nonces, deliveries))
}

/// Pay notifications of orders settled more than `pay_notification_retention_days` ago (see
/// [`crate::pay::notify::prune_notifications`]); returns how many were deleted.
pub async fn prune_pay_notifications(state: &AppState, now: OffsetDateTime) -> AppResult<u64> {
    let days = state.settings.pay_notification_retention_days;
    crate::pay::notify::prune_notifications(
        &state.db,
        now - Duration::from_secs(days.saturating_mul(86_400)),
    )
    .await
}

/// Runs [`prune`] and [`prune_pay_notifications`] every ten minutes.
pub async fn retention_loop(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tick.tick().await;
        let now = OffsetDateTime::now_utc();
        match prune(&state, now).await {
            Ok((0, 0)) => {}
            Ok((n, d)) => tracing::info!(nonces = n, deliveries = d, "callback records pruned"),
            Err(e) => tracing::warn!(error = %e, "callback pruning failed"),
        }
        match prune_pay_notifications(&state, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(notifications = n, "pay notifications pruned"),
            Err(e) => tracing::warn!(error = %e, "pay notification pruning failed"),
        }
    }
}
