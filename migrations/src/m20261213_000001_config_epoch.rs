//! `config_epochs`: one row (`id` 1) whose `epoch` every edit of an account, its sealed secrets
//! or a reply rule adds one to, in the edit's transaction. Each instance caches the callback
//! configuration it loaded under an epoch and reloads it once the epoch moved, so an edit on one
//! instance applies on all of them from the next callback on.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConfigEpochs {
    Table,
    Id,
    Epoch,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConfigEpochs::Table)
                    .col(big_integer(ConfigEpochs::Id).primary_key())
                    .col(big_integer(ConfigEpochs::Epoch))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ConfigEpochs::Table)
                    .columns([ConfigEpochs::Id, ConfigEpochs::Epoch])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConfigEpochs::Table).to_owned())
            .await
    }
}
