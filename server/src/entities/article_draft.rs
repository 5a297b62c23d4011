use sea_orm::entity::prelude::*;

/// An article draft and its publishing state. Its articles are `article_draft_articles`; the
/// row keeps a copy of the first one's fields for lists and search.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub author: String,
    pub digest: String,
    pub content: String,
    pub content_source_url: String,
    pub thumb_media_id: String,
    pub need_open_comment: bool,
    pub only_fans_can_comment: bool,
    /// `api::drafts::DraftStatus`.
    pub status: String,
    pub media_id: Option<String>,
    pub publish_id: Option<String>,
    pub article_id: Option<String>,
    /// JSON array of article URLs.
    pub article_urls: String,
    pub publish_error: Option<String>,
    /// `api::drafts::DraftOrigin`.
    pub origin: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
