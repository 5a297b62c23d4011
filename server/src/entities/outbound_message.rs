use sea_orm::entity::prelude::*;

use super::db_enum::{DbEnum, stored_enum};

/// A message sent to a follower/member: passive reply, customer-service or message/send.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub to_user: String,
    pub inbound_id: Option<i64>,
    /// `passive`, `custom_service`, `message_send`.
    pub channel: String,
    pub msg_type: String,
    /// A readable summary (the text, or the media id).
    pub content: String,
    /// The exact body (XML for passive replies, JSON for API sends).
    pub body: String,
    pub status: DbEnum<SendStatus>,
    pub error: Option<String>,
    pub rule_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Delivery attempts so far (API channels).
    pub attempts: i32,
    /// When a pending message may be tried (again); `None`: now.
    pub next_attempt_at: Option<TimeDateTimeWithTimeZone>,
    /// A worker holds the message until then (claimed by a conditional update).
    pub lease_until: Option<TimeDateTimeWithTimeZone>,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
}

/// Where a message stands with WeChat.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SendStatus {
    Sent,
    /// Waiting for the delivery worker (API channels).
    Pending,
    Failed,
}

stored_enum!(SendStatus {
    SendStatus::Sent => "sent",
    SendStatus::Pending => "pending",
    SendStatus::Failed => "failed",
});

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
