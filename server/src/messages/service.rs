//! The message log, conversations and staff replies.

use api::{
    Page,
    accounts::AccountKind,
    messages::{
        Conversation, ConversationSummary, Direction, MediaPreview, MessageDetail, MessageItem,
        MessageQuery, REPLY_WINDOW_SECS, StaffReply, StaffReplyRequest,
    },
    page::{DEFAULT_PER_PAGE, PageQuery},
    replies::RuleReply,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Func},
};
use time::OffsetDateTime;

use super::{delivery, queries};
use crate::{
    accounts::service::Stored,
    entities::{
        account, inbound_message as inbound,
        outbound_message::{self as outbound, SendStatus},
    },
    error::{AppError, AppResult},
    oa::followers::queries as followers,
    state::AppState,
    util::rfc3339,
};

/// A message reference `in-12` / `out-7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageRef {
    pub direction: Direction,
    pub id: i64,
}

impl MessageRef {
    pub fn parse(s: &str) -> Option<MessageRef> {
        let (d, id) = s.split_once('-')?;
        let direction = match d {
            "in" => Direction::In,
            "out" => Direction::Out,
            _ => return None,
        };
        Some(MessageRef {
            direction,
            id: id.parse().ok().filter(|n| *n > 0)?,
        })
    }
}

fn is_work(a: &account::Model) -> bool {
    a.kind == AccountKind::WorkApp
}

fn inbound_summary(m: &inbound::Model) -> String {
    if let Some(c) = &m.content {
        return c.clone();
    }
    match (&m.event, &m.event_key) {
        (Some(e), Some(k)) if !k.is_empty() => format!("{e} {k}"),
        (Some(e), _) => e.clone(),
        _ => format!("[{}]", m.msg_type),
    }
}

pub fn inbound_item(m: &inbound::Model) -> MessageItem {
    MessageItem {
        id: format!("in-{}", m.id),
        direction: Direction::In,
        user: m.from_user.clone(),
        msg_type: m.msg_type.clone(),
        event: m.event.clone(),
        summary: inbound_summary(m),
        channel: None,
        status: None,
        error: None,
        rule_id: m.rule_id,
        staff_id: None,
        kf_account: None,
        at: rfc3339(m.received_at),
    }
}

/// The customer-service account a `message/custom/send` was sent as, read from its exact body.
fn kf_account_of(m: &outbound::Model) -> Option<String> {
    if m.channel != delivery::channel_for(false) || !m.body.contains("kf_account") {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(&m.body)
        .ok()?
        .pointer("/customservice/kf_account")?
        .as_str()
        .map(str::to_string)
}

pub fn outbound_item(m: &outbound::Model) -> MessageItem {
    MessageItem {
        id: format!("out-{}", m.id),
        direction: Direction::Out,
        user: m.to_user.clone(),
        msg_type: m.msg_type.clone(),
        event: None,
        summary: m.content.clone(),
        channel: Some(m.channel.clone()),
        status: Some(m.status.as_str().to_string()),
        error: m.error.clone(),
        rule_id: m.rule_id,
        staff_id: m.staff_id,
        kf_account: kf_account_of(m),
        at: rfc3339(m.created_at),
    }
}

/// Both directions merged newest first (`(time, direction, id)` for a stable order).
fn merge(
    inb: Vec<inbound::Model>,
    out: Vec<outbound::Model>,
) -> Vec<(OffsetDateTime, MessageItem)> {
    let mut all: Vec<(OffsetDateTime, MessageItem)> = inb
        .iter()
        .map(|m| (m.received_at, inbound_item(m)))
        .chain(out.iter().map(|m| (m.created_at, outbound_item(m))))
        .collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.id.cmp(&a.1.id)));
    all
}

