use sea_orm::entity::prelude::*;

/// A department of a WeCom app's corp, mirrored (`dept_id`: WeCom's id; 1 is the root).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_departments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub dept_id: i64,
    pub name: String,
    pub name_en: String,
    pub parent_id: i64,
    pub sort_order: i64,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
