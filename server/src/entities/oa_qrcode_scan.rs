use sea_orm::entity::prelude::*;

/// One scan of a QR code: a `subscribe` through it or a `SCAN` by a follower.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oa_qrcode_scans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub qrcode_id: i64,
    pub openid: String,
    pub subscribe: bool,
    /// `YYYY-MM-DD`, China Standard Time.
    pub day: String,
    pub inbound_id: i64,
    pub scanned_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
