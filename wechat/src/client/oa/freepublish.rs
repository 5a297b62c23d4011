//! Publishing drafts (`freepublish/*`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::OaClient;
use super::draft::Draft;
use crate::client::{de_id_text, id_text};
use crate::error::Error;

/// `freepublish/get` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PublishStatus {
    /// `publish_id` (WeChat sends a number or a string).
    #[serde(default, deserialize_with = "de_id_text")]
    pub publish_id: String,
    /// `publish_status`: 0 published, 1 publishing, 2 and up failed.
    #[serde(default)]
    pub publish_status: Option<i64>,
    /// `article_id` (once published).
    #[serde(default)]
    pub article_id: Option<String>,
    /// `article_detail` (once published).
    #[serde(default)]
    pub article_detail: ArticleDetail,
    /// `fail_idx`: the articles that failed.
    #[serde(default)]
    pub fail_idx: Vec<i64>,
}

/// The published articles of a [`PublishStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ArticleDetail {
    /// `count`.
    #[serde(default)]
    pub count: i64,
    /// `item`.
    #[serde(default)]
    pub item: Vec<PublishedArticle>,
}

/// One published article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PublishedArticle {
    /// `idx` (1-based position in the draft).
    #[serde(default)]
    pub idx: i64,
    /// `article_url`.
    #[serde(default)]
    pub article_url: Option<String>,
}

impl PublishStatus {
    /// The article URLs in draft order (items without a URL are skipped).
    pub fn article_urls(&self) -> Vec<String> {
        let mut items: Vec<&PublishedArticle> = self.article_detail.item.iter().collect();
        items.sort_by_key(|a| a.idx);
        items
            .into_iter()
            .filter_map(|a| a.article_url.clone())
            .collect()
    }
}

/// `freepublish/batchget` response: the published articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PublishedPage {
    /// `total_count` (all published articles).
    #[serde(default)]
    pub total_count: i64,
    /// `item_count` (this page).
    #[serde(default)]
    pub item_count: i64,
    /// `item`.
    #[serde(default)]
    pub item: Vec<PublishedItem>,
}

/// One publication of a [`PublishedPage`] (its `news_item` URLs are the published links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PublishedItem {
    /// `article_id`.
    #[serde(default)]
    pub article_id: String,
    /// `content`.
    #[serde(default)]
    pub content: Draft,
    /// `update_time`.
    #[serde(default)]
    pub update_time: i64,
}

impl OaClient {
    /// `freepublish/submit` → publish_id (result arrives as the PUBLISHJOBFINISH event).
    pub async fn freepublish_submit(&self, media_id: &str) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/freepublish/submit",
                &json!({"media_id": media_id}),
            )
            .await?;
        Ok(id_text(&v["publish_id"]))
    }
    /// `freepublish/get`.
    pub async fn freepublish_get(&self, publish_id: &str) -> Result<PublishStatus, Error> {
        self.post_t(
            "/cgi-bin/freepublish/get",
            &json!({"publish_id": publish_id}),
        )
        .await
    }
    /// `freepublish/batchget` (count 1–20).
    pub async fn freepublish_batchget(
        &self,
        offset: i64,
        count: i64,
        no_content: bool,
    ) -> Result<PublishedPage, Error> {
        self.post_t(
            "/cgi-bin/freepublish/batchget",
            &json!({"offset": offset, "count": count, "no_content": i64::from(no_content)}),
        )
        .await
    }
}
