use sea_orm::entity::prelude::*;

/// One recipient of a template job and its delivery state (`api::templates::DeliveryState`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "template_recipients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_id: i64,
    pub account_id: i64,
    pub openid: String,
    pub state: String,
    pub msgid: Option<String>,
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
