//! Departments, members and tags; every change queues a `change_contact` event.

use serde_json::{Value, json};

use super::directory::{legacy_listing_allowed, may_edit_tag, redact};
use super::model::{Corp, Department, Member, WorkTag};
use super::{WorkCtx, corp};
use crate::error::WxError;
use crate::oa::Req;
use crate::oa::user::int;
use crate::proto::sign::random_token;
use crate::proto::xml::{el, num};
use crate::state::State;

fn e(code: i64, msg: &str) -> WxError {
    WxError::work(code, msg)
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn body(r: &Req) -> Result<Value, WxError> {
    r.json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))
}

fn ints(v: &Value, k: &str) -> Option<Vec<i64>> {
    v.get(k).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|x| x.as_i64().or_else(|| x.as_str()?.parse().ok()))
            .collect()
    })
}

fn strs(v: &Value, k: &str) -> Option<Vec<String>> {
    v.get(k).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    })
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

/// Queues a `change_contact` event for the corp's contacts callback.
fn push(st: &mut State, corpid: &str, now: i64, change: &str, fields: Vec<String>) {
    let mut x = vec![
        el("ToUserName", corpid),
        el("FromUserName", "sys"),
        num("CreateTime", now),
        el("MsgType", "event"),
        el("Event", "change_contact"),
        el("ChangeType", change),
    ];
    x.extend(fields);
    st.work_outbox
        .push((corpid.to_owned(), format!("<xml>{}</xml>", x.join(""))));
}

fn user_fields(m: &Member) -> Vec<String> {
    vec![
        el("UserID", &m.userid),
        el("Name", &m.name),
        el("Department", &join(&m.department)),
        num("MainDepartment", m.main_department),
        el("IsLeaderInDept", &join(&m.is_leader_in_dept)),
        el("Position", &m.position),
        el("Mobile", &m.mobile),
        num("Gender", if m.gender.is_empty() { "0" } else { &m.gender }),
        el("Email", &m.email),
        num("Status", m.status),
        el("Alias", &m.alias),
        el("Telephone", &m.telephone),
    ]
}

fn dept_json(d: &Department) -> Value {
    json!({"id": d.id, "name": d.name, "name_en": d.name_en, "department_leader": d.department_leader, "parentid": d.parentid, "order": d.order})
}

/// `POST department/create` → `{"errcode":0,"errmsg":"created","id"}`.
pub fn department_create(
    st: &mut State,
    ctx: &WorkCtx,
    now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = body(r)?;
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    let name = s(&v, "name");
    if name.is_empty()
        || name.chars().count() > 64
        || name.contains(['\\', ':', '*', '?', '"', '<', '>', '|'])
    {
        return Err(e(60001, "department string size exceed limit"));
    }
    let parent = int(&v, "parentid").unwrap_or(1);
    if !c.departments.contains_key(&parent) {
        return Err(e(60004, "parent department not found"));
    }
    if c.departments
        .values()
        .any(|d| d.parentid == parent && d.name == name)
    {
        return Err(e(60008, "department existed"));
    }
    let id = match int(&v, "id") {
        Some(id) if c.departments.contains_key(&id) => return Err(e(60008, "department existed")),
        Some(id) if id > 1 => id,
        _ => c.departments.keys().next_back().copied().unwrap_or(1) + 1,
    };
    let d = Department {
        id,
        name: name.to_owned(),
        name_en: s(&v, "name_en").to_owned(),
        department_leader: Vec::new(),
        parentid: parent,
        order: int(&v, "order").unwrap_or(0),
    };
    c.departments.insert(id, d.clone());
    let corpid = c.cfg.corpid.clone();
    push(
        st,
        &corpid,
        now,
        "create_party",
        vec![
            num("Id", id),
            el("Name", &d.name),
            num("ParentId", parent),
            num("Order", d.order),
        ],
    );
    Ok(json!({"errcode": 0, "errmsg": "created", "id": id}))
}

