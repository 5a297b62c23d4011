use sea_orm::entity::prelude::*;

use super::db_enum::{DbEnum, stored_enum};

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
    pub outcome: DbEnum<CallbackOutcome>,
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

/// What became of a callback delivery.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// A URL verification (echostr) answered.
    Verified,
    Accepted,
    /// A message already received (WeChat retried).
    Duplicate,
    Rejected,
}

stored_enum!(CallbackOutcome {
    CallbackOutcome::Verified => "verified",
    CallbackOutcome::Accepted => "accepted",
    CallbackOutcome::Duplicate => "duplicate",
    CallbackOutcome::Rejected => "rejected",
});

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
