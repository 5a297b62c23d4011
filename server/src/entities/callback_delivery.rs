use sea_orm::entity::prelude::*;

/// One HTTP delivery on `/wx/{account_id}`, for the callback inspector.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callback_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub received_at: TimeDateTimeWithTimeZone,
    pub method: String,
    pub query: String,
    pub body: String,
    /// `verified`, `accepted`, `duplicate`, `rejected`.
    pub outcome: String,
    pub status_code: i32,
    pub diagnosis: Option<String>,
    pub decrypted_xml: Option<String>,
    pub inbound_id: Option<i64>,
    pub dedup_hit: bool,
    pub duration_ms: i64,
    /// `passive`, `success`, `async`, `none`.
    pub reply_mode: String,
    pub reply_xml: Option<String>,
    pub replay: bool,
    pub replay_of: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
