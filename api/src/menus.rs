//! Official Account custom menus: buttons as WeChat spells them, WeChat's validation rules (so the
//! editor and the server refuse the same menus before WeChat does), versions and their diff.

use serde::{Deserialize, Serialize};

use crate::{FieldIssue, Lang};

/// Top-level buttons per menu.
pub const MAX_TOP: usize = 3;
/// Sub-buttons per top-level button.
pub const MAX_SUB: usize = 5;
/// Top-level name limit in UTF-8 bytes (⚠️ unverified: WeChat's docs say "16 bytes"; the
/// emulator enforces the same number).
pub const NAME_MAX_BYTES: usize = 16;
/// Sub-button name limit in UTF-8 bytes (⚠️ unverified: WeChat's docs say "60 bytes").
pub const SUB_NAME_MAX_BYTES: usize = 60;
/// `key` limit in bytes.
pub const KEY_MAX_BYTES: usize = 128;
/// `url` limit in bytes.
pub const URL_MAX_BYTES: usize = 1024;

/// Every leaf button type the editor offers (`view_limited` is WeChat's retired alias of
/// `article_view_limited` for old accounts; accepted when imported, not offered).
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
    "article_id",
    "article_view_limited",
    "miniprogram",
];

/// The leaf types a WeCom app menu takes (`menu/create?agentid=`): no materials, articles or
/// OA mini programs (⚠️ WeCom's `view_miniprogram` is not offered yet).
pub const WORK_TYPES: &[&str] = &[
    "click",
    "view",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
];

/// Types whose button carries a `key` (sent back in the event's `EventKey`).
pub const KEY_TYPES: &[&str] = &[
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
];

/// One menu button, exactly as WeChat's `menu/create` and `menu/get` spell it. A top-level
/// button with `sub_button` is a parent: it has only a name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuButton {
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagepath: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_button: Vec<MenuButton>,
}

