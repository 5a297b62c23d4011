use sea_orm::entity::prelude::*;

/// A WeCom `change_contact` event (from an app callback or a suite instruction), kept for the
/// contacts feature to apply.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_contact_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// `create_user`, `update_user`, `delete_user`, `create_party`, `update_party`,
    /// `delete_party`, `update_tag`, or WeChat's own name for anything newer.
    pub change_type: String,
    pub user_id: Option<String>,
    pub party_id: Option<i64>,
    /// The decrypted event XML.
    pub detail: String,
    pub inbound_id: Option<i64>,
    pub received_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
