use sea_orm::entity::prelude::*;

/// A WeCom app message send: its content, recipients and options as sent (JSON of the `api`
/// types); `state` is the aggregate of its parts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub msgtype: String,
    pub summary: String,
    /// `api::wecom_messages::AppMessageContent`.
    pub content: String,
    /// `api::wecom_messages::Recipients`.
    pub recipients: String,
    /// `api::wecom_messages::SendOptions`.
    pub options: String,
    pub state: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
