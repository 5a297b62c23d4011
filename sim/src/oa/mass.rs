//! Template messages (`template/*`, `message/template/send` → `TEMPLATESENDJOBFINISH`) and
//! mass sends (`message/mass/*` → `MASSSENDJOBFINISH`).

use serde_json::{Value, json};

use super::model::{AccountType, InboxItem, MassSend, OaApp, StoredMedia};
use super::user::int;
use super::{Req, app};
use crate::error::{WxError, ok};
use crate::proto::sign::random_token;
use crate::proto::xml::{el, num};
use crate::sched::Job;
use crate::state::{Sim, State};

/// Private templates per account (⚠️ WeChat's limit is 25).
pub const MAX_TEMPLATES: usize = 25;
/// Seconds until a mass send finishes (⚠️ real jobs take minutes).
pub const MASS_DELAY: i64 = 30;
/// Openids per `message/mass/send`.
pub const MASS_MIN: usize = 2;
/// Openids per `message/mass/send`.
pub const MASS_MAX: usize = 10_000;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// `POST template/api_set_industry` `{"industry_id1","industry_id2"}`.
pub fn set_industry(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let (i1, i2) = (int(&v, "industry_id1"), int(&v, "industry_id2"));
    match (i1, i2) {
        (Some(x), Some(y)) if (1..=41).contains(&x) && (1..=41).contains(&y) => {
            a.industry = Some((x, y));
            Ok(ok())
        }
        _ => Err(WxError::oa_msg(40102, "invalid industry id")),
    }
}

/// `GET template/get_industry`.
pub fn get_industry(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let (x, y) = a
        .industry
        .ok_or(WxError::oa_msg(40102, "invalid industry id"))?;
    Ok(json!({
        "primary_industry": {"first_class": "IT科技", "second_class": format!("行业{x}")},
        "secondary_industry": {"first_class": "IT科技", "second_class": format!("行业{y}")}
    }))
}

/// `POST template/api_add_template` `{"template_id_short"}` (`TM…`/`OPENTM…` + digits) →
/// `{"template_id"}`.
pub fn add_template(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let short = s(&v, "template_id_short");
    let digits = short
        .strip_prefix("OPENTM")
        .or_else(|| short.strip_prefix("TM"));
    if !digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
        return Err(WxError::oa_msg(40037, "invalid template_id"));
    }
    if a.templates.len() >= MAX_TEMPLATES {
        return Err(WxError::oa_msg(45026, "template num exceeds limit"));
    }
    let id = random_token(43);
    a.templates.push(json!({
        "template_id": id,
        "title": format!("模板 {short}"),
        "primary_industry": "IT科技",
        "deputy_industry": "IT软件与服务",
        "content": "{{first.DATA}}\n项目：{{keyword1.DATA}}\n时间：{{keyword2.DATA}}\n{{remark.DATA}}",
        "example": "您好\n项目：示例\n时间：2014年9月16日\n感谢使用"
    }));
    Ok(json!({"errcode": 0, "errmsg": "ok", "template_id": id}))
}

/// `GET template/get_all_private_template`.
pub fn list_templates(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    Ok(json!({"template_list": app(st, appid)?.templates}))
}

/// `POST template/del_private_template` `{"template_id"}`.
pub fn del_template(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let n = a.templates.len();
    a.templates
        .retain(|t| t["template_id"] != s(&v, "template_id"));
    if n == a.templates.len() {
        return Err(WxError::oa_msg(40037, "invalid template_id"));
    }
    Ok(ok())
}

/// How long WeChat remembers a template send's `client_msg_id` (⚠️ documented as ten minutes).
pub const CLIENT_MSG_ID_TTL: i64 = 600;

