//! The callback pipeline (see the module docs of [`crate::callback`]).

use std::time::Duration;

use api::{
    accounts::{AccountKind, MessageMode},
    replies::RuleReply,
};
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use wechat::{
    crypto::{CallbackQuery, MsgCrypt, OpenedCallback},
    message::{Callback, InboundMessage, MessageKind},
    reply::SUCCESS,
    types::EncodingAesKey,
};

use super::{
    diagnose,
    dispatch::{self, NewMessage, Receiver},
    query,
    record::Record,
};
use crate::{
    accounts::service::{Stored, reveal_secret},
    entities::{
        callback_delivery::CallbackOutcome,
        callback_nonce, inbound_message,
        outbound_message::{self, SendStatus},
    },
    error::{AppError, AppResult},
    messages::delivery,
    oa::followers::queries as followers,
    replies::service as rules,
    state::AppState,
};

/// What the endpoint answers: a plain status and body, nothing else.
#[derive(Debug)]
pub struct Outcome {
    pub status: StatusCode,
    pub body: String,
    pub xml: bool,
    /// The recorded delivery (`None` when the account does not exist).
    pub delivery_id: Option<i64>,
}

impl Outcome {
    fn status(status: StatusCode) -> Outcome {
        Outcome {
            status,
            body: String::new(),
            xml: false,
            delivery_id: None,
        }
    }
}

/// Whether WeChat is still waiting for the answer to this delivery. WeChat hangs up after
/// 5 seconds; hyper then drops our handler, but the pipeline runs in a task of its own (see
/// [`super::post_handler`]) and asks this before committing to a passive reply nobody would read:
/// a reply ready after the hang-up goes the asynchronous way instead of being lost. (A hang-up
/// after this check is indistinguishable from a lost response; WeChat's retry then gets the
/// stored reply.)
pub struct Caller<'a>(Option<&'a tokio::sync::oneshot::Sender<Outcome>>);

impl<'a> Caller<'a> {
    /// An HTTP request from WeChat, answered through `answer`.
    pub fn waiting_on(answer: &'a tokio::sync::oneshot::Sender<Outcome>) -> Caller<'a> {
        Caller(Some(answer))
    }

    /// A staff replay: the caller is our own code, which always waits.
    pub fn in_process() -> Caller<'static> {
        Caller(None)
    }

    fn hung_up(&self) -> bool {
        self.0.is_some_and(|answer| answer.is_closed())
    }
}

/// One POST delivery.
#[derive(Debug, Clone)]
pub struct Input {
    pub account_id: i64,
    pub query: String,
    /// `None`: the body was larger than [`super::MAX_BODY_BYTES`].
    pub body: Option<String>,
    /// Set when staff replay a stored delivery: no timestamp/nonce checks, never counted twice.
    pub replay_of: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Oa(MessageMode),
    Work,
    /// A WeCom suite's instruction URL (suite_ticket, auth changes, change_contact).
    Suite,
}

/// The account's callback configuration.
struct Account {
    kind: Kind,
    token: String,
    crypt: MsgCrypt,
    has_key: bool,
}

