use sea_orm::entity::prelude::*;

/// One follower sync per account across instances: held by `holder` until `expires_at_ms`
/// (renewed while the sync runs; a crashed instance's lease simply expires).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follower_sync_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub holder: String,
    /// Unix milliseconds.
    pub expires_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
