//! App messages (`message/send`), app menus and temporary media.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State as AxState};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::model::{Media, SentAppMessage};
use super::{WorkCtx, authed, corp, render};
use crate::error::WxError;
use crate::oa::Req;
use crate::oa::model::InboxItem;
use crate::proto::sign::random_token;
use crate::state::{Sim, State};

/// Message types `message/send` accepts.
pub const MSG_TYPES: &[&str] = &[
    "text",
    "image",
    "voice",
    "video",
    "file",
    "textcard",
    "news",
    "mpnews",
    "markdown",
    "miniprogram_notice",
    "template_card",
];
/// Text longer than this (bytes) is cut (⚠️ per integrators' reports).
pub const TEXT_MAX_BYTES: usize = 2048;
/// Messages one app may deliver to one member per minute; the rest is dropped silently
/// (⚠️ "每应用对同一个成员不可超过30次/分钟，1000次/小时", as WeCom's limits page is recalled).
pub const PER_USER_PER_MINUTE: usize = 30;
/// Messages one app may deliver to one member per hour (same rule, ⚠️).
pub const PER_USER_PER_HOUR: usize = 1000;
/// Receivers per call: `touser` ≤ 1000, `toparty` ≤ 100, `totag` ≤ 100.
pub const MAX_USERS: usize = 1000;
/// See [`MAX_USERS`].
pub const MAX_PARTIES: usize = 100;
/// See [`MAX_USERS`].
pub const MAX_TAGS: usize = 100;
/// An app message can be recalled for 24 hours.
pub const RECALL_WINDOW: i64 = 86_400;
/// Temporary media lifetime (3 days).
pub const MEDIA_TTL: i64 = 3 * 86_400;

fn e(code: i64, msg: &str) -> WxError {
    WxError::work(code, msg)
}

fn split<'a>(v: &'a Value, k: &str) -> Vec<&'a str> {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn s_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn check_agent(ctx: &WorkCtx, agentid: Option<i64>) -> Result<i64, WxError> {
    if ctx.agent == "contacts" {
        // The contacts-sync secret cannot send or manage apps (⚠️ 48002 as integrators report).
        return Err(e(48002, "api forbidden"));
    }
    let agentid = agentid.ok_or(e(41011, "missing agentid"))?;
    if ctx.agentid() != Some(agentid) {
        // ⚠️ WeCom answers 301002 when a token is used for another app.
        return Err(e(
            301002,
            "not allow operate another agent with this accesstoken.",
        ));
    }
    Ok(agentid)
}

fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    s[..i].to_owned()
}

