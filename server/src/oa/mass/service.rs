//! Mass sends: composing and targeting, preview, the jobs, deleting a sent article, quota.

use api::Page;
use api::PageQuery;
use api::mass::{
    MASS_SPEED_LEVELS, MassAccountType, MassDeleteInput, MassInput, MassJob, MassMessage,
    MassPreviewInput, MassQuota, MassSpeed, MassSpeedInput, MassStatus, MassTarget, OPENIDS_MAX,
    OPENIDS_MIN, QuotaPeriod,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::{Date, Duration, OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339};

use super::{
    queries::{self, to_api},
    send::{self, Claim},
};
use crate::{
    audit::{self, Actor},
    entities::{mass_job as job, mass_setting},
    error::{AppError, AppResult},
    oa::followers::service as followers,
    state::AppState,
    wechat_clients,
};

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation(vec![api::FieldIssue {
        field: field.to_string(),
        code: "invalid".to_string(),
        message: message.into(),
    }])
}

/// The request key as the `clientmsgid` WeChat sees (⚠️ WeChat's limit is 64 bytes).
fn clientmsgid(account_id: i64, key: Option<&str>) -> AppResult<String> {
    match key {
        Some(k) => {
            if k.is_empty()
                || k.len() > 40
                || !k
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(bad("request_key", "1–40 letters, digits, - or _"));
            }
            Ok(format!("wxp{account_id}-{k}"))
        }
        None => Ok(format!("wxp{account_id}-{:032x}", rand::random::<u128>())),
    }
}

/// Records a mass send (and sends it now unless it is scheduled later).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: MassInput,
) -> AppResult<MassJob> {
    let db = &state.db;
    let clientmsgid = clientmsgid(account_id, input.request_key.as_deref())?;
    // The same request posted again (a retry after a lost answer): the job it created.
    if let Some(existing) = queries::by_clientmsgid(db, account_id, &clientmsgid).await? {
        return Ok(to_api(&existing));
    }
    input.message.validate().map_err(|m| bad("message", m))?;
    let now = OffsetDateTime::now_utc();
    let scheduled_at = match input.scheduled_at.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|_| bad("scheduled_at", "not an RFC 3339 time"))?
            // Stored in UTC: SQLite compares stored times as text.
            .to_offset(time::UtcOffset::UTC)
            .max(now),
        None => now,
    };
    if scheduled_at > now + Duration::days(30) {
        return Err(bad("scheduled_at", "at most 30 days ahead"));
    }
    let summary = match &input.message {
        MassMessage::Text { content } => content.chars().take(60).collect(),
        other => queries::media_name(db, account_id, other)
            .await?
            .ok_or_else(|| {
                bad(
                    "message",
                    "unknown material: sync materials or choose another",
                )
            })?,
    };
    let (kind, target_id, openids) = match &input.target {
        MassTarget::All => ("all", None, Vec::new()),
        MassTarget::Tag { tag_id } => {
            queries::tag_name(db, account_id, *tag_id)
                .await?
                .ok_or_else(|| bad("target", "unknown tag"))?;
            ("tag", Some(*tag_id), Vec::new())
        }
        MassTarget::Group { group_id } => {
            queries::group_name(db, account_id, *group_id)
                .await?
                .ok_or_else(|| bad("target", "unknown group"))?;
            ("group", Some(*group_id), Vec::new())
        }
        MassTarget::Followers { selection } => {
            let chosen = followers::select(db, account_id, selection).await?;
            if chosen.len() < OPENIDS_MIN || chosen.len() > OPENIDS_MAX {
                return Err(bad(
                    "target",
                    format!(
                        "{} subscribed followers chosen; a send to chosen followers needs {OPENIDS_MIN} to {OPENIDS_MAX}",
                        chosen.len()
                    ),
                ));
            }
            let ids: Vec<String> = chosen.into_iter().map(|(_, o)| o).collect();
            ("followers", None, ids)
        }
    };
    let immediate = scheduled_at <= now;
    let txn = db.begin().await?;
    let row = job::ActiveModel {
        account_id: Set(account_id),
        status: Set(MassStatus::Scheduled.as_str().to_string()),
        msgtype: Set(input.message.msgtype().to_string()),
        content: Set(serde_json::to_string(&input.message).map_err(AppError::internal)?),
        summary: Set(summary),
        target_kind: Set(kind.to_string()),
        target_id: Set(target_id),
        openids: Set(serde_json::to_string(&openids).map_err(AppError::internal)?),
        send_ignore_reprint: Set(input.send_ignore_reprint),
        clientmsgid: Set(clientmsgid),
        scheduled_at: Set(scheduled_at),
        lease_until: Set(None),
        attempts: Set(0),
        deleted_articles: Set("[]".into()),
        created_by: Set(actor.name.chars().take(64).collect()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let summary = format!(
        "mass send #{} ({}) to {}{}",
        row.id,
        row.msgtype,
        kind,
        if immediate { "" } else { ", scheduled" }
    );
    let detail = json!({"job_id": row.id, "target": kind, "target_id": target_id, "followers": openids.len()});
    let record = |summary: String, detail| async move {
        audit::record(
            db,
            actor,
            "mass.create",
            "account",
            Some(account_id),
            summary,
            detail,
        )
        .await
    };
    if !immediate {
        audit::record(
            &txn,
            actor,
            "mass.create",
            "account",
            Some(account_id),
            summary,
            detail,
        )
        .await?;
        txn.commit().await?;
        return Ok(to_api(&row));
    }
    txn.commit().await?;
    // An immediate send is recorded once it holds the account's send slot: one refused with
    // 409 below leaves neither a job nor an audit entry behind.
    match send::claim(db, row.id).await? {
        Claim::Claimed(m) => {
            record(summary, detail).await?;
            Ok(to_api(&send::send_claimed(state, *m).await?))
        }
        Claim::Busy(other) => {
            // Not sent: nothing stays behind to go out later by surprise.
            job::Entity::delete_by_id(row.id).exec(db).await?;
            Err(AppError::refused(
                "mass_in_flight",
                match other {
                    Some(o) => format!(
                        "mass send #{o} is still in flight on this account: wait for it to finish"
                    ),
                    None => "another mass send is in flight on this account".into(),
                },
            ))
        }
        Claim::NotDue => {
            record(summary, detail).await?;
            Ok(to_api(&queries::find(db, account_id, row.id).await?))
        }
    }
}

/// Sends the message to one follower only (`message/mass/preview`); nothing is recorded as a
/// job and no quota is used.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: MassPreviewInput,
) -> AppResult<()> {
    input.message.validate().map_err(|m| bad("message", m))?;
    let openid = input.openid.trim();
    if openid.is_empty() || openid.len() > 64 {
        return Err(bad("openid", "choose a follower"));
    }
    let msgtype = input.message.msgtype();
    let client = wechat_clients::oa(state, account_id).await?;
    let inner = send::wechat_message(&client, &input.message)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let body = json!({"touser": openid, "msgtype": msgtype, msgtype: inner});
    client
        .mass_preview(&body)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "mass.preview",
        "account",
        Some(account_id),
        format!("mass preview ({msgtype}) to {openid}"),
        json!({"openid": openid, "msgtype": msgtype}),
    )
    .await
}