async fn load_account(state: &AppState, id: i64) -> AppResult<Option<Account>> {
    let Some(m) = crate::accounts::queries::find(&state.db, id).await? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_str(&m.settings).unwrap_or_default();
    let (kind, receive_id) = match *m.kind {
        AccountKind::OfficialAccount => (
            Kind::Oa(stored.message_mode.unwrap_or_default()),
            stored.app_id.clone().unwrap_or_default(),
        ),
        AccountKind::WorkApp => (Kind::Work, stored.corp_id.clone().unwrap_or_default()),
        AccountKind::WorkSuite => (Kind::Suite, stored.suite_id.clone().unwrap_or_default()),
        AccountKind::PayMerchant => return Ok(None),
    };
    // Sealed since 2026-12; a value still in the settings predates `seal_legacy_tokens`.
    let token = match reveal_secret(state, id, "token").await? {
        Some(t) => t,
        None => stored.token.clone().unwrap_or_default(),
    };
    let key = reveal_secret(state, id, "encoding_aes_key")
        .await?
        .and_then(|k| EncodingAesKey::new(&k).ok());
    let has_key = key.is_some();
    // Without a key only plain-mode verification is possible; a random key makes every
    // decryption fail, which the pipeline reports before trying.
    let key = key.unwrap_or_else(EncodingAesKey::random);
    Ok(Some(Account {
        kind,
        crypt: MsgCrypt::new(token.clone(), &key, receive_id),
        token,
        has_key,
    }))
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn window_secs(state: &AppState) -> i64 {
    i64::try_from(state.settings.callback_timestamp_window_secs).unwrap_or(i64::MAX)
}

/// `GET /wx/{id}`: URL verification.
pub async fn handle_get(state: &AppState, account_id: i64, raw_query: String) -> Outcome {
    let account = match load_account(state, account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Outcome::status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "loading the callback account failed");
            return Outcome::status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let mut rec = Record::new(account_id, "GET", &raw_query, "");
    let q = query::callback_query(&raw_query);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    if q.echostr.is_none() {
        rec.reject(
            StatusCode::BAD_REQUEST,
            "GET without echostr: not a URL verification".into(),
        );
        return rec.save(state, String::new(), false).await;
    }
    if q.msg_signature.is_some() && !account.has_key {
        rec.reject(
            StatusCode::FORBIDDEN,
            "encrypted echostr (msg_signature) but no EncodingAESKey is configured for this account".into(),
        );
        return rec.save(state, String::new(), false).await;
    }
    match account.crypt.verify_get(&q) {
        Ok(echo) => {
            let window = window_secs(state);
            if window > 0
                && let Err(_) = MsgCrypt::check_timestamp(&q.timestamp, now, window)
            {
                rec.reject(
                    StatusCode::FORBIDDEN,
                    format!(
                        "stale timestamp {:?}: outside the ±{window}s window (replay, or clock skew)",
                        q.timestamp
                    ),
                );
                return rec.save(state, String::new(), false).await;
            }
            rec.outcome = CallbackOutcome::Verified;
            rec.status = StatusCode::OK;
            rec.reply_mode = "echo";
            rec.save(state, echo, false).await
        }
        Err(e) => {
            let d = diagnose::crypto(&e, &q, "", &account.token, now, window_secs(state));
            rec.reject(StatusCode::FORBIDDEN, d);
            rec.save(state, String::new(), false).await
        }
    }
}

/// `POST /wx/{id}`: a message or event.
pub async fn handle_post(state: &AppState, input: Input, caller: Caller<'_>) -> Outcome {
    let account = match load_account(state, input.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Outcome::status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "loading the callback account failed");
            return Outcome::status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let body_text = input.body.clone().unwrap_or_default();
    let mut rec = Record::new(input.account_id, "POST", &input.query, &body_text);
    rec.replay_of = input.replay_of;
    let Some(body) = input.body else {
        rec.reject(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "XML too large: the body exceeds {} bytes",
                super::MAX_BODY_BYTES
            ),
        );
        return rec.save(state, String::new(), false).await;
    };
    match run_post(state, &account, &input.query, &body, &mut rec, &caller).await {
        Ok((body, xml)) => rec.save(state, body, xml).await,
        Err(e) => {
            tracing::error!(error = %e, account_id = input.account_id, "callback processing failed");
            rec.reject(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error while processing (see the server log)".into(),
            );
            rec.save(state, String::new(), false).await
        }
    }
}

