use sea_orm::entity::prelude::*;

/// A full contacts sync of one WeCom app: status `running` | `succeeded` | `partial` |
/// `failed`, the phase, counts, and per-item failures (JSON array of `api::wecom_contacts::SyncFailure`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_contact_sync_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub status: String,
    /// `departments`, `members`, `details`, `tags`, `done`.
    pub phase: String,
    pub started_by: String,
    pub departments: i64,
    pub members_total: i64,
    pub members_done: i64,
    pub tags: i64,
    pub failed: i64,
    pub calls: i64,
    pub failures: Option<String>,
    pub error: Option<String>,
    /// The running instance's lease; an expired lease of a `running` job means it was interrupted.
    pub lease_until_ms: i64,
    pub started_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
