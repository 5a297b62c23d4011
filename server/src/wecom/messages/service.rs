//! Sending app messages without ever losing one: the send and each of its calls are stored
//! (`pending`) in one transaction before WeChat is called; a call is claimed (`sending`) right
//! before it goes out and settled with WeChat's answer (`sent` with the msgid and the invalid
//! receivers, or `failed` with the errcode). A send the process left `pending` for two minutes is
//! settled when it is next read: a call never made becomes `failed` (safe to retry), a call made
//! without a stored answer becomes `unknown` (WeChat may have delivered it; check, then retry).

use std::collections::HashMap;

use api::Page;
use api::wecom_messages::{
    self as wm, AppMessage, AppMessageContent, AppMessageQuery, AppMessageSummary, MessageUsage,
    PER_APP_PER_HOUR, PER_MEMBER_PER_MINUTE, RECALL_WINDOW_SECS, Recipients, SendAppMessageInput,
    SendOptions, SendPart, SendState,
};
use sea_orm::{ConnectionTrait, Set, TransactionTrait};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::queries::{self, FAILED, PENDING, RECALLED, SENDING, SENT, UNKNOWN};
use super::split::{split, unpipe, wire};
use crate::{
    audit::{self, Actor},
    entities::{wecom_message as message, wecom_message_part as part},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// How long a call may stay `sending` before it reads as `unknown`.
const STALE: Duration = Duration::minutes(2);

fn recipients_of(s: &str) -> Recipients {
    serde_json::from_str(s).unwrap_or_default()
}

/// The state of a send from its calls.
pub fn aggregate(parts: &[part::Model]) -> SendState {
    let n = |s: &str| parts.iter().filter(|p| p.state == s).count();
    let (pending, sent, unknown, recalled) =
        (n(PENDING) + n(SENDING), n(SENT), n(UNKNOWN), n(RECALLED));
    if pending > 0 {
        SendState::Pending
    } else if recalled == parts.len() && !parts.is_empty() {
        SendState::Recalled
    } else if sent + recalled == parts.len() {
        SendState::Sent
    } else if sent + recalled > 0 {
        SendState::Partial
    } else if unknown > 0 {
        SendState::Unknown
    } else {
        SendState::Failed
    }
}

fn view_part(p: &part::Model) -> SendPart {
    SendPart {
        number: p.number,
        state: p.state.clone(),
        recipients: recipients_of(&p.recipients),
        msgid: p.msgid.clone(),
        invalid_users: unpipe(p.invalid_user.as_deref()),
        invalid_parties: unpipe(p.invalid_party.as_deref()),
        invalid_tags: unpipe(p.invalid_tag.as_deref()),
        unlicensed_users: unpipe(p.unlicensed_user.as_deref()),
        errcode: p.errcode,
        error: p.error.clone(),
        attempts: p.attempts,
        sent_at: p.sent_at.map(rfc3339),
        recalled_at: p.recalled_at.map(rfc3339),
    }
}

fn recallable_until(parts: &[part::Model]) -> Option<OffsetDateTime> {
    parts
        .iter()
        .filter(|p| p.state == SENT && p.msgid.is_some())
        .filter_map(|p| p.sent_at)
        .min()
        .map(|t| t + Duration::seconds(RECALL_WINDOW_SECS))
}

fn summary_of(m: &message::Model, parts: &[part::Model]) -> AppMessageSummary {
    let invalid_count = parts
        .iter()
        .map(|p| {
            unpipe(p.invalid_user.as_deref()).len()
                + unpipe(p.invalid_party.as_deref()).len()
                + unpipe(p.invalid_tag.as_deref()).len()
                + unpipe(p.unlicensed_user.as_deref()).len()
        })
        .sum();
    let until = recallable_until(parts).filter(|t| *t > OffsetDateTime::now_utc());
    AppMessageSummary {
        id: m.id,
        msgtype: m.msgtype.clone(),
        summary: m.summary.clone(),
        state: SendState::parse(&m.state).unwrap_or(SendState::Unknown),
        recipients: recipients_of(&m.recipients),
        invalid_count,
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
        recallable_until: until.map(rfc3339),
    }
}

fn view(m: &message::Model, parts: &[part::Model]) -> AppResult<AppMessage> {
    let summary = summary_of(m, parts);
    let state = summary.state;
    Ok(AppMessage {
        can_retry: parts
            .iter()
            .any(|p| p.state == FAILED || p.state == UNKNOWN),
        can_recall: summary.recallable_until.is_some()
            && matches!(state, SendState::Sent | SendState::Partial),
        summary,
        content: serde_json::from_str(&m.content).map_err(AppError::internal)?,
        options: serde_json::from_str(&m.options).unwrap_or_default(),
        parts: parts.iter().map(view_part).collect(),
    })
}

/// The `message/send` body of one call.
pub fn body(agent_id: i64, content: &AppMessageContent, o: &SendOptions, to: &Recipients) -> Value {
    let (touser, toparty, totag) = wire(to);
    let mut payload = serde_json::to_value(content).expect("content serialises");
    let msgtype = content.msgtype();
    if let Some(obj) = payload.as_object_mut() {
        obj.remove("msgtype");
    }
    let mut b = json!({
        "msgtype": msgtype,
        "agentid": agent_id,
        msgtype: payload,
        "safe": i32::from(o.safe),
        "enable_id_trans": i32::from(o.enable_id_trans),
        "enable_duplicate_check": i32::from(o.enable_duplicate_check),
        "duplicate_check_interval": o.duplicate_check_interval.unwrap_or(1800),
    });
    for (k, v) in [("touser", touser), ("toparty", toparty), ("totag", totag)] {
        if !v.is_empty() {
            b[k] = json!(v);
        }
    }
    b
}

/// Refuses a send that would go over WeCom's limits, before anything is stored or called:
/// WeChat would accept it and silently drop the excess. Members are counted where the send
/// names them (`touser`, or `@all` for everyone); departments and tags are expanded by WeChat.
pub(super) async fn check_rate<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    calls: &[Recipients],
    now: OffsetDateTime,
) -> AppResult<()> {
    let recent = queries::recent_calls(db, account_id, now - Duration::hours(1)).await?;
    if recent.len() + calls.len() > PER_APP_PER_HOUR {
        return Err(AppError::WechatRateLimit {
            retry_after: std::time::Duration::from_secs(300),
            message: format!(
                "rate limit: this app made {} message/send calls in the last hour and WeCom allows {PER_APP_PER_HOUR}; the excess would be dropped silently. Try again later.",
                recent.len()
            ),
        });
    }
    let minute_ago = now - Duration::minutes(1);
    let mut per_member: HashMap<String, usize> = HashMap::new();
    let mut all = 0;
    for p in recent
        .iter()
        .filter(|p| p.attempted_at.is_none_or(|t| t >= minute_ago))
    {
        let r = recipients_of(&p.recipients);
        if r.all {
            all += 1;
        }
        for u in r.users {
            *per_member.entry(u).or_default() += 1;
        }
    }
    let count = |u: &str| per_member.get(u).copied().unwrap_or(0) + all;
    for c in calls {
        // `@all` reaches everyone: it is over when any member we know of is.
        let who = if c.all {
            (per_member.values().copied().max().unwrap_or(0) + all >= PER_MEMBER_PER_MINUTE)
                .then(|| "@all".to_string())
        } else {
            c.users
                .iter()
                .find(|u| count(u) >= PER_MEMBER_PER_MINUTE)
                .cloned()
        };
        if let Some(who) = who {
            return Err(AppError::WechatRateLimit {
                retry_after: std::time::Duration::from_secs(60),
                message: format!(
                    "rate limit: {who} already received {PER_MEMBER_PER_MINUTE} messages from this app in the last minute; WeCom would drop more silently. Try again in a minute."
                ),
            });
        }
    }
    Ok(())
}

