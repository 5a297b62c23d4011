use api::{
    Page,
    messages::{DeliveryDetail, DeliveryQuery, DeliverySummary, WECHAT_TIMEOUT_MS},
    page::{DEFAULT_PER_PAGE, PageQuery},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    callback::pipeline,
    entities::callback_delivery::{self as delivery, CallbackOutcome},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
};

fn summary(m: &delivery::Model) -> DeliverySummary {
    DeliverySummary {
        id: m.id,
        received_at: rfc3339(m.received_at),
        method: m.method.clone(),
        outcome: m.outcome.as_str().to_string(),
        status_code: m.status_code,
        diagnosis: m.diagnosis.clone(),
        decrypted: m.decrypted_xml.is_some(),
        dedup_hit: m.dedup_hit,
        duration_ms: m.duration_ms,
        budget_ms: WECHAT_TIMEOUT_MS,
        reply_mode: m.reply_mode.clone(),
        replay: m.replay,
        replay_of: m.replay_of,
        inbound_id: m.inbound_id,
    }
}

fn detail_of(m: delivery::Model) -> DeliveryDetail {
    DeliveryDetail {
        summary: summary(&m),
        query: m.query,
        body: m.body,
        decrypted_xml: m.decrypted_xml,
        reply_xml: m.reply_xml,
    }
}

pub async fn list(
    state: &AppState,
    account_id: i64,
    q: DeliveryQuery,
) -> AppResult<Page<DeliverySummary>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(DEFAULT_PER_PAGE),
    }
    .clamped();
    let mut sel = delivery::Entity::find().filter(delivery::Column::AccountId.eq(account_id));
    if let Some(o) = q
        .outcome
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    {
        sel = sel.filter(delivery::Column::Outcome.eq(o));
    }
    let total = sel.clone().count(&state.db).await?;
    let rows = sel
        .order_by_desc(delivery::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(&state.db)
        .await?;
    Ok(Page {
        items: rows.iter().map(summary).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

async fn find(state: &AppState, account_id: i64, id: i64) -> AppResult<delivery::Model> {
    delivery::Entity::find_by_id(id)
        .filter(delivery::Column::AccountId.eq(account_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn detail(state: &AppState, account_id: i64, id: i64) -> AppResult<DeliveryDetail> {
    Ok(detail_of(find(state, account_id, id).await?))
}

/// Runs a stored POST delivery through the pipeline again, without the timestamp and nonce
/// checks, recorded as a replay of it. Returns the new delivery.
pub async fn replay(state: &AppState, account_id: i64, id: i64) -> AppResult<DeliveryDetail> {
    let original = find(state, account_id, id).await?;
    if original.method != "POST" {
        return Err(AppError::BadRequest(
            "only POST deliveries (messages and events) can be replayed".into(),
        ));
    }
    if original.outcome == CallbackOutcome::Rejected && original.status_code == 413 {
        return Err(AppError::BadRequest(
            "the body of this delivery was too large and was not kept".into(),
        ));
    }
    let out = pipeline::handle_post(
        state,
        pipeline::Input {
            account_id,
            query: original.query.clone(),
            body: Some(original.body.clone()),
            replay_of: Some(original.id),
        },
        pipeline::Caller::in_process(),
    )
    .await;
    let new_id = out
        .delivery_id
        .ok_or_else(|| AppError::Internal("the replay was not recorded".into()))?;
    detail(state, account_id, new_id).await
}
