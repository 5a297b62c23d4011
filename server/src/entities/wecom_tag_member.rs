use sea_orm::entity::prelude::*;

/// One member of a WeCom tag: a member (`user`, by userid) or a department (`party`, by id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_tag_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub tag_id: i64,
    pub member_kind: String,
    pub member_ref: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
