use sea_orm::entity::prelude::*;

/// One version of an account's default menu (published, imported, rolled back or deleted).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "menu_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// 1, 2, 3 … per account (unique with `account_id`).
    pub number: i64,
    /// JSON array of `api::menus::MenuButton`.
    pub buttons: String,
    pub source: String,
    pub rollback_of: Option<i64>,
    pub note: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
