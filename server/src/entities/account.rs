use api::accounts::{AccountKind, WechatEnv};
use sea_orm::entity::prelude::*;

use super::db_enum::DbEnum;

/// An account of any kind. Non-secret settings live in `settings` (JSON text);
/// `lookup_key` is the kind's natural key (app_id, corp_id:agent_id, mch_id, suite_id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: DbEnum<AccountKind>,
    pub name: String,
    pub environment: DbEnum<WechatEnv>,
    pub lookup_key: String,
    pub settings: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
