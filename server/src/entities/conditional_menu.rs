use sea_orm::entity::prelude::*;

/// A conditional menu created through `menu/addconditional`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conditional_menus")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// WeChat's menuid.
    pub menuid: String,
    /// JSON array of `api::menus::MenuButton`.
    pub buttons: String,
    /// JSON `api::menus::MatchRule`.
    pub matchrule: String,
    pub note: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
