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

/// Title limit (characters, ⚠️ per the draft API's 45003).
pub const TITLE_MAX_CHARS: usize = 64;
/// Author limit (characters).
pub const AUTHOR_MAX_CHARS: usize = 16;
/// Digest limit (characters, ⚠️ WeChat's console allows 120).
pub const DIGEST_MAX_CHARS: usize = 120;
/// Content limit (characters; WeChat also caps it below 1 MB).
pub const CONTENT_MAX_CHARS: usize = 20_000;

/// An article draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Draft {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub digest: String,
    /// HTML.
    pub content: String,
    pub content_source_url: String,
    /// A permanent image or thumb material.
    pub thumb_media_id: String,
    pub need_open_comment: bool,
    pub only_fans_can_comment: bool,
    pub status: DraftStatus,
    /// WeChat's draft media_id once saved there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    /// Published article links, kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_error: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST …/drafts`, `PUT …/drafts/{draft_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DraftInput {
    pub title: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub digest: String,
    pub content: String,
    #[serde(default)]
    pub content_source_url: String,
    pub thumb_media_id: String,
    #[serde(default)]
    pub need_open_comment: bool,
    #[serde(default)]
    pub only_fans_can_comment: bool,
}

/// Field problems of a draft (field, English message); empty when it can be saved.
pub fn validate_draft(d: &DraftInput) -> Vec<(&'static str, crate::validate::Rule)> {
    use crate::validate::Rule;
    let mut out = Vec::new();
    let n = |s: &str| s.trim().chars().count();
    if n(&d.title) == 0 {
        out.push(("title", Rule::Required));
    } else if n(&d.title) > TITLE_MAX_CHARS {
        out.push((
            "title",
            Rule::TooLong {
                max: TITLE_MAX_CHARS,
            },
        ));
    }
    if n(&d.author) > AUTHOR_MAX_CHARS {
        out.push((
            "author",
            Rule::TooLong {
                max: AUTHOR_MAX_CHARS,
            },
        ));
    }
    if n(&d.digest) > DIGEST_MAX_CHARS {
        out.push((
            "digest",
            Rule::TooLong {
                max: DIGEST_MAX_CHARS,
            },
        ));
    }
    if n(&d.content) == 0 {
        out.push(("content", Rule::Required));
    } else if d.content.chars().count() >= CONTENT_MAX_CHARS {
        out.push((
            "content",
            Rule::TooLong {
                max: CONTENT_MAX_CHARS - 1,
            },
        ));
    }
    if d.thumb_media_id.trim().is_empty() {
        out.push(("thumb_media_id", Rule::Required));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_need_title_content_and_cover() {
        let d = DraftInput::default();
        let f: Vec<_> = validate_draft(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(f, ["title", "content", "thumb_media_id"]);
    }
}
