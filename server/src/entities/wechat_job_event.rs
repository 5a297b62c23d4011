use sea_orm::entity::prelude::*;

/// The finish event of a WeChat job, stored against the job: `TEMPLATESENDJOBFINISH` (job id =
/// the template message's `MsgID`), `MASSSENDJOBFINISH` (the mass send's `MsgID`) and
/// `PUBLISHJOBFINISH` (the freepublish `publish_id`). One row per (account, kind, job id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wechat_job_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// `template`, `mass`, `publish`.
    pub job_kind: String,
    pub job_id: String,
    /// WeChat's status: `success`, `failed:user block`, … (template/mass); the
    /// `publish_status` number as text (publish: 0 published, 2+ failed).
    pub status: String,
    /// The event's other fields as JSON (counts, article id and URLs, failed indexes).
    pub detail: String,
    pub inbound_id: Option<i64>,
    pub received_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
