//! Members' extended attributes (扩展属性, `extattr` of `user/create|update`): WeCom sets only
//! attributes whose name was added in the admin console (others are ignored silently), checks
//! each value, and keeps the ones a call does not name. An attribute sent empty (text value
//! empty; web url and title both empty; mini-program appid and title both empty) is cleared.

use serde_json::{Value, json};

use super::model::{CorpConfig, Member};
use crate::error::WxError;

/// Max characters of a text value (WeCom: 64 UTF-8 characters).
const TEXT_MAX: usize = 64;
/// Max characters of a web or mini-program title (WeCom: 12).
const TITLE_MAX: usize = 12;

/// ⚠️ unverified: WeCom's errcode for a malformed attribute (40058, its "invalid parameter").
fn bad(what: &str) -> WxError {
    WxError::work(40058, format!("invalid extattr: {what}"))
}

fn field<'a>(v: &'a Value, obj: &str, k: &str) -> &'a str {
    v.get(obj)
        .and_then(|o| o.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The attribute as stored (and returned by `user/get`), or `None` when it clears.
fn checked(kind: i64, name: &str, a: &Value) -> Result<Option<Value>, WxError> {
    match kind {
        0 => {
            let value = field(a, "text", "value");
            if value.chars().count() > TEXT_MAX {
                return Err(bad("text value longer than 64"));
            }
            Ok((!value.is_empty())
                .then(|| json!({"type": 0, "name": name, "text": {"value": value}})))
        }
        1 => {
            let (url, title) = (field(a, "web", "url"), field(a, "web", "title"));
            if url.is_empty() && title.is_empty() {
                return Ok(None);
            }
            if url.is_empty() || title.is_empty() {
                return Err(bad("web url and title must both be set or both be empty"));
            }
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(bad("web url must start with http or https"));
            }
            if title.chars().count() > TITLE_MAX {
                return Err(bad("web title longer than 12"));
            }
            Ok(Some(
                json!({"type": 1, "name": name, "web": {"url": url, "title": title}}),
            ))
        }
        _ => {
            let (appid, title) = (
                field(a, "miniprogram", "appid"),
                field(a, "miniprogram", "title"),
            );
            let pagepath = field(a, "miniprogram", "pagepath");
            if appid.is_empty() && title.is_empty() {
                return Ok(None);
            }
            if appid.is_empty() || title.is_empty() {
                return Err(bad(
                    "miniprogram appid and title must both be set or both be empty",
                ));
            }
            if title.chars().count() > TITLE_MAX {
                return Err(bad("miniprogram title longer than 12"));
            }
            Ok(Some(json!({"type": 2, "name": name, "miniprogram": {
                "appid": appid, "pagepath": pagepath, "title": title
            }})))
        }
    }
}

/// Applies `v["extattr"]["attrs"]` to the member; nothing changes when any attribute is
/// malformed.
pub fn apply(cfg: &CorpConfig, m: &mut Member, v: &Value) -> Result<(), WxError> {
    let Some(attrs) = v.pointer("/extattr/attrs") else {
        return Ok(());
    };
    let attrs = attrs.as_array().ok_or_else(|| bad("attrs is not a list"))?;
    let mut next = m.extattr.clone();
    for a in attrs {
        let name = a.get("name").and_then(Value::as_str).unwrap_or("");
        let kind = a.get("type").and_then(Value::as_i64).unwrap_or(0);
        if !(0..=2).contains(&kind) {
            return Err(bad("type must be 0, 1 or 2"));
        }
        let value = checked(kind, name, a)?;
        // A name the admin has not added (or added with another type) is ignored.
        if !cfg
            .extattr_fields
            .iter()
            .any(|f| f.name == name && f.kind == kind)
        {
            continue;
        }
        let at = next.iter().position(|x| x["name"] == name);
        match (at, value) {
            (Some(i), Some(x)) => next[i] = x,
            (None, Some(x)) => next.push(x),
            (Some(i), None) => {
                next.remove(i);
            }
            (None, None) => {}
        }
    }
    m.extattr = next;
    Ok(())
}

/// The `extattr` object of `user/get`.
pub fn to_json(m: &Member) -> Value {
    json!({ "attrs": m.extattr })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::model::ExtAttrField;

    #[test]
    fn only_added_names_are_kept_and_empty_ones_clear() {
        let cfg = CorpConfig {
            extattr_fields: vec![
                ExtAttrField {
                    name: "工号".into(),
                    kind: 0,
                },
                ExtAttrField {
                    name: "主页".into(),
                    kind: 1,
                },
            ],
            ..Default::default()
        };
        let mut m: Member = serde_json::from_value(json!({"userid": "u", "name": "U"})).unwrap();
        apply(
            &cfg,
            &mut m,
            &json!({"extattr": {"attrs": [
                {"type": 0, "name": "工号", "text": {"value": "A1"}},
                {"type": 0, "name": "爱好", "text": {"value": "x"}},
                {"type": 1, "name": "主页", "web": {"url": "https://a.cn", "title": "主页"}},
            ]}}),
        )
        .unwrap();
        assert_eq!(m.extattr.len(), 2);
        let bad = json!({"extattr": {"attrs": [
            {"type": 0, "name": "工号", "text": {"value": "B2"}},
            {"type": 1, "name": "主页", "web": {"url": "ftp://a.cn", "title": "主页"}},
        ]}});
        assert_eq!(apply(&cfg, &mut m, &bad).unwrap_err().code, 40058);
        assert_eq!(m.extattr[0]["text"]["value"], "A1", "nothing changed");
        apply(
            &cfg,
            &mut m,
            &json!({"extattr": {"attrs": [{"type": 1, "name": "主页", "web": {"url": "", "title": ""}}]}}),
        )
        .unwrap();
        assert_eq!(
            m.extattr.len(),
            1,
            "the web attribute was cleared, the text kept"
        );
    }
}