pub async fn list(
    db: &DatabaseConnection,
    account_id: i64,
    page: PageQuery,
) -> AppResult<Page<MassJob>> {
    let paginator = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .order_by_desc(job::Column::Id)
        .paginate(db, page.per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.page.saturating_sub(1)).await?;
    Ok(Page {
        items: rows.iter().map(to_api).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get(db: &DatabaseConnection, account_id: i64, id: i64) -> AppResult<MassJob> {
    Ok(to_api(&queries::find(db, account_id, id).await?))
}

/// Cancels a send that has not gone out yet.
pub async fn cancel(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<MassJob> {
    queries::find(db, account_id, id).await?;
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let r = job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(MassStatus::Cancelled.as_str()),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq(MassStatus::Scheduled.as_str()))
        .exec(&txn)
        .await?;
    if r.rows_affected != 1 {
        return Err(AppError::refused(
            "mass_not_scheduled",
            "only a scheduled send can be cancelled",
        ));
    }
    audit::record(
        &txn,
        actor,
        "mass.cancel",
        "account",
        Some(account_id),
        format!("mass send #{id} cancelled"),
        json!({"job_id": id}),
    )
    .await?;
    txn.commit().await?;
    get(db, account_id, id).await
}

/// Deletes a sent article (`message/mass/delete`): readers then see it as deleted.
pub async fn delete_article(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: MassDeleteInput,
) -> AppResult<MassJob> {
    let m = queries::find(&state.db, account_id, id).await?;
    if !matches!(m.msgtype.as_str(), "mpnews" | "mpvideo") {
        return Err(AppError::refused(
            "mass_not_deletable",
            "only articles and videos can be deleted after sending",
        ));
    }
    let Some(msg_id) = m.msg_id else {
        return Err(AppError::refused(
            "mass_no_msg_id",
            "WeChat has not given this send a msg_id yet",
        ));
    };
    if let Some(i) = input.article_idx
        && !(1..=8).contains(&i)
    {
        return Err(bad("article_idx", "an article number from 1 to 8"));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .mass_delete(msg_id, input.article_idx)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let mut deleted: Vec<i64> = serde_json::from_str(&m.deleted_articles).unwrap_or_default();
    deleted.push(input.article_idx.unwrap_or(0));
    deleted.sort_unstable();
    deleted.dedup();
    let txn = state.db.begin().await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::DeletedArticles,
            Expr::value(serde_json::to_string(&deleted).map_err(AppError::internal)?),
        )
        .col_expr(
            job::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(job::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "mass.delete",
        "account",
        Some(account_id),
        format!(
            "article {} of mass send #{id} deleted",
            input.article_idx.unwrap_or(0)
        ),
        json!({"job_id": id, "msg_id": msg_id, "article_idx": input.article_idx}),
    )
    .await?;
    txn.commit().await?;
    get(&state.db, account_id, id).await
}

pub async fn account_type(db: &DatabaseConnection, account_id: i64) -> AppResult<MassAccountType> {
    Ok(mass_setting::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .map(|s| MassAccountType::parse(&s.account_type))
        .unwrap_or(MassAccountType::Service))
}

pub async fn set_account_type(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i64,
    t: MassAccountType,
) -> AppResult<MassQuota> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    mass_setting::Entity::delete_by_id(account_id)
        .exec(&txn)
        .await?;
    mass_setting::ActiveModel {
        account_id: Set(account_id),
        account_type: Set(t.as_str().to_string()),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "mass.settings",
        "account",
        Some(account_id),
        format!("mass quota counted as a {} account", t.as_str()),
        json!({"account_type": t.as_str()}),
    )
    .await?;
    txn.commit().await?;
    quota(db, account_id).await
}

/// The start (UTC) of the current quota period, counted in Beijing time.
fn period_start(now: OffsetDateTime, period: QuotaPeriod) -> OffsetDateTime {
    let beijing = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    let local = now.to_offset(beijing);
    let day = match period {
        QuotaPeriod::Day => local.date(),
        QuotaPeriod::Month => {
            Date::from_calendar_date(local.year(), local.month(), 1).unwrap_or(local.date())
        }
    };
    day.midnight()
        .assume_offset(beijing)
        .to_offset(UtcOffset::UTC)
}

/// WeChat's mass quota as the portal counts it: sends WeChat accepted this period.
/// The speed WeChat sends this account's mass messages at, read live (WeChat keeps it).
pub async fn speed(state: &AppState, account_id: i64) -> AppResult<MassSpeed> {
    let client = wechat_clients::oa(state, account_id).await?;
    let s = client
        .mass_speed_get()
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    Ok(MassSpeed {
        speed: u8::try_from(s.speed).unwrap_or(0),
        realspeed: s.realspeed,
    })
}

/// Sets the speed level (0–4) at WeChat, audited, and answers it as WeChat reports it now.
pub async fn set_speed(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: MassSpeedInput,
) -> AppResult<MassSpeed> {
    if usize::from(input.speed) >= MASS_SPEED_LEVELS.len() {
        return Err(bad("speed", "choose a speed level from 0 to 4"));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .mass_speed_set(i64::from(input.speed))
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "mass.speed",
        "account",
        Some(account_id),
        format!(
            "mass send speed set to level {} ({}0,000 a minute)",
            input.speed,
            MASS_SPEED_LEVELS[usize::from(input.speed)]
        ),
        json!({"speed": input.speed}),
    )
    .await?;
    speed(state, account_id).await
}

pub async fn quota(db: &DatabaseConnection, account_id: i64) -> AppResult<MassQuota> {
    let account_type = account_type(db, account_id).await?;
    let (limit, period) = account_type.limit();
    let since = period_start(OffsetDateTime::now_utc(), period);
    let used = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(
            job::Column::Status.is_in([MassStatus::Submitted.as_str(), MassStatus::Sent.as_str()]),
        )
        .filter(job::Column::SubmittedAt.gte(since))
        .count(db)
        .await?;
    Ok(MassQuota {
        account_type,
        period,
        limit,
        used,
        remaining: limit.saturating_sub(used),
        in_flight: send::in_flight(db, account_id).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn quota_periods_follow_beijing_time() {
        // 2026-03-31 17:00 UTC is already April 1st in Beijing.
        let now = datetime!(2026-03-31 17:00 UTC);
        assert_eq!(
            period_start(now, QuotaPeriod::Day),
            datetime!(2026-03-31 16:00 UTC)
        );
        assert_eq!(
            period_start(now, QuotaPeriod::Month),
            datetime!(2026-03-31 16:00 UTC)
        );
        let now = datetime!(2026-03-31 15:00 UTC);
        assert_eq!(
            period_start(now, QuotaPeriod::Month),
            datetime!(2026-02-28 16:00 UTC)
        );
    }
}