impl MenuButton {
    /// The button as it should be sent: only the fields its type uses, trimmed.
    pub fn normalized(&self) -> MenuButton {
        let t = |o: &Option<String>| {
            o.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if !self.sub_button.is_empty() {
            return MenuButton {
                name: self.name.trim().to_string(),
                sub_button: self.sub_button.iter().map(MenuButton::normalized).collect(),
                ..Default::default()
            };
        }
        let kind = t(&self.kind);
        let k = kind.as_deref().unwrap_or("");
        let uses = |f: &str| match f {
            "key" => KEY_TYPES.contains(&k),
            "url" => k == "view" || k == "miniprogram",
            "media_id" => k == "media_id" || k == "view_limited",
            "article_id" => k == "article_id" || k == "article_view_limited",
            "appid" | "pagepath" => k == "miniprogram",
            _ => false,
        };
        MenuButton {
            name: self.name.trim().to_string(),
            key: t(&self.key).filter(|_| uses("key")),
            url: t(&self.url).filter(|_| uses("url")),
            media_id: t(&self.media_id).filter(|_| uses("media_id")),
            article_id: t(&self.article_id).filter(|_| uses("article_id")),
            appid: t(&self.appid).filter(|_| uses("appid")),
            pagepath: t(&self.pagepath).filter(|_| uses("pagepath")),
            kind,
            sub_button: Vec::new(),
        }
    }
}

/// A whole menu, normalised.
pub fn normalized(buttons: &[MenuButton]) -> Vec<MenuButton> {
    buttons.iter().map(MenuButton::normalized).collect()
}

/// Conditional-menu match rule (`menu/addconditional`); at least one field must be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MatchRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_id: Option<String>,
    /// `1` male, `2` female.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// `1` iOS, `2` Android, `3` others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_platform_type: Option<String>,
    /// e.g. `zh_CN`, `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

impl MatchRule {
    /// Empty strings dropped.
    pub fn normalized(&self) -> MatchRule {
        let t = |o: &Option<String>| {
            o.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        MatchRule {
            tag_id: t(&self.tag_id),
            sex: t(&self.sex),
            client_platform_type: t(&self.client_platform_type),
            language: t(&self.language),
            country: t(&self.country),
            province: t(&self.province),
            city: t(&self.city),
        }
    }
}

/// Why a menu is refused before it is sent to WeChat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuRule {
    /// No buttons, or more than [`MAX_TOP`] (WeChat's 40016).
    TopCount,
    /// More than [`MAX_SUB`] sub-buttons (WeChat's 40023).
    SubCount,
    NameRequired,
    /// Name longer than the level's byte limit (40018 / 40025).
    NameTooLong {
        max_bytes: usize,
    },
    /// Missing or unknown type (40017 / 40024).
    TypeInvalid,
    KeyRequired,
    KeyTooLong,
    UrlRequired,
    UrlTooLong,
    /// Not `http://` or `https://` (40055 / 40054).
    UrlScheme,
    MediaIdRequired,
    ArticleIdRequired,
    AppIdRequired,
    PagePathRequired,
    /// Two buttons share one key: their clicks cannot be told apart.
    KeyDuplicate,
    /// A conditional menu without any match condition (65304).
    RuleEmpty,
    /// City without province, or province without country (65310 / 65311).
    RuleRegion,
}

impl MenuRule {
    pub fn code(self) -> &'static str {
        match self {
            MenuRule::TopCount => "menu_top_count",
            MenuRule::SubCount => "menu_sub_count",
            MenuRule::NameRequired => "required",
            MenuRule::NameTooLong { .. } => "menu_name_too_long",
            MenuRule::TypeInvalid => "menu_type_invalid",
            MenuRule::KeyRequired => "menu_key_required",
            MenuRule::KeyTooLong => "menu_key_too_long",
            MenuRule::UrlRequired => "menu_url_required",
            MenuRule::UrlTooLong => "menu_url_too_long",
            MenuRule::UrlScheme => "menu_url_scheme",
            MenuRule::MediaIdRequired => "menu_media_id_required",
            MenuRule::ArticleIdRequired => "menu_article_id_required",
            MenuRule::AppIdRequired => "menu_appid_required",
            MenuRule::PagePathRequired => "menu_pagepath_required",
            MenuRule::KeyDuplicate => "menu_key_duplicate",
            MenuRule::RuleEmpty => "menu_rule_empty",
            MenuRule::RuleRegion => "menu_rule_region",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let s = |a: &str, b: &str| if zh { a } else { b }.to_string();
        match self {
            MenuRule::TopCount => s(
                "菜单需要 1–3 个一级按钮",
                "A menu needs 1–3 top-level buttons",
            ),
            MenuRule::SubCount => s("最多 5 个子按钮", "At most 5 sub-buttons"),
            MenuRule::NameRequired => s("必填", "Required"),
            MenuRule::NameTooLong { max_bytes } => {
                if zh {
                    format!("名称最多 {max_bytes} 字节（一个汉字占 3 字节）")
                } else {
                    format!("At most {max_bytes} bytes (a Chinese character takes 3)")
                }
            }
            MenuRule::TypeInvalid => s("请选择按钮类型", "Choose a button type"),
            MenuRule::KeyRequired => s("此类型需要 key", "This type needs a key"),
            MenuRule::KeyTooLong => s("key 最多 128 字节", "A key is at most 128 bytes"),
            MenuRule::UrlRequired => s("此类型需要网址", "This type needs a URL"),
            MenuRule::UrlTooLong => s("网址最多 1024 字节", "A URL is at most 1024 bytes"),
            MenuRule::UrlScheme => s(
                "网址须以 http:// 或 https:// 开头",
                "The URL must start with http:// or https://",
            ),
            MenuRule::MediaIdRequired => s("请选择素材", "Choose a material"),
            MenuRule::ArticleIdRequired => s("请填写 article_id", "Enter an article_id"),
            MenuRule::AppIdRequired => s("请填写小程序 AppID", "Enter the mini program's AppID"),
            MenuRule::PagePathRequired => s("请填写小程序页面路径", "Enter the page path"),
            MenuRule::KeyDuplicate => s("key 与其他按钮重复", "Another button uses the same key"),
            MenuRule::RuleEmpty => s(
                "个性化菜单至少需要一个匹配条件",
                "A conditional menu needs at least one condition",
            ),
            MenuRule::RuleRegion => s(
                "填写城市需先填省份，填写省份需先填国家",
                "A city needs a province, and a province needs a country",
            ),
        }
    }
}

/// The path of a button in a menu: `button[1]` or `button[1].sub_button[2]`.
pub fn button_path(top: usize, sub: Option<usize>) -> String {
    match sub {
        None => format!("button[{top}]"),
        Some(s) => format!("button[{top}].sub_button[{s}]"),
    }
}

fn check_leaf(b: &MenuButton, path: &str, name_max: usize, out: &mut Vec<(String, MenuRule)>) {
    let mut push = |f: &str, r| out.push((format!("{path}.{f}"), r));
    let b = b.normalized();
    if b.name.is_empty() {
        push("name", MenuRule::NameRequired);
    } else if b.name.len() > name_max {
        push(
            "name",
            MenuRule::NameTooLong {
                max_bytes: name_max,
            },
        );
    }
    let kind = b.kind.as_deref().unwrap_or("");
    if !(TYPES.contains(&kind) || kind == "view_limited") {
        push("type", MenuRule::TypeInvalid);
        return;
    }
    let empty = |o: &Option<String>| o.as_deref().unwrap_or("").is_empty();
    if KEY_TYPES.contains(&kind) {
        if empty(&b.key) {
            push("key", MenuRule::KeyRequired);
        } else if b.key.as_deref().unwrap_or("").len() > KEY_MAX_BYTES {
            push("key", MenuRule::KeyTooLong);
        }
    }
    if kind == "view" || kind == "miniprogram" {
        let url = b.url.as_deref().unwrap_or("");
        if url.is_empty() {
            push("url", MenuRule::UrlRequired);
        } else if url.len() > URL_MAX_BYTES {
            push("url", MenuRule::UrlTooLong);
        } else if !(url.starts_with("http://") || url.starts_with("https://")) {
            push("url", MenuRule::UrlScheme);
        }
    }
    if kind == "miniprogram" {
        if empty(&b.appid) {
            push("appid", MenuRule::AppIdRequired);
        }
        if empty(&b.pagepath) {
            push("pagepath", MenuRule::PagePathRequired);
        }
    }
    if (kind == "media_id" || kind == "view_limited") && empty(&b.media_id) {
        push("media_id", MenuRule::MediaIdRequired);
    }
    if (kind == "article_id" || kind == "article_view_limited") && empty(&b.article_id) {
        push("article_id", MenuRule::ArticleIdRequired);
    }
}

/// Every problem of a menu, by field path (`button[0].sub_button[1].url`; `button` for counts).
pub fn validate_menu(buttons: &[MenuButton]) -> Vec<(String, MenuRule)> {
    let mut out = Vec::new();
    if buttons.is_empty() || buttons.len() > MAX_TOP {
        out.push(("button".to_string(), MenuRule::TopCount));
    }
    let mut keys: Vec<(String, String)> = Vec::new();
    for (i, b) in buttons.iter().enumerate() {
        let path = button_path(i, None);
        if b.sub_button.is_empty() {
            check_leaf(b, &path, NAME_MAX_BYTES, &mut out);
            if let Some(k) = b.normalized().key {
                keys.push((path, k));
            }
            continue;
        }
        let name = b.name.trim();
        if name.is_empty() {
            out.push((format!("{path}.name"), MenuRule::NameRequired));
        } else if name.len() > NAME_MAX_BYTES {
            out.push((
                format!("{path}.name"),
                MenuRule::NameTooLong {
                    max_bytes: NAME_MAX_BYTES,
                },
            ));
        }
        if b.sub_button.len() > MAX_SUB {
            out.push((format!("{path}.sub_button"), MenuRule::SubCount));
        }
        for (j, s) in b.sub_button.iter().enumerate() {
            let sp = button_path(i, Some(j));
            check_leaf(s, &sp, SUB_NAME_MAX_BYTES, &mut out);
            if let Some(k) = s.normalized().key {
                keys.push((sp, k));
            }
        }
    }
    for (i, (path, key)) in keys.iter().enumerate() {
        if keys[..i].iter().any(|(_, k)| k == key) {
            out.push((format!("{path}.key"), MenuRule::KeyDuplicate));
        }
    }
    out
}

/// [`validate_menu`] for a WeCom app: also refuses the types WeCom app menus do not have.
pub fn validate_work_menu(buttons: &[MenuButton]) -> Vec<(String, MenuRule)> {
    let mut out = validate_menu(buttons);
    for (i, b) in buttons.iter().enumerate() {
        let leaves: Vec<(String, &MenuButton)> = if b.sub_button.is_empty() {
            vec![(button_path(i, None), b)]
        } else {
            b.sub_button
                .iter()
                .enumerate()
                .map(|(j, s)| (button_path(i, Some(j)), s))
                .collect()
        };
        for (path, leaf) in leaves {
            let kind = leaf.kind.as_deref().unwrap_or("");
            let field = format!("{path}.type");
            if !kind.is_empty()
                && !WORK_TYPES.contains(&kind)
                && !out.iter().any(|(f, _)| *f == field)
            {
                out.push((field, MenuRule::TypeInvalid));
            }
        }
    }
    out
}

/// Problems of a conditional menu's match rule (field `matchrule.*`).
pub fn validate_rule(rule: &MatchRule) -> Vec<(String, MenuRule)> {
    let r = rule.normalized();
    let mut out = Vec::new();
    if r == MatchRule::default() {
        out.push(("matchrule".to_string(), MenuRule::RuleEmpty));
    }
    if (r.city.is_some() && r.province.is_none()) || (r.province.is_some() && r.country.is_none()) {
        out.push(("matchrule.province".to_string(), MenuRule::RuleRegion));
    }
    out
}

/// As carried in an API error (English messages).
pub fn to_field_issues(list: &[(String, MenuRule)]) -> Vec<FieldIssue> {
    list.iter()
        .map(|(field, rule)| FieldIssue {
            field: field.clone(),
            code: rule.code().to_string(),
            message: rule.message(Lang::En),
        })
        .collect()
}

/// Every `click`-type key of a menu, with its button path.
pub fn click_keys(buttons: &[MenuButton]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, b) in buttons.iter().enumerate() {
        let leafs: Vec<(String, &MenuButton)> = if b.sub_button.is_empty() {
            vec![(button_path(i, None), b)]
        } else {
            b.sub_button
                .iter()
                .enumerate()
                .map(|(j, s)| (button_path(i, Some(j)), s))
                .collect()
        };
        for (path, l) in leafs {
            if l.kind.as_deref() == Some("click")
                && let Some(k) = l.key.as_deref().map(str::trim).filter(|k| !k.is_empty())
            {
                out.push((path, k.to_string()));
            }
        }
    }
    out
}

