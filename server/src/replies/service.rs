//! Reply rules: CRUD with validation, loading candidates for an account, building the reply
//! XML of a rule, hit counts, and the simulator.

use api::{
    FieldIssue,
    replies::{
        Conditions, ReplyRule, ReplyRuleInput, RuleReply, RuleVerdict, SimulateRequest,
        SimulateResponse, Trigger,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, ExprTrait},
};
use time::OffsetDateTime;
use wechat::{
    message::{Event, Header, InboundMessage, MessageKind},
    reply::{Article, Reply, ReplyKind},
};

use super::matching::{self, Candidate, Context, Incoming, Verdict};
use crate::{
    audit::{self, Actor},
    entities::reply_rule,
    error::{AppError, AppResult},
    util::rfc3339,
};

pub use api::replies::{MAX_REPLIES, MAX_TEXT, MAX_TRIGGERS};

fn issue(field: &str, code: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Field problems of a complete rule (the rules live in `api::replies::validate`, shared with
/// the browser; the server adds the real regular-expression compile).
pub fn validate(
    name: &str,
    triggers: &[Trigger],
    c: &Conditions,
    replies: &[RuleReply],
) -> Vec<FieldIssue> {
    api::replies::validate(name, triggers, c, replies, &|p| {
        matching::compile(p).map(|_| ()).map_err(|e| e.to_string())
    })
}

pub fn to_api(m: &reply_rule::Model) -> ReplyRule {
    ReplyRule {
        id: m.id,
        account_id: m.account_id,
        name: m.name.clone(),
        enabled: m.enabled,
        priority: m.priority,
        triggers: serde_json::from_str(&m.triggers).unwrap_or_default(),
        conditions: serde_json::from_str(&m.conditions).unwrap_or_default(),
        replies: serde_json::from_str(&m.replies).unwrap_or_default(),
        hit_count: m.hit_count,
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    }
}

/// Rules of the account plus global rules.
pub async fn rules_for<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> AppResult<Vec<reply_rule::Model>> {
    Ok(reply_rule::Entity::find()
        .filter(
            reply_rule::Column::AccountId
                .eq(account_id)
                .or(reply_rule::Column::AccountId.is_null()),
        )
        .order_by_desc(reply_rule::Column::Priority)
        .order_by_asc(reply_rule::Column::Id)
        .all(db)
        .await?)
}

pub async fn list<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<Vec<ReplyRule>> {
    Ok(rules_for(db, account_id)
        .await?
        .iter()
        .map(to_api)
        .collect())
}

async fn find_rule<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> AppResult<reply_rule::Model> {
    reply_rule::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.account_id.is_none() || m.account_id == Some(account_id))
        .ok_or(AppError::NotFound)
}

pub async fn get<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<ReplyRule> {
    Ok(to_api(&find_rule(db, account_id, id).await?))
}

fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).expect("rule parts serialise")
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    input: ReplyRuleInput,
) -> AppResult<ReplyRule> {
    let name = input.name.unwrap_or_default().trim().to_string();
    let triggers = input.triggers.unwrap_or_default();
    let conditions = input.conditions.unwrap_or_default();
    let replies = input.replies.unwrap_or_default();
    let issues = validate(&name, &triggers, &conditions, &replies);
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let now = OffsetDateTime::now_utc();
    let model = reply_rule::ActiveModel {
        account_id: Set((!input.global.unwrap_or(false)).then_some(account_id)),
        name: Set(name.clone()),
        enabled: Set(input.enabled.unwrap_or(true)),
        priority: Set(input.priority.unwrap_or(0)),
        triggers: Set(json(&triggers)),
        conditions: Set(json(&conditions)),
        replies: Set(json(&replies)),
        hit_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    crate::callback::config::bump(db).await?;
    audit::service::record(
        db,
        actor,
        "reply_rule.create",
        "reply_rule",
        Some(model.id),
        format!("created reply rule {name:?}"),
        serde_json::json!({"account_id": account_id}),
    )
    .await?;
    Ok(to_api(&model))
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: ReplyRuleInput,
) -> AppResult<ReplyRule> {
    let current = find_rule(db, account_id, id).await?;
    let cur = to_api(&current);
    let name = input.name.map(|n| n.trim().to_string()).unwrap_or(cur.name);
    let triggers = input.triggers.unwrap_or(cur.triggers);
    let conditions = input.conditions.unwrap_or(cur.conditions);
    let replies = input.replies.unwrap_or(cur.replies);
    let issues = validate(&name, &triggers, &conditions, &replies);
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let mut am: reply_rule::ActiveModel = current.into();
    am.name = Set(name.clone());
    am.triggers = Set(json(&triggers));
    am.conditions = Set(json(&conditions));
    am.replies = Set(json(&replies));
    if let Some(e) = input.enabled {
        am.enabled = Set(e);
    }
    if let Some(p) = input.priority {
        am.priority = Set(p);
    }
    am.updated_at = Set(OffsetDateTime::now_utc());
    let model = am.update(db).await?;
    crate::callback::config::bump(db).await?;
    audit::service::record(
        db,
        actor,
        "reply_rule.update",
        "reply_rule",
        Some(id),
        format!("updated reply rule {name:?}"),
        serde_json::json!({"account_id": account_id}),
    )
    .await?;
    Ok(to_api(&model))
}

pub async fn delete<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<()> {
    let current = find_rule(db, account_id, id).await?;
    reply_rule::Entity::delete_by_id(id).exec(db).await?;
    crate::callback::config::bump(db).await?;
    audit::service::record(
        db,
        actor,
        "reply_rule.delete",
        "reply_rule",
        Some(id),
        format!("deleted reply rule {:?}", current.name),
        serde_json::json!({"account_id": account_id}),
    )
    .await?;
    Ok(())
}

/// Adds one hit to a rule (never for replays).
pub async fn count_hit<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<()> {
    Ok(add_hits(db, id, 1).await?)
}

/// Adds `n` hits to the rule (a batch's hits at once, see [`crate::group_commit`]).
pub async fn add_hits<C: ConnectionTrait>(db: &C, id: i64, n: i64) -> Result<(), sea_orm::DbErr> {
    reply_rule::Entity::update_many()
        .col_expr(
            reply_rule::Column::HitCount,
            Expr::col(reply_rule::Column::HitCount).add(n),
        )
        .filter(reply_rule::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The decision for one message: the rule that fired, its replies, and every verdict.
#[derive(Debug, Clone)]
pub struct Decision {
    pub rule: Option<ReplyRule>,
    pub verdicts: Vec<Verdict>,
}

/// The matcher's view of a rule.
pub fn candidate(r: &ReplyRule) -> Candidate {
    Candidate {
        id: r.id,
        name: r.name.clone(),
        account_specific: r.account_id.is_some(),
        enabled: r.enabled,
        priority: r.priority,
        triggers: r.triggers.clone(),
        conditions: r.conditions.clone(),
    }
}

/// Evaluates the account's rules for a message.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    msg: &InboundMessage,
    tags: Vec<i64>,
) -> AppResult<Decision> {
    let rules = list(db, account_id).await?;
    let candidates: Vec<Candidate> = rules.iter().map(candidate).collect();
    Ok(decide_among(&rules, &candidates, msg, tags))
}

/// Evaluates already loaded rules (`candidates[i]` is `rules[i]`) for a message.
pub fn decide_among(
    rules: &[ReplyRule],
    candidates: &[Candidate],
    msg: &InboundMessage,
    tags: Vec<i64>,
) -> Decision {
    let ctx = Context {
        tags,
        now: OffsetDateTime::now_utc(),
    };
    let verdicts = matching::evaluate(candidates, &Incoming::from_message(msg), &ctx);
    let fired = verdicts.iter().find(|v| v.fired).map(|v| v.rule_id);
    let rule = fired.and_then(|id| rules.iter().find(|r| r.id == id).cloned());
    Decision { rule, verdicts }
}

/// Fills `{openid}` and `{remark}`.
pub fn fill(text: &str, openid: &str, remark: Option<&str>) -> String {
    text.replace("{openid}", openid)
        .replace("{remark}", remark.unwrap_or(""))
}

/// The passive reply for one rule reply (`None` for `no_reply`).
pub fn build_reply(
    r: &RuleReply,
    msg: &InboundMessage,
    remark: Option<&str>,
    now: i64,
) -> Option<Reply> {
    let openid = msg.header.from_user_name.as_str();
    let kind = match r {
        RuleReply::Text { content } => ReplyKind::Text {
            content: fill(content, openid, remark),
        },
        RuleReply::Image { media_id } => ReplyKind::Image {
            media_id: media_id.clone(),
        },
        RuleReply::Voice { media_id } => ReplyKind::Voice {
            media_id: media_id.clone(),
        },
        RuleReply::Video {
            media_id,
            title,
            description,
        } => ReplyKind::Video {
            media_id: media_id.clone(),
            title: title.clone(),
            description: description.clone(),
        },
        RuleReply::Music {
            title,
            description,
            music_url,
            hq_music_url,
            thumb_media_id,
        } => ReplyKind::Music {
            title: title.clone(),
            description: description.clone(),
            music_url: music_url.clone(),
            hq_music_url: hq_music_url.clone(),
            thumb_media_id: thumb_media_id.clone(),
        },
        RuleReply::News { articles } => ReplyKind::News {
            articles: articles
                .iter()
                .map(|a| Article {
                    title: fill(&a.title, openid, remark),
                    description: fill(&a.description, openid, remark),
                    pic_url: a.pic_url.clone(),
                    url: a.url.clone(),
                })
                .collect(),
        },
        RuleReply::TransferCustomerService { kf_account } => ReplyKind::TransferCustomerService {
            kf_account: kf_account.clone(),
        },
        RuleReply::NoReply => return None,
    };
    Some(Reply::to(msg, now, kind))
}

/// A message built from a simulator request.
pub fn simulated_message(req: &SimulateRequest, to_user: &str) -> AppResult<InboundMessage> {
    let header = Header {
        to_user_name: to_user.to_string(),
        from_user_name: req
            .from_user
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "o_simulated_follower".into()),
        create_time: OffsetDateTime::now_utc().unix_timestamp(),
        agent_id: None,
    };
    let key = req.event_key.clone().unwrap_or_default();
    let kind = match req.msg_type.as_str() {
        "text" => MessageKind::Text {
            content: req.content.clone().unwrap_or_default(),
            msg_id: Some("1".into()),
        },
        "image" => MessageKind::Image {
            pic_url: String::new(),
            media_id: "simulated".into(),
            msg_id: Some("1".into()),
        },
        "voice" => MessageKind::Voice {
            media_id: "simulated".into(),
            format: "amr".into(),
            recognition: None,
            msg_id: Some("1".into()),
        },
        "video" | "shortvideo" => MessageKind::Video {
            media_id: "simulated".into(),
            thumb_media_id: "simulated".into(),
            msg_id: Some("1".into()),
        },
        "location" => MessageKind::Location {
            location_x: 0.0,
            location_y: 0.0,
            scale: None,
            label: String::new(),
            msg_id: Some("1".into()),
        },
        "link" => MessageKind::Link {
            title: String::new(),
            description: String::new(),
            url: String::new(),
            msg_id: Some("1".into()),
        },
        "event" => MessageKind::Event(match req.event.as_deref().unwrap_or("") {
            "subscribe" => Event::Subscribe {
                event_key: (!key.is_empty()).then(|| key.clone()),
                ticket: None,
            },
            "unsubscribe" => Event::Unsubscribe,
            "SCAN" => Event::Scan {
                event_key: key,
                ticket: None,
            },
            "CLICK" | "click" => Event::Click { event_key: key },
            other => Event::Unknown {
                event: other.to_string(),
            },
        }),
        other => {
            return Err(AppError::Validation(vec![issue(
                "msg_type",
                "invalid",
                format!("unknown message type {other:?}"),
            )]));
        }
    };
    Ok(InboundMessage {
        header,
        kind,
        extra: Vec::new(),
    })
}

/// Runs the rules on a simulated message without counting hits or sending anything.
pub async fn simulate<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    to_user: &str,
    req: &SimulateRequest,
) -> AppResult<SimulateResponse> {
    let msg = simulated_message(req, to_user)?;
    let d = decide(db, account_id, &msg, Vec::new()).await?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let reply_xml = d
        .rule
        .as_ref()
        .and_then(|r| r.replies.first())
        .and_then(|r| build_reply(r, &msg, None, now))
        .map(|r| r.to_xml());
    Ok(SimulateResponse {
        rule_id: d.rule.as_ref().map(|r| r.id),
        rule_name: d.rule.as_ref().map(|r| r.name.clone()),
        verdicts: d
            .verdicts
            .into_iter()
            .map(|v| RuleVerdict {
                rule_id: v.rule_id,
                name: v.name,
                fired: v.fired,
                reason: v.reason,
            })
            .collect(),
        reply_xml,
    })
}
