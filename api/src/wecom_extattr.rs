//! A WeCom member's extended attributes (扩展属性, `extattr` of `user/create|update|get`) and
//! the invitation of members (`batch/invite`): the wire types and WeCom's field rules, shared
//! by the server and the SPA's inline validation.
//!
//! WeCom's rules: an attribute's name must first be added in the admin console (an unknown
//! name is silently ignored); a text value is at most 64 characters; a web attribute has a URL
//! with an `http(s)://` head and a title of at most 12 characters, both set or both empty (which
//! clears it); a mini-program attribute likewise has an appid and a title (at most 12
//! characters), both set or both empty, and an optional page path.

use serde::{Deserialize, Serialize};

use crate::FieldIssue;

/// Max characters of a text attribute's value (WeCom: 64 UTF-8 characters).
pub const EXTATTR_TEXT_MAX_CHARS: usize = 64;
/// Max characters of a web or mini-program attribute's title (WeCom: 12).
pub const EXTATTR_TITLE_MAX_CHARS: usize = 12;
/// Max characters of an attribute's name (⚠️ unverified: the admin console's limit).
pub const EXTATTR_NAME_MAX_CHARS: usize = 32;
/// Max bytes of a web attribute's URL (⚠️ unverified).
pub const EXTATTR_URL_MAX_BYTES: usize = 1024;
/// Max bytes of a mini-program page path (⚠️ unverified).
pub const EXTATTR_PAGEPATH_MAX_BYTES: usize = 1024;
/// Max attributes per member (⚠️ unverified: the admin console's custom-field limit).
pub const EXTATTR_MAX: usize = 20;
/// `batch/invite`: at most 1000 members, 100 departments and 100 tags per call.
pub const INVITE_MAX_USERS: usize = 1000;
pub const INVITE_MAX_PARTIES: usize = 100;
pub const INVITE_MAX_TAGS: usize = 100;

/// An attribute's type (WeCom's `type`: 0 text, 1 web, 2 mini-program).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomExtAttrKind"))]
#[serde(rename_all = "snake_case")]
pub enum ExtAttrKind {
    #[default]
    Text,
    Web,
    Miniprogram,
}

impl ExtAttrKind {
    /// WeCom's number.
    pub fn wecom(self) -> i64 {
        match self {
            ExtAttrKind::Text => 0,
            ExtAttrKind::Web => 1,
            ExtAttrKind::Miniprogram => 2,
        }
    }

    pub fn from_wecom(n: i64) -> Option<ExtAttrKind> {
        match n {
            0 => Some(ExtAttrKind::Text),
            1 => Some(ExtAttrKind::Web),
            2 => Some(ExtAttrKind::Miniprogram),
            _ => None,
        }
    }
}

/// One extended attribute; the fields its kind does not use stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomExtAttr"))]
pub struct ExtAttr {
    pub name: String,
    pub kind: ExtAttrKind,
    /// Text: the value.
    #[serde(default)]
    pub value: String,
    /// Web: the URL.
    #[serde(default)]
    pub url: String,
    /// Web and mini-program: the title shown.
    #[serde(default)]
    pub title: String,
    /// Mini-program: its appid.
    #[serde(default)]
    pub appid: String,
    /// Mini-program: the page opened.
    #[serde(default)]
    pub pagepath: String,
}

impl ExtAttr {
    /// Whether the attribute carries nothing (WeCom reads it as "clear this attribute").
    pub fn is_empty(&self) -> bool {
        match self.kind {
            ExtAttrKind::Text => self.value.trim().is_empty(),
            ExtAttrKind::Web => self.url.trim().is_empty() && self.title.trim().is_empty(),
            ExtAttrKind::Miniprogram => {
                self.appid.trim().is_empty() && self.title.trim().is_empty()
            }
        }
    }
}

fn issue(field: String, code: &str, message: &str) -> FieldIssue {
    FieldIssue {
        field,
        code: code.into(),
        message: message.into(),
    }
}