/// Where a menu version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionSource {
    /// Published from the editor.
    Published,
    /// Read from WeChat (`menu/get`).
    Imported,
    /// An earlier version published again.
    Rollback,
    /// The menu was deleted in WeChat (`menu/delete`).
    Deleted,
}

impl VersionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionSource::Published => "published",
            VersionSource::Imported => "imported",
            VersionSource::Rollback => "rollback",
            VersionSource::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<VersionSource> {
        Some(match s {
            "published" => VersionSource::Published,
            "imported" => VersionSource::Imported,
            "rollback" => VersionSource::Rollback,
            "deleted" => VersionSource::Deleted,
            _ => return None,
        })
    }
}

/// One stored version of an account's default menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuVersion {
    pub id: i64,
    /// 1, 2, 3 … per account.
    pub number: i64,
    pub buttons: Vec<MenuButton>,
    pub source: VersionSource,
    /// For a rollback: the version it republished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_of: Option<i64>,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

/// A click button whose key no enabled reply rule answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnmatchedKey {
    /// `button[0].sub_button[1]`.
    pub path: String,
    pub key: String,
}

/// `GET /api/accounts/{id}/menu`: the editor's draft and what was last published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuOverview {
    /// The saved draft (`None`: none saved; the editor starts from the current version).
    pub draft: Option<Vec<MenuButton>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_updated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_updated_at: Option<String>,
    /// The newest version (what WeChat shows unless someone changed it in WeChat's console).
    pub current: Option<MenuVersion>,
    /// The click keys of the draft (else the current menu) without a reply rule.
    pub unmatched_keys: Vec<UnmatchedKey>,
}