/// `POST department/update`.
pub fn department_update(
    st: &mut State,
    ctx: &WorkCtx,
    now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = body(r)?;
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    let id = int(&v, "id").ok_or(e(60003, "department not found"))?;
    if let Some(p) = int(&v, "parentid")
        && (!c.departments.contains_key(&p) || c.subtree(id).contains(&p))
    {
        return Err(e(60004, "parent department not found"));
    }
    let d = c
        .departments
        .get_mut(&id)
        .ok_or(e(60003, "department not found"))?;
    if let Some(n) = v.get("name").and_then(Value::as_str) {
        d.name = n.to_owned();
    }
    if let Some(n) = v.get("name_en").and_then(Value::as_str) {
        d.name_en = n.to_owned();
    }
    if let Some(p) = int(&v, "parentid") {
        d.parentid = p;
    }
    if let Some(o) = int(&v, "order") {
        d.order = o;
    }
    let d = d.clone();
    let corpid = c.cfg.corpid.clone();
    push(
        st,
        &corpid,
        now,
        "update_party",
        vec![
            num("Id", id),
            el("Name", &d.name),
            num("ParentId", d.parentid),
        ],
    );
    Ok(json!({"errcode": 0, "errmsg": "updated"}))
}

/// `GET department/delete?id=`.
pub fn department_delete(
    st: &mut State,
    ctx: &WorkCtx,
    now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    let id: i64 = r
        .query("id")
        .and_then(|x| x.parse().ok())
        .ok_or(e(60003, "department not found"))?;
    if !c.departments.contains_key(&id) {
        return Err(e(60003, "department not found"));
    }
    if c.departments
        .values()
        .any(|d| d.parentid == id && d.id != id)
        || id == 1
    {
        return Err(e(60006, "department contains sub-department"));
    }
    if c.members.values().any(|m| m.department.contains(&id)) {
        return Err(e(60005, "department contains user"));
    }
    c.departments.remove(&id);
    let corpid = c.cfg.corpid.clone();
    push(st, &corpid, now, "delete_party", vec![num("Id", id)]);
    Ok(json!({"errcode": 0, "errmsg": "deleted"}))
}

/// `GET department/list?id=`: the department and its descendants (all when `id` is absent).
pub fn department_list(
    st: &mut State,
    ctx: &WorkCtx,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    legacy_listing_allowed(c, ctx)?;
    let ids: Vec<i64> = match r.query("id").filter(|x| !x.is_empty()) {
        Some(x) => {
            let id: i64 = x.parse().map_err(|_| e(60123, "invalid party id"))?;
            if !c.departments.contains_key(&id) {
                return Err(e(60123, "invalid party id"));
            }
            c.subtree(id)
        }
        None => c.departments.keys().copied().collect(),
    };
    let list: Vec<Value> = ids
        .iter()
        .filter_map(|i| c.departments.get(i))
        .map(dept_json)
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "department": list}))
}

fn valid_userid(u: &str) -> bool {
    !u.is_empty()
        && u.len() <= 64
        && u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.@".contains(&b))
}

fn apply_user(c: &Corp, m: &mut Member, v: &Value) -> Result<(), WxError> {
    if let Some(n) = v.get("name").and_then(Value::as_str) {
        if n.is_empty() || n.chars().count() > 64 {
            return Err(e(60112, "invalid username"));
        }
        m.name = n.to_owned();
    }
    if let Some(d) = ints(v, "department") {
        if d.is_empty() || d.iter().any(|id| !c.departments.contains_key(id)) {
            return Err(e(60123, "invalid party id"));
        }
        m.department = d;
        if !m.department.contains(&m.main_department) {
            m.main_department = m.department[0];
        }
    }
    if let Some(mobile) = v.get("mobile").and_then(Value::as_str) {
        if !mobile.is_empty()
            && !mobile
                .trim_start_matches('+')
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(e(60103, "mobile invalid"));
        }
        if !mobile.is_empty()
            && c.members
                .values()
                .any(|o| o.userid != m.userid && o.mobile == mobile)
        {
            return Err(e(60104, "mobile existed"));
        }
        m.mobile = mobile.to_owned();
    }
    if let Some(email) = v.get("email").and_then(Value::as_str) {
        if !email.is_empty() && !email.contains('@') {
            return Err(e(60105, "invalid email"));
        }
        if !email.is_empty()
            && c.members
                .values()
                .any(|o| o.userid != m.userid && o.email == email)
        {
            return Err(e(60106, "email existed"));
        }
        m.email = email.to_owned();
    }
    if let Some(o) = ints(v, "order") {
        m.order = o;
    }
    if let Some(o) = ints(v, "is_leader_in_dept") {
        m.is_leader_in_dept = o;
    }
    if let Some(md) = int(v, "main_department") {
        m.main_department = md;
    }
    for (k, f) in [
        ("position", &mut m.position),
        ("alias", &mut m.alias),
        ("telephone", &mut m.telephone),
        ("gender", &mut m.gender),
    ] {
        if let Some(x) = v.get(k) {
            *f = x
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| x.to_string());
        }
    }
    if let Some(en) = int(v, "enable") {
        m.enable = en;
        // Enabling a member who never joined leaves them not joined.
        m.status = match (en, m.status) {
            (0, _) => 2,
            (_, 4) => 4,
            _ => 1,
        };
    }
    super::extattr::apply(&c.cfg, m, v)?;
    Ok(())
}

