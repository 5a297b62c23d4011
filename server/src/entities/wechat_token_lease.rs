use sea_orm::entity::prelude::*;

/// The cross-instance refresh lock of one token: held by `holder` until `expires_at_ms`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wechat_token_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_key: String,
    pub holder: String,
    /// Unix milliseconds.
    pub expires_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