/// `POST message/send`: resolves `touser` (`@all` or `a|b`), `toparty` (with sub-departments)
/// and `totag`; unknown receivers are reported in `invaliduser`/`invalidparty`/`invalidtag`;
/// 81013 when nobody is left.
pub fn send(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let agentid = check_agent(ctx, crate::oa::user::int(&v, "agentid"))?;
    let msgtype = v.get("msgtype").and_then(Value::as_str).unwrap_or("");
    if !MSG_TYPES.contains(&msgtype) {
        return Err(e(40008, "invalid message type"));
    }
    let mut payload = v
        .get(msgtype)
        .cloned()
        .ok_or(e(41016, &format!("missing {msgtype}")))?;
    if msgtype == "text" {
        let content = payload.get("content").and_then(Value::as_str).unwrap_or("");
        if content.is_empty() {
            return Err(e(44004, "empty content"));
        }
        payload["content"] = json!(cut(content, TEXT_MAX_BYTES));
    }
    // A suite's app after its licence check time: members without an active interface
    // licence are named in `unlicenseduser` and not delivered to (⚠️ unverified).
    let licence = crate::suite::license::enforced(st, &ctx.corpid, agentid, now);
    let c = corp(st, ctx)?;
    let users = split(&v, "touser");
    let parties = split(&v, "toparty");
    let tags = split(&v, "totag");
    if users.len() > MAX_USERS || parties.len() > MAX_PARTIES || tags.len() > MAX_TAGS {
        // ⚠️ the code WeCom answers for an over-limit receiver list is not verified.
        return Err(e(
            82001,
            "All touser & toparty & totag invalid or exceeds limit",
        ));
    }
    let mut to: BTreeSet<String> = BTreeSet::new();
    let (mut bad_u, mut bad_p, mut bad_t) = (Vec::new(), Vec::new(), Vec::new());
    let add_party = |c: &super::model::Corp, id: i64, to: &mut BTreeSet<String>| {
        let depts = c.subtree(id);
        for m in c
            .members
            .values()
            .filter(|m| m.department.iter().any(|d| depts.contains(d)))
        {
            to.insert(m.userid.clone());
        }
    };
    if users == ["@all"] {
        to.extend(c.members.keys().cloned());
    } else {
        for u in users {
            if c.members.contains_key(u) {
                to.insert(u.to_owned());
            } else {
                bad_u.push(u.to_owned());
            }
        }
    }
    for p in parties {
        match p
            .parse::<i64>()
            .ok()
            .filter(|id| c.departments.contains_key(id))
        {
            Some(id) => add_party(c, id, &mut to),
            None => bad_p.push(p.to_owned()),
        }
    }
    for t in tags {
        match t.parse::<i64>().ok().and_then(|id| c.tags.get(&id)) {
            Some(tag) => {
                to.extend(tag.users.iter().cloned());
                for p in tag.parties.clone() {
                    add_party(c, p, &mut to);
                }
            }
            None => bad_t.push(t.to_owned()),
        }
    }
    if to.is_empty() {
        return Err(e(81013, "user & party & tag all invalid"));
    }
    // enable_duplicate_check: the same message to the same receivers within the interval
    // (default 1800 s, max 4 h) is not delivered again (⚠️ believed to answer ok).
    let dup_key = format!(
        "{}|{}|{}|{msgtype}|{payload}",
        s_of(&v, "touser"),
        s_of(&v, "toparty"),
        s_of(&v, "totag")
    );
    let interval = crate::oa::user::int(&v, "duplicate_check_interval")
        .unwrap_or(1800)
        .clamp(1, 4 * 3600);
    c.recent_sends.retain(|(_, at, _)| now - at < 4 * 3600);
    if crate::oa::user::int(&v, "enable_duplicate_check") == Some(1)
        && let Some((_, _, id)) = c
            .recent_sends
            .iter()
            .find(|(k, at, _)| *k == dup_key && now - at < interval)
    {
        return Ok(json!({"errcode": 0, "errmsg": "ok", "msgid": id}));
    }
    let msgid = random_token(40).replace(['-', '_'], "x");
    c.recent_sends.push((dup_key, now, msgid.clone()));
    c.recent_deliveries.retain(|(_, _, at)| now - at < 3600);
    c.app_messages.retain(|m| now - m.at < 2 * 86_400);
    let mut delivered = Vec::new();
    let mut unlicensed = Vec::new();
    for u in &to {
        if licence.as_ref().is_some_and(|l| !l.active(u, now)) {
            unlicensed.push(u.clone());
            continue;
        }
        // Over 30 a minute or 1000 an hour per app and member, the rest is dropped silently.
        let (mut minute, mut hour) = (0, 0);
        for (a, x, at) in &c.recent_deliveries {
            if *a == agentid && x == u {
                hour += 1;
                if now - at < 60 {
                    minute += 1;
                }
            }
        }
        if minute >= PER_USER_PER_MINUTE || hour >= PER_USER_PER_HOUR {
            continue;
        }
        c.recent_deliveries.push((agentid, u.clone(), now));
        if let Some(m) = c.members.get_mut(u) {
            m.inbox.push(InboxItem {
                at: now,
                source: "app_message".into(),
                msg_type: msgtype.to_owned(),
                content: json!({"agentid": agentid, "msgid": msgid, msgtype: payload.clone()}),
                delivery_id: None,
                kf_account: None,
            });
            delivered.push(u.clone());
        }
    }
    c.app_messages.push(SentAppMessage {
        msgid: msgid.clone(),
        agentid,
        at: now,
        delivered,
        recalled: false,
    });
    let mut out = json!({"errcode": 0, "errmsg": "ok", "msgid": msgid});
    if !bad_u.is_empty() {
        out["invaliduser"] = json!(bad_u.join("|"));
    }
    if !bad_p.is_empty() {
        out["invalidparty"] = json!(bad_p.join("|"));
    }
    if !bad_t.is_empty() {
        out["invalidtag"] = json!(bad_t.join("|"));
    }
    if !unlicensed.is_empty() {
        out["unlicenseduser"] = json!(unlicensed.join("|"));
    }
    Ok(out)
}

/// `POST message/recall` `{"msgid"}`: removes the message from every inbox it reached, within
/// 24 hours of the send, for the app that sent it.
pub fn recall(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let agentid = check_agent(ctx, ctx.agentid())?;
    let msgid = s_of(&v, "msgid");
    if msgid.is_empty() {
        return Err(e(41004, "missing msgid"));
    }
    let c = corp(st, ctx)?;
    // ⚠️ the codes for an unknown, recalled or too old msgid are not verified; 40008 / 40058
    // ("invalid parameter") is what we answer.
    let m = c
        .app_messages
        .iter_mut()
        .find(|m| m.msgid == msgid && m.agentid == agentid && !m.recalled)
        .ok_or(e(40058, "invalid msgid"))?;
    if now - m.at > RECALL_WINDOW {
        return Err(e(40058, "msg can not be recalled after 24 hours"));
    }
    m.recalled = true;
    let reached = m.delivered.clone();
    for u in reached {
        if let Some(member) = c.members.get_mut(&u) {
            member
                .inbox
                .retain(|i| i.source != "app_message" || i.content["msgid"] != msgid);
        }
    }
    Ok(json!({"errcode": 0, "errmsg": "ok"}))
}

/// Beijing calendar day (UTC+8) of a unix time.
fn day_of(t: i64) -> i64 {
    (t + 8 * 3600).div_euclid(86_400)
}