/// `POST user/create` → `{"errcode":0,"errmsg":"created"}`.
pub fn user_create(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = body(r)?;
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    let userid = s(&v, "userid");
    if !valid_userid(userid) {
        return Err(e(40031, "invalid userid"));
    }
    if c.members.contains_key(userid) {
        return Err(e(60102, "userid existed"));
    }
    if s(&v, "mobile").is_empty() && s(&v, "email").is_empty() {
        return Err(e(60129, "mobile and email can not be both empty"));
    }
    if s(&v, "name").is_empty() {
        return Err(e(60112, "invalid username"));
    }
    let mut m = Member {
        userid: userid.to_owned(),
        name: String::new(),
        department: vec![1],
        order: Vec::new(),
        position: String::new(),
        mobile: String::new(),
        gender: "0".into(),
        email: String::new(),
        is_leader_in_dept: Vec::new(),
        alias: String::new(),
        status: 4,
        enable: 1,
        main_department: 1,
        telephone: String::new(),
        open_userid: format!("wo{}", random_token(30).replace(['-', '_'], "A")),
        extattr: Vec::new(),
        invited: Vec::new(),
        inbox: Vec::new(),
    };
    apply_user(c, &mut m, &v)?;
    c.members.insert(m.userid.clone(), m.clone());
    let corpid = c.cfg.corpid.clone();
    push(st, &corpid, now, "create_user", user_fields(&m));
    Ok(json!({"errcode": 0, "errmsg": "created"}))
}

/// `POST user/update` → `{"errcode":0,"errmsg":"updated"}`.
pub fn user_update(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = body(r)?;
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    let mut m = c
        .members
        .get(s(&v, "userid"))
        .cloned()
        .ok_or(e(60111, "userid not found"))?;
    apply_user(c, &mut m, &v)?;
    c.members.insert(m.userid.clone(), m.clone());
    let corpid = c.cfg.corpid.clone();
    push(st, &corpid, now, "update_user", user_fields(&m));
    Ok(json!({"errcode": 0, "errmsg": "updated"}))
}

fn member_json(m: &Member) -> Value {
    json!({
        "userid": m.userid, "name": m.name, "department": m.department, "order": m.order,
        "position": m.position, "mobile": m.mobile, "gender": m.gender, "email": m.email,
        "is_leader_in_dept": m.is_leader_in_dept, "alias": m.alias, "status": m.status,
        "enable": m.enable, "main_department": m.main_department, "telephone": m.telephone,
        "open_userid": m.open_userid, "extattr": super::extattr::to_json(m),
    })
}

/// `GET user/get?userid=`.
pub fn user_get(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    let m = c
        .members
        .get(r.query("userid").unwrap_or(""))
        .ok_or(e(60111, "userid not found"))?;
    let mut v = member_json(m);
    redact(c, ctx, &mut v);
    v["errcode"] = json!(0);
    v["errmsg"] = json!("ok");
    Ok(v)
}

fn delete_users(st: &mut State, ctx: &WorkCtx, now: i64, ids: &[String]) -> Result<Value, WxError> {
    ctx.can_write_contacts()?;
    let c = corp(st, ctx)?;
    for u in ids {
        if !c.members.contains_key(u) {
            return Err(e(60111, "userid not found"));
        }
    }
    for u in ids {
        c.members.remove(u);
        for t in c.tags.values_mut() {
            t.users.retain(|x| x != u);
        }
    }
    let corpid = c.cfg.corpid.clone();
    for u in ids {
        push(st, &corpid, now, "delete_user", vec![el("UserID", u)]);
    }
    Ok(json!({"errcode": 0, "errmsg": "deleted"}))
}

