//! Custom menus: `menu/create` with WeChat's validation rules, `get`, `delete`, conditional
//! menus and `trymatch`.

use serde_json::{Map, Value, json};

use super::model::{CondMenu, Follower, OaApp};
use super::user::int;
use super::{Req, app};
use crate::error::{WxError, ok};
use crate::state::State;

/// Leaf button types.
pub const TYPES: &[&str] = &[
    "click",
    "view",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
    "media_id",
    "view_limited",
    "article_id",
    "article_view_limited",
    "miniprogram",
];
/// Types that need a `key`.
const KEY_TYPES: &[&str] = &[
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
];
/// Top-level name limit (bytes).
pub const NAME_MAX: usize = 16;
/// Sub-button name limit (bytes).
pub const SUB_NAME_MAX: usize = 60;
/// Key limit (bytes).
pub const KEY_MAX: usize = 128;
/// URL limit (bytes).
pub const URL_MAX: usize = 1024;
/// Conditional menus per account (⚠️ limit believed to be 20 per WeChat's wording).
pub const MAX_CONDITIONAL: usize = 20;

/// The error codes of one level (top-level button vs sub-button).
struct Codes {
    typ: i64,
    name: i64,
    key: i64,
    url: i64,
    domain: i64,
    name_max: usize,
}

const TOP: Codes = Codes {
    typ: 40017,
    name: 40018,
    key: 40019,
    url: 40020,
    domain: 40055,
    name_max: NAME_MAX,
};
const SUB: Codes = Codes {
    typ: 40024,
    name: 40025,
    key: 40026,
    url: 40027,
    domain: 40054,
    name_max: SUB_NAME_MAX,
};

fn leaf(b: &Value, c: &Codes) -> Result<Value, WxError> {
    let obj = b.as_object().ok_or(WxError::oa(c.typ))?;
    let name = obj.get("name").and_then(Value::as_str).unwrap_or("");
    if name.is_empty() || name.len() > c.name_max {
        return Err(WxError::oa(c.name));
    }
    let typ = obj.get("type").and_then(Value::as_str).unwrap_or("");
    if !TYPES.contains(&typ) {
        return Err(WxError::oa(c.typ));
    }
    let field = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
    if KEY_TYPES.contains(&typ) {
        let key = field("key");
        if key.is_empty() || key.len() > KEY_MAX {
            return Err(WxError::oa(c.key));
        }
    }
    if typ == "view" || typ == "miniprogram" {
        let url = field("url");
        if url.is_empty() || url.len() > URL_MAX {
            return Err(WxError::oa(c.url));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(WxError::oa(c.domain));
        }
    }
    if typ == "miniprogram" && (field("appid").is_empty() || field("pagepath").is_empty()) {
        // ⚠️ the exact code for a mini-program button without appid/pagepath is not confirmed.
        return Err(WxError::oa(40097));
    }
    if (typ == "media_id" || typ == "view_limited") && field("media_id").is_empty() {
        return Err(WxError::oa(40007));
    }
    if (typ == "article_id" || typ == "article_view_limited") && field("article_id").is_empty() {
        // ⚠️ code not confirmed.
        return Err(WxError::oa(40097));
    }
    let mut out = obj.clone();
    out.insert("sub_button".into(), json!([]));
    Ok(Value::Object(out))
}

/// Validates a `button` array and returns it normalised the way `menu/get` shows it (every
/// leaf carries `"sub_button":[]`).
pub fn validate(buttons: Option<&Value>) -> Result<Value, WxError> {
    let list = buttons
        .and_then(Value::as_array)
        .ok_or(WxError::oa(40016))?;
    if list.is_empty() || list.len() > 3 {
        return Err(WxError::oa(40016));
    }
    let mut out = Vec::new();
    for b in list {
        let subs = b
            .get("sub_button")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty());
        match subs {
            None => out.push(leaf(b, &TOP)?),
            Some(subs) => {
                let name = b.get("name").and_then(Value::as_str).unwrap_or("");
                if name.is_empty() || name.len() > NAME_MAX {
                    return Err(WxError::oa(40018));
                }
                if subs.len() > 5 {
                    return Err(WxError::oa(40023));
                }
                let subs = subs
                    .iter()
                    .map(|s| leaf(s, &SUB))
                    .collect::<Result<Vec<_>, _>>()?;
                out.push(json!({"name": name, "sub_button": subs}));
            }
        }
    }
    Ok(Value::Array(out))
}

