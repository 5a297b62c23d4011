use sea_orm::entity::prelude::*;

/// One `message/send` call of a send: `pending` (recorded, not called), `sending` (called, no
/// answer stored yet), `sent`, `failed` or `recalled`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_message_parts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub message_id: i64,
    pub account_id: i64,
    pub number: i32,
    pub state: String,
    /// `api::wecom_messages::Recipients` of this call.
    pub recipients: String,
    pub msgid: Option<String>,
    pub invalid_user: Option<String>,
    pub invalid_party: Option<String>,
    pub invalid_tag: Option<String>,
    pub unlicensed_user: Option<String>,
    pub errcode: Option<i64>,
    pub error: Option<String>,
    pub attempts: i32,
    pub attempted_at: Option<TimeDateTimeWithTimeZone>,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    pub recalled_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
