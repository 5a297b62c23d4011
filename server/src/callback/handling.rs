//! Handling a stored message exactly once, even across crashes and instances.
//!
//! A message is stored first (its unique de-duplication key makes WeChat's retries hits), then
//! handled: its event handlers run ([`super::dispatch`], marked by `dispatched_at`), its reply is
//! decided ([`prepare_reply`]) and recorded ([`record_handled`]: the passive reply, the outbound
//! rows and `handled_at`, in one transaction). Whoever works on a message holds a lease on it
//! (`claimed_until`). So:
//! - a retry of a message that was stored but never handled (the process died in between, on
//!   this instance or another) takes the lease over and handles it, answering passively when in
//!   time; the [`sweep_loop`] handles the ones WeChat stopped retrying, through the API;
//! - a retry while another copy is being handled waits for that copy's reply within the budget
//!   ([`wait_handled`]) instead of answering `success` at once;
//! - two processes that both end up handling one message (a lease that ran out mid-way) record
//!   it once: `handled_at` is set by a conditional update, and the loser rolls back.

use std::time::Duration;

use api::{accounts::AccountKind, replies::RuleReply};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use time::OffsetDateTime;
use wechat::message::{Callback, InboundMessage};

use super::{
    batch::{NewCallback, Written},
    config::RuleSet,
    dispatch::{self, NewMessage, Receiver},
};
use crate::{
    entities::{
        callback_delivery, inbound_message,
        outbound_message::{self, SendStatus},
    },
    error::{AppError, AppResult},
    messages::delivery,
    oa::followers::queries as followers,
    replies::service as rules,
    state::AppState,
};

/// How long a claim on a message lasts beyond the reply budget: enough for the rules and the
/// database writes; past it, a retry may take over (still recorded once, see the module docs).
const CLAIM_MARGIN: Duration = Duration::from_secs(5);

/// The sweeper leaves messages younger than this to WeChat's retries (15 s in all) and to the
/// process that stored them.
const SWEEP_MIN_AGE: time::Duration = time::Duration::seconds(60);

/// Past this age a reply through the customer-service API would be refused by WeChat (48 h):
/// such messages are marked handled without a reply.
const SWEEP_MAX_AGE: time::Duration = time::Duration::hours(48);

/// How often a waiting retry looks whether the first copy's reply is recorded.
const WAIT_POLL: Duration = Duration::from_millis(50);

/// The lease a process takes on a message it is about to handle.
pub fn claim_until(state: &AppState) -> OffsetDateTime {
    let budget = Duration::from_millis(state.settings.callback_reply_budget_ms);
    OffsetDateTime::now_utc() + budget + CLAIM_MARGIN
}

