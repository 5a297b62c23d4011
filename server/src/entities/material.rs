use sea_orm::entity::prelude::*;

/// A permanent material or temporary medium of an Official Account (bytes stay in WeChat).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub kind: String,
    pub temporary: bool,
    pub media_id: String,
    pub name: String,
    pub url: Option<String>,
    pub size: Option<i64>,
    pub content_type: Option<String>,
    pub title: Option<String>,
    pub introduction: Option<String>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub expires_at: Option<TimeDateTimeWithTimeZone>,
    pub synced_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
