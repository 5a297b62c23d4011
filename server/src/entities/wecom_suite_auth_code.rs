use sea_orm::entity::prelude::*;

/// An install auth code taken by one path (instruction or redirect): its SHA-256, never the
/// code. `state`: `exchanging` while the owner talks to WeCom, then `done` (with the corp row)
/// or `failed` (with the error).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_suite_auth_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub code_hash: String,
    pub state: String,
    pub corp_row_id: Option<i64>,
    pub error: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
