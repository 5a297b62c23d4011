//! The overview's reads: all from the portal's own tables, nothing from WeCom.

use api::wecom_messages::AppMessageQuery;
use api::wecom_overview::{CallbackHealth, MirrorCounts, WecomOverview};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use time::{Duration, OffsetDateTime};

use crate::{
    accounts::service::Stored,
    entities::{
        account,
        callback_delivery::{self as delivery, CallbackOutcome},
        db_enum::DbEnum,
    },
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wecom::{contacts::sync, messages},
};

/// How many sends the overview lists.
pub const RECENT_SENDS: u64 = 5;

pub async fn overview(state: &AppState, account: &account::Model) -> AppResult<WecomOverview> {
    let stored: Stored = serde_json::from_str(&account.settings).map_err(AppError::internal)?;
    let sync = sync::status(state, account.id).await?;
    let recent = messages::service::list(
        state,
        account.id,
        &AppMessageQuery {
            per_page: Some(RECENT_SENDS),
            ..Default::default()
        },
    )
    .await?;
    Ok(WecomOverview {
        corp_id: stored.corp_id.unwrap_or_default(),
        agent_id: stored.agent_id,
        has_contacts_secret: sync.has_contacts_secret,
        managed_corp: sync.managed_corp,
        counts: MirrorCounts {
            departments: sync.departments,
            members: sync.members,
            tags: sync.tags,
        },
        last_sync: sync.job,
        callbacks: callback_health(state, account.id).await?,
        recent_sends: recent.items,
        last_reconcile: crate::wecom::contacts::nightly::last(state, account.id, false).await?,
        web: api::wecom_overview::web_domains(&state.settings.public_url, account.id),
    })
}

/// A delivery the portal did not take: rejected, or answered with an error status.
fn failed() -> Condition {
    Condition::any()
        .add(delivery::Column::Outcome.eq(DbEnum(CallbackOutcome::Rejected)))
        .add(delivery::Column::StatusCode.gte(400))
}

async fn callback_health(state: &AppState, account_id: i64) -> AppResult<CallbackHealth> {
    let db = &state.db;
    let mine = || delivery::Entity::find().filter(delivery::Column::AccountId.eq(account_id));
    let since = OffsetDateTime::now_utc() - Duration::hours(24);
    let last_inbound = mine()
        .filter(delivery::Column::Outcome.eq(DbEnum(CallbackOutcome::Accepted)))
        .filter(delivery::Column::StatusCode.lt(400))
        .order_by_desc(delivery::Column::Id)
        .one(db)
        .await?;
    let deliveries_24h = mine()
        .filter(delivery::Column::ReceivedAt.gte(since))
        .count(db)
        .await?;
    let failures_24h = mine()
        .filter(delivery::Column::ReceivedAt.gte(since))
        .filter(failed())
        .count(db)
        .await?;
    let last_failure = mine()
        .filter(failed())
        .order_by_desc(delivery::Column::Id)
        .one(db)
        .await?;
    Ok(CallbackHealth {
        last_inbound_at: last_inbound.map(|d| rfc3339(d.received_at)),
        deliveries_24h,
        failures_24h,
        last_failure_at: last_failure.as_ref().map(|d| rfc3339(d.received_at)),
        last_failure_diagnosis: last_failure.as_ref().and_then(|d| d.diagnosis.clone()),
        last_failure_id: last_failure.map(|d| d.id),
    })
}
