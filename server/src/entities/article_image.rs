use sea_orm::entity::prelude::*;

/// An image uploaded through `uploadimg` for article bodies, kept so the portal shows it
/// without hot-linking WeChat's image host (which refuses other sites anyway).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_images")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The URL WeChat gave (what the article's HTML holds).
    pub url: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
