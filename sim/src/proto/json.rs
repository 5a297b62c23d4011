//! JSON in WeChat's key order. `serde_json::Value` keeps keys sorted, while WeChat writes them
//! in its own order (`{"total","count","data","next_openid"}`, `errcode`/`errmsg` first in
//! WeCom …). One global precedence list reproduces the documented orders of the emulated
//! responses; unknown keys follow, alphabetically.

use serde_json::Value;

/// Keys in WeChat's order. Later keys of one response never precede earlier ones in any
/// documented example the emulator reproduces.
const ORDER: &[&str] = &[
    "errcode",
    "errmsg",
    "subscribe",
    "access_token",
    "suite_access_token",
    "provider_access_token",
    "pre_auth_code",
    "expires_in",
    "refresh_token",
    "ticket",
    "expire_seconds",
    "total",
    "userid",
    "id",
    "tagid",
    "type",
    "name",
    "tagname",
    "key",
    "url",
    "media_id",
    "created_at",
    "appid",
    "pagepath",
    "name_en",
    "department_leader",
    "parentid",
    "department",
    "order",
    "position",
    "mobile",
    "gender",
    "email",
    "is_leader_in_dept",
    "alias",
    "status",
    "enable",
    "main_department",
    "telephone",
    "open_userid",
    "sub_button",
    "count",
    "data",
    "next_openid",
    "openid",
    "scope",
    "nickname",
    "sex",
    "province",
    "city",
    "country",
    "headimgurl",
    "privilege",
    "language",
    "subscribe_time",
    "unionid",
    "remark",
    "groupid",
    "tagid_list",
    "subscribe_scene",
    "qr_scene",
    "qr_scene_str",
    "invaliduser",
    "invalidparty",
    "invalidtag",
    "unlicenseduser",
    "msgid",
    "response_code",
];

fn rank(k: &str) -> usize {
    ORDER.iter().position(|x| *x == k).unwrap_or(ORDER.len())
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write(&m[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Serialises `v` compactly with WeChat's key order.
pub fn to_string(v: &Value) -> String {
    let mut s = String::new();
    write(v, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::to_string;

    #[test]
    fn documented_orders() {
        assert_eq!(
            to_string(
                &json!({"next_openid": "o2", "data": {"openid": ["o1", "o2"]}, "count": 2, "total": 2})
            ),
            r#"{"total":2,"count":2,"data":{"openid":["o1","o2"]},"next_openid":"o2"}"#
        );
        assert_eq!(
            to_string(
                &json!({"access_token": "T", "expires_in": 7200, "errmsg": "ok", "errcode": 0})
            ),
            r#"{"errcode":0,"errmsg":"ok","access_token":"T","expires_in":7200}"#
        );
        assert_eq!(
            to_string(&json!({"tags": [{"count": 0, "name": "星标组", "id": 2}]})),
            r#"{"tags":[{"id":2,"name":"星标组","count":0}]}"#
        );
        assert_eq!(
            to_string(&json!({"url": "u", "expire_seconds": 60, "ticket": "t"})),
            r#"{"ticket":"t","expire_seconds":60,"url":"u"}"#
        );
        assert_eq!(
            to_string(&json!({"sub_button": [], "key": "K", "name": "今日歌曲", "type": "click"})),
            r#"{"type":"click","name":"今日歌曲","key":"K","sub_button":[]}"#
        );
        assert_eq!(
            to_string(
                &json!({"created_at": "1", "media_id": "m", "type": "image", "errmsg": "", "errcode": 0})
            ),
            r#"{"errcode":0,"errmsg":"","type":"image","media_id":"m","created_at":"1"}"#
        );
        assert_eq!(
            to_string(&json!({"s": "a\"b\\u4e2d", "n": null})),
            r#"{"n":null,"s":"a\"b\\u4e2d"}"#
        );
    }
}
