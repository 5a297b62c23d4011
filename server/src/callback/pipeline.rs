//! The callback pipeline (see the module docs of [`crate::callback`]).

use std::time::Duration;

use std::sync::Arc;

use api::accounts::MessageMode;
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
};

use super::handling::{self, ReplyPath, StoredHandled};

use super::{
    config::{self, Account, Config, Kind},
    diagnose,
    dispatch::{self, NewMessage, Receiver},
    nonces::Seen,
    record::Record,
};
use crate::{
    entities::{callback_delivery::CallbackOutcome, callback_nonce, inbound_message},
    error::{AppError, AppResult},
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
#[derive(Clone)]
pub struct Caller(Option<tokio::sync::watch::Receiver<()>>);

impl Caller {
    /// An HTTP request from WeChat whose handler holds `alive` (hyper drops the handler, and
    /// with it `alive`, when WeChat hangs up).
    pub fn waiting_on(alive: &tokio::sync::watch::Sender<()>) -> Caller {
        Caller(Some(alive.subscribe()))
    }

    /// A staff replay: the caller is our own code, which always waits.
    pub fn in_process() -> Caller {
        Caller(None)
    }

    fn hung_up(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|alive| alive.has_changed().is_err())
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

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn window_secs(state: &AppState) -> i64 {
    i64::try_from(state.settings.callback_timestamp_window_secs).unwrap_or(i64::MAX)
}

/// `GET /wx/{id}`: URL verification.
pub async fn handle_get(state: &AppState, account_id: i64, raw_query: String) -> Outcome {
    let config = match config::get(state, account_id).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "loading the callback account failed");
            return Outcome::status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let Some(account) = &config.account else {
        return Outcome::status(StatusCode::NOT_FOUND);
    };
    let mut rec = Record::new(account_id, "GET", &raw_query, "");
    let q = CallbackQuery::parse(&raw_query);
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

/// A POST refused before it reaches an account's pipeline (a suite's data URL naming a corp
/// that never authorised the suite): recorded under `account_id` for the inspector.
pub async fn reject_post(
    state: &AppState,
    account_id: i64,
    query: &str,
    body: &str,
    status: StatusCode,
    diagnosis: String,
) -> Outcome {
    let mut rec = Record::new(account_id, "POST", query, body);
    rec.reject(status, diagnosis);
    rec.save(state, String::new(), false).await
}

/// `POST /wx/{id}`: a message or event.
pub async fn handle_post(state: &AppState, input: Input, caller: Caller) -> Outcome {
    let config = match config::get(state, input.account_id).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "loading the callback account failed");
            return Outcome::status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    if config.account.is_none() {
        return Outcome::status(StatusCode::NOT_FOUND);
    }
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
    match run_post(state, &config, &input.query, &body, &mut rec, &caller).await {
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
    config: &Arc<Config>,
    raw_query: &str,
    body: &str,
    rec: &mut Record,
    caller: &Caller,
) -> AppResult<(String, bool)> {
    let account = config
        .account
        .as_ref()
        .ok_or_else(|| AppError::internal("callback account vanished"))?;
    let q = CallbackQuery::parse(raw_query);
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
    let new_row = inbound_row(state, rec.account_id, &dedup, &msg, &opened.xml);
    let budget = Duration::from_millis(state.settings.callback_reply_budget_ms);
    let deadline = tokio::time::Instant::now() + budget;
    let mut stored = None;
    // The common case — no event handler applies and the rules are in memory — stores the
    // message with its reply, handled, in one transaction before answering
    // (`handling::store_handled`). Anything else, or a message stored already, takes the
    // general path below. Past the budget it falls back too, with what is left of the budget.
    let probe = NewMessage {
        account_id: rec.account_id,
        receiver,
        inbound_id: 0,
        msg: &msg,
        xml: &opened.xml,
    };
    if !budget.is_zero() && !dispatch::any_applies(&probe) {
        let prepare = handling::prepare_with(state, rec.account_id, &msg, &config.rules);
        if let Ok(prepared) = tokio::time::timeout_at(deadline, prepare).await {
            let prepared = prepared?;
            if !(prepared.passive.is_some() && caller.hung_up()) {
                let path = if prepared.passive.is_some() {
                    ReplyPath::Passive
                } else {
                    ReplyPath::RestOnly
                };
                let (account_id, row) = (rec.account_id, new_row.clone());
                // The answer is sealed before the transaction, so that its delivery record
                // (with the reply) is written with the message.
                let sealed = match &prepared.passive {
                    Some((xml, _, _)) => Some((xml.clone(), seal(account, &opened, &q, now, xml)?)),
                    None => None,
                };
                let reply_mode = if sealed.is_some() {
                    "passive"
                } else {
                    "success"
                };
                let delivery =
                    rec.accepted_delivery(reply_mode, sealed.as_ref().map(|(xml, _)| xml.clone()));
                let hung_up = {
                    let caller = caller.clone();
                    move || caller.hung_up()
                };
                match handling::store_handled(
                    state,
                    account_id,
                    row,
                    dedup.clone(),
                    &msg,
                    prepared,
                    path,
                    hung_up,
                    delivery,
                    rec.started,
                )
                .await?
                {
                    StoredHandled::Handled {
                        inbound_id,
                        delivery_id,
                    } => {
                        rec.outcome = CallbackOutcome::Accepted;
                        rec.inbound_id = Some(inbound_id);
                        rec.status = StatusCode::OK;
                        rec.reply_mode = reply_mode;
                        rec.saved_as = Some(delivery_id);
                        return Ok(match sealed {
                            Some((xml, body)) => {
                                rec.reply_xml = Some(xml);
                                (body, true)
                            }
                            None => (SUCCESS.to_string(), false),
                        });
                    }
                    StoredHandled::Duplicate => {
                        stored = Some(Stored_::Duplicate(
                            find_stored(state, account_id, &dedup).await?,
                        ))
                    }
                    // The general path stores it and sends the reply the asynchronous way.
                    StoredHandled::HungUp => {}
                }
            }
        }
    }
    let stored = match stored {
        Some(s) => s,
        None => store_inbound(state, new_row, rec.account_id, &dedup).await?,
    };
    let inbound = match stored {
        Stored_::New(m) => {
            rec.outcome = CallbackOutcome::Accepted;
            m
        }
        Stored_::Duplicate(m) => {
            rec.outcome = CallbackOutcome::Duplicate;
            rec.dedup_hit = true;
            rec.inbound_id = Some(m.id);
            rec.status = StatusCode::OK;
            if m.handled_at.is_some() {
                return answer_stored(account, &opened, &q, now, rec, m);
            }
            if !handling::claim(state, m.id).await? {
                // Another copy is being handled (WeChat retried while we work, or another
                // instance has it): wait for its reply within the budget, not `success` at once.
                let m = handling::wait_handled(state, m.id, budget).await?;
                if m.handled_at.is_none() {
                    rec.diagnosis = Some(
                        "retry while the first copy is still being handled: its reply was not ready within the budget and goes through the API".into(),
                    );
                }
                return answer_stored(account, &opened, &q, now, rec, m);
            }
            // Stored but never handled, and nobody is on it: the process that stored it died
            // (or failed) half-way. Handle it now, as if it were new.
            rec.diagnosis = Some(
                "retry of a message stored but never handled (the first attempt was interrupted): handled now".into(),
            );
            m
        }
    };
    rec.inbound_id = Some(inbound.id);
    rec.status = StatusCode::OK;

    // Events act on state: each feature's handler (see `dispatch`).
    let new_message = NewMessage {
        account_id: rec.account_id,
        receiver,
        inbound_id: inbound.id,
        msg: &msg,
        xml: &opened.xml,
    };
    handling::dispatch_once(state, &inbound, &new_message).await?;

    // Rules and the reply, within the budget. The preparation runs in a task of its own so
    // that, past the budget, it goes on and its result takes the asynchronous path.
    let mut task = {
        let state = state.clone();
        let msg = msg.clone();
        let account_id = rec.account_id;
        let config = config.clone();
        tokio::spawn(async move {
            handling::prepare_with(&state, account_id, &msg, &config.rules).await
        })
    };
    // A zero budget always takes the asynchronous path (deterministic, for tests and for
    // accounts whose replies are known to be slow).
    let in_time = if budget.is_zero() {
        None
    } else {
        tokio::time::timeout_at(deadline, &mut task).await.ok()
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
                if let Err(e) = handling::record_handled(
                    &state,
                    account_id,
                    inbound_id,
                    &msg,
                    prepared,
                    ReplyPath::Api,
                )
                .await
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
        handling::record_handled(
            state,
            rec.account_id,
            inbound.id,
            &msg,
            prepared,
            ReplyPath::Api,
        )
        .await?;
        return Ok((SUCCESS.to_string(), false));
    }
    let path = if prepared.passive.is_some() {
        ReplyPath::Passive
    } else {
        ReplyPath::RestOnly
    };
    // Recorded before answering: WeChat's retries get the stored reply, and every reply sent
    // has its outbound row. Someone else may have recorded it first (a takeover raced us):
    // then theirs is the answer.
    let passive_xml = prepared.passive.as_ref().map(|(xml, _, _)| xml.clone());
    let recorded =
        handling::record_handled(state, rec.account_id, inbound.id, &msg, prepared, path).await?;
    let row = if recorded {
        // What we just recorded is the answer: no need to read it back.
        inbound_message::Model {
            reply_xml: passive_xml,
            ..inbound
        }
    } else {
        rec.diagnosis =
            Some("another process recorded this message's reply first: answered with it".into());
        inbound_message::Entity::find_by_id(inbound.id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?
    };
    answer_stored(account, &opened, &q, now, rec, row)
}

/// The passive reply `xml` as WeChat gets it (encrypted in safe mode).
fn seal(
    account: &Account,
    opened: &OpenedCallback,
    q: &CallbackQuery,
    now: i64,
    xml: &str,
) -> AppResult<String> {
    account
        .crypt
        .seal_reply(opened, xml, &now.to_string(), &q.nonce)
        .map_err(AppError::internal)
}

/// Answers with the reply recorded for the message: its passive reply (sealed for the mode),
/// or `success` when it has none (or none yet).
fn answer_stored(
    account: &Account,
    opened: &OpenedCallback,
    q: &CallbackQuery,
    now: i64,
    rec: &mut Record,
    m: inbound_message::Model,
) -> AppResult<(String, bool)> {
    match m.reply_xml {
        Some(xml) => {
            rec.reply_mode = "passive";
            let sealed = seal(account, opened, q, now, &xml)?;
            rec.reply_xml = Some(xml);
            Ok((sealed, true))
        }
        None => {
            if rec.reply_mode == "none" {
                rec.reply_mode = "success";
            }
            Ok((SUCCESS.to_string(), false))
        }
    }
}

enum Stored_ {
    New(inbound_message::Model),
    Duplicate(inbound_message::Model),
}

/// The row of a new message, claimed by this process (not yet handled).
fn inbound_row(
    state: &AppState,
    account_id: i64,
    dedup: &str,
    msg: &InboundMessage,
    xml: &str,
) -> inbound_message::ActiveModel {
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
    inbound_message::ActiveModel {
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
        dispatched_at: Set(None),
        handled_at: Set(None),
        // Ours while we handle it; a retry after a crash takes over once this runs out.
        claimed_until: Set(Some(handling::claim_until(state))),
        ..Default::default()
    }
}

async fn store_inbound(
    state: &AppState,
    am: inbound_message::ActiveModel,
    account_id: i64,
    dedup: &str,
) -> AppResult<Stored_> {
    match am.insert(&state.db).await {
        Ok(m) => Ok(Stored_::New(m)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(
            Stored_::Duplicate(find_stored(state, account_id, dedup).await?),
        ),
        Err(e) => Err(e.into()),
    }
}

/// The stored message with this de-duplication key.
async fn find_stored(
    state: &AppState,
    account_id: i64,
    dedup: &str,
) -> AppResult<inbound_message::Model> {
    inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account_id))
        .filter(inbound_message::Column::DedupKey.eq(dedup))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::Internal("duplicate without a stored row".into()))
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// `None` when the (timestamp, nonce) pair is new, or was seen with the very same body (a
/// WeChat retry: de-duplication answers it); a diagnosis when it was used for another body.
/// An encrypted push's signature covers its body, so its pair is checked in this instance's
/// memory ([`super::nonces`]); a plain push's signature does not, so its pair goes through the
/// table every instance shares.
async fn check_nonce(
    state: &AppState,
    account_id: i64,
    q: &CallbackQuery,
    body: &str,
) -> AppResult<Option<String>> {
    let replayed = || {
        Some(format!(
            "replayed nonce: timestamp {:?} and nonce {:?} were already used for another body (a captured signature reused for forged content)",
            q.timestamp, q.nonce
        ))
    };
    let pair = format!("{}\n{}", q.timestamp, q.nonce);
    if q.is_encrypted() {
        let seen = state.callbacks.nonces.check(
            account_id,
            Sha256::digest(pair.as_bytes()).into(),
            Sha256::digest(body.as_bytes()).into(),
            window_secs(state),
        );
        return Ok((seen == Seen::OtherBody).then(replayed).flatten());
    }
    let key = sha256_hex(&pair);
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
                _ => replayed(),
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
