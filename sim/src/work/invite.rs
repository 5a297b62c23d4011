//! `batch/invite`: invites members (directly, through their departments or tags) to join the
//! corp. Unknown members, departments and tags are answered back (`invaliduser`,
//! `invalidparty`, `invalidtag`) while the rest is invited; each invited member that has not
//! joined yet records the invitation, which is what an administrator would see as "invited".

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{WorkCtx, corp};
use crate::error::WxError;
use crate::oa::Req;
use crate::state::State;

/// `POST batch/invite` `{"user":[…≤1000],"party":[…≤100],"tag":[…≤100]}`. ⚠️ unverified:
/// the errcodes for an empty or oversized request (40058 / 40032 here), and whether a
/// department invites its sub-departments' members (it does here).
pub fn batch_invite(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let c = corp(st, ctx)?;
    let users: Vec<String> = list(&v, "user")
        .iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect();
    let ids = |k: &str| -> Vec<i64> {
        list(&v, k)
            .iter()
            .filter_map(|x| x.as_i64().or_else(|| x.as_str()?.parse().ok()))
            .collect()
    };
    let (parties, tags) = (ids("party"), ids("tag"));
    if users.is_empty() && parties.is_empty() && tags.is_empty() {
        return Err(WxError::work(40058, "user, party and tag are all empty"));
    }
    if users.len() > 1000 || parties.len() > 100 || tags.len() > 100 {
        return Err(WxError::work(
            40032,
            "invalid size of user, party or tag list",
        ));
    }
    let mut who: BTreeSet<String> = BTreeSet::new();
    let mut invalid_user = Vec::new();
    for u in users {
        if c.members.contains_key(&u) {
            who.insert(u);
        } else {
            invalid_user.push(u);
        }
    }
    let mut invalid_party = Vec::new();
    let mut depts: BTreeSet<i64> = BTreeSet::new();
    for p in parties {
        if c.departments.contains_key(&p) {
            depts.extend(c.subtree(p));
        } else {
            invalid_party.push(p);
        }
    }
    let mut invalid_tag = Vec::new();
    for t in tags {
        match c.tags.get(&t) {
            Some(tag) => {
                who.extend(tag.users.iter().cloned());
                for p in &tag.parties {
                    depts.extend(c.subtree(*p));
                }
            }
            None => invalid_tag.push(t),
        }
    }
    for m in c.members.values() {
        if m.department.iter().any(|d| depts.contains(d)) {
            who.insert(m.userid.clone());
        }
    }
    for u in &who {
        // Only members who have not joined are sent an invitation.
        if let Some(m) = c.members.get_mut(u)
            && m.status == 4
        {
            m.invited.push(now);
        }
    }
    let mut out = json!({"errcode": 0, "errmsg": "ok"});
    if !invalid_user.is_empty() {
        out["invaliduser"] = json!(invalid_user);
    }
    if !invalid_party.is_empty() {
        out["invalidparty"] = json!(invalid_party);
    }
    if !invalid_tag.is_empty() {
        out["invalidtag"] = json!(invalid_tag);
    }
    Ok(out)
}

fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}