/// `POST message/template/send`: to a subscribed follower (43004 otherwise) with a known
/// template (40037); the follower's inbox gets it and `TEMPLATESENDJOBFINISH` follows
/// (`failed:user block` for a follower who refused the account's template messages). The same
/// `openid` + `client_msg_id` within [`CLIENT_MSG_ID_TTL`] answers the first msgid and sends
/// nothing (⚠️ WeChat's exact answer to a repeat is unverified).
pub fn send_template(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let msgid = 200_000_000 + st.id() as i64;
    let a = app(st, appid)?;
    let tid = s(&v, "template_id");
    if !a.templates.iter().any(|t| t["template_id"] == tid) {
        return Err(WxError::oa_msg(40037, "invalid template_id"));
    }
    if !v.get("data").is_some_and(Value::is_object) {
        return Err(WxError::oa_msg(
            47003,
            "argument invalid! data.first.value invalid",
        ));
    }
    let to = s(&v, "touser").to_owned();
    let f = a.followers.get_mut(&to).ok_or(WxError::oa(40003))?;
    if !f.subscribed {
        return Err(WxError::oa_msg(43004, "require subscribe"));
    }
    let key = s(&v, "client_msg_id");
    let key = (!key.is_empty()).then(|| format!("{to}\n{key}"));
    if let Some(k) = &key
        && let Some((first, at)) = a.template_sends.get(k)
        && now - at < CLIENT_MSG_ID_TTL
    {
        return Ok(json!({"errcode": 0, "errmsg": "ok", "msgid": first}));
    }
    let status = if f.blocks_templates {
        "failed:user block"
    } else {
        f.inbox.push(InboxItem {
            at: now,
            source: "template".into(),
            msg_type: "template".into(),
            content: v.clone(),
            delivery_id: None,
            kf_account: None,
        });
        "success"
    };
    if let Some(k) = key {
        a.template_sends.insert(k, (msgid, now));
    }
    let gh = a.cfg.original_id.clone();
    let xml = format!(
        "<xml>{}{}{}{}{}{}{}</xml>",
        el("ToUserName", &gh),
        el("FromUserName", &to),
        num("CreateTime", now),
        el("MsgType", "event"),
        el("Event", "TEMPLATESENDJOBFINISH"),
        num("MsgID", msgid),
        el("Status", status)
    );
    st.schedule(
        now,
        Job::OaEvent {
            appid: appid.to_owned(),
            openid: to,
            xml,
        },
    );
    Ok(json!({"errcode": 0, "errmsg": "ok", "msgid": msgid}))
}

/// The mass quota of an account type: (sends, per Beijing-time month?) — ⚠️ WeChat's published
/// limits: a subscription account one a day, a service account four a month; test accounts are
/// not limited here.
fn mass_quota(t: AccountType) -> Option<(usize, bool)> {
    match t {
        AccountType::Subscription | AccountType::SubscriptionVerified => Some((1, false)),
        AccountType::Service | AccountType::ServiceVerified => Some((4, true)),
        AccountType::Test => None,
    }
}

/// The Beijing-time day (`false`) or month (`true`) of a unix second, as a comparable key.
fn period_key(at: i64, month: bool) -> i64 {
    let beijing = at + 8 * 3600;
    if !month {
        return beijing.div_euclid(86_400);
    }
    let d = time::OffsetDateTime::from_unix_timestamp(beijing)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month()))
}

/// The kind of a stored media made by `media/uploadvideo` (never listed as a material).
pub const MASS_VIDEO_KIND: &str = "mass_video";

/// `POST media/uploadvideo` `{"media_id","title","description"}` → `{"type":"video","media_id",
/// "created_at"}`: a video (permanent material or temporary media) made sendable as a mass
/// `mpvideo`, valid like a temporary media for 3 days.
pub fn upload_video(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let source = a
        .media
        .get(s(&v, "media_id"))
        .filter(|m| m.kind == "video")
        .ok_or(WxError::oa(40007))?
        .clone();
    let id = super::media::new_media_id();
    a.media.insert(
        id.clone(),
        StoredMedia {
            kind: MASS_VIDEO_KIND.into(),
            permanent: false,
            created_at: now,
            url: None,
            description: Some(json!({
                "title": s(&v, "title"),
                "introduction": s(&v, "description"),
            })),
            ..source
        },
    );
    Ok(json!({"type": "video", "media_id": id, "created_at": now}))
}

/// A mass `mpvideo` as its followers see it: the media id with the title and description given
/// to `media/uploadvideo`. ⚠️ unverified: WeChat's answer to a plain video material here; the
/// emulator refuses it (40007) so that a sender skipping uploadvideo is caught.
fn mass_video(a: &OaApp, content: &Value) -> Result<Value, WxError> {
    let m = content
        .get("media_id")
        .and_then(Value::as_str)
        .and_then(|m| a.media.get(m))
        .filter(|m| m.kind == MASS_VIDEO_KIND)
        .ok_or(WxError::oa(40007))?;
    let d = m.description.clone().unwrap_or(Value::Null);
    let mut seen = content.clone();
    seen["title"] = d["title"].clone();
    seen["description"] = d["introduction"].clone();
    Ok(seen)
}