/// Calls WeChat for every `pending` call of a send, one after another, and stores each answer.
pub(super) async fn dispatch(
    state: &AppState,
    account_id: i64,
    m: &message::Model,
) -> AppResult<()> {
    let content: AppMessageContent =
        serde_json::from_str(&m.content).map_err(AppError::internal)?;
    let options: SendOptions = serde_json::from_str(&m.options).unwrap_or_default();
    let client = wechat_clients::work(state, account_id).await;
    for p in queries::parts(&state.db, m.id).await? {
        if p.state != PENDING {
            continue;
        }
        let now = OffsetDateTime::now_utc();
        if !queries::claim(&state.db, p.id, now).await? {
            continue;
        }
        let mut row: part::ActiveModel = p.clone().into();
        row.attempts = Set(p.attempts + 1);
        let client = match &client {
            Ok(c) => c,
            Err(e) => {
                row.state = Set(FAILED.into());
                row.error = Set(Some(e.to_string()));
                queries::save_part(&state.db, row).await?;
                continue;
            }
        };
        let Some(agent) = client.agent_id() else {
            row.state = Set(FAILED.into());
            row.error = Set(Some("this account has no agentid".into()));
            queries::save_part(&state.db, row).await?;
            continue;
        };
        let b = body(agent, &content, &options, &recipients_of(&p.recipients));
        match client.message_send(&b).await {
            Ok(r) => {
                row.state = Set(SENT.into());
                row.msgid = Set(r.msgid);
                row.invalid_user = Set(r.invaliduser.filter(|s| !s.is_empty()));
                row.invalid_party = Set(r.invalidparty.filter(|s| !s.is_empty()));
                row.invalid_tag = Set(r.invalidtag.filter(|s| !s.is_empty()));
                row.unlicensed_user = Set(r.unlicenseduser.filter(|s| !s.is_empty()));
                row.errcode = Set(None);
                row.error = Set(None);
                row.sent_at = Set(Some(OffsetDateTime::now_utc()));
            }
            Err(e) => {
                // WeChat's own refusal is final for this attempt; a transport failure may have
                // reached WeChat, so it stays "unknown".
                let (st, code) = match &e {
                    wechat::Error::Wechat(w) => (FAILED, Some(w.code)),
                    wechat::Error::Http(h) if h.is_connect() => (FAILED, None),
                    wechat::Error::Http(_)
                    | wechat::Error::Status { .. }
                    | wechat::Error::Decode(_) => (UNKNOWN, None),
                    _ => (FAILED, None),
                };
                row.state = Set(st.into());
                row.errcode = Set(code);
                row.error = Set(Some(wechat_clients::describe(&e)));
            }
        }
        queries::save_part(&state.db, row).await?;
    }
    let parts = queries::parts(&state.db, m.id).await?;
    queries::set_state(
        &state.db,
        m.id,
        aggregate(&parts),
        OffsetDateTime::now_utc(),
    )
    .await
}

