//! Article drafts (WeChat's draft box, `draft/*`) and their publishing (`freepublish/*`): the
//! same name, "drafts", in the API, the server (`oa::drafts`), the SPA (`oa/drafts`) and the
//! `wechat` client (`client/oa/draft.rs`).

use serde::{Deserialize, Serialize};

/// Publishing state of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// Only in the portal (and WeChat's draft box once saved there).
    Draft,
    /// Submitted to `freepublish`; waiting for PUBLISHJOBFINISH.
    Publishing,
    Published,
    Failed,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Publishing => "publishing",
            DraftStatus::Published => "published",
            DraftStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> DraftStatus {
        match s {
            "publishing" => DraftStatus::Publishing,
            "published" => DraftStatus::Published,
            "failed" => DraftStatus::Failed,
            _ => DraftStatus::Draft,
        }
    }
}

/// Articles in one draft: WeChat's draft box takes 1 to 8 (`draft/add` answers 45008 beyond).
pub const MAX_ARTICLES: usize = 8;
/// Title limit (characters, ⚠️ per the draft API's 45003).
pub const TITLE_MAX_CHARS: usize = 64;
/// Author limit (characters; WeChat answers 45110 beyond).
pub const AUTHOR_MAX_CHARS: usize = 16;
/// Digest limit (characters, ⚠️ WeChat's console allows 120).
pub const DIGEST_MAX_CHARS: usize = 120;
/// Content limit (characters; WeChat also caps it below 1 MB and answers 45002).
pub const CONTENT_MAX_CHARS: usize = 20_000;
/// Content limit in bytes (WeChat: "less than 1 MB").
pub const CONTENT_MAX_BYTES: usize = 1 << 20;

/// One article of a draft, as edited and as sent to `draft/add` / `draft/update`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Article {
    pub title: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub digest: String,
    /// Sanitised HTML (see [`sanitize_html`]).
    pub content: String,
    /// 阅读原文: the article's original URL.
    #[serde(default)]
    pub content_source_url: String,
    /// The cover: a permanent image or thumb material.
    pub thumb_media_id: String,
    #[serde(default)]
    pub need_open_comment: bool,
    #[serde(default)]
    pub only_fans_can_comment: bool,
}

/// Where a draft came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DraftOrigin {
    /// Written in the portal.
    #[default]
    Portal,
    /// Imported from WeChat's draft box (`draft/batchget`).
    WechatDraft,
    /// Imported from WeChat's published articles (`freepublish/batchget`).
    WechatPublished,
}

impl DraftOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftOrigin::Portal => "portal",
            DraftOrigin::WechatDraft => "wechat_draft",
            DraftOrigin::WechatPublished => "wechat_published",
        }
    }
    pub fn parse(s: &str) -> DraftOrigin {
        match s {
            "wechat_draft" => DraftOrigin::WechatDraft,
            "wechat_published" => DraftOrigin::WechatPublished,
            _ => DraftOrigin::Portal,
        }
    }
}

/// An article draft: 1 to 8 articles in order, published together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Draft {
    pub id: i64,
    /// The first article's title (what lists show).
    pub title: String,
    /// The first article's author.
    pub author: String,
    /// The articles, in the order WeChat shows them.
    pub articles: Vec<Article>,
    pub status: DraftStatus,
    #[serde(default)]
    pub origin: DraftOrigin,
    /// WeChat's draft media_id once saved there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    /// Published article links (one per article), kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_error: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST …/drafts`, `PUT …/drafts/{draft_id}`: the whole draft, its articles in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftInput {
    pub articles: Vec<Article>,
}

/// `POST …/drafts/import`: what was read from WeChat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftImportResult {
    /// Drafts of WeChat's draft box newly stored.
    pub drafts_added: u64,
    /// Published articles newly stored.
    pub published_added: u64,
    /// Items already in the portal (left as they are).
    pub unchanged: u64,
}

/// Why a draft was refused: one code per WeChat limit, worded by the SPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftRule {
    /// No article, or more than [`MAX_ARTICLES`].
    ArticleCount,
    /// `content_source_url` is not an http(s) URL.
    UrlScheme,
    /// Content over [`CONTENT_MAX_BYTES`].
    ContentBytes,
}