/// The POST pipeline; rejections are written into `rec` and answered with an empty body.
async fn run_post(
    state: &AppState,
    account: &Account,
    raw_query: &str,
    body: &str,
    rec: &mut Record,
    caller: &Caller<'_>,
) -> AppResult<(String, bool)> {
    let q = query::callback_query(raw_query);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let window = window_secs(state);
    let empty = || Ok((String::new(), false));

    // Mode: WeCom is always encrypted; a safe-mode OA never sends plain pushes, and neither
    // does a compatible-mode one: WeChat always adds the encrypted part there, so a plain push
    // (signed with the Token alone) is refused rather than trusted on the weaker signature.
    match account.kind {
        Kind::Work | Kind::Suite if !q.is_encrypted() => {
            rec.reject(
                StatusCode::FORBIDDEN,
                "plain push (no msg_signature) to a WeCom app: WeCom always encrypts; not a WeChat request".into(),
            );
            return empty();
        }
        Kind::Oa(MessageMode::Safe) if !q.is_encrypted() => {
            rec.reject(
                StatusCode::FORBIDDEN,
                "plain push (no encrypt_type=aes) to an account in safe mode: the console's message mode differs from this account's, or a forged request".into(),
            );
            return empty();
        }
        Kind::Oa(MessageMode::Compatible) if !q.is_encrypted() => {
            rec.reject(
                StatusCode::FORBIDDEN,
                "plain push (no encrypt_type=aes) to an account in compatible mode: WeChat always sends the encrypted part in this mode; the console's message mode differs from this account's, or a forged request".into(),
            );
            return empty();
        }
        _ => {}
    }
    if q.is_encrypted() && !account.has_key {
        rec.reject(
            StatusCode::FORBIDDEN,
            "encrypted push but no EncodingAESKey is configured for this account".into(),
        );
        return empty();
    }

    // Signature (constant time) and decryption.
    let opened: OpenedCallback = match account.crypt.open_post(&q, body) {
        Ok(o) => o,
        Err(e) => {
            let status = match e {
                wechat::error::CryptoError::ValidateSignature => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_REQUEST,
            };
            rec.reject(
                status,
                diagnose::crypto(&e, &q, body, &account.token, now, window),
            );
            return empty();
        }
    };

    // Timestamp window and nonce replay (not for staff replays).
    if rec.replay_of.is_none() {
        if window > 0
            && let Err(wechat::error::CryptoError::TimestampOutOfWindow { skew_secs }) =
                MsgCrypt::check_timestamp(&q.timestamp, now, window)
        {
            let skew = if skew_secs == i64::MAX {
                "unreadable".to_string()
            } else {
                format!("{skew_secs}s")
            };
            rec.reject(
                StatusCode::FORBIDDEN,
                format!(
                    "stale timestamp {:?} (skew {skew}, window ±{window}s): a replayed request, or clock skew",
                    q.timestamp
                ),
            );
            return empty();
        }
        if let Some(d) = check_nonce(state, rec.account_id, &q, body).await? {
            rec.reject(StatusCode::FORBIDDEN, d);
            return empty();
        }
    }
    rec.decrypted = Some(opened.xml.clone());

    // Parse.
    let parsed = match Callback::parse(&opened.xml) {
        Ok(p) => p,
        Err(e) => {
            rec.reject(StatusCode::BAD_REQUEST, diagnose::parse(&e, &opened.xml));
            return empty();
        }
    };
    let (msg, receiver) = match (parsed, account.kind) {
        (Callback::Message(m), Kind::Oa(_)) => (m, Receiver::OfficialAccount),
        (Callback::Message(m), Kind::Work) => (m, Receiver::WorkApp),
        (Callback::Suite(instruction), Kind::Suite) => {
            rec.outcome = CallbackOutcome::Accepted;
            rec.status = StatusCode::OK;
            rec.reply_mode = "success";
            rec.diagnosis = Some(
                crate::wecom::suite::apply(state, rec.account_id, &instruction, &opened.xml)
                    .await?,
            );
            return Ok((SUCCESS.to_string(), false));
        }
        _ => {
            rec.outcome = CallbackOutcome::Accepted;
            rec.status = StatusCode::OK;
            rec.reply_mode = "success";
            rec.diagnosis =
                Some("not a message or event of this account kind: acknowledged".into());
            return Ok((SUCCESS.to_string(), false));
        }
    };

    // Store (insert-or-detect on the unique de-duplication key).
    let dedup = sha256_hex(&msg.dedup_key());
    let stored = store_inbound(state, rec.account_id, &dedup, &msg, &opened.xml).await?;
    let inbound = match stored {
        Stored_::New(m) => m,
        Stored_::Duplicate(m) => {
            rec.outcome = CallbackOutcome::Duplicate;
            rec.status = StatusCode::OK;
            rec.dedup_hit = true;
            rec.inbound_id = Some(m.id);
            return Ok(match m.reply_xml {
                Some(xml) => {
                    rec.reply_mode = "passive";
                    let sealed =
                        account
                            .crypt
                            .seal_reply(&opened, &xml, &now.to_string(), &q.nonce);
                    rec.reply_xml = Some(xml);
                    match sealed {
                        Ok(b) => (b, true),
                        Err(e) => return Err(AppError::internal(e)),
                    }
                }
                None => {
                    rec.reply_mode = "success";
                    (SUCCESS.to_string(), false)
                }
            });
        }
    };
    rec.inbound_id = Some(inbound.id);
    rec.outcome = CallbackOutcome::Accepted;
    rec.status = StatusCode::OK;

    // Events act on state: each feature's handler (see `dispatch`).
    let new_message = NewMessage {
        account_id: rec.account_id,
        receiver,
        inbound_id: inbound.id,
        msg: &msg,
        xml: &opened.xml,
    };
    dispatch::apply(state, &new_message).await?;

    // Rules and the reply, within the budget. The preparation runs in a task of its own so
    // that, past the budget, it goes on and its result takes the asynchronous path.
    let budget = Duration::from_millis(state.settings.callback_reply_budget_ms);
    let mut task = {
        let state = state.clone();
        let msg = msg.clone();
        let account_id = rec.account_id;
        tokio::spawn(async move { prepare_reply(&state, account_id, &msg).await })
    };
    // A zero budget always takes the asynchronous path (deterministic, for tests and for
    // accounts whose replies are known to be slow).
    let in_time = if budget.is_zero() {
        None
    } else {
        tokio::time::timeout(budget, &mut task).await.ok()
    };
    let prepared = match in_time {
        Some(joined) => joined.map_err(AppError::internal)??,
        None => {
            // Past the budget: acknowledge now, deliver later.
            rec.reply_mode = "async";
            rec.diagnosis = Some(format!(
                "reply not ready within the {} ms budget: answered success, reply goes through the asynchronous path",
                budget.as_millis()
            ));
            let state = state.clone();
            let account_id = rec.account_id;
            let inbound_id = inbound.id;
            tokio::spawn(async move {
                let prepared = match task.await {
                    Ok(Ok(p)) => p,
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "preparing an asynchronous reply failed");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "preparing an asynchronous reply panicked");
                        return;
                    }
                };
                if let Err(e) =
                    finish_async(&state, account_id, inbound_id, &msg, prepared, true).await
                {
                    tracing::warn!(error = %e, "recording an asynchronous reply failed");
                }
            });
            return Ok((SUCCESS.to_string(), false));
        }
    };
    if prepared.passive.is_some() && caller.hung_up() {
        // WeChat stopped waiting (its 5 s are up, or the connection broke): a passive reply
        // would be written to nobody, so the whole reply goes the asynchronous way.
        rec.reply_mode = "async";
        rec.diagnosis = Some(
            "WeChat hung up before the reply was ready: the reply goes through the asynchronous path".into(),
        );
        finish_async(state, rec.account_id, inbound.id, &msg, prepared, true).await?;
        return Ok((SUCCESS.to_string(), false));
    }
    let passive = prepared.passive.clone();
    let Some((xml, msg_type, summary)) = passive else {
        rec.reply_mode = "success";
        finish_async(state, rec.account_id, inbound.id, &msg, prepared, false).await?;
        return Ok((SUCCESS.to_string(), false));
    };
    let sealed = account
        .crypt
        .seal_reply(&opened, &xml, &now.to_string(), &q.nonce)
        .map_err(AppError::internal)?;
    // Remember the reply for WeChat's retries, then log it.
    let mut am: inbound_message::ActiveModel = inbound.clone().into();
    am.reply_xml = Set(Some(xml.clone()));
    am.rule_id = Set(prepared.rule_id);
    am.update(&state.db).await?;
    log_outbound(
        &state.db,
        rec.account_id,
        &msg.header.from_user_name,
        Some(inbound.id),
        "passive",
        &msg_type,
        &summary,
        &xml,
        SendStatus::Sent,
        None,
        prepared.rule_id,
    )
    .await?;
    rec.reply_mode = "passive";
    rec.reply_xml = Some(xml);
    finish_async(state, rec.account_id, inbound.id, &msg, prepared, false).await?;
    Ok((sealed, true))
}