/// `POST message/get_statistics` `{"time_type": 0 (today) | 1 (yesterday)}` →
/// `{"statistics":[{"agentid","app_name","count"}]}`: messages delivered per app (person-times,
/// ⚠️ the unit is believed to be 人次).
pub fn statistics(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    check_agent(ctx, ctx.agentid())?;
    let day = match crate::oa::user::int(&v, "time_type").unwrap_or(0) {
        0 => day_of(now),
        1 => day_of(now) - 1,
        _ => return Err(e(40058, "invalid time_type")),
    };
    let c = corp(st, ctx)?;
    let stats: Vec<Value> = c
        .cfg
        .apps
        .iter()
        .filter_map(|a| {
            let count: usize = c
                .app_messages
                .iter()
                .filter(|m| m.agentid == a.agentid && day_of(m.at) == day)
                .map(|m| m.delivered.len())
                .sum();
            (count > 0).then(|| json!({"agentid": a.agentid, "app_name": a.name, "count": count}))
        })
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "statistics": stats}))
}

fn query_agent(ctx: &WorkCtx, r: &Req) -> Result<i64, WxError> {
    check_agent(ctx, r.query("agentid").and_then(|a| a.parse().ok()))
}

/// `POST menu/create?agentid=` (same validation rules as OA menus).
pub fn menu_create(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let agentid = query_agent(ctx, r)?;
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let buttons = crate::oa::menu::validate(v.get("button"))?;
    corp(st, ctx)?.menus.insert(agentid, buttons);
    Ok(json!({"errcode": 0, "errmsg": "ok"}))
}

/// `GET menu/get?agentid=` → `{"button":[…]}`.
pub fn menu_get(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let agentid = query_agent(ctx, r)?;
    let b = corp(st, ctx)?
        .menus
        .get(&agentid)
        .cloned()
        .ok_or(e(46003, "menu no exist"))?;
    Ok(json!({"errcode": 0, "errmsg": "ok", "button": b}))
}

/// `GET menu/delete?agentid=`.
pub fn menu_delete(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let agentid = query_agent(ctx, r)?;
    corp(st, ctx)?.menus.remove(&agentid);
    Ok(json!({"errcode": 0, "errmsg": "ok"}))
}

/// Size limits per media type (bytes): image 10 MB, voice 2 MB, video 10 MB, file 20 MB; at
/// least 5 bytes.
pub fn media_limit(kind: &str) -> Option<usize> {
    match kind {
        "image" | "video" => Some(10 << 20),
        "voice" => Some(2 << 20),
        "file" => Some(20 << 20),
        _ => None,
    }
}

/// `POST media/upload?type=` (multipart, field `media`) →
/// `{"errcode":0,"errmsg":"","type","media_id","created_at":"…"}` (`created_at` is a string).
pub async fn media_upload(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let r = async {
        let ctx = authed(&sim, &q, uri.path()).await?;
        let kind = q.get("type").map(String::as_str).unwrap_or("");
        let limit = media_limit(kind).ok_or(e(40004, "invalid media type"))?;
        let mut mp = mp.map_err(|_| e(44001, "empty media data"))?;
        let mut file = None;
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or("").to_owned();
            let filename = field.file_name().unwrap_or("media").to_owned();
            let ct = field.content_type().unwrap_or("application/octet-stream").to_owned();
            let bytes = field.bytes().await.map_err(|_| e(44001, "empty media data"))?;
            if name == "media" || file.is_none() {
                file = Some((filename, ct, bytes));
            }
        }
        let (filename, content_type, bytes) = file.ok_or(e(44001, "empty media data"))?;
        if bytes.len() < 5 || bytes.len() > limit {
            // ⚠️ WeCom uses several size codes (40006, 40009 …); 40006 is the generic one.
            return Err(e(40006, "invalid file size"));
        }
        let now = sim.now();
        let media_id = format!("3{}", random_token(63).replace(['-', '_'], "x"));
        sim.with(|s| {
            let c = corp(s, &ctx)?;
            c.media.insert(
                media_id.clone(),
                Media { kind: kind.to_owned(), filename, content_type, size: bytes.len(), bytes: bytes.to_vec(), created_at: now },
            );
            Ok::<_, WxError>(())
        })?;
        Ok(json!({"errcode": 0, "errmsg": "", "type": kind, "media_id": media_id, "created_at": now.to_string()}))
    }
    .await;
    render(r)
}

/// `GET media/get?media_id=`: the bytes; 40007 once expired (3 days).
pub async fn media_get(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
) -> Response {
    let ctx = match authed(&sim, &q, uri.path()).await {
        Ok(c) => c,
        Err(err) => return render(Err(err)),
    };
    let now = sim.now();
    let id = q.get("media_id").cloned().unwrap_or_default();
    let m = sim.with(|s| {
        s.work
            .get(&ctx.corpid)
            .and_then(|c| c.media.get(&id).cloned())
    });
    match m.filter(|m| now - m.created_at < MEDIA_TTL) {
        None => render(Err(e(40007, "invalid media_id"))),
        Some(m) => (
            [
                (header::CONTENT_TYPE, m.content_type.clone()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", m.filename),
                ),
            ],
            m.bytes,
        )
            .into_response(),
    }
}