/// Takes the lease on an unhandled message whose lease ran out (or was never taken); `false`
/// when it is handled or someone else holds a live lease.
pub async fn claim(state: &AppState, inbound_id: i64) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let res = inbound_message::Entity::update_many()
        .col_expr(
            inbound_message::Column::ClaimedUntil,
            Expr::value(claim_until(state)),
        )
        .filter(inbound_message::Column::Id.eq(inbound_id))
        .filter(inbound_message::Column::HandledAt.is_null())
        .filter(
            Condition::any()
                .add(inbound_message::Column::ClaimedUntil.is_null())
                .add(inbound_message::Column::ClaimedUntil.lt(now)),
        )
        .exec(&state.db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Waits up to `budget` for another process to record the message's reply; the row as it is
/// then (handled or not).
pub async fn wait_handled(
    state: &AppState,
    inbound_id: i64,
    budget: Duration,
) -> AppResult<inbound_message::Model> {
    let deadline = tokio::time::Instant::now() + budget;
    loop {
        let row = inbound_message::Entity::find_by_id(inbound_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.handled_at.is_some() || tokio::time::Instant::now() >= deadline {
            return Ok(row);
        }
        tokio::time::sleep(WAIT_POLL).await;
    }
}

/// Runs the event handlers for a stored message unless they already all ran for it.
pub async fn dispatch_once(
    state: &AppState,
    row: &inbound_message::Model,
    message: &NewMessage<'_>,
) -> AppResult<()> {
    if row.dispatched_at.is_some() {
        return Ok(());
    }
    dispatch::apply(state, message).await?;
    inbound_message::Entity::update_many()
        .col_expr(
            inbound_message::Column::DispatchedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(inbound_message::Column::Id.eq(row.id))
        .exec(&state.db)
        .await?;
    Ok(())
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

/// Decides the reply with the account's rules as cached ([`super::config`]).
pub async fn prepare_reply(
    state: &AppState,
    account_id: i64,
    msg: &InboundMessage,
) -> AppResult<Prepared> {
    let config = super::config::get(state, account_id).await?;
    prepare_with(state, account_id, msg, &config.rules).await
}

/// Decides the reply among `rules`. The follower is read only when a rule's tag condition or a
/// reply's `{remark}` needs it.
pub async fn prepare_with(
    state: &AppState,
    account_id: i64,
    msg: &InboundMessage,
    rules: &RuleSet,
) -> AppResult<Prepared> {
    let openid = &msg.header.from_user_name;
    let mut follower = None;
    if rules.uses_tags {
        follower = Some(followers::find(&state.db, account_id, openid).await?);
    }
    let tags = follower
        .as_ref()
        .and_then(Option::as_ref)
        .map(followers::tag_ids)
        .unwrap_or_default();
    let decision = rules::decide_among(&rules.rules, &rules.candidates, msg, tags);
    let Some(rule) = decision.rule else {
        return Ok(Prepared {
            rule_id: None,
            passive: None,
            rest: Vec::new(),
            first: None,
            remark: None,
        });
    };
    let wants_remark = serde_json::to_string(&rule.replies)
        .map_err(AppError::internal)?
        .contains("{remark}");
    if wants_remark && follower.is_none() {
        follower = Some(followers::find(&state.db, account_id, openid).await?);
    }
    let remark = follower.flatten().and_then(|f| f.remark);
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

/// How the reply of a handled message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyPath {
    /// The first reply is answered passively (its XML is passed); the rest go through the API.
    Passive,
    /// Every reply goes through the API (past the budget, after a hang-up, from the sweeper).
    Api,
    /// The first reply could not be passive (none was built): only the rest go through the API.
    RestOnly,
}

/// Records a message as handled, in one transaction: `handled_at` (only if nobody else set it),
/// the rule and the passive reply, the rule's hit, and an outbound row for every reply (the
/// passive one as sent, the others queued for [`crate::messages::delivery`], which is kicked
/// after the commit). `false`: another process recorded it first and nothing was written.
pub async fn record_handled(
    state: &AppState,
    account_id: i64,
    inbound_id: i64,
    msg: &InboundMessage,
    p: Prepared,
    path: ReplyPath,
) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let passive = (path == ReplyPath::Passive)
        .then(|| p.passive.clone())
        .flatten();
    let txn = state.db.begin().await?;
    let marked = inbound_message::Entity::update_many()
        .col_expr(inbound_message::Column::HandledAt, Expr::value(now))
        .col_expr(inbound_message::Column::RuleId, Expr::value(p.rule_id))
        .col_expr(
            inbound_message::Column::ReplyXml,
            Expr::value(passive.as_ref().map(|(xml, _, _)| xml.clone())),
        )
        .filter(inbound_message::Column::Id.eq(inbound_id))
        .filter(inbound_message::Column::HandledAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    if let Some(rule_id) = p.rule_id {
        rules::count_hit(&txn, rule_id).await?;
    }
    let queued = write_replies(&txn, account_id, inbound_id, msg, p, path).await?;
    txn.commit().await?;
    for id in queued {
        delivery::kick(state, id);
    }
    Ok(true)
}

/// What [`store_handled`] did.
pub enum StoredHandled {
    /// Stored and handled: the message's id and its delivery record's id.
    Handled { inbound_id: i64, delivery_id: i64 },
    /// The de-duplication key exists: nothing was written.
    Duplicate,
    /// WeChat hung up before the commit (say the database was slow): nothing was written, and a
    /// passive reply would reach nobody.
    HungUp,
}

/// Stores a new message already handled — its rule, passive reply, the rule's hit, its
/// outbound rows and the record of the delivery that brought it (`delivery`) — in one
/// transaction shared with other callbacks' ([`crate::group_commit`], [`super::batch`]),
/// committed before the caller answers WeChat: a message whose reply needs no event handler and
/// is decided from memory costs a share of one commit and of a few multi-row inserts.
/// `hung_up` is asked right before the batch writes it, when a passive reply is to be recorded.
#[allow(clippy::too_many_arguments)]
pub async fn store_handled(
    state: &AppState,
    account_id: i64,
    new_row: inbound_message::ActiveModel,
    dedup_key: String,
    msg: &InboundMessage,
    p: Prepared,
    path: ReplyPath,
    hung_up: impl Fn() -> bool + Send + Sync + 'static,
    delivery: callback_delivery::ActiveModel,
    started: std::time::Instant,
) -> AppResult<StoredHandled> {
    let now = OffsetDateTime::now_utc();
    let mut message = new_row;
    message.dispatched_at = Set(Some(now));
    message.handled_at = Set(Some(now));
    message.claimed_until = Set(None);
    message.rule_id = Set(p.rule_id);
    message.reply_xml = Set((path == ReplyPath::Passive)
        .then(|| p.passive.as_ref().map(|(xml, _, _)| xml.clone()))
        .flatten());
    let rule_id = p.rule_id;
    let written = state
        .writer
        .store_callback(
            &state.db,
            NewCallback {
                account_id,
                dedup_key,
                message,
                replies: reply_rows(account_id, msg, p, path),
                delivery,
                rule_id,
                hung_up: (path == ReplyPath::Passive).then(|| Box::new(hung_up) as _),
                started,
            },
        )
        .await
        .map_err(AppError::internal)?;
    Ok(match written {
        Written::Handled {
            inbound_id,
            delivery_id,
            queued,
        } => {
            for id in queued {
                delivery::kick(state, id);
            }
            StoredHandled::Handled {
                inbound_id,
                delivery_id,
            }
        }
        Written::Duplicate => StoredHandled::Duplicate,
        Written::HungUp => StoredHandled::HungUp,
    })
}

/// An outbound row per reply, inside the caller's transaction (the rule's hit is the caller's); the ids of
/// the rows queued for [`crate::messages::delivery`] (to kick once committed).
async fn write_replies<C: ConnectionTrait>(
    txn: &C,
    account_id: i64,
    inbound_id: i64,
    msg: &InboundMessage,
    p: Prepared,
    path: ReplyPath,
) -> AppResult<Vec<i64>> {
    let mut queued = Vec::new();
    for mut row in reply_rows(account_id, msg, p, path) {
        row.inbound_id = Set(Some(inbound_id));
        let row = row.insert(txn).await?;
        if row.status.0 == SendStatus::Pending {
            queued.push(row.id);
        }
    }
    Ok(queued)
}

/// The outbound rows of a handled message's replies, without their `inbound_id` (the writer
/// sets it): the passive one as sent, the others `pending` for [`crate::messages::delivery`]
/// (or `failed` when their API body cannot be built).
fn reply_rows(
    account_id: i64,
    msg: &InboundMessage,
    p: Prepared,
    path: ReplyPath,
) -> Vec<outbound_message::ActiveModel> {
    let Some(rule_id) = p.rule_id else {
        return Vec::new();
    };
    let to_user = &msg.header.from_user_name;
    let mut rows = Vec::new();
    if path == ReplyPath::Passive
        && let Some((xml, msg_type, summary)) = &p.passive
    {
        rows.push(outbound_row(
            account_id,
            to_user,
            "passive",
            msg_type,
            summary,
            xml,
            SendStatus::Sent,
            None,
            rule_id,
        ));
    }
    let agent_id = msg.header.agent_id;
    let channel = delivery::channel_for(agent_id.is_some());
    let remark = p.remark.clone();
    let queue = (path == ReplyPath::Api)
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
        rows.push(outbound_row(
            account_id,
            to_user,
            channel,
            reply_type(&r),
            &summary_of(&r, msg, remark.as_deref()),
            &body,
            status,
            error,
            rule_id,
        ));
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn outbound_row(
    account_id: i64,
    to_user: &str,
    channel: &str,
    msg_type: &str,
    content: &str,
    body: &str,
    status: SendStatus,
    error: Option<String>,
    rule_id: i64,
) -> outbound_message::ActiveModel {
    let now = OffsetDateTime::now_utc();
    outbound_message::ActiveModel {
        account_id: Set(account_id),
        to_user: Set(to_user.chars().take(128).collect()),
        inbound_id: Set(None),
        channel: Set(channel.to_string()),
        msg_type: Set(msg_type.to_string()),
        content: Set(content.to_string()),
        body: Set(body.to_string()),
        status: Set(status.into()),
        error: Set(error),
        rule_id: Set(Some(rule_id)),
        staff_id: Set(None),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(None),
        lease_until: Set(None),
        sent_at: Set((status == SendStatus::Sent).then_some(now)),
        ..Default::default()
    }
}

/// Every 30 s: handle the messages stored but never handled that WeChat no longer retries.
pub async fn sweep_loop(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        match sweep_unhandled(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                messages = n,
                "handled messages left unhandled by an interrupted process"
            ),
            Err(e) => tracing::warn!(error = %e, "sweeping unhandled messages failed"),
        }
    }
}

/// One sweep: each message stored at least [`SWEEP_MIN_AGE`] ago and not handled, whose lease
/// ran out, is claimed and handled with every reply through the API (or, older than
/// [`SWEEP_MAX_AGE`], marked handled without a reply). Returns how many were handled here.
pub async fn sweep_unhandled(state: &AppState) -> AppResult<usize> {
    let now = OffsetDateTime::now_utc();
    let candidates = inbound_message::Entity::find()
        .filter(inbound_message::Column::HandledAt.is_null())
        .filter(inbound_message::Column::ReceivedAt.lt(now - SWEEP_MIN_AGE))
        .order_by_asc(inbound_message::Column::Id)
        .limit(100)
        .all(&state.db)
        .await?;
    let mut handled = 0;
    for row in candidates {
        if !claim(state, row.id).await? {
            continue;
        }
        let Some((msg, receiver)) = parse_stored(state, &row).await? else {
            mark_handled_without_reply(state, row.id).await?;
            continue;
        };
        if row.received_at < now - SWEEP_MAX_AGE {
            mark_handled_without_reply(state, row.id).await?;
            continue;
        }
        let message = NewMessage {
            account_id: row.account_id,
            receiver,
            inbound_id: row.id,
            msg: &msg,
            xml: &row.raw_xml,
        };
        dispatch_once(state, &row, &message).await?;
        let prepared = prepare_reply(state, row.account_id, &msg).await?;
        if record_handled(
            state,
            row.account_id,
            row.id,
            &msg,
            prepared,
            ReplyPath::Api,
        )
        .await?
        {
            handled += 1;
        }
    }
    Ok(handled)
}

/// The stored message parsed again, with who it was addressed to; `None` when it no longer
/// parses or its account is gone.
async fn parse_stored(
    state: &AppState,
    row: &inbound_message::Model,
) -> AppResult<Option<(InboundMessage, Receiver)>> {
    let Some(account) = crate::entities::account::Entity::find_by_id(row.account_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let receiver = match *account.kind {
        AccountKind::OfficialAccount => Receiver::OfficialAccount,
        AccountKind::WorkApp => Receiver::WorkApp,
        AccountKind::PayMerchant | AccountKind::WorkSuite => return Ok(None),
    };
    Ok(match Callback::parse(&row.raw_xml) {
        Ok(Callback::Message(m)) => Some((m, receiver)),
        _ => None,
    })
}

async fn mark_handled_without_reply(state: &AppState, inbound_id: i64) -> AppResult<()> {
    inbound_message::Entity::update_many()
        .col_expr(
            inbound_message::Column::HandledAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(inbound_message::Column::Id.eq(inbound_id))
        .filter(inbound_message::Column::HandledAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(())
}
