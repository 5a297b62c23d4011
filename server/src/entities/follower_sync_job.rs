use api::followers::SyncStatus;
use sea_orm::entity::prelude::*;

use super::db_enum::DbEnum;

/// A full follower sync of one account, with its checkpoint: the `next_openid` that fetched the
/// current `user/get` page (`page_openid`) and how many openids of that page are stored
/// (`page_offset`). Both are written in the same transaction as the followers they cover.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follower_sync_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub status: DbEnum<SyncStatus>,
    /// `tags`, `groups`, `followers`, `finishing`, `done`.
    pub phase: String,
    pub started_by: String,
    pub total: i64,
    pub stored: i64,
    pub calls: i64,
    pub retries: i64,
    pub page_openid: String,
    pub page_offset: i64,
    /// Followers already stored when this run (re)started from the checkpoint.
    pub resumed_from: i64,
    pub error: Option<String>,
    pub started_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
