use sea_orm::entity::prelude::*;

/// A mass send (群发): recorded before WeChat is called, claimed with a lease by whoever sends it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mass_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// `api::mass::MassStatus`.
    pub status: String,
    /// WeChat's msgtype (`text`, `image`, `voice`, `mpvideo`, `mpnews`).
    pub msgtype: String,
    /// `api::mass::MassMessage` as JSON.
    pub content: String,
    pub summary: String,
    /// `all`, `tag`, `group`, `followers`.
    pub target_kind: String,
    pub target_id: Option<i64>,
    /// JSON array of openids (`followers` only, else `[]`).
    pub openids: String,
    pub send_ignore_reprint: bool,
    /// Sent to WeChat with every attempt: a retry after WeChat accepted meets 45065.
    pub clientmsgid: String,
    pub scheduled_at: TimeDateTimeWithTimeZone,
    pub lease_until: Option<TimeDateTimeWithTimeZone>,
    pub attempts: i32,
    pub msg_id: Option<i64>,
    pub msg_data_id: Option<i64>,
    pub wechat_status: Option<String>,
    pub total_count: Option<i64>,
    pub filter_count: Option<i64>,
    pub sent_count: Option<i64>,
    pub error_count: Option<i64>,
    /// `{"check_state", "items": [CopyrightItem]}`.
    pub copyright: Option<String>,
    /// JSON array of deleted article indexes (0: all).
    pub deleted_articles: String,
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