enum Stored_ {
    New(inbound_message::Model),
    Duplicate(inbound_message::Model),
}

async fn store_inbound(
    state: &AppState,
    account_id: i64,
    dedup: &str,
    msg: &InboundMessage,
    xml: &str,
) -> AppResult<Stored_> {
    let (content, msg_id) = match &msg.kind {
        MessageKind::Text { content, msg_id } => (Some(content.clone()), msg_id.clone()),
        MessageKind::Image { msg_id, .. }
        | MessageKind::Voice { msg_id, .. }
        | MessageKind::Video { msg_id, .. }
        | MessageKind::ShortVideo { msg_id, .. }
        | MessageKind::Location { msg_id, .. }
        | MessageKind::Link { msg_id, .. } => (None, msg_id.clone()),
        _ => (None, None),
    };
    let incoming = crate::replies::matching::Incoming::from_message(msg);
    let parsed = serde_json::json!({
        "msg_type": incoming.msg_type,
        "content": incoming.content,
        "event": incoming.event,
        "event_key": incoming.event_key,
        "qr_scene": incoming.qr_scene,
        "agent_id": msg.header.agent_id,
    });
    let am = inbound_message::ActiveModel {
        account_id: Set(account_id),
        dedup_key: Set(dedup.to_string()),
        from_user: Set(truncate(&msg.header.from_user_name, 128)),
        to_user: Set(truncate(&msg.header.to_user_name, 128)),
        msg_type: Set(truncate(msg.msg_type(), 32)),
        event: Set(msg.event_name().map(|e| truncate(e, 64))),
        event_key: Set(incoming.event_key.clone()),
        msg_id: Set(msg_id.map(|m| truncate(&m, 64))),
        content: Set(content),
        create_time: Set(msg.header.create_time),
        raw_xml: Set(xml.to_string()),
        parsed: Set(parsed.to_string()),
        rule_id: Set(None),
        reply_xml: Set(None),
        received_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    match am.insert(&state.db).await {
        Ok(m) => Ok(Stored_::New(m)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let existing = inbound_message::Entity::find()
                .filter(inbound_message::Column::AccountId.eq(account_id))
                .filter(inbound_message::Column::DedupKey.eq(dedup))
                .one(&state.db)
                .await?
                .ok_or_else(|| AppError::Internal("duplicate without a stored row".into()))?;
            Ok(Stored_::Duplicate(existing))
        }
        Err(e) => Err(e.into()),
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// `None` when the (timestamp, nonce) pair is new, or was seen with the very same body (a
/// WeChat retry: de-duplication answers it); a diagnosis when it was used for another body.
async fn check_nonce(
    state: &AppState,
    account_id: i64,
    q: &CallbackQuery,
    body: &str,
) -> AppResult<Option<String>> {
    let key = sha256_hex(&format!("{}\n{}", q.timestamp, q.nonce));
    let body_hash = sha256_hex(body);
    let am = callback_nonce::ActiveModel {
        account_id: Set(account_id),
        nonce_key: Set(key.clone()),
        body_hash: Set(body_hash.clone()),
        seen_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    match am.insert(&state.db).await {
        Ok(_) => Ok(None),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let seen = callback_nonce::Entity::find()
                .filter(callback_nonce::Column::AccountId.eq(account_id))
                .filter(callback_nonce::Column::NonceKey.eq(key))
                .one(&state.db)
                .await?;
            Ok(match seen {
                Some(s) if s.body_hash == body_hash => None,
                _ => Some(format!(
                    "replayed nonce: timestamp {:?} and nonce {:?} were already used for another body (a captured signature reused for forged content)",
                    q.timestamp, q.nonce
                )),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes nonces older than twice the window (called from time to time).
pub async fn prune_nonces<C: ConnectionTrait>(
    db: &C,
    older_than: OffsetDateTime,
) -> AppResult<u64> {
    Ok(callback_nonce::Entity::delete_many()
        .filter(callback_nonce::Column::SeenAt.lt(older_than))
        .exec(db)
        .await?
        .rows_affected)
}

/// The reply decided for one message.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub rule_id: Option<i64>,
    /// `(xml, msg_type, summary)` of the passive reply.
    pub passive: Option<(String, String, String)>,
    /// Replies after the first (and the first too when delivered asynchronously).
    pub rest: Vec<RuleReply>,
    pub first: Option<RuleReply>,
    /// The follower's remark (for `{remark}` in text replies sent later).
    pub remark: Option<String>,
}

async fn prepare_reply(
    state: &AppState,
    account_id: i64,
    msg: &InboundMessage,
) -> AppResult<Prepared> {
    let follower = followers::find(&state.db, account_id, &msg.header.from_user_name).await?;
    let tags = follower
        .as_ref()
        .map(followers::tag_ids)
        .unwrap_or_default();
    let remark = follower.as_ref().and_then(|f| f.remark.clone());
    let decision = rules::decide(&state.db, account_id, msg, tags).await?;
    let Some(rule) = decision.rule else {
        return Ok(Prepared {
            rule_id: None,
            passive: None,
            rest: Vec::new(),
            first: None,
            remark,
        });
    };
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let first = rule.replies.first().cloned();
    let passive = first
        .as_ref()
        .and_then(|r| rules::build_reply(r, msg, remark.as_deref(), now))
        .map(|r| {
            let summary = summary_of(
                first.as_ref().expect("first reply exists"),
                msg,
                remark.as_deref(),
            );
            (r.to_xml(), r.msg_type().to_string(), summary)
        });
    Ok(Prepared {
        rule_id: Some(rule.id),
        passive,
        rest: rule.replies.iter().skip(1).cloned().collect(),
        first,
        remark,
    })
}

fn summary_of(r: &RuleReply, msg: &InboundMessage, remark: Option<&str>) -> String {
    match r {
        RuleReply::Text { content } => rules::fill(content, &msg.header.from_user_name, remark),
        RuleReply::Image { media_id }
        | RuleReply::Voice { media_id }
        | RuleReply::Video { media_id, .. } => media_id.clone(),
        RuleReply::Music { title, .. } => title.clone().unwrap_or_default(),
        RuleReply::News { articles } => articles
            .first()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
        RuleReply::TransferCustomerService { .. } => "transfer_customer_service".into(),
        RuleReply::NoReply => String::new(),
    }
}

fn reply_type(r: &RuleReply) -> &'static str {
    match r {
        RuleReply::Text { .. } => "text",
        RuleReply::Image { .. } => "image",
        RuleReply::Voice { .. } => "voice",
        RuleReply::Video { .. } => "video",
        RuleReply::Music { .. } => "music",
        RuleReply::News { .. } => "news",
        RuleReply::TransferCustomerService { .. } => "transfer_customer_service",
        RuleReply::NoReply => "none",
    }
}

/// Counts the hit (never for replays: a replay is always a de-duplication hit and never gets
/// here) and queues the replies that go through the API (the customer-service API for
/// Official Accounts, message/send for WeCom) for [`crate::messages::delivery`], which sends
/// them at once and retries with backoff.
async fn finish_async(
    state: &AppState,
    account_id: i64,
    inbound_id: i64,
    msg: &InboundMessage,
    p: Prepared,
    first_too: bool,
) -> AppResult<()> {
    let Some(rule_id) = p.rule_id else {
        return Ok(());
    };
    rules::count_hit(&state.db, rule_id).await?;
    if first_too {
        let mut am: inbound_message::ActiveModel = inbound_message::Entity::find_by_id(inbound_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?
            .into();
        am.rule_id = Set(Some(rule_id));
        am.update(&state.db).await?;
    }
    let agent_id = msg.header.agent_id;
    let channel = delivery::channel_for(agent_id.is_some());
    let to_user = &msg.header.from_user_name;
    let remark = p.remark.clone();
    let queue = first_too
        .then(|| p.first.clone())
        .flatten()
        .into_iter()
        .chain(p.rest);
    for r in queue {
        if r == RuleReply::NoReply {
            continue;
        }
        let body = delivery::api_body(to_user, agent_id, &r, |t| {
            rules::fill(t, to_user, remark.as_deref())
        });
        let (body, status, error) = match body {
            Ok(b) => (b.to_string(), SendStatus::Pending, None),
            Err(why) => (
                serde_json::to_string(&r).unwrap_or_default(),
                SendStatus::Failed,
                Some(why),
            ),
        };
        let row = log_outbound(
            &state.db,
            account_id,
            to_user,
            Some(inbound_id),
            channel,
            reply_type(&r),
            &summary_of(&r, msg, remark.as_deref()),
            &body,
            status,
            error,
            Some(rule_id),
        )
        .await?;
        if status == SendStatus::Pending {
            delivery::kick(state, row.id);
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn log_outbound<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    to_user: &str,
    inbound_id: Option<i64>,
    channel: &str,
    msg_type: &str,
    content: &str,
    body: &str,
    status: SendStatus,
    error: Option<String>,
    rule_id: Option<i64>,
) -> AppResult<outbound_message::Model> {
    Ok(outbound_message::ActiveModel {
        account_id: Set(account_id),
        to_user: Set(truncate(to_user, 128)),
        inbound_id: Set(inbound_id),
        channel: Set(channel.to_string()),
        msg_type: Set(msg_type.to_string()),
        content: Set(content.to_string()),
        body: Set(body.to_string()),
        status: Set(status.into()),
        error: Set(error),
        rule_id: Set(rule_id),
        staff_id: Set(None),
        created_at: Set(OffsetDateTime::now_utc()),
        attempts: Set(0),
        next_attempt_at: Set(None),
        lease_until: Set(None),
        sent_at: Set((status == SendStatus::Sent).then(OffsetDateTime::now_utc)),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