/// `GET user/delete?userid=`.
pub fn user_delete(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    delete_users(st, ctx, now, &[r.query("userid").unwrap_or("").to_owned()])
}

/// `POST user/batchdelete` `{"useridlist":[…]}` (max 200).
pub fn user_batchdelete(
    st: &mut State,
    ctx: &WorkCtx,
    now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = body(r)?;
    let ids = strs(&v, "useridlist").unwrap_or_default();
    if ids.is_empty() || ids.len() > 200 {
        return Err(e(60111, "userid not found"));
    }
    delete_users(st, ctx, now, &ids)
}

fn members_of(c: &Corp, r: &Req) -> Result<Vec<Member>, WxError> {
    let id: i64 = r
        .query("department_id")
        .and_then(|x| x.parse().ok())
        .ok_or(e(60123, "invalid party id"))?;
    if !c.departments.contains_key(&id) {
        return Err(e(60123, "invalid party id"));
    }
    let depts = if r.query("fetch_child") == Some("1") {
        c.subtree(id)
    } else {
        vec![id]
    };
    Ok(c.members
        .values()
        .filter(|m| m.department.iter().any(|d| depts.contains(d)))
        .cloned()
        .collect())
}

/// `GET user/simplelist?department_id=&fetch_child=`.
pub fn user_simplelist(
    st: &mut State,
    ctx: &WorkCtx,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    legacy_listing_allowed(c, ctx)?;
    let list: Vec<Value> = members_of(c, r)?
        .iter()
        .map(|m| json!({"userid": m.userid, "name": m.name, "department": m.department, "open_userid": m.open_userid}))
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "userlist": list}))
}

/// `GET user/list?department_id=&fetch_child=`.
pub fn user_list(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    legacy_listing_allowed(c, ctx)?;
    let list: Vec<Value> = members_of(c, r)?
        .iter()
        .map(|m| {
            let mut v = member_json(m);
            redact(c, ctx, &mut v);
            v
        })
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "userlist": list}))
}

/// `POST tag/create` `{"tagname","tagid"?}` → `{"errcode":0,"errmsg":"created","tagid"}`.
pub fn tag_create(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = body(r)?;
    let c = corp(st, ctx)?;
    let name = s(&v, "tagname");
    if name.is_empty() || name.chars().count() > 32 {
        return Err(e(40072, "invalid tag name"));
    }
    if c.tags.values().any(|t| t.tagname == name) {
        return Err(e(40071, "UserTag Name Already Exist"));
    }
    let id = match int(&v, "tagid") {
        Some(id) if c.tags.contains_key(&id) => return Err(e(40068, "invalid tagid")),
        Some(id) if id > 0 => id,
        _ => c.tags.keys().next_back().copied().unwrap_or(0) + 1,
    };
    c.tags.insert(
        id,
        WorkTag {
            tagid: id,
            tagname: name.to_owned(),
            users: Vec::new(),
            parties: Vec::new(),
            // Tags made in the admin console belong to no app.
            owner: if ctx.agent == super::CONSOLE {
                String::new()
            } else {
                ctx.agent.clone()
            },
        },
    );
    Ok(json!({"errcode": 0, "errmsg": "created", "tagid": id}))
}

/// `POST tag/update` `{"tagid","tagname"}`.
pub fn tag_update(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = body(r)?;
    let c = corp(st, ctx)?;
    let id = int(&v, "tagid").ok_or(e(40068, "invalid tagid"))?;
    let name = s(&v, "tagname");
    if c.tags.values().any(|t| t.tagname == name && t.tagid != id) {
        return Err(e(40071, "UserTag Name Already Exist"));
    }
    let t = c.tags.get_mut(&id).ok_or(e(40068, "invalid tagid"))?;
    may_edit_tag(t, ctx)?;
    if name.is_empty() || name.chars().count() > 32 {
        return Err(e(40072, "invalid tag name"));
    }
    t.tagname = name.to_owned();
    Ok(json!({"errcode": 0, "errmsg": "updated"}))
}