/// `PUT /api/accounts/{id}/menu/draft` and `POST …/menu/validate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuDraftInput {
    pub buttons: Vec<MenuButton>,
}

/// `POST …/menu/validate`: the menu's problems (none: WeChat should accept it) and its click
/// keys without a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuCheck {
    pub issues: Vec<FieldIssue>,
    pub unmatched_keys: Vec<UnmatchedKey>,
}

/// `POST …/menu/publish`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PublishMenuInput {
    pub buttons: Vec<MenuButton>,
    #[serde(default)]
    pub note: String,
}

/// `POST …/menu/versions/{version_id}/rollback`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RollbackInput {
    #[serde(default)]
    pub note: String,
}

/// What changed between two menus, button by button (matched by path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuChange {
    pub path: String,
    /// `added`, `removed`, `changed`.
    pub change: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MenuButton>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<MenuButton>,
}

fn flat(buttons: &[MenuButton]) -> Vec<(String, MenuButton)> {
    let mut out = Vec::new();
    for (i, b) in buttons.iter().enumerate() {
        let mut own = b.normalized();
        own.sub_button.clear();
        out.push((button_path(i, None), own));
        for (j, s) in b.sub_button.iter().enumerate() {
            out.push((button_path(i, Some(j)), s.normalized()));
        }
    }
    out
}

