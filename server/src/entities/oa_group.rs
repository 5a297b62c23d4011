use sea_orm::entity::prelude::*;

/// A legacy group of an Official Account, mirrored from WeChat (`wx_id`: WeChat's id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oa_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub wx_id: i64,
    pub name: String,
    /// WeChat's member count at the last sync.
    pub wx_count: Option<i64>,
    pub synced_at: Option<TimeDateTimeWithTimeZone>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