/// A mini-program appid: `wx` and 16 letters or digits.
pub fn valid_appid(a: &str) -> bool {
    a.len() == 18 && a.starts_with("wx") && a.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// WeCom's rules for a member's attributes; issues name the field as `extattr.N.part`
/// (`part`: name, value, url, title, appid, pagepath), or `extattr` for the list.
pub fn validate_extattrs(attrs: &[ExtAttr]) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    if attrs.len() > EXTATTR_MAX {
        out.push(issue(
            "extattr".into(),
            "extattr_too_many",
            "at most 20 attributes",
        ));
    }
    for (n, a) in attrs.iter().enumerate() {
        let f = |part: &str| format!("extattr.{n}.{part}");
        let name = a.name.trim();
        if name.is_empty() {
            out.push(issue(f("name"), "required", "is required"));
        } else if name.chars().count() > EXTATTR_NAME_MAX_CHARS {
            out.push(issue(
                f("name"),
                "too_long",
                "must be at most 32 characters",
            ));
        } else if attrs[..n].iter().any(|b| b.name.trim() == name) {
            out.push(issue(
                f("name"),
                "extattr_duplicate",
                "another attribute has this name",
            ));
        }
        let title_long = a.title.trim().chars().count() > EXTATTR_TITLE_MAX_CHARS;
        match a.kind {
            ExtAttrKind::Text => {
                if a.value.trim().chars().count() > EXTATTR_TEXT_MAX_CHARS {
                    out.push(issue(
                        f("value"),
                        "too_long",
                        "must be at most 64 characters",
                    ));
                }
            }
            ExtAttrKind::Web => {
                let url = a.url.trim();
                let title = a.title.trim();
                if url.is_empty() != title.is_empty() {
                    let (part, code) = if url.is_empty() {
                        ("url", "required")
                    } else {
                        ("title", "required")
                    };
                    out.push(issue(
                        f(part),
                        code,
                        "set both the URL and the title, or neither",
                    ));
                }
                if !url.is_empty()
                    && (!(url.starts_with("http://") || url.starts_with("https://"))
                        || url.len() > EXTATTR_URL_MAX_BYTES
                        || url.contains(char::is_whitespace))
                {
                    out.push(issue(
                        f("url"),
                        "extattr_url",
                        "must start with http:// or https://",
                    ));
                }
                if title_long {
                    out.push(issue(
                        f("title"),
                        "too_long",
                        "must be at most 12 characters",
                    ));
                }
            }
            ExtAttrKind::Miniprogram => {
                let appid = a.appid.trim();
                let title = a.title.trim();
                if appid.is_empty() != title.is_empty() {
                    let part = if appid.is_empty() { "appid" } else { "title" };
                    out.push(issue(
                        f(part),
                        "required",
                        "set both the appid and the title, or neither",
                    ));
                }
                if !appid.is_empty() && !valid_appid(appid) {
                    out.push(issue(
                        f("appid"),
                        "extattr_appid",
                        "must be wx and 16 letters or digits",
                    ));
                }
                if title_long {
                    out.push(issue(
                        f("title"),
                        "too_long",
                        "must be at most 12 characters",
                    ));
                }
                if a.pagepath.trim().len() > EXTATTR_PAGEPATH_MAX_BYTES {
                    out.push(issue(f("pagepath"), "too_long", "is too long"));
                }
            }
        }
    }
    out
}

/// `POST …/contacts/invite`: members, departments and tags to invite (`batch/invite`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomInviteInput"))]
pub struct InviteInput {
    #[serde(default)]
    pub userids: Vec<String>,
    #[serde(default)]
    pub department_ids: Vec<i64>,
    #[serde(default)]
    pub tag_ids: Vec<i64>,
}

/// WeCom's answer to an invitation: everything not listed was invited; the listed ones WeCom
/// refused (unknown, or out of the caller's view).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomInviteResult"))]
pub struct InviteResult {
    pub invalid_userids: Vec<String>,
    pub invalid_department_ids: Vec<i64>,
    pub invalid_tag_ids: Vec<i64>,
}

/// The limits of one `batch/invite` call, as a field issue.
pub fn validate_invite(i: &InviteInput) -> Option<FieldIssue> {
    if i.userids.is_empty() && i.department_ids.is_empty() && i.tag_ids.is_empty() {
        Some(issue(
            "userids".into(),
            "invite_empty",
            "choose members, departments or tags",
        ))
    } else if i.userids.len() > INVITE_MAX_USERS
        || i.department_ids.len() > INVITE_MAX_PARTIES
        || i.tag_ids.len() > INVITE_MAX_TAGS
    {
        Some(issue(
            "userids".into(),
            "invite_too_many",
            "at most 1000 members, 100 departments and 100 tags",
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(attrs: &[ExtAttr]) -> Vec<(String, String)> {
        validate_extattrs(attrs)
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect()
    }

    fn text(name: &str, value: &str) -> ExtAttr {
        ExtAttr {
            name: name.into(),
            value: value.into(),
            ..Default::default()
        }
    }

    #[test]
    fn extattr_rules() {
        let web = ExtAttr {
            name: "主页".into(),
            kind: ExtAttrKind::Web,
            url: "https://example.com".into(),
            title: "主页".into(),
            ..Default::default()
        };
        let mp = ExtAttr {
            name: "小程序".into(),
            kind: ExtAttrKind::Miniprogram,
            appid: "wx1234567890abcdef".into(),
            title: "下单".into(),
            pagepath: "/index".into(),
            ..Default::default()
        };
        assert!(codes(&[text("工号", "A001"), web.clone(), mp.clone()]).is_empty());
        assert_eq!(
            codes(&[text("工号", &"字".repeat(65)), text("工号", "x")]),
            vec![
                ("extattr.0.value".into(), "too_long".into()),
                ("extattr.1.name".into(), "extattr_duplicate".into()),
            ]
        );
        let mut w = web.clone();
        w.url = "ftp://x".into();
        w.title = "十三个字十三个字十三个字十".into();
        assert_eq!(
            codes(&[w]),
            vec![
                ("extattr.0.url".into(), "extattr_url".into()),
                ("extattr.0.title".into(), "too_long".into()),
            ]
        );
        let mut w = web;
        w.title.clear();
        assert_eq!(
            codes(&[w]),
            vec![("extattr.0.title".into(), "required".into())]
        );
        let mut m = mp;
        m.appid = "gh_123".into();
        assert_eq!(
            codes(&[m]),
            vec![("extattr.0.appid".into(), "extattr_appid".into())]
        );
        let many: Vec<ExtAttr> = (0..21).map(|n| text(&format!("a{n}"), "")).collect();
        assert_eq!(
            codes(&many),
            vec![("extattr".into(), "extattr_too_many".into())]
        );
        assert!(text("工号", " ").is_empty());
    }

    #[test]
    fn invite_limits() {
        assert_eq!(
            validate_invite(&InviteInput::default()).map(|i| i.code),
            Some("invite_empty".into())
        );
        let i = InviteInput {
            tag_ids: (0..101).collect(),
            ..Default::default()
        };
        assert_eq!(
            validate_invite(&i).map(|i| i.code),
            Some("invite_too_many".into())
        );
    }
}
