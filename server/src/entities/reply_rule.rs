use sea_orm::entity::prelude::*;

/// An auto-reply rule; `account_id` `None` applies to every account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reply_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: Option<i64>,
    pub name: String,
    pub enabled: bool,
    pub priority: i32,
    /// JSON array of triggers.
    pub triggers: String,
    /// JSON object of conditions.
    pub conditions: String,
    /// JSON array of replies.
    pub replies: String,
    pub hit_count: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
