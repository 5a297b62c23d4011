use sea_orm::entity::prelude::*;

/// The mass send in flight on an account (one at a time): held while it is sent and until its
/// MASSSENDJOBFINISH, or until the lease runs out.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mass_locks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub job_id: i64,
    pub lease_until: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
