//! WeCom's post-2022 directory rules and the APIs built for them: `user/list_id` (cursor
//! paging over department memberships) and `department/simplelist` (ids only).

use serde_json::{Value, json};

use super::model::{Corp, WorkTag};
use super::{WorkCtx, corp};
use crate::error::WxError;
use crate::oa::Req;
use crate::oa::user::int;
use crate::state::State;

/// Fields app tokens of a post-2022-06-20 app no longer receive from `user/get`/`user/list`
/// (⚠️ unverified field list, per WeCom's 2022-06-20 notice).
pub const SENSITIVE: &[&str] = &[
    "mobile",
    "gender",
    "email",
    "telephone",
    "avatar",
    "address",
];

/// The most `user/list_id` returns per call.
pub const LIST_ID_MAX: i64 = 10_000;

/// Whether the caller gets member details without [`SENSITIVE`] fields.
pub fn strips_sensitive(c: &Corp, ctx: &WorkCtx) -> bool {
    ctx.agent != "contacts" && c.cfg.created_after_2022
}

/// Removes [`SENSITIVE`] fields from a member's JSON when the caller may not see them.
pub fn redact(c: &Corp, ctx: &WorkCtx, v: &mut Value) {
    if strips_sensitive(c, ctx)
        && let Some(o) = v.as_object_mut()
    {
        for k in SENSITIVE {
            o.remove(*k);
        }
    }
}

/// The listing APIs the contacts secret lost for trusted IPs added after 2022-08-15
/// (`user/list`, `user/simplelist`, `department/list`). ⚠️ unverified: errcode 48009 and its
/// wording; WeCom's notice names the APIs, not the code.
pub fn legacy_listing_allowed(c: &Corp, ctx: &WorkCtx) -> Result<(), WxError> {
    if ctx.agent == "contacts" && c.cfg.created_after_2022 {
        return Err(WxError::work(
            48009,
            "api forbidden for contacts sync ip added after 2022-08-15, use user/list_id and department/simplelist",
        ));
    }
    Ok(())
}

/// Only a tag's creator (or the contacts secret) may change it: 81011 otherwise
/// (⚠️ unverified wording).
pub fn may_edit_tag(t: &WorkTag, ctx: &WorkCtx) -> Result<(), WxError> {
    if ctx.agent == "contacts"
        || ctx.agent == super::CONSOLE
        || (!t.owner.is_empty() && t.owner == ctx.agent)
    {
        Ok(())
    } else {
        Err(WxError::work(81011, "no privilege to access/modify tag"))
    }
}

/// (userid, department) pairs in a stable order; the cursor names the last pair returned.
fn memberships(c: &Corp) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = c
        .members
        .values()
        .flat_map(|m| m.department.iter().map(|d| (m.userid.clone(), *d)))
        .collect();
    out.sort();
    out
}

fn encode_cursor(userid: &str, dept: i64) -> String {
    let raw = format!("{dept}:{userid}");
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(cur: &str) -> Option<(String, i64)> {
    if !cur.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cur.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cur.get(i..i + 2)?, 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    let (d, u) = raw.split_once(':')?;
    Some((u.to_owned(), d.parse().ok()?))
}

/// `POST user/list_id` `{"cursor","limit"}` → `{"next_cursor","dept_user":[{"userid","department"}]}`:
/// one entry per membership; `next_cursor` is empty on the last page. ⚠️ unverified: the
/// errcode for a bad cursor or limit (40058 here).
pub fn user_list_id(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let c = corp(st, ctx)?;
    let limit = int(&v, "limit").unwrap_or(LIST_ID_MAX);
    if !(1..=LIST_ID_MAX).contains(&limit) {
        return Err(WxError::work(40058, "invalid limit"));
    }
    let cursor = v.get("cursor").and_then(Value::as_str).unwrap_or("");
    let all = memberships(c);
    let start = if cursor.is_empty() {
        0
    } else {
        let after = decode_cursor(cursor).ok_or(WxError::work(40058, "invalid cursor"))?;
        all.partition_point(|p| *p <= after)
    };
    let end = (start + limit as usize).min(all.len());
    let page = &all[start..end];
    let next = if end < all.len() {
        page.last()
            .map(|(u, d)| encode_cursor(u, *d))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let list: Vec<Value> = page
        .iter()
        .map(|(u, d)| json!({"userid": u, "department": d}))
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "next_cursor": next, "dept_user": list}))
}

/// `GET department/simplelist?id=` → `{"department_id":[{"id","parentid","order"}]}`: the
/// department and its descendants (all when `id` is absent), without names.
pub fn department_simplelist(
    st: &mut State,
    ctx: &WorkCtx,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    let ids: Vec<i64> = match r.query("id").filter(|x| !x.is_empty()) {
        Some(x) => {
            let id: i64 = x
                .parse()
                .map_err(|_| WxError::work(60123, "invalid party id"))?;
            if !c.departments.contains_key(&id) {
                return Err(WxError::work(60123, "invalid party id"));
            }
            c.subtree(id)
        }
        None => c.departments.keys().copied().collect(),
    };
    let list: Vec<Value> = ids
        .iter()
        .filter_map(|i| c.departments.get(i))
        .map(|d| json!({"id": d.id, "parentid": d.parentid, "order": d.order}))
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "department_id": list}))
}
