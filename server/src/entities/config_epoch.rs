use sea_orm::entity::prelude::*;

/// The one row (`id` 1) whose `epoch` moves on every edit of what callbacks read (accounts,
/// their secrets, reply rules): see [`crate::callback::config`].
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "config_epochs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub epoch: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
