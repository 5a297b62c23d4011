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
}
