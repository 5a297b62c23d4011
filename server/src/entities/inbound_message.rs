use sea_orm::entity::prelude::*;

/// A message or event received on `/wx/{account_id}`, stored once per de-duplication key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// SHA-256 (hex) of the `wechat` crate's de-duplication key.
    pub dedup_key: String,
    pub from_user: String,
    pub to_user: String,
    pub msg_type: String,
    pub event: Option<String>,
    pub event_key: Option<String>,
    pub msg_id: Option<String>,
    pub content: Option<String>,
    pub create_time: i64,
    /// The decrypted message XML.
    pub raw_xml: String,
    /// The parsed fields as JSON.
    pub parsed: String,
    pub rule_id: Option<i64>,
    /// The plain passive reply XML sent for this message (re-sent on WeChat's retries).
    pub reply_xml: Option<String>,
    pub received_at: TimeDateTimeWithTimeZone,
    /// When every event handler ran for it (`None`: not yet, or the process died in between).
    pub dispatched_at: Option<TimeDateTimeWithTimeZone>,
    /// When its rules ran and its replies were recorded (with the outbound rows, in one
    /// transaction). `None`: stored but not handled yet (or the process died in between).
    pub handled_at: Option<TimeDateTimeWithTimeZone>,
    /// Lease of the process handling it; expired means whoever comes next may take over.
    pub claimed_until: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
