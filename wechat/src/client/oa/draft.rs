//! Drafts (`draft/*`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::OaClient;
use crate::client::{required_i64, required_str};
use crate::error::Error;

/// A draft article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftArticle {
    /// `title`.
    pub title: String,
    /// `author`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// `digest`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub digest: Option<String>,
    /// `content` (HTML).
    pub content: String,
    /// `content_source_url`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_source_url: Option<String>,
    /// `thumb_media_id`.
    pub thumb_media_id: String,
    /// `need_open_comment`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub need_open_comment: Option<i64>,
    /// `only_fans_can_comment`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub only_fans_can_comment: Option<i64>,
}

/// An article as WeChat returns it (`draft/get`, `draft/batchget`): what was sent plus the
/// URLs WeChat assigned. `content` is absent when listing with `no_content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewsItem {
    /// `title`.
    #[serde(default)]
    pub title: String,
    /// `author`.
    #[serde(default)]
    pub author: String,
    /// `digest`.
    #[serde(default)]
    pub digest: String,
    /// `content` (HTML).
    #[serde(default)]
    pub content: Option<String>,
    /// `content_source_url`.
    #[serde(default)]
    pub content_source_url: String,
    /// `thumb_media_id`.
    #[serde(default)]
    pub thumb_media_id: String,
    /// `need_open_comment`.
    #[serde(default)]
    pub need_open_comment: Option<i64>,
    /// `only_fans_can_comment`.
    #[serde(default)]
    pub only_fans_can_comment: Option<i64>,
    /// `url` (the article's preview URL).
    #[serde(default)]
    pub url: String,
    /// `thumb_url`.
    #[serde(default)]
    pub thumb_url: String,
    /// Fields not listed above (`show_cover_pic`, `is_deleted`, …), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `draft/get` response (also the `content` of a `draft/batchget` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Draft {
    /// `news_item`.
    #[serde(default)]
    pub news_item: Vec<NewsItem>,
}

/// `draft/batchget` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftPage {
    /// `total_count` (all drafts).
    #[serde(default)]
    pub total_count: i64,
    /// `item_count` (this page).
    #[serde(default)]
    pub item_count: i64,
    /// `item`.
    #[serde(default)]
    pub item: Vec<DraftPageItem>,
}

/// One draft of a [`DraftPage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftPageItem {
    /// `media_id`.
    #[serde(default)]
    pub media_id: String,
    /// `content`.
    #[serde(default)]
    pub content: Draft,
    /// `update_time`.
    #[serde(default)]
    pub update_time: i64,
}

impl OaClient {
    /// `draft/add` → media_id.
    pub async fn draft_add(&self, articles: &[DraftArticle]) -> Result<String, Error> {
        let v = self
            .post_raw("/cgi-bin/draft/add", &json!({"articles": articles}))
            .await?;
        required_str(&v, "media_id")
    }
    /// `draft/get`.
    pub async fn draft_get(&self, media_id: &str) -> Result<Draft, Error> {
        self.post_t("/cgi-bin/draft/get", &json!({"media_id": media_id}))
            .await
    }
    /// `draft/delete`.
    pub async fn draft_delete(&self, media_id: &str) -> Result<(), Error> {
        self.post_raw("/cgi-bin/draft/delete", &json!({"media_id": media_id}))
            .await
            .map(drop)
    }
    /// `draft/update`.
    pub async fn draft_update(
        &self,
        media_id: &str,
        index: i64,
        article: &DraftArticle,
    ) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/draft/update",
            &json!({"media_id": media_id, "index": index, "articles": article}),
        )
        .await
        .map(drop)
    }
    /// `draft/batchget` (count 1–20).
    pub async fn draft_batchget(
        &self,
        offset: i64,
        count: i64,
        no_content: bool,
    ) -> Result<DraftPage, Error> {
        self.post_t(
            "/cgi-bin/draft/batchget",
            &json!({"offset": offset, "count": count, "no_content": i64::from(no_content)}),
        )
        .await
    }
    /// `draft/count`.
    pub async fn draft_count(&self) -> Result<i64, Error> {
        let v = self.get_raw("/cgi-bin/draft/count", &[]).await?;
        required_i64(&v, "total_count")
    }
}
