use sea_orm::entity::prelude::*;

/// A parametric QR code created through the portal (`qrcode/create`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oa_qrcodes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub note: String,
    pub permanent: bool,
    /// The scene as callbacks carry it: the number in decimal, or the string.
    pub scene: String,
    pub scene_is_str: bool,
    /// WeChat's ticket, for `showqrcode`.
    pub ticket: String,
    pub url: String,
    pub expires_at: Option<TimeDateTimeWithTimeZone>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
