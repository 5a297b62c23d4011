//! Asynchronous delivery of outbound messages: replies past the reply budget, the 2nd+ replies
//! of a rule. Official Accounts through the customer-service API (`message/custom/send`),
//! WeCom apps through `message/send`.
//!
//! Safe with several instances: a message is claimed by one conditional update (status
//! `pending`, due, lease free or expired → lease taken, attempts + 1), so only one worker sends
//! it. Transient failures (network, HTTP status, WeChat `-1` busy, token errors, 45009 quota)
//! are retried with exponential backoff up to [`MAX_ATTEMPTS`]; other WeChat errors (e.g.
//! 45015, the follower's 48-hour window closed) fail at once. The outcome (sent time, attempts,
//! WeChat's errcode) is kept on the row.

use std::time::Duration;

use api::replies::RuleReply;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
    sea_query::{Expr, ExprTrait},
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::{
    entities::{
        db_enum::DbEnum,
        outbound_message::{self, Column, SendStatus},
    },
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

/// Attempts before a message is marked `failed`.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a claimed message is held by its worker.
const LEASE: Duration = Duration::from_secs(60);
/// How often the worker looks for due messages (new ones are also sent at once).
const TICK: Duration = Duration::from_secs(2);

/// The API channel of an account kind.
pub fn channel_for(work: bool) -> &'static str {
    if work {
        "message_send"
    } else {
        "custom_service"
    }
}

/// The JSON body of a reply for the customer-service API (Official Accounts) or `message/send`
/// (WeCom, `agent_id` set). `Err`: this reply cannot be sent through the API.
pub fn api_body(
    to_user: &str,
    agent_id: Option<i64>,
    reply: &RuleReply,
    text: impl Fn(&str) -> String,
) -> Result<Value, String> {
    let work = agent_id.is_some();
    let mut body = match reply {
        RuleReply::Text { content } => {
            json!({"msgtype": "text", "text": {"content": text(content)}})
        }
        RuleReply::Image { media_id } => {
            json!({"msgtype": "image", "image": {"media_id": media_id}})
        }
        RuleReply::Voice { media_id } => {
            json!({"msgtype": "voice", "voice": {"media_id": media_id}})
        }
        RuleReply::Video {
            media_id,
            title,
            description,
        } => {
            let mut v = json!({"media_id": media_id});
            if let Some(t) = title {
                v["title"] = json!(t);
            }
            if let Some(d) = description {
                v["description"] = json!(d);
            }
            if !work {
                // The customer-service API asks for a thumbnail; the video's own id is accepted
                // by the emulator. ⚠️ unverified against WeChat which thumbnail it requires.
                v["thumb_media_id"] = json!(media_id);
            }
            json!({"msgtype": "video", "video": v})
        }
        RuleReply::Music {
            title,
            description,
            music_url,
            hq_music_url,
            thumb_media_id,
        } => {
            if work {
                return Err("WeCom message/send has no music message".into());
            }
            json!({"msgtype": "music", "music": {
                "title": title.clone().unwrap_or_default(),
                "description": description.clone().unwrap_or_default(),
                "musicurl": music_url.clone().unwrap_or_default(),
                "hqmusicurl": hq_music_url.clone().unwrap_or_default(),
                "thumb_media_id": thumb_media_id,
            }})
        }
        RuleReply::News { articles } => {
            let list: Vec<Value> = articles
                .iter()
                .take(if work { 8 } else { 1 })
                .map(|a| {
                    json!({"title": a.title, "description": a.description, "url": a.url, "picurl": a.pic_url})
                })
                .collect();
            json!({"msgtype": "news", "news": {"articles": list}})
        }
        RuleReply::TransferCustomerService { .. } => {
            return Err(
                "transfer to customer service only works as the passive reply (the first reply of a rule, within the budget)"
                    .into(),
            );
        }
        RuleReply::NoReply => return Err("no reply".into()),
    };
    body["touser"] = json!(to_user);
    if let Some(agent) = agent_id {
        body["agentid"] = json!(agent);
        body["safe"] = json!(0);
    }
    Ok(body)
}

/// Sends `id` now if it is pending and free (in the background).
pub fn kick(state: &AppState, id: i64) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = deliver_one(&state, id).await {
            tracing::warn!(error = %e, outbound_id = id, "asynchronous delivery failed");
        }
    });
}

