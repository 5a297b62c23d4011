use sea_orm::entity::prelude::*;

/// A WeCom app message kept as a draft or scheduled for a time (`state`: `draft`, `scheduled`,
/// `sending` while a worker holds its lease, `sent` once it became the send `message_id`,
/// `failed` when it could not be sent).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_message_drafts")]
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
    pub scheduled_at: Option<TimeDateTimeWithTimeZone>,
    pub lease_until: Option<TimeDateTimeWithTimeZone>,
    pub attempts: i32,
    /// The send (`wecom_messages`) it became.
    pub message_id: Option<i64>,
    pub error: Option<String>,
    pub created_by: String,
    /// Who saved or scheduled it last: the send is recorded as theirs.
    pub updated_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
