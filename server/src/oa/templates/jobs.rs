//! Template send jobs: the request validates the fields and the recipients and stores the job
//! with one `pending` row per recipient; a task (on any instance, claimed with a lease renewed
//! after every batch) sends them at a bounded rate. Each recipient is marked `sending` before
//! its call and carries a `client_msg_id` of its own, so a job resumed after a crash sends a
//! `sending` row again and WeChat answers the first msgid instead of a second message.

use std::collections::BTreeMap;

use api::templates::{
    DeliveryState, RECIPIENTS_MAX, TemplateJob, TemplateJobStatus, TemplateRecipient,
    TemplateSendInput, VALUE_MAX_CHARS, template_keys, valid_color,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::{events, service};
use crate::{
    audit::{self, Actor},
    entities::{oa_template, template_job as job, template_recipient as rcpt},
    error::{AppError, AppResult},
    oa::followers::service as followers,
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// A claim's life; renewed after every batch.
const LEASE: Duration = Duration::seconds(60);
/// Recipients per batch (one lease renewal each).
const BATCH: u64 = 50;
/// Sends per second at most (⚠️ WeChat's per-minute limits are not published per account; this
/// keeps a job well below 45011).
pub const RATE_PER_SECOND: u32 = 200;
const TICK: std::time::Duration = std::time::Duration::from_secs(5);

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation(vec![api::FieldIssue {
        field: field.to_string(),
        code: "invalid".to_string(),
        message: message.into(),
    }])
}

async fn to_api<C: ConnectionTrait>(db: &C, m: &job::Model) -> AppResult<TemplateJob> {
    let counts: Vec<(String, i64)> = rcpt::Entity::find()
        .select_only()
        .column(rcpt::Column::State)
        .column_as(rcpt::Column::Id.count(), "n")
        .filter(rcpt::Column::JobId.eq(m.id))
        .group_by(rcpt::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let states: BTreeMap<String, u64> = counts
        .into_iter()
        .map(|(s, n)| (s, n.max(0) as u64))
        .collect();
    let template_title = oa_template::Entity::find()
        .select_only()
        .column(oa_template::Column::Title)
        .filter(oa_template::Column::AccountId.eq(m.account_id))
        .filter(oa_template::Column::TemplateId.eq(&m.template_id))
        .into_tuple::<String>()
        .one(db)
        .await?;
    Ok(TemplateJob {
        id: m.id,
        template_id: m.template_id.clone(),
        template_title,
        status: match m.status.as_str() {
            "done" => TemplateJobStatus::Done,
            "failed" => TemplateJobStatus::Failed,
            _ => TemplateJobStatus::Running,
        },
        total: m.total.max(0) as u64,
        processed: (m.sent + m.failed).max(0) as u64,
        states,
        error: m.error.clone(),
        started_by: m.started_by.clone(),
        created_at: rfc3339(m.created_at),
        finished_at: m.finished_at.map(rfc3339),
    })
}

fn recipient_api(r: &rcpt::Model) -> TemplateRecipient {
    TemplateRecipient {
        job_id: r.job_id,
        openid: r.openid.clone(),
        state: DeliveryState::parse(&r.state),
        msgid: r.msgid.clone(),
        errcode: r.errcode,
        error: r.error.clone(),
        sent_at: r.sent_at.map(rfc3339),
        finished_at: r.finished_at.map(rfc3339),
    }
}

/// Validates and stores a job, then starts it.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: TemplateSendInput,
) -> AppResult<TemplateJob> {
    let db = &state.db;
    let template = service::find(db, account_id, &input.template_id)
        .await?
        .ok_or_else(|| bad("template_id", "unknown template: sync the templates"))?;
    let keys = template_keys(&template.content);
    let mut data = serde_json::Map::new();
    for key in &keys {
        let Some(f) = input.data.get(key) else {
            return Err(bad(&format!("data.{key}"), "fill in every field"));
        };
        if f.value.chars().count() > VALUE_MAX_CHARS {
            return Err(bad(
                &format!("data.{key}"),
                format!("at most {VALUE_MAX_CHARS} characters"),
            ));
        }
        let mut v = json!({"value": f.value});
        if let Some(c) = f.color.as_deref().filter(|c| !c.is_empty()) {
            if !valid_color(c) {
                return Err(bad(&format!("data.{key}"), "a colour like #173177"));
            }
            v["color"] = json!(c);
        }
        data.insert(key.clone(), v);
    }
    let url = input
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(u) = url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        return Err(bad("url", "a link starting with http:// or https://"));
    }
    let mini = input
        .miniprogram
        .as_ref()
        .filter(|m| !m.appid.trim().is_empty());
    let chosen = followers::select(db, account_id, &input.recipients).await?;
    if chosen.is_empty() || chosen.len() > RECIPIENTS_MAX {
        return Err(bad(
            "recipients",
            format!("choose 1 to {RECIPIENTS_MAX} subscribed followers"),
        ));
    }
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let row = job::ActiveModel {
        account_id: Set(account_id),
        template_id: Set(template.template_id.clone()),
        url: Set(url.map(str::to_string)),
        miniprogram: Set(mini
            .map(|m| json!({"appid": m.appid.trim(), "pagepath": m.pagepath.trim()}).to_string())),
        data: Set(Value::Object(data).to_string()),
        status: Set("running".into()),
        total: Set(chosen.len() as i64),
        sent: Set(0),
        failed: Set(0),
        lease_until: Set(None),
        error: Set(None),
        started_by: Set(actor.name.chars().take(64).collect()),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for chunk in chosen.chunks(500) {
        rcpt::Entity::insert_many(chunk.iter().map(|(_, openid)| rcpt::ActiveModel {
            job_id: Set(row.id),
            account_id: Set(account_id),
            openid: Set(openid.clone()),
            state: Set(DeliveryState::Pending.as_str().into()),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor,
        "template.send",
        "account",
        Some(account_id),
        format!("template job #{} to {} followers", row.id, chosen.len()),
        json!({"job_id": row.id, "template_id": template.template_id, "recipients": chosen.len()}),
    )
    .await?;
    txn.commit().await?;
    let out = to_api(db, &row).await?;
    tokio::spawn(run(state.clone(), row.id));
    Ok(out)
}

/// Claims job `id` (running, lease free or expired): `true` if this caller holds it now.
async fn claim(db: &DatabaseConnection, id: i64) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let r = job::Entity::update_many()
        .col_expr(job::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq("running"))
        .filter(
            sea_orm::Condition::any()
                .add(job::Column::LeaseUntil.is_null())
                .add(job::Column::LeaseUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Runs job `id` to its end if it can claim it; logs failures.
pub async fn run(state: AppState, id: i64) {
    match claim(&state.db, id).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(job_id = id, error = %e, "could not claim a template job");
            return;
        }
    }
    if let Err(e) = run_claimed(&state, id).await {
        tracing::warn!(job_id = id, error = %e, "template job stopped; it resumes once its lease runs out");
    }
}

async fn run_claimed(state: &AppState, id: i64) -> AppResult<()> {
    let db = &state.db;
    let m = job::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = wechat_clients::oa(state, m.account_id).await?;
    let data: Value = serde_json::from_str(&m.data).map_err(AppError::internal)?;
    let mini: Option<Value> = m
        .miniprogram
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let gap = std::time::Duration::from_secs(1) / RATE_PER_SECOND;
    loop {
        let batch = rcpt::Entity::find()
            .filter(rcpt::Column::JobId.eq(id))
            .filter(rcpt::Column::State.is_in([
                DeliveryState::Pending.as_str(),
                DeliveryState::Sending.as_str(),
            ]))
            .order_by_asc(rcpt::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for r in batch {
            let started = std::time::Instant::now();
            rcpt::Entity::update_many()
                .col_expr(
                    rcpt::Column::State,
                    Expr::value(DeliveryState::Sending.as_str()),
                )
                .filter(rcpt::Column::Id.eq(r.id))
                .exec(db)
                .await?;
            let mut body = json!({
                "touser": r.openid,
                "template_id": m.template_id,
                "client_msg_id": format!("wxp-t{}-{}", id, r.id),
                "data": data,
            });
            if let Some(u) = &m.url {
                body["url"] = json!(u);
            }
            if let Some(mp) = &mini {
                body["miniprogram"] = mp.clone();
            }
            let now = OffsetDateTime::now_utc();
            match client.template_send(&body).await {
                Ok(msgid) => {
                    let msgid = msgid.to_string();
                    let txn = db.begin().await?;
                    rcpt::Entity::update_many()
                        .col_expr(
                            rcpt::Column::State,
                            Expr::value(DeliveryState::Sent.as_str()),
                        )
                        .col_expr(rcpt::Column::Msgid, Expr::value(Some(msgid.clone())))
                        .col_expr(rcpt::Column::SentAt, Expr::value(Some(now)))
                        .filter(rcpt::Column::Id.eq(r.id))
                        .exec(&txn)
                        .await?;
                    bump(&txn, id, job::Column::Sent).await?;
                    txn.commit().await?;
                    // The finish may have arrived before the msgid was stored.
                    events::apply_stored(db, m.account_id, &msgid).await?;
                }
                Err(e) => {
                    let (code, transient) = match &e {
                        wechat::Error::Wechat(w) => {
                            (Some(w.code), matches!(w.code, -1 | 45009 | 45011))
                        }
                        wechat::Error::Http(_) | wechat::Error::Status { .. } => (None, true),
                        _ => (None, false),
                    };
                    if transient {
                        // Left `sending`: the job resumes from here once its lease runs out.
                        return Err(wechat_clients::api_error(&e));
                    }
                    let txn = db.begin().await?;
                    rcpt::Entity::update_many()
                        .col_expr(
                            rcpt::Column::State,
                            Expr::value(DeliveryState::Failed.as_str()),
                        )
                        .col_expr(rcpt::Column::Errcode, Expr::value(code))
                        .col_expr(
                            rcpt::Column::Error,
                            Expr::value(Some(
                                wechat_clients::describe(&e)
                                    .chars()
                                    .take(255)
                                    .collect::<String>(),
                            )),
                        )
                        .col_expr(rcpt::Column::FinishedAt, Expr::value(Some(now)))
                        .filter(rcpt::Column::Id.eq(r.id))
                        .exec(&txn)
                        .await?;
                    bump(&txn, id, job::Column::Failed).await?;
                    txn.commit().await?;
                }
            }
            if let Some(rest) = gap.checked_sub(started.elapsed()) {
                tokio::time::sleep(rest).await;
            }
        }
        let now = OffsetDateTime::now_utc();
        job::Entity::update_many()
            .col_expr(job::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    let now = OffsetDateTime::now_utc();
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("done"))
        .col_expr(job::Column::LeaseUntil, Expr::value(None::<OffsetDateTime>))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

async fn bump<C: ConnectionTrait>(db: &C, id: i64, col: job::Column) -> AppResult<()> {
    job::Entity::update_many()
        .col_expr(col, sea_orm::sea_query::ExprTrait::add(Expr::col(col), 1))
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every instance: resumes running jobs whose claim ran out (an instance died mid-way).
pub async fn resume_loop(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = OffsetDateTime::now_utc();
        let stale: Result<Vec<i64>, _> = job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .filter(job::Column::Status.eq("running"))
            .filter(job::Column::LeaseUntil.lt(now))
            .into_tuple()
            .all(&state.db)
            .await;
        match stale {
            Ok(ids) => {
                for id in ids {
                    tokio::spawn(run(state.clone(), id));
                }
            }
            Err(e) => tracing::warn!(error = %e, "template job resume failed"),
        }
    }
}

pub async fn list(db: &DatabaseConnection, account_id: i64) -> AppResult<Vec<TemplateJob>> {
    let rows = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .order_by_desc(job::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(to_api(db, r).await?);
    }
    Ok(out)
}

pub async fn get(db: &DatabaseConnection, account_id: i64, id: i64) -> AppResult<TemplateJob> {
    let m = job::Entity::find()
        .filter(job::Column::AccountId.eq(account_id))
        .filter(job::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    to_api(db, &m).await
}

/// The job's recipients (its delivery report), optionally of one state.
pub async fn recipients(
    db: &DatabaseConnection,
    account_id: i64,
    id: i64,
    state: Option<&str>,
) -> AppResult<Vec<TemplateRecipient>> {
    get(db, account_id, id).await?;
    let mut q = rcpt::Entity::find().filter(rcpt::Column::JobId.eq(id));
    if let Some(s) = state.filter(|s| !s.is_empty()) {
        q = q.filter(rcpt::Column::State.eq(DeliveryState::parse(s).as_str()));
    }
    Ok(q.order_by_asc(rcpt::Column::Id)
        .limit(RECIPIENTS_MAX as u64)
        .all(db)
        .await?
        .iter()
        .map(recipient_api)
        .collect())
}

/// One follower's template messages, newest first.
pub async fn follower_log(
    db: &DatabaseConnection,
    account_id: i64,
    openid: &str,
) -> AppResult<Vec<TemplateRecipient>> {
    Ok(rcpt::Entity::find()
        .filter(rcpt::Column::AccountId.eq(account_id))
        .filter(rcpt::Column::Openid.eq(openid))
        .order_by_desc(rcpt::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .iter()
        .map(recipient_api)
        .collect())
}
