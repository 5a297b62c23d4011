use sea_orm::entity::prelude::*;

/// A template message sent to chosen followers in the background, claimed with a lease.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "template_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub template_id: String,
    pub url: Option<String>,
    /// `{"appid","pagepath"}`.
    pub miniprogram: Option<String>,
    /// WeChat's `data` object.
    pub data: String,
    /// `running`, `done`, `failed`.
    pub status: String,
    pub total: i64,
    /// Recipients WeChat took.
    pub sent: i64,
    /// Recipients WeChat refused.
    pub failed: i64,
    pub lease_until: Option<TimeDateTimeWithTimeZone>,
    pub error: Option<String>,
    pub started_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
