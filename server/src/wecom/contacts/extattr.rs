//! Members' extended attributes (扩展属性) between the portal's shape
//! ([`api::wecom_extattr::ExtAttr`]) and WeCom's `extattr` object of `user/*`.

use api::wecom_extattr::{ExtAttr, ExtAttrKind};
use serde_json::{Value, json};

/// The attributes of WeCom's `{"attrs":[…]}` (unknown types are skipped).
pub fn from_wecom(v: &Value) -> Vec<ExtAttr> {
    let s = |a: &Value, obj: &str, k: &str| {
        a.get(obj)
            .and_then(|o| o.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    v.get("attrs")
        .and_then(Value::as_array)
        .map(|attrs| {
            attrs
                .iter()
                .filter_map(|a| {
                    let kind = ExtAttrKind::from_wecom(a.get("type")?.as_i64()?)?;
                    let mut x = ExtAttr {
                        name: a.get("name")?.as_str()?.to_string(),
                        kind,
                        ..Default::default()
                    };
                    match kind {
                        ExtAttrKind::Text => x.value = s(a, "text", "value"),
                        ExtAttrKind::Web => {
                            x.url = s(a, "web", "url");
                            x.title = s(a, "web", "title");
                        }
                        ExtAttrKind::Miniprogram => {
                            x.appid = s(a, "miniprogram", "appid");
                            x.pagepath = s(a, "miniprogram", "pagepath");
                            x.title = s(a, "miniprogram", "title");
                        }
                    }
                    Some(x)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn one(a: &ExtAttr) -> Value {
    let name = a.name.trim();
    match a.kind {
        ExtAttrKind::Text => {
            json!({"type": 0, "name": name, "text": {"value": a.value.trim()}})
        }
        ExtAttrKind::Web => json!({"type": 1, "name": name, "web": {
            "url": a.url.trim(), "title": a.title.trim()
        }}),
        ExtAttrKind::Miniprogram => json!({"type": 2, "name": name, "miniprogram": {
            "appid": a.appid.trim(), "pagepath": a.pagepath.trim(), "title": a.title.trim()
        }}),
    }
}

/// WeCom's `extattr` setting exactly `attrs`: WeCom keeps attributes a call does not name, so
/// each one the member `had` that `attrs` lacks is sent empty, which clears it.
pub fn to_wecom(attrs: &[ExtAttr], had: &[ExtAttr]) -> Value {
    let mut out: Vec<Value> = attrs.iter().map(one).collect();
    for h in had {
        if !attrs.iter().any(|a| a.name.trim() == h.name) {
            out.push(one(&ExtAttr {
                name: h.name.clone(),
                kind: h.kind,
                ..Default::default()
            }));
        }
    }
    json!({ "attrs": out })
}

/// The names sent with a value that WeCom does not hold afterwards: it ignores attributes not
/// added in its admin console.
pub fn ignored(sent: &[ExtAttr], held: &[ExtAttr]) -> Vec<String> {
    sent.iter()
        .filter(|a| !a.is_empty())
        .filter(|a| !held.iter().any(|h| h.name == a.name.trim()))
        .map(|a| a.name.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_clears() {
        let attrs = vec![
            ExtAttr {
                name: "工号".into(),
                value: "A1".into(),
                ..Default::default()
            },
            ExtAttr {
                name: "小程序".into(),
                kind: ExtAttrKind::Miniprogram,
                appid: "wx1234567890abcdef".into(),
                pagepath: "/i".into(),
                title: "下单".into(),
                ..Default::default()
            },
        ];
        let had = vec![ExtAttr {
            name: "主页".into(),
            kind: ExtAttrKind::Web,
            url: "https://a.cn".into(),
            title: "主页".into(),
            ..Default::default()
        }];
        let v = to_wecom(&attrs, &had);
        assert_eq!(v["attrs"][2]["web"], json!({"url": "", "title": ""}));
        let back = from_wecom(&json!({"attrs": [v["attrs"][0], v["attrs"][1]]}));
        assert_eq!(back, attrs);
        assert_eq!(ignored(&attrs, &back[..1]), vec!["小程序".to_string()]);
    }
}