/// `POST menu/create` `{"button":[…]}`: replaces the default menu.
pub fn create(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let buttons = validate(v.get("button"))?;
    let id = st.id() as i64 + 400_000_000;
    app(st, appid)?.menu = Some((id, buttons));
    Ok(ok())
}

/// `GET menu/get` → `{"menu":{"button","menuid"},"conditionalmenu":[…]}`; 46003 when none.
pub fn get_menu(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let (id, buttons) = a.menu.as_ref().ok_or(WxError::oa(46003))?;
    let mut v = json!({"menu": {"button": buttons, "menuid": id}});
    if !a.conditional_menus.is_empty() {
        let c: Vec<Value> = a
            .conditional_menus
            .iter()
            .map(|c| json!({"button": c.button, "matchrule": c.matchrule, "menuid": c.menuid}))
            .collect();
        v["conditionalmenu"] = Value::Array(c);
    }
    Ok(v)
}

/// `GET menu/delete`: removes the default and every conditional menu.
pub fn delete(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    a.menu = None;
    a.conditional_menus.clear();
    Ok(ok())
}

const RULE_KEYS: &[&str] = &[
    "tag_id",
    "group_id",
    "sex",
    "country",
    "province",
    "city",
    "client_platform_type",
    "language",
];

/// `POST menu/addconditional` `{"button","matchrule"}` → `{"menuid":"…"}` (a string).
pub fn add_conditional(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json_strict()?;
    let id = st.id() as i64 + 400_000_000;
    let a = app(st, appid)?;
    if a.menu.is_none() {
        return Err(WxError::oa(65303));
    }
    let rule = v
        .get("matchrule")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let rule: Map<String, Value> = rule
        .into_iter()
        .filter(|(k, v)| {
            RULE_KEYS.contains(&k.as_str()) && !(v.is_null() || v.as_str() == Some(""))
        })
        .collect();
    if rule.is_empty() {
        return Err(WxError::oa(65304));
    }
    if rule.contains_key("city") && !rule.contains_key("province") {
        return Err(WxError::oa_msg(
            65311,
            "province info is empty while city info is not empty",
        ));
    }
    if (rule.contains_key("province") || rule.contains_key("city")) && !rule.contains_key("country")
    {
        return Err(WxError::oa_msg(
            65310,
            "country info is empty while province or city info is not empty",
        ));
    }
    let buttons = validate(v.get("button"))?;
    if a.conditional_menus.len() >= MAX_CONDITIONAL {
        return Err(WxError::oa(65305));
    }
    a.conditional_menus.push(CondMenu {
        menuid: id,
        button: buttons,
        matchrule: Value::Object(rule),
    });
    Ok(json!({"menuid": id.to_string()}))
}

/// `POST menu/delconditional` `{"menuid"}`.
pub fn del_conditional(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = int(&v, "menuid").ok_or(WxError::oa(65301))?;
    let n = a.conditional_menus.len();
    a.conditional_menus.retain(|c| c.menuid != id);
    if n == a.conditional_menus.len() {
        return Err(WxError::oa(65301));
    }
    Ok(ok())
}

fn rule_matches(rule: &Value, f: &Follower) -> bool {
    let Some(rule) = rule.as_object() else {
        return false;
    };
    rule.iter().all(|(k, v)| {
        let want = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match k.as_str() {
            "tag_id" | "group_id" => {
                let id: i64 = want.parse().unwrap_or(-1);
                f.tagid_list.contains(&id) || (k == "group_id" && f.groupid == id)
            }
            "sex" => want == f.sex.to_string(),
            "client_platform_type" => want == f.client_platform_type.to_string(),
            "country" => want == f.country,
            "province" => want == f.province,
            "city" => want == f.city,
            "language" => want == f.language,
            _ => true,
        }
    })
}

/// The menu a follower sees: the newest matching conditional menu, else the default menu
/// (⚠️ "newest first" is how the docs are usually read).
pub fn menu_for(a: &OaApp, f: &Follower) -> Option<Value> {
    a.conditional_menus
        .iter()
        .rev()
        .find(|c| rule_matches(&c.matchrule, f))
        .map(|c| c.button.clone())
        .or_else(|| a.menu.as_ref().map(|(_, b)| b.clone()))
}

/// `POST menu/trymatch` `{"user_id"}` → `{"button":[…]}`.
pub fn try_match(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let user = v.get("user_id").and_then(Value::as_str).unwrap_or("");
    let f = a.subscribed(user).ok_or(WxError::oa(65302))?;
    let buttons = menu_for(a, f).ok_or(WxError::oa(46003))?;
    Ok(json!({"button": buttons}))
}