/// The changes from `before` to `after`.
pub fn diff(before: &[MenuButton], after: &[MenuButton]) -> Vec<MenuChange> {
    let a = flat(before);
    let b = flat(after);
    let mut out = Vec::new();
    for (path, x) in &a {
        match b.iter().find(|(p, _)| p == path) {
            None => out.push(MenuChange {
                path: path.clone(),
                change: "removed".into(),
                before: Some(x.clone()),
                after: None,
            }),
            Some((_, y)) if y != x => out.push(MenuChange {
                path: path.clone(),
                change: "changed".into(),
                before: Some(x.clone()),
                after: Some(y.clone()),
            }),
            Some(_) => {}
        }
    }
    for (path, y) in &b {
        if !a.iter().any(|(p, _)| p == path) {
            out.push(MenuChange {
                path: path.clone(),
                change: "added".into(),
                before: None,
                after: Some(y.clone()),
            });
        }
    }
    out
}

/// `GET …/menu/compare?from=&to=` (version ids; `to` absent: the saved draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MenuCompare {
    pub from: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    pub changes: Vec<MenuChange>,
}

/// A conditional menu as stored (and in WeChat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConditionalMenu {
    pub id: i64,
    /// WeChat's `menuid`.
    pub menuid: String,
    pub buttons: Vec<MenuButton>,
    pub matchrule: MatchRule,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

/// `POST …/menu/conditional`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConditionalMenuInput {
    pub buttons: Vec<MenuButton>,
    pub matchrule: MatchRule,
    #[serde(default)]
    pub note: String,
}