const MASS_TYPES: &[&str] = &["mpnews", "text", "voice", "image", "mpvideo", "wxcard"];

fn mass_common(
    st: &mut State,
    appid: &str,
    now: i64,
    v: &Value,
    openids: Vec<String>,
) -> Result<Value, WxError> {
    let msg_id = 1_000_000_000 + st.id() as i64;
    let a = app(st, appid)?;
    let msgtype = s(v, "msgtype");
    if !MASS_TYPES.contains(&msgtype) {
        return Err(WxError::oa_msg(40008, "invalid message type"));
    }
    let content = v.get(msgtype).cloned().ok_or(WxError::oa(47001))?;
    let mid = content.get("media_id").and_then(Value::as_str);
    match msgtype {
        "mpnews" if !mid.is_some_and(|m| a.drafts.contains_key(m)) => {
            return Err(WxError::oa(40007));
        }
        "image" | "voice" if !mid.is_some_and(|m| a.media.contains_key(m)) => {
            return Err(WxError::oa(40007));
        }
        "text"
            if content
                .get("content")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty) =>
        {
            return Err(WxError::oa_msg(44003, "empty content"));
        }
        _ => {}
    }
    let content = if msgtype == "mpvideo" {
        mass_video(a, &content)?
    } else {
        content
    };
    let clientmsgid = v
        .get("clientmsgid")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    if let Some(c) = &clientmsgid
        && a.mass
            .values()
            .any(|m| m.clientmsgid.as_deref() == Some(c) && now - m.created < 86_400)
    {
        return Err(WxError::oa_msg(45065, "clientmsgid exist"));
    }
    if let Some((limit, month)) = mass_quota(a.cfg.account_type) {
        let key = period_key(now, month);
        let used = a
            .mass
            .values()
            .filter(|m| period_key(m.created, month) == key)
            .count();
        if used >= limit {
            return Err(WxError::oa_msg(45028, "has no masssend quota"));
        }
    }
    let msg_data_id = (msgtype == "mpnews").then_some(msg_id + 5_000_000_000);
    a.mass.insert(
        msg_id,
        MassSend {
            status: "SENDING".into(),
            openids,
            msgtype: msgtype.to_owned(),
            content,
            msg_data_id,
            clientmsgid,
            created: now,
        },
    );
    st.schedule(
        now + MASS_DELAY,
        Job::OaMassFinish {
            appid: appid.to_owned(),
            msg_id,
        },
    );
    let mut out = json!({"errcode": 0, "errmsg": "send job submission success", "msg_id": msg_id});
    if let Some(d) = msg_data_id {
        out["msg_data_id"] = json!(d);
    }
    Ok(out)
}

/// `POST message/mass/sendall` `{"filter":{"is_to_all","tag_id"|"group_id"},"msgtype",…,
/// "clientmsgid"?}`; 45028 once the account's mass quota is used up.
pub fn sendall(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let filter = v.get("filter").cloned().unwrap_or(Value::Null);
    let all = filter
        .get("is_to_all")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let openids: Vec<String> = if all {
        a.followers
            .values()
            .filter(|f| f.subscribed)
            .map(|f| f.openid.clone())
            .collect()
    } else if filter.get("group_id").is_some() && filter.get("tag_id").is_none() {
        // The legacy form (before tags replaced groups; ⚠️ error code for an unknown group).
        let group = int(&filter, "group_id").ok_or(WxError::oa(40050))?;
        if !a.groups.contains_key(&group) {
            return Err(WxError::oa_msg(40050, "invalid group id"));
        }
        a.followers
            .values()
            .filter(|f| f.subscribed && f.groupid == group)
            .map(|f| f.openid.clone())
            .collect()
    } else {
        let tag = int(&filter, "tag_id").ok_or(WxError::oa(45159))?;
        if !a.tags.contains_key(&tag) {
            return Err(WxError::oa(45159));
        }
        a.followers
            .values()
            .filter(|f| f.subscribed && f.tagid_list.contains(&tag))
            .map(|f| f.openid.clone())
            .collect()
    };
    mass_common(st, appid, now, &v, openids)
}

/// `POST message/mass/send` `{"touser":[2..10000 openids],…}` (40130 outside that range).
pub fn send(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let list: Vec<String> = v
        .get("touser")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if list.len() < MASS_MIN || list.len() > MASS_MAX {
        return Err(WxError::oa_msg(
            40130,
            "invalid openid list size, at least two openid",
        ));
    }
    mass_common(st, appid, now, &v, list)
}