/// The worker: every [`TICK`], sends what is due.
pub async fn worker_loop(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&state).await {
            tracing::warn!(error = %e, "outbound delivery worker failed");
        }
    }
}

/// Sends every due pending message (at most 50 per call). Returns how many were claimed.
pub async fn deliver_due(state: &AppState) -> AppResult<usize> {
    let now = OffsetDateTime::now_utc();
    let due: Vec<i64> = outbound_message::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Status.eq(DbEnum(SendStatus::Pending)))
        .filter(due_condition(now))
        .order_by_asc(Column::Id)
        .limit(50)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut claimed = 0;
    for id in due {
        if deliver_one(state, id).await? {
            claimed += 1;
        }
    }
    Ok(claimed)
}

fn due_condition(now: OffsetDateTime) -> Condition {
    Condition::all()
        .add(
            Condition::any()
                .add(Column::NextAttemptAt.is_null())
                .add(Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::any()
                .add(Column::LeaseUntil.is_null())
                .add(Column::LeaseUntil.lt(now)),
        )
}

/// Claims and sends one message; `false` when another worker has it or it is not due.
pub async fn deliver_one(state: &AppState, id: i64) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let claim = outbound_message::Entity::update_many()
        .col_expr(Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(DbEnum(SendStatus::Pending)))
        .filter(due_condition(now))
        .exec(&state.db)
        .await?;
    if claim.rows_affected != 1 {
        return Ok(false);
    }
    let row = outbound_message::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome = send(state, &row).await;
    let mut am: outbound_message::ActiveModel = row.clone().into();
    am.lease_until = Set(None);
    match outcome {
        Ok(()) => {
            am.status = Set(SendStatus::Sent.into());
            am.error = Set(None);
            am.sent_at = Set(Some(OffsetDateTime::now_utc()));
            am.next_attempt_at = Set(None);
        }
        Err(Failure { message, retry }) => {
            if retry && row.attempts < MAX_ATTEMPTS {
                let backoff = Duration::from_secs(2u64.pow(row.attempts.clamp(1, 10) as u32));
                am.next_attempt_at = Set(Some(OffsetDateTime::now_utc() + backoff));
                am.error = Set(Some(format!(
                    "attempt {} of {MAX_ATTEMPTS} failed, retrying in {}s: {message}",
                    row.attempts,
                    backoff.as_secs()
                )));
            } else {
                am.status = Set(SendStatus::Failed.into());
                am.error = Set(Some(message));
            }
        }
    }
    am.update(&state.db).await?;
    Ok(true)
}

/// Why a send failed and whether trying again may help.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub retry: bool,
}

impl Failure {
    pub fn of(e: &wechat::Error) -> Failure {
        let retry = match e {
            wechat::Error::Http(_) | wechat::Error::Status { .. } => true,
            wechat::Error::Wechat(w) => w.is_token_invalid() || matches!(w.code, -1 | 45009),
            _ => false,
        };
        Failure {
            message: wechat_clients::describe(e),
            retry,
        }
    }

    fn permanent(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            retry: false,
        }
    }
}

/// Sends the row's JSON body through its channel.
async fn send(state: &AppState, row: &outbound_message::Model) -> Result<(), Failure> {
    let body: Value = serde_json::from_str(&row.body)
        .map_err(|e| Failure::permanent(format!("the stored body is not JSON: {e}")))?;
    send_body(state, row.account_id, &row.channel, &body).await
}

/// Sends `body` for account `account_id` through `channel`.
pub async fn send_body(
    state: &AppState,
    account_id: i64,
    channel: &str,
    body: &Value,
) -> Result<(), Failure> {
    match channel {
        "custom_service" => {
            let client = wechat_clients::oa(state, account_id)
                .await
                .map_err(|e| Failure::permanent(e.to_string()))?;
            client.custom_send(body).await.map_err(|e| Failure::of(&e))
        }
        "message_send" => {
            let client = wechat_clients::work(state, account_id)
                .await
                .map_err(|e| Failure::permanent(e.to_string()))?;
            let r = client
                .message_send(body)
                .await
                .map_err(|e| Failure::of(&e))?;
            match r.invaliduser.filter(|u| !u.is_empty()) {
                Some(u) => Err(Failure::permanent(format!(
                    "WeCom reported invaliduser {u:?}: not a member, or outside the app's visible range"
                ))),
                None => Ok(()),
            }
        }
        other => Err(Failure::permanent(format!(
            "channel {other} is not delivered through an API"
        ))),
    }
}