/// `POST …/menu/trymatch`: the menu a follower (OpenID or WeChat ID) sees.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TryMatchInput {
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TryMatchResult {
    pub buttons: Vec<MenuButton>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(name: &str, kind: &str) -> MenuButton {
        MenuButton {
            name: name.into(),
            kind: Some(kind.into()),
            ..Default::default()
        }
    }

    #[test]
    fn wecom_menus_refuse_oa_only_types() {
        let mut click = leaf("打卡", "click");
        click.key = Some("K".into());
        let mut media = leaf("素材", "media_id");
        media.media_id = Some("m".into());
        let issues = validate_work_menu(&[click.clone(), media.clone()]);
        assert_eq!(
            issues,
            vec![("button[1].type".to_string(), MenuRule::TypeInvalid)]
        );
        assert!(validate_menu(&[click, media]).is_empty());
    }

    #[test]
    fn counts_bytes_and_required_fields_are_checked() {
        let mut click = leaf("今日歌曲", "click");
        click.key = Some("V1001".into());
        let mut parent = MenuButton {
            name: "菜单".into(),
            sub_button: vec![leaf("搜索", "view"); 6],
            ..Default::default()
        };
        parent.sub_button[0].url = Some("ftp://x".into());
        let long = leaf("一二三四五六", "click"); // 18 bytes
        let issues = validate_menu(&[click, parent, long]);
        let has = |f: &str, r: MenuRule| issues.iter().any(|(x, y)| x == f && *y == r);
        assert!(has("button[1].sub_button", MenuRule::SubCount));
        assert!(has("button[1].sub_button[0].url", MenuRule::UrlScheme));
        assert!(has("button[1].sub_button[1].url", MenuRule::UrlRequired));
        assert!(has(
            "button[2].name",
            MenuRule::NameTooLong { max_bytes: 16 }
        ));
        assert!(has("button[2].key", MenuRule::KeyRequired));
        assert!(!issues.iter().any(|(f, _)| f.starts_with("button[0]")));
        assert!(
            validate_menu(&[])
                .iter()
                .any(|(_, r)| *r == MenuRule::TopCount)
        );
        // 5 Chinese characters = 15 bytes fit a top-level name.
        let mut ok = leaf("一二三四五", "click");
        ok.key = Some("k".into());
        assert!(validate_menu(&[ok]).is_empty());
    }

    #[test]
    fn every_type_has_its_required_fields() {
        for t in TYPES {
            let issues = validate_menu(&[leaf("x", t)]);
            let needs_nothing = ["view_limited"].contains(t);
            assert!(needs_nothing || !issues.is_empty(), "{t} needs a field");
        }
        let mut mp = leaf("小程序", "miniprogram");
        mp.url = Some("https://example.com".into());
        mp.appid = Some("wx1".into());
        mp.pagepath = Some("pages/index".into());
        assert!(validate_menu(&[mp]).is_empty());
    }

    #[test]
    fn normalized_drops_fields_the_type_does_not_use_and_diff_finds_changes() {
        let mut b = leaf(" 官网 ", "view");
        b.url = Some("https://a.example".into());
        b.key = Some("stale".into());
        let n = b.normalized();
        assert_eq!(n.name, "官网");
        assert_eq!(n.key, None);
        let mut c = n.clone();
        c.url = Some("https://b.example".into());
        let d = diff(std::slice::from_ref(&n), &[c, leaf("新", "click")]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].change, "changed");
        assert_eq!(d[1].change, "added");
        assert!(diff(std::slice::from_ref(&n), std::slice::from_ref(&n)).is_empty());
    }

    #[test]
    fn match_rules_need_a_condition_and_a_region_chain() {
        assert!(!validate_rule(&MatchRule::default()).is_empty());
        let r = MatchRule {
            city: Some("广州".into()),
            ..Default::default()
        };
        assert!(
            validate_rule(&r)
                .iter()
                .any(|(_, x)| *x == MenuRule::RuleRegion)
        );
        let r = MatchRule {
            tag_id: Some("100".into()),
            ..Default::default()
        };
        assert!(validate_rule(&r).is_empty());
    }
}