impl DraftRule {
    pub fn code(self) -> &'static str {
        match self {
            DraftRule::ArticleCount => "draft_article_count",
            DraftRule::UrlScheme => "url_scheme",
            DraftRule::ContentBytes => "draft_content_bytes",
        }
    }
    pub fn from_code(code: &str) -> Option<DraftRule> {
        [
            DraftRule::ArticleCount,
            DraftRule::UrlScheme,
            DraftRule::ContentBytes,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
    pub fn message(self, lang: crate::Lang) -> String {
        let zh = lang == crate::Lang::ZhCn;
        match (self, zh) {
            (DraftRule::ArticleCount, true) => format!("一篇草稿要有 1 到 {MAX_ARTICLES} 篇文章"),
            (DraftRule::ArticleCount, false) => {
                format!("A draft holds 1 to {MAX_ARTICLES} articles")
            }
            (DraftRule::UrlScheme, true) => "网址必须以 http:// 或 https:// 开头".into(),
            (DraftRule::UrlScheme, false) => "The URL must start with http:// or https://".into(),
            (DraftRule::ContentBytes, true) => "正文不能超过 1 MB".into(),
            (DraftRule::ContentBytes, false) => "The body must be under 1 MB".into(),
        }
    }
}

/// A problem of one field: a shared [`crate::validate::Rule`] or a draft rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftIssue {
    Field(crate::validate::Rule),
    Draft(DraftRule),
}

impl DraftIssue {
    pub fn code(self) -> &'static str {
        match self {
            DraftIssue::Field(r) => r.code(),
            DraftIssue::Draft(r) => r.code(),
        }
    }
    pub fn message(self, lang: crate::Lang) -> String {
        match self {
            DraftIssue::Field(r) => r.message(lang),
            DraftIssue::Draft(r) => r.message(lang),
        }
    }
}

/// The field name of an article's field in issues: `articles.{index}.{field}`.
pub fn article_field(index: usize, field: &str) -> String {
    format!("articles.{index}.{field}")
}

/// Problems of one article (field name, issue); empty when it can be saved.
pub fn validate_article(a: &Article) -> Vec<(&'static str, DraftIssue)> {
    use crate::validate::Rule;
    let mut out = Vec::new();
    let n = |s: &str| s.trim().chars().count();
    let too_long = |max| DraftIssue::Field(Rule::TooLong { max });
    if n(&a.title) == 0 {
        out.push(("title", DraftIssue::Field(Rule::Required)));
    } else if n(&a.title) > TITLE_MAX_CHARS {
        out.push(("title", too_long(TITLE_MAX_CHARS)));
    }
    if n(&a.author) > AUTHOR_MAX_CHARS {
        out.push(("author", too_long(AUTHOR_MAX_CHARS)));
    }
    if n(&a.digest) > DIGEST_MAX_CHARS {
        out.push(("digest", too_long(DIGEST_MAX_CHARS)));
    }
    if html_text(&a.content).trim().is_empty() && !a.content.contains("<img") {
        out.push(("content", DraftIssue::Field(Rule::Required)));
    } else if a.content.chars().count() >= CONTENT_MAX_CHARS {
        out.push(("content", too_long(CONTENT_MAX_CHARS - 1)));
    } else if a.content.len() >= CONTENT_MAX_BYTES {
        out.push(("content", DraftIssue::Draft(DraftRule::ContentBytes)));
    }
    if a.thumb_media_id.trim().is_empty() {
        out.push(("thumb_media_id", DraftIssue::Field(Rule::Required)));
    }
    let url = a.content_source_url.trim();
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        out.push((
            "content_source_url",
            DraftIssue::Draft(DraftRule::UrlScheme),
        ));
    }
    out
}

/// Problems of a whole draft (field as `articles` or `articles.{i}.{field}`, issue).
pub fn validate_draft(d: &DraftInput) -> Vec<(String, DraftIssue)> {
    let mut out = Vec::new();
    if d.articles.is_empty() || d.articles.len() > MAX_ARTICLES {
        out.push((
            "articles".to_string(),
            DraftIssue::Draft(DraftRule::ArticleCount),
        ));
        return out;
    }
    for (i, a) in d.articles.iter().enumerate() {
        for (f, issue) in validate_article(a) {
            out.push((article_field(i, f), issue));
        }
    }
    out
}

/// The visible text of an HTML fragment (tags dropped, entities left as they are).
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str) -> Article {
        Article {
            title: title.into(),
            content: "<p>x</p>".into(),
            thumb_media_id: "m".into(),
            ..Article::default()
        }
    }

    #[test]
    fn articles_need_title_content_and_cover() {
        let d = DraftInput {
            articles: vec![article("a"), Article::default()],
        };
        let f: Vec<_> = validate_draft(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            f,
            [
                "articles.1.title",
                "articles.1.content",
                "articles.1.thumb_media_id"
            ]
        );
    }

    #[test]
    fn one_to_eight_articles() {
        let n = |k: usize| DraftInput {
            articles: (0..k).map(|i| article(&i.to_string())).collect(),
        };
        assert!(validate_draft(&n(1)).is_empty());
        assert!(validate_draft(&n(8)).is_empty());
        for k in [0, 9] {
            let issues = validate_draft(&n(k));
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].0, "articles");
            assert_eq!(issues[0].1.code(), "draft_article_count");
        }
    }
}
