//! Followers (`user/*`), tags (`tags/*`), legacy groups (`groups/*`) and custom messages.

use serde_json::{Value, json};
use std::ops::Bound;

use super::model::{Follower, InboxItem, OaApp, Tag};
use super::{Req, app};
use crate::error::{WxError, ok};
use crate::state::State;

/// Followers per `user/get` and `user/tag/get` page.
pub const USERS_PAGE: usize = 10_000;
/// Max openids in `user/info/batchget`.
pub const BATCHGET_MAX: usize = 100;
/// Max openids per batch (un)tagging call.
pub const BATCH_TAGGING_MAX: usize = 50;
/// Max user tags per account.
pub const MAX_TAGS: usize = 100;
/// Max tags on one follower.
pub const MAX_TAGS_PER_USER: usize = 20;
/// Max tag name length in bytes (⚠️ the doc says "30 characters"; the error text says bytes).
pub const TAG_NAME_MAX_BYTES: usize = 30;
/// The 48-hour customer-service window (seconds).
pub const CUSTOM_WINDOW: i64 = 48 * 3600;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Reads an integer that WeChat accepts either as a number or as a numeric string.
pub fn int(v: &Value, k: &str) -> Option<i64> {
    match v.get(k)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn user_info_json(a: &OaApp, openid: &str) -> Result<Value, WxError> {
    let f = a.followers.get(openid).ok_or(WxError::oa(40003))?;
    if !f.subscribed {
        let mut v = json!({"subscribe": 0, "openid": f.openid, "tagid_list": []});
        if let Some(u) = &f.unionid {
            v["unionid"] = json!(u);
        }
        return Ok(v);
    }
    let mut v = json!({
        "subscribe": 1,
        "openid": f.openid,
        "language": f.language,
        "subscribe_time": f.subscribe_time,
        "remark": f.remark,
        "groupid": f.groupid,
        "tagid_list": f.tagid_list,
        "subscribe_scene": f.subscribe_scene,
        "qr_scene": f.qr_scene,
        "qr_scene_str": f.qr_scene_str,
    });
    if let Some(u) = &f.unionid {
        v["unionid"] = json!(u);
    }
    Ok(v)
}

/// `GET user/get?next_openid=`: 10000 per page; an exhausted list answers `count` 0.
pub fn user_get(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let next = r.query("next_openid").unwrap_or("");
    if !next.is_empty() && !a.followers.contains_key(next) {
        return Err(WxError::oa(40003));
    }
    let total = *a
        .subscribed_total
        .get_or_insert_with(|| a.followers.values().filter(|f| f.subscribed).count());
    let page: Vec<&str> = followers_after(a, next)
        .filter(|f| f.subscribed)
        .take(USERS_PAGE)
        .map(|f| f.openid.as_str())
        .collect();
    if page.is_empty() {
        return Ok(json!({"total": total, "count": 0, "next_openid": ""}));
    }
    let last = page.last().copied().unwrap_or("");
    Ok(json!({"total": total, "count": page.len(), "data": {"openid": page}, "next_openid": last}))
}

/// The followers after `next` in openid order (all of them for ""): a range of the map, not a
/// scan from the start, which a full listing of a million followers would repeat per page.
fn followers_after<'a>(a: &'a OaApp, next: &'a str) -> impl Iterator<Item = &'a Follower> {
    let after = match next {
        "" => Bound::Unbounded,
        next => Bound::Excluded(next),
    };
    a.followers
        .range::<str, _>((after, Bound::Unbounded))
        .map(|(_, f)| f)
}

/// `GET user/info?openid=&lang=`.
pub fn user_info(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let openid = r.query("openid").unwrap_or("");
    if openid.is_empty() {
        return Err(WxError::oa(41009));
    }
    user_info_json(a, openid)
}

/// `POST user/info/batchget` `{"user_list":[{"openid","lang"}]}` (max 100).
pub fn user_batchget(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let list = v
        .get("user_list")
        .and_then(Value::as_array)
        .ok_or(WxError::oa(47001))?;
    if list.is_empty() || list.len() > BATCHGET_MAX {
        // ⚠️ the code WeChat uses for an oversized list here is not confirmed.
        return Err(WxError::oa(40032));
    }
    let infos = list
        .iter()
        .map(|u| user_info_json(a, s(u, "openid")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({"user_info_list": infos}))
}

/// `POST user/info/updateremark` `{"openid","remark"}` (remark < 30 characters).
pub fn update_remark(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let a = app(st, appid)?;
    let remark = s(&v, "remark");
    if remark.chars().count() > 30 {
        // ⚠️ code for an over-long remark not confirmed.
        return Err(WxError::oa_msg(45002, "content size out of limit"));
    }
    let f = a
        .followers
        .get_mut(s(&v, "openid"))
        .filter(|f| f.subscribed)
        .ok_or(WxError::oa(40003))?;
    f.remark = remark.to_owned();
    Ok(ok())
}

fn tag_count(a: &OaApp, id: i64) -> usize {
    a.followers
        .values()
        .filter(|f| f.subscribed && f.tagid_list.contains(&id))
        .count()
}

fn check_tag_name(a: &OaApp, name: &str, except: Option<i64>) -> Result<(), WxError> {
    if name.is_empty() {
        return Err(WxError::oa(45157));
    }
    if name.len() > TAG_NAME_MAX_BYTES {
        return Err(WxError::oa(45158));
    }
    if a.tags
        .values()
        .any(|t| t.name == name && Some(t.id) != except)
    {
        return Err(WxError::oa(45157));
    }
    Ok(())
}

/// `POST tags/create` `{"tag":{"name"}}` → `{"tag":{"id","name"}}`.
pub fn tags_create(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let a = app(st, appid)?;
    let name = v.pointer("/tag/name").and_then(Value::as_str).unwrap_or("");
    check_tag_name(a, name, None)?;
    if a.tags.keys().filter(|id| **id >= 100).count() >= MAX_TAGS {
        return Err(WxError::oa(45056));
    }
    // Ids are never reused, even after a delete.
    let id = a
        .last_tag_id
        .max(a.tags.keys().next_back().copied().unwrap_or(99))
        + 1;
    a.last_tag_id = id;
    a.tags.insert(
        id,
        Tag {
            id,
            name: name.to_owned(),
        },
    );
    Ok(json!({"tag": {"id": id, "name": name}}))
}

/// `GET tags/get` → `{"tags":[{"id","name","count"}]}`.
pub fn tags_get(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let tags: Vec<Value> = a
        .tags
        .values()
        .map(|t| json!({"id": t.id, "name": t.name, "count": tag_count(a, t.id)}))
        .collect();
    Ok(json!({"tags": tags}))
}

/// `POST tags/update` `{"tag":{"id","name"}}`.
pub fn tags_update(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let a = app(st, appid)?;
    let id = v
        .get("tag")
        .and_then(|t| int(t, "id"))
        .ok_or(WxError::oa(45159))?;
    if (0..=2).contains(&id) {
        return Err(WxError::oa(45058));
    }
    if !a.tags.contains_key(&id) {
        return Err(WxError::oa(45159));
    }
    let name = v.pointer("/tag/name").and_then(Value::as_str).unwrap_or("");
    check_tag_name(a, name, Some(id))?;
    if let Some(t) = a.tags.get_mut(&id) {
        t.name = name.to_owned();
    }
    Ok(ok())
}

/// `POST tags/delete` `{"tag":{"id"}}`: also untags every follower.
pub fn tags_delete(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = v
        .get("tag")
        .and_then(|t| int(t, "id"))
        .ok_or(WxError::oa(45159))?;
    if (0..=2).contains(&id) {
        return Err(WxError::oa(45058));
    }
    if !a.tags.contains_key(&id) {
        return Err(WxError::oa(45159));
    }
    if tag_count(a, id) > 100_000 {
        return Err(WxError::oa(45057));
    }
    a.tags.remove(&id);
    for f in a.followers.values_mut() {
        f.tagid_list.retain(|t| *t != id);
    }
    Ok(ok())
}

fn openid_list(v: &Value) -> Result<Vec<String>, WxError> {
    let list = v
        .get("openid_list")
        .and_then(Value::as_array)
        .ok_or(WxError::oa(40032))?;
    if list.is_empty() || list.len() > BATCH_TAGGING_MAX {
        return Err(WxError::oa(40032));
    }
    Ok(list
        .iter()
        .map(|o| o.as_str().unwrap_or("").to_owned())
        .collect())
}

fn tagging(st: &mut State, appid: &str, r: &Req, add: bool) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let openids = openid_list(&v)?;
    let id = int(&v, "tagid").ok_or(WxError::oa(45159))?;
    if !a.tags.contains_key(&id) {
        return Err(WxError::oa(45159));
    }
    for o in &openids {
        let f = a.subscribed(o).ok_or(WxError::oa(40003))?;
        if add && !f.tagid_list.contains(&id) && f.tagid_list.len() >= MAX_TAGS_PER_USER {
            return Err(WxError::oa(45059));
        }
    }
    for o in &openids {
        if let Some(f) = a.followers.get_mut(o) {
            if add {
                if !f.tagid_list.contains(&id) {
                    f.tagid_list.push(id);
                }
            } else {
                f.tagid_list.retain(|t| *t != id);
            }
        }
    }
    Ok(ok())
}

/// `POST tags/members/batchtagging` `{"openid_list":[≤50],"tagid"}`.
pub fn batch_tagging(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    tagging(st, appid, r, true)
}

/// `POST tags/members/batchuntagging`.
pub fn batch_untagging(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    tagging(st, appid, r, false)
}

/// `POST tags/getidlist` `{"openid"}` → `{"tagid_list":[…]}`.
pub fn tags_getidlist(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let f = a.subscribed(s(&v, "openid")).ok_or(WxError::oa(40003))?;
    Ok(json!({"tagid_list": f.tagid_list}))
}

/// `POST user/tag/get` `{"tagid","next_openid"}`.
pub fn user_tag_get(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = int(&v, "tagid").ok_or(WxError::oa(45159))?;
    if !a.tags.contains_key(&id) {
        return Err(WxError::oa(45159));
    }
    let next = s(&v, "next_openid");
    let page: Vec<&str> = followers_after(a, next)
        .filter(|f| f.subscribed && f.tagid_list.contains(&id))
        .take(USERS_PAGE)
        .map(|f| f.openid.as_str())
        .collect();
    let last = page.last().copied().unwrap_or("");
    Ok(json!({"count": page.len(), "data": {"openid": page}, "next_openid": last}))
}

fn group_count(a: &OaApp, id: i64) -> usize {
    a.followers
        .values()
        .filter(|f| f.subscribed && f.groupid == id)
        .count()
}

/// `POST groups/create` `{"group":{"name"}}` → `{"group":{"id","name"}}`.
pub fn groups_create(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let a = app(st, appid)?;
    let name = v
        .pointer("/group/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.is_empty() || name.len() > TAG_NAME_MAX_BYTES {
        // ⚠️ legacy group error codes are not documented any more.
        return Err(WxError::oa_msg(40117, "invalid group name"));
    }
    let id = a.groups.keys().next_back().copied().unwrap_or(99).max(99) + 1;
    a.groups.insert(
        id,
        Tag {
            id,
            name: name.to_owned(),
        },
    );
    Ok(json!({"group": {"id": id, "name": name}}))
}

/// `GET groups/get` → `{"groups":[{"id","name","count"}]}`.
pub fn groups_get(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let groups: Vec<Value> = a
        .groups
        .values()
        .map(|g| json!({"id": g.id, "name": g.name, "count": group_count(a, g.id)}))
        .collect();
    Ok(json!({"groups": groups}))
}

/// `POST groups/getid` `{"openid"}` → `{"groupid"}`.
pub fn groups_getid(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let f = a.subscribed(s(&v, "openid")).ok_or(WxError::oa(40003))?;
    Ok(json!({"groupid": f.groupid}))
}

/// `POST groups/update` `{"group":{"id","name"}}`.
pub fn groups_update(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let a = app(st, appid)?;
    let id = v
        .get("group")
        .and_then(|g| int(g, "id"))
        .ok_or(WxError::oa(40050))?;
    let name = v
        .pointer("/group/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if (0..=2).contains(&id) {
        return Err(WxError::oa(40050));
    }
    if name.is_empty() || name.len() > TAG_NAME_MAX_BYTES {
        return Err(WxError::oa_msg(40117, "invalid group name"));
    }
    let g = a.groups.get_mut(&id).ok_or(WxError::oa(40050))?;
    g.name = name.to_owned();
    Ok(ok())
}

fn move_to_group(a: &mut OaApp, openids: &[String], to: i64) -> Result<Value, WxError> {
    if !a.groups.contains_key(&to) {
        return Err(WxError::oa(40050));
    }
    for o in openids {
        a.subscribed(o).ok_or(WxError::oa(40003))?;
    }
    for o in openids {
        if let Some(f) = a.followers.get_mut(o) {
            f.groupid = to;
        }
    }
    Ok(ok())
}

/// `POST groups/members/update` `{"openid","to_groupid"}`.
pub fn groups_member_update(
    st: &mut State,
    appid: &str,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let to = int(&v, "to_groupid").ok_or(WxError::oa(40050))?;
    move_to_group(a, &[s(&v, "openid").to_owned()], to)
}

/// `POST groups/members/batchupdate` `{"openid_list":[≤50],"to_groupid"}`.
pub fn groups_member_batchupdate(
    st: &mut State,
    appid: &str,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let openids = openid_list(&v)?;
    let to = int(&v, "to_groupid").ok_or(WxError::oa(40050))?;
    move_to_group(a, &openids, to)
}

/// `POST groups/delete` `{"group":{"id"}}`: members go back to group 0.
pub fn groups_delete(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = v
        .get("group")
        .and_then(|g| int(g, "id"))
        .ok_or(WxError::oa(40050))?;
    if (0..=2).contains(&id) || a.groups.remove(&id).is_none() {
        return Err(WxError::oa(40050));
    }
    for f in a.followers.values_mut() {
        if f.groupid == id {
            f.groupid = 0;
        }
    }
    Ok(ok())
}

const CUSTOM_TYPES: &[&str] = &[
    "text",
    "image",
    "voice",
    "video",
    "music",
    "news",
    "mpnews",
    "mpnewsarticle",
    "msgmenu",
    "wxcard",
    "miniprogrampage",
];

/// `POST message/custom/send`: only within 48 hours of the follower's last interaction
/// (45015 otherwise); lands in the follower's inbox.
pub fn custom_send(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let msgtype = s(&v, "msgtype");
    if !CUSTOM_TYPES.contains(&msgtype) {
        return Err(WxError::oa_msg(40008, "invalid message type"));
    }
    let content = v.get(msgtype).cloned().ok_or(WxError::oa(47001))?;
    if msgtype == "text"
        && content
            .get("content")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        return Err(WxError::oa_msg(44003, "empty content"));
    }
    // Sent as a customer-service account: it must be one of the account's (⚠️ the error code
    // for an unknown one is not documented; the emulator answers 65401 as kfaccount/* do).
    let kf_account = match v
        .pointer("/customservice/kf_account")
        .and_then(Value::as_str)
    {
        Some(k) if !k.is_empty() => {
            if !a.kf_accounts.iter().any(|x| x.kf_account == k) {
                return Err(WxError::oa_msg(65401, "invalid custom service account"));
            }
            Some(k.to_owned())
        }
        _ => None,
    };
    let f = a
        .followers
        .get_mut(s(&v, "touser"))
        .ok_or(WxError::oa(40003))?;
    let active = f.last_active.is_some_and(|t| now - t < CUSTOM_WINDOW);
    if !f.subscribed || !active {
        return Err(WxError::oa_msg(
            45015,
            "response out of time limit or subscription is canceled",
        ));
    }
    f.inbox.push(InboxItem {
        at: now,
        source: "custom".into(),
        msg_type: msgtype.to_owned(),
        content,
        delivery_id: None,
        kf_account,
    });
    Ok(ok())
}