/// `GET tag/delete?tagid=`.
pub fn tag_delete(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    let id: i64 = r
        .query("tagid")
        .and_then(|x| x.parse().ok())
        .ok_or(e(40068, "invalid tagid"))?;
    may_edit_tag(c.tags.get(&id).ok_or(e(40068, "invalid tagid"))?, ctx)?;
    c.tags.remove(&id);
    Ok(json!({"errcode": 0, "errmsg": "deleted"}))
}

/// `GET tag/get?tagid=` → `{"tagname","userlist":[{userid,name}],"partylist":[…]}`.
pub fn tag_get(st: &mut State, ctx: &WorkCtx, _now: i64, r: &Req) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    let id: i64 = r
        .query("tagid")
        .and_then(|x| x.parse().ok())
        .ok_or(e(40068, "invalid tagid"))?;
    let t = c.tags.get(&id).ok_or(e(40068, "invalid tagid"))?;
    let users: Vec<Value> = t
        .users
        .iter()
        .filter_map(|u| c.members.get(u))
        .map(|m| json!({"userid": m.userid, "name": m.name}))
        .collect();
    Ok(
        json!({"errcode": 0, "errmsg": "ok", "tagname": t.tagname, "userlist": users, "partylist": t.parties}),
    )
}

/// `GET tag/list`.
pub fn tag_list(st: &mut State, ctx: &WorkCtx, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let c = corp(st, ctx)?;
    let list: Vec<Value> = c
        .tags
        .values()
        .map(|t| json!({"tagid": t.tagid, "tagname": t.tagname}))
        .collect();
    Ok(json!({"errcode": 0, "errmsg": "ok", "taglist": list}))
}

fn tag_members(
    st: &mut State,
    ctx: &WorkCtx,
    now: i64,
    r: &Req,
    add: bool,
) -> Result<Value, WxError> {
    let v = body(r)?;
    let c = corp(st, ctx)?;
    let id = int(&v, "tagid").ok_or(e(40068, "invalid tagid"))?;
    may_edit_tag(c.tags.get(&id).ok_or(e(40068, "invalid tagid"))?, ctx)?;
    let users = strs(&v, "userlist").unwrap_or_default();
    let parties = ints(&v, "partylist").unwrap_or_default();
    if users.len() > 1000 || parties.len() > 100 {
        return Err(e(40032, "invalid size of userlist"));
    }
    let (ok_u, bad_u): (Vec<String>, Vec<String>) =
        users.into_iter().partition(|u| c.members.contains_key(u));
    let (ok_p, bad_p): (Vec<i64>, Vec<i64>) = parties
        .into_iter()
        .partition(|p| c.departments.contains_key(p));
    if ok_u.is_empty() && ok_p.is_empty() {
        return Err(e(40070, "all list invalid"));
    }
    let t = c.tags.get_mut(&id).ok_or(e(40068, "invalid tagid"))?;
    for u in &ok_u {
        if add && !t.users.contains(u) {
            t.users.push(u.clone());
        } else if !add {
            t.users.retain(|x| x != u);
        }
    }
    for p in &ok_p {
        if add && !t.parties.contains(p) {
            t.parties.push(*p);
        } else if !add {
            t.parties.retain(|x| x != p);
        }
    }
    let corpid = c.cfg.corpid.clone();
    let (ku, kp) = if add {
        ("AddUserItems", "AddPartyItems")
    } else {
        ("DelUserItems", "DelPartyItems")
    };
    push(
        st,
        &corpid,
        now,
        "update_tag",
        vec![num("TagId", id), el(ku, &join(&ok_u)), el(kp, &join(&ok_p))],
    );
    let mut out = json!({"errcode": 0, "errmsg": "ok"});
    if !bad_u.is_empty() {
        out["invalidlist"] = json!(bad_u.join("|"));
    }
    if !bad_p.is_empty() {
        out["invalidparty"] = json!(bad_p);
    }
    Ok(out)
}

/// `POST tag/addtagusers` `{"tagid","userlist","partylist"}`: partial success reports
/// `invalidlist` / `invalidparty`; all invalid → 40070.
pub fn tag_add_users(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    tag_members(st, ctx, now, r, true)
}

/// `POST tag/deltagusers`.
pub fn tag_del_users(st: &mut State, ctx: &WorkCtx, now: i64, r: &Req) -> Result<Value, WxError> {
    tag_members(st, ctx, now, r, false)
}