/// `POST message/mass/preview` `{"touser",…}`: delivered at once to one follower.
pub fn preview(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let msgtype = s(&v, "msgtype").to_owned();
    if !MASS_TYPES.contains(&msgtype.as_str()) {
        return Err(WxError::oa_msg(40008, "invalid message type"));
    }
    let mut content = v.get(&msgtype).cloned().unwrap_or(Value::Null);
    if msgtype == "mpvideo" {
        content = mass_video(a, &content)?;
    }
    let f = a
        .followers
        .get_mut(s(&v, "touser"))
        .filter(|f| f.subscribed)
        .ok_or(WxError::oa(40003))?;
    f.inbox.push(InboxItem {
        at: now,
        source: "mass_preview".into(),
        msg_type: msgtype.clone(),
        content,
        delivery_id: None,
        kf_account: None,
    });
    Ok(json!({"errcode": 0, "errmsg": "preview success", "msg_id": 1_000_000_000 + now}))
}

/// `POST message/mass/get` `{"msg_id"}` → `{"msg_id","msg_status"}`.
pub fn get(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = int(&v, "msg_id").ok_or(WxError::oa(40097))?;
    let m = a
        .mass
        .get(&id)
        .ok_or(WxError::oa_msg(40097, "invalid args: msg_id"))?;
    Ok(json!({"msg_id": id, "msg_status": m.status}))
}

/// 10,000 messages a minute at each `message/mass/speed/set` level.
const SPEED_LEVELS: [i64; 5] = [80, 60, 45, 30, 10];

/// `POST message/mass/speed/get` → `{"speed","realspeed"}` (realspeed in 10,000 a minute).
pub fn speed_get(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let level = a.mass_speed.clamp(0, 4);
    Ok(json!({"speed": level, "realspeed": SPEED_LEVELS[level as usize]}))
}

/// `POST message/mass/speed/set` `{"speed"}`: 0–4, else 45083.
pub fn speed_set(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let level = int(&v, "speed").ok_or(WxError::oa_msg(45084, "no speed"))?;
    if !(0..=4).contains(&level) {
        return Err(WxError::oa_msg(45083, "the speed out of range"));
    }
    a.mass_speed = level;
    Ok(ok())
}

/// `POST message/mass/delete` `{"msg_id","article_idx"}`.
pub fn delete(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = int(&v, "msg_id").ok_or(WxError::oa(40097))?;
    let m = a
        .mass
        .get_mut(&id)
        .ok_or(WxError::oa_msg(40097, "invalid args: msg_id"))?;
    m.status = "DELETE".into();
    Ok(ok())
}

/// The mass job finishes: inboxes filled, `MASSSENDJOBFINISH` pushed.
pub async fn finish(sim: &Sim, appid: &str, msg_id: i64) {
    let now = sim.now();
    let found = sim.with(|s| {
        let a = s.oa.get_mut(appid)?;
        let m = a.mass.get_mut(&msg_id)?;
        if m.status != "SENDING" {
            return None;
        }
        m.status = "SEND_SUCCESS".into();
        let m = m.clone();
        let mut sent = 0;
        for o in &m.openids {
            if let Some(f) = a.followers.get_mut(o).filter(|f| f.subscribed) {
                f.inbox.push(InboxItem {
                    at: now,
                    source: "mass".into(),
                    msg_type: m.msgtype.clone(),
                    content: m.content.clone(),
                    delivery_id: None,
                    kf_account: None,
                });
                sent += 1;
            }
        }
        Some((a.cfg.clone(), m.openids.len(), sent))
    });
    let Some((cfg, total, sent)) = found else {
        return;
    };
    let sys = format!("o{}", crate::proto::sign::random_hex(27));
    let xml = format!(
        "<xml>{}{}{}{}{}{}{}{}{}{}{}<CopyrightCheckResult>{}<ResultList></ResultList>{}</CopyrightCheckResult></xml>",
        el("ToUserName", &cfg.original_id),
        el("FromUserName", &sys),
        num("CreateTime", now),
        el("MsgType", "event"),
        el("Event", "MASSSENDJOBFINISH"),
        num("MsgID", msg_id),
        el("Status", "send success"),
        num("TotalCount", total),
        num("FilterCount", sent),
        num("SentCount", sent),
        num("ErrorCount", total - sent),
        num("Count", 0),
        num("CheckState", 1)
    );
    crate::callback::oa::deliver(sim, &cfg, &sys, xml, false).await;
}