/// Settles sends the process left mid-way (see the module comment).
async fn settle_stale(state: &AppState, account_id: i64) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    for id in queries::stale_pending(&state.db, account_id, now - STALE).await? {
        let parts = queries::parts(&state.db, id).await?;
        for p in parts {
            let fresh = p.attempted_at.is_some_and(|t| t > now - STALE);
            let (st, msg) = match p.state.as_str() {
                PENDING => (
                    FAILED,
                    "interrupted before WeChat was called; safe to retry",
                ),
                SENDING if !fresh => (
                    UNKNOWN,
                    "interrupted while WeChat was called: it may have been delivered; check with the recipients before retrying",
                ),
                _ => continue,
            };
            let mut row: part::ActiveModel = p.into();
            row.state = Set(st.into());
            row.error = Set(Some(msg.into()));
            queries::save_part(&state.db, row).await?;
        }
        let parts = queries::parts(&state.db, id).await?;
        queries::set_state(&state.db, id, aggregate(&parts), now).await?;
    }
    Ok(())
}

/// Stores a send and its calls (`pending`) with its audit entry; run inside the transaction
/// that commits them all before WeChat is called.
pub(super) async fn record<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    account_id: i64,
    input: &SendAppMessageInput,
    calls: &[Recipients],
    now: OffsetDateTime,
    action: &str,
) -> AppResult<message::Model> {
    let m = queries::insert_message(
        txn,
        message::ActiveModel {
            account_id: Set(account_id),
            msgtype: Set(input.content.msgtype().into()),
            summary: Set(input.content.summary()),
            content: Set(serde_json::to_string(&input.content).map_err(AppError::internal)?),
            recipients: Set(serde_json::to_string(&input.recipients).map_err(AppError::internal)?),
            options: Set(serde_json::to_string(&input.options).map_err(AppError::internal)?),
            state: Set(SendState::Pending.as_str().into()),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    for (i, c) in calls.iter().enumerate() {
        queries::insert_part(txn, account_id, m.id, i as i32 + 1, c).await?;
    }
    audit::service::record(
        txn,
        actor,
        action,
        "account",
        Some(account_id),
        format!(
            "app message {} ({}) in {} call(s)",
            m.id,
            m.msgtype,
            calls.len()
        ),
        json!({"message_id": m.id, "msgtype": m.msgtype, "calls": calls.len()}),
    )
    .await?;
    Ok(m)
}

pub async fn send(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: SendAppMessageInput,
) -> AppResult<AppMessage> {
    let issues = wm::validate_send(&input);
    if !issues.is_empty() {
        return Err(AppError::Validation(wm::to_field_issues(&issues)));
    }
    // A managed suite corp that uninstalled the suite: refused before anything is stored.
    crate::wecom::suite::managed::check_usable(state, account_id).await?;
    let calls = split(&input.recipients);
    let now = OffsetDateTime::now_utc();
    check_rate(&state.db, account_id, &calls, now).await?;
    let txn = state.db.begin().await?;
    let m = record(
        &txn,
        actor,
        account_id,
        &input,
        &calls,
        now,
        "wecom.message.send",
    )
    .await?;
    txn.commit().await?;
    dispatch(state, account_id, &m).await?;
    get(state, account_id, m.id).await
}

pub async fn get(state: &AppState, account_id: i64, id: i64) -> AppResult<AppMessage> {
    settle_stale(state, account_id).await?;
    let m = queries::message(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parts = queries::parts(&state.db, id).await?;
    view(&m, &parts)
}

pub async fn list(
    state: &AppState,
    account_id: i64,
    q: &AppMessageQuery,
) -> AppResult<Page<AppMessageSummary>> {
    settle_stale(state, account_id).await?;
    let page = q.page.unwrap_or(1).max(1);
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let (rows, total) = queries::list(&state.db, account_id, q, page, per_page).await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let parts = queries::parts_of(&state.db, &ids).await?;
    let items = rows
        .iter()
        .map(|m| {
            let mine: Vec<part::Model> = parts
                .iter()
                .filter(|p| p.message_id == m.id)
                .cloned()
                .collect();
            summary_of(m, &mine)
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Sends the failed / unknown calls of a send again.
pub async fn retry(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<AppMessage> {
    settle_stale(state, account_id).await?;
    let m = queries::message(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parts = queries::parts(&state.db, id).await?;
    let again: Vec<Recipients> = parts
        .iter()
        .filter(|p| p.state == FAILED || p.state == UNKNOWN)
        .map(|p| recipients_of(&p.recipients))
        .collect();
    if again.is_empty() {
        return Err(AppError::refused(
            "nothing_to_retry",
            "nothing to retry: every call of this send was delivered or is in progress",
        ));
    }
    check_rate(&state.db, account_id, &again, OffsetDateTime::now_utc()).await?;
    let txn = state.db.begin().await?;
    queries::reopen(&txn, id).await?;
    queries::set_state(&txn, id, SendState::Pending, OffsetDateTime::now_utc()).await?;
    audit::service::record(
        &txn,
        actor,
        "wecom.message.retry",
        "account",
        Some(account_id),
        format!("app message {id}: {} call(s) retried", again.len()),
        json!({"message_id": id, "calls": again.len()}),
    )
    .await?;
    txn.commit().await?;
    dispatch(state, account_id, &m).await?;
    get(state, account_id, id).await
}

/// `message/recall` for every delivered call of a send, within WeChat's 24 hours.
pub async fn recall(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<AppMessage> {
    queries::message(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parts = queries::parts(&state.db, id).await?;
    let now = OffsetDateTime::now_utc();
    let sent: Vec<&part::Model> = parts
        .iter()
        .filter(|p| p.state == SENT && p.msgid.is_some())
        .collect();
    if sent.is_empty() {
        return Err(AppError::refused(
            "nothing_to_recall",
            "nothing to recall: no call of this send was delivered",
        ));
    }
    if sent.iter().any(|p| {
        p.sent_at
            .is_none_or(|t| now - t > Duration::seconds(RECALL_WINDOW_SECS))
    }) {
        return Err(AppError::refused(
            "recall_too_late",
            "too late to recall: WeCom allows recalling an app message for 24 hours",
        ));
    }
    let client = wechat_clients::work(state, account_id).await?;
    for p in sent {
        let msgid = p.msgid.clone().unwrap_or_default();
        client
            .message_recall(&msgid)
            .await
            .map_err(|e| wechat_clients::api_error(&e))?;
        let mut row: part::ActiveModel = p.clone().into();
        row.state = Set(RECALLED.into());
        row.recalled_at = Set(Some(OffsetDateTime::now_utc()));
        queries::save_part(&state.db, row).await?;
    }
    let parts = queries::parts(&state.db, id).await?;
    let txn = state.db.begin().await?;
    queries::set_state(&txn, id, aggregate(&parts), now).await?;
    audit::service::record(
        &txn,
        actor,
        "wecom.message.recall",
        "account",
        Some(account_id),
        format!("app message {id} recalled"),
        json!({"message_id": id}),
    )
    .await?;
    txn.commit().await?;
    get(state, account_id, id).await
}

pub async fn usage(state: &AppState, account_id: i64) -> AppResult<MessageUsage> {
    let now = OffsetDateTime::now_utc();
    let recent = queries::recent_calls(&state.db, account_id, now - Duration::hours(1)).await?;
    let wechat_today = match wechat_clients::work(state, account_id).await {
        Ok(c) => match c.message_statistics(false).await {
            Ok(stats) => {
                let agent = c.agent_id();
                Some(
                    stats
                        .iter()
                        .filter(|s| Some(s.agentid) == agent)
                        .map(|s| s.count)
                        .sum(),
                )
            }
            Err(_) => None,
        },
        Err(_) => None,
    };
    Ok(MessageUsage {
        calls_last_hour: recent.len(),
        calls_per_hour_limit: PER_APP_PER_HOUR,
        wechat_today,
    })
}