/// `GET /api/accounts/{id}/messages`.
pub async fn list(
    state: &AppState,
    account_id: i64,
    q: MessageQuery,
) -> AppResult<Page<MessageItem>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(DEFAULT_PER_PAGE),
    }
    .clamped();
    let f = queries::Filter::parse(&q)?;
    let offset = page.offset();
    let s = queries::newest(&state.db, account_id, &f, offset + page.per_page).await?;
    let items = merge(s.inbound, s.outbound)
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(page.per_page).unwrap_or(usize::MAX))
        .map(|(_, i)| i)
        .collect();
    Ok(Page {
        items,
        total: s.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// `GET /api/accounts/{id}/messages/{message_id}`.
pub async fn detail(state: &AppState, account_id: i64, r: MessageRef) -> AppResult<MessageDetail> {
    match r.direction {
        Direction::In => {
            let m = inbound::Entity::find_by_id(r.id)
                .filter(inbound::Column::AccountId.eq(account_id))
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            let replies = outbound::Entity::find()
                .filter(outbound::Column::AccountId.eq(account_id))
                .filter(outbound::Column::InboundId.eq(m.id))
                .order_by_asc(outbound::Column::Id)
                .all(&state.db)
                .await?;
            Ok(MessageDetail {
                media: media_of(&m.raw_xml),
                item: inbound_item(&m),
                raw: m.raw_xml.clone(),
                reply_xml: m.reply_xml.clone(),
                parsed: Some(m.parsed.clone()),
                attempts: 0,
                replies: replies.iter().map(outbound_item).collect(),
            })
        }
        Direction::Out => {
            let m = outbound::Entity::find_by_id(r.id)
                .filter(outbound::Column::AccountId.eq(account_id))
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(MessageDetail {
                item: outbound_item(&m),
                raw: m.body.clone(),
                reply_xml: None,
                parsed: None,
                attempts: m.attempts,
                replies: Vec::new(),
                media: None,
            })
        }
    }
}

/// The previewable media of a stored inbound message.
fn media_of(raw_xml: &str) -> Option<MediaPreview> {
    use wechat::message::{Callback, MessageKind};
    let Ok(Callback::Message(m)) = Callback::parse(raw_xml) else {
        return None;
    };
    match m.kind {
        MessageKind::Image {
            pic_url, media_id, ..
        } => Some(MediaPreview {
            pic_url: Some(pic_url)
                .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
            media_id,
        }),
        MessageKind::Voice { media_id, .. }
        | MessageKind::Video { media_id, .. }
        | MessageKind::ShortVideo { media_id, .. } => Some(MediaPreview {
            pic_url: None,
            media_id,
        }),
        _ => None,
    }
}

fn window_open(work: bool, last: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    work || last.is_some_and(|t| (now - t).whole_seconds() < REPLY_WINDOW_SECS)
}

/// `GET /api/accounts/{id}/conversations`: followers/members by their latest message.
pub async fn conversations(
    state: &AppState,
    account: &account::Model,
    q: Option<String>,
    page: PageQuery,
) -> AppResult<Page<ConversationSummary>> {
    let account_id = account.id;
    let page = page.clamped();
    let mut base = inbound::Entity::find()
        .select_only()
        .column(inbound::Column::FromUser)
        .filter(inbound::Column::AccountId.eq(account_id))
        .group_by(inbound::Column::FromUser);
    if let Some(q) = q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        base = base.filter(
            Expr::col(inbound::Column::FromUser)
                .like(sea_orm::sea_query::LikeExpr::new(queries::like_pattern(&q)).escape('\\')),
        );
    }
    let total = base.clone().count(&state.db).await?;
    let rows: Vec<(String, i64, i64)> = base
        .column_as(Expr::expr(Func::count(Expr::col(inbound::Column::Id))), "n")
        .column_as(
            Expr::expr(Func::max(Expr::col(inbound::Column::Id))),
            "last_id",
        )
        .order_by_desc(Func::max(Expr::col(inbound::Column::Id)))
        .offset(page.offset())
        .limit(page.per_page)
        .into_tuple()
        .all(&state.db)
        .await?;
    let now = OffsetDateTime::now_utc();
    let mut items = Vec::with_capacity(rows.len());
    for (user, n, last_id) in rows {
        let last = inbound::Entity::find_by_id(last_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let remark = followers::find(&state.db, account_id, &user)
            .await?
            .and_then(|f| f.remark);
        items.push(ConversationSummary {
            window_open: window_open(is_work(account), Some(last.received_at), now),
            user,
            remark,
            inbound_count: u64::try_from(n).unwrap_or(0),
            last_summary: inbound_summary(&last),
            last_msg_type: last.msg_type.clone(),
            last_event: last.event.clone(),
            last_at: rfc3339(last.received_at),
        });
    }
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

const CONVERSATION_MAX: u64 = 200;

/// `GET /api/accounts/{id}/conversations/{user}`.
pub async fn conversation(
    state: &AppState,
    account: &account::Model,
    user: &str,
) -> AppResult<Conversation> {
    let account_id = account.id;
    let f = queries::Filter {
        user: Some(user.to_string()),
        ..Default::default()
    };
    let s = queries::newest(&state.db, account_id, &f, CONVERSATION_MAX).await?;
    if s.total == 0 {
        return Err(AppError::NotFound);
    }
    let last_in = s.inbound.first().map(|m| m.received_at);
    let mut messages: Vec<MessageItem> = merge(s.inbound, s.outbound)
        .into_iter()
        .take(CONVERSATION_MAX as usize)
        .map(|(_, i)| i)
        .collect();
    messages.reverse();
    let work = is_work(account);
    let remark = followers::find(&state.db, account_id, user)
        .await?
        .and_then(|f| f.remark);
    Ok(Conversation {
        user: user.to_string(),
        remark,
        window_open: window_open(work, last_in, OffsetDateTime::now_utc()),
        window_closes_at: (!work)
            .then(|| last_in.map(|t| rfc3339(t + time::Duration::seconds(REPLY_WINDOW_SECS))))
            .flatten(),
        truncated: s.total > CONVERSATION_MAX,
        messages,
    })
}

fn staff_reply_type(r: &StaffReply) -> (&'static str, String, RuleReply) {
    match r {
        StaffReply::Text { content } => (
            "text",
            content.clone(),
            RuleReply::Text {
                content: content.clone(),
            },
        ),
        StaffReply::Image { media_id } => (
            "image",
            media_id.clone(),
            RuleReply::Image {
                media_id: media_id.clone(),
            },
        ),
        StaffReply::News { article } => (
            "news",
            article.title.clone(),
            RuleReply::News {
                articles: vec![article.clone()],
            },
        ),
    }
}

/// `POST /api/accounts/{id}/messages/reply`: sends now (customer-service API / message/send)
/// and logs the outbound message, sent or failed. A WeChat refusal is a 502 with the errcode;
/// outside the 48-hour window (Official Accounts) nothing is sent: 409.
pub async fn reply(
    state: &AppState,
    staff_id: i64,
    account: &account::Model,
    req: StaffReplyRequest,
) -> AppResult<MessageItem> {
    let account_id = account.id;
    let issues = req.validate();
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let to_user = req.to_user.trim().to_string();
    let work = is_work(account);
    let last = queries::last_inbound(&state.db, account_id, &to_user).await?;
    let now = OffsetDateTime::now_utc();
    if !work {
        match &last {
            None => {
                return Err(AppError::refused(
                    "reply_window_closed",
                    format!(
                        "{to_user} has never written to this account: the customer-service API only answers followers within 48 hours of their last message"
                    ),
                ));
            }
            Some(m) if !window_open(false, Some(m.received_at), now) => {
                return Err(AppError::refused(
                    "reply_window_closed",
                    format!(
                        "outside the 48-hour window: {to_user} last wrote at {}; WeChat would refuse with errcode 45015",
                        rfc3339(m.received_at)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let agent_id = if work {
        let stored: Stored = serde_json::from_str(&account.settings).unwrap_or_default();
        Some(stored.agent_id.unwrap_or_default())
    } else {
        None
    };
    let kf_account = req
        .kf_account
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(k) = kf_account {
        if work {
            return Err(AppError::BadRequest(
                "kf_account: customer-service accounts belong to Official Accounts".into(),
            ));
        }
        if !crate::oa::kf::service::exists(state, account_id, k).await? {
            return Err(AppError::Validation(vec![api::FieldIssue {
                field: "kf_account".into(),
                code: "unknown_kf_account".into(),
                message: format!("{k} is not a customer-service account of this account"),
            }]));
        }
    }
    let (msg_type, summary, rule_reply) = staff_reply_type(&req.reply);
    let mut body = delivery::api_body(&to_user, agent_id, &rule_reply, str::to_string)
        .map_err(AppError::BadRequest)?;
    if let Some(k) = kf_account {
        body["customservice"] = serde_json::json!({"kf_account": k});
    }
    let channel = delivery::channel_for(work);
    let sent = delivery::send_body(state, account_id, channel, &body).await;
    let row = outbound::ActiveModel {
        account_id: Set(account_id),
        to_user: Set(to_user.chars().take(128).collect()),
        inbound_id: Set(last.as_ref().map(|m| m.id)),
        channel: Set(channel.to_string()),
        msg_type: Set(msg_type.to_string()),
        content: Set(summary),
        body: Set(body.to_string()),
        status: Set(if sent.is_ok() {
            SendStatus::Sent
        } else {
            SendStatus::Failed
        }
        .into()),
        error: Set(sent.as_ref().err().map(|f| f.message.clone())),
        rule_id: Set(None),
        staff_id: Set(Some(staff_id)),
        created_at: Set(now),
        attempts: Set(1),
        next_attempt_at: Set(None),
        lease_until: Set(None),
        sent_at: Set(sent.is_ok().then(OffsetDateTime::now_utc)),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    match sent {
        Ok(()) => Ok(outbound_item(&row)),
        Err(f) => Err(AppError::Wechat(f.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_refs() {
        assert_eq!(
            MessageRef::parse("in-12"),
            Some(MessageRef {
                direction: Direction::In,
                id: 12
            })
        );
        assert_eq!(MessageRef::parse("out-0"), None);
        assert_eq!(MessageRef::parse("x-1"), None);
        assert_eq!(MessageRef::parse("in-"), None);
    }

    #[test]
    fn the_window_is_48_hours() {
        let now = OffsetDateTime::now_utc();
        assert!(window_open(
            false,
            Some(now - time::Duration::hours(47)),
            now
        ));
        assert!(!window_open(
            false,
            Some(now - time::Duration::hours(49)),
            now
        ));
        assert!(!window_open(false, None, now));
        assert!(window_open(true, None, now));
    }
}
