use sea_orm::entity::prelude::*;

/// A cached WeChat token (sealed by the vault), keyed `{environment}/{TokenKey}`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wechat_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_key: String,
    pub ciphertext: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// Unix seconds.
    pub fetched_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
