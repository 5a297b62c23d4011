//! Permanent materials, temporary media, article drafts and publishing.

use serde::{Deserialize, Serialize};

/// Temporary media live this long in WeChat (3 days).
pub const TEMP_MEDIA_TTL_SECS: i64 = 3 * 86_400;

/// Size and type limits per kind (WeChat's documented limits: image 10 MB bmp/png/jpeg/jpg/gif,
/// voice 2 MB amr/mp3 (wma/wav accepted by the emulator), video 10 MB mp4, thumb 64 KB jpg).
pub fn limit(kind: &str) -> Option<(usize, &'static [&'static str])> {
    Some(match kind {
        "image" => (10 << 20, &["bmp", "png", "jpeg", "jpg", "gif"][..]),
        "voice" => (2 << 20, &["amr", "mp3", "wma", "wav"][..]),
        "video" => (10 << 20, &["mp4"][..]),
        "thumb" => (64 << 10, &["jpg", "jpeg"][..]),
        _ => return None,
    })
}

/// `uploadimg` (images inside article content): 1 MB, jpg/png.
pub const UPLOADIMG_MAX_BYTES: usize = 1 << 20;
pub const UPLOADIMG_EXTS: &[&str] = &["jpg", "jpeg", "png"];

/// The kinds of material.
pub const KINDS: &[&str] = &["image", "voice", "video", "thumb"];

/// Why a file is refused before upload: `None` when it fits.
pub fn check_file(kind: &str, file_name: &str, size: usize) -> Option<String> {
    let Some((max, exts)) = limit(kind) else {
        return Some(format!("unknown material kind {kind:?}"));
    };
    let ext = extension(file_name);
    if !exts.contains(&ext.as_str()) {
        return Some(format!(
            "a {kind} must be one of: {} (got {:?})",
            exts.join(", "),
            file_name
        ));
    }
    if size == 0 {
        return Some("the file is empty".into());
    }
    if size > max {
        return Some(format!(
            "a {kind} is at most {} KB (this file is {} KB)",
            max / 1024,
            size.div_ceil(1024)
        ));
    }
    None
}

/// Lower-case file extension.
pub fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// A stored material (permanent) or temporary medium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Material {
    pub id: i64,
    pub kind: String,
    pub temporary: bool,
    pub media_id: String,
    pub name: String,
    /// WeChat's URL (permanent images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduction: Option<String>,
    pub created_at: String,
    /// Temporary media: when WeChat forgets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Temporary media past their expiry.
    pub expired: bool,
    /// Last seen in WeChat's list (`batchget_material`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<String>,
    pub created_by: String,
}

/// `GET /api/accounts/{id}/materials?kind=&temporary=&q=&page=&per_page=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MaterialQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// Counts against WeChat's quotas (`get_materialcount`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MaterialCounts {
    pub image: i64,
    pub voice: i64,
    pub video: i64,
    pub news: i64,
    /// Quotas (⚠️ WeChat's docs: 100,000 images, 1,000 of each other kind).
    pub image_quota: i64,
    pub voice_quota: i64,
    pub video_quota: i64,
}

/// `POST …/materials/sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MaterialSyncResult {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub counts: MaterialCounts,
}

/// `POST …/uploadimg` → a URL for article content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UploadedImage {
    pub url: String,
}

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
pub struct ArticleDraft {
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
pub struct ArticleDraftInput {
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
pub fn validate_draft(d: &ArticleDraftInput) -> Vec<(&'static str, crate::validate::Rule)> {
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
    fn files_are_checked_by_kind() {
        assert_eq!(check_file("image", "a.PNG", 100), None);
        assert!(check_file("image", "a.webp", 100).is_some());
        assert!(check_file("thumb", "a.jpg", 65 * 1024).is_some());
        assert!(check_file("voice", "a.mp3", 3 << 20).is_some());
        assert!(check_file("video", "a.mp4", 0).is_some());
        assert!(check_file("news", "a.jpg", 1).is_some());
    }

    #[test]
    fn drafts_need_title_content_and_cover() {
        let d = ArticleDraftInput::default();
        let f: Vec<_> = validate_draft(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(f, ["title", "content", "thumb_media_id"]);
    }
}
