use api::followers::SyncStatus;
use sea_orm::entity::prelude::*;

use super::db_enum::DbEnum;

/// A bulk tag / untag / legacy-group move over selected followers, run in the background in
/// batches of 50 with its progress.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follower_bulk_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// `tag`, `untag`, `move_group`.
    pub kind: String,
    /// WeChat's tag id (`tag`, `untag`) or group id (`move_group`).
    pub target_id: i64,
    pub status: DbEnum<SyncStatus>,
    /// Followers selected.
    pub total: i64,
    /// Followers processed (accepted by WeChat and stored).
    pub done: i64,
    /// WeChat calls made.
    pub calls: i64,
    pub error: Option<String>,
    pub started_by: String,
    pub started_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
