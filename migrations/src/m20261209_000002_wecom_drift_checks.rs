//! The nightly reconcile of each WeCom app's contacts mirror: one row per app and Beijing night,
//! claimed by whichever instance inserts it first (the unique key) and held by a lease, with the
//! drift check's result (counts, differences as JSON) or its error. Nothing is repaired by it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::{long_text, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WecomDriftChecks {
    Table,
    Id,
    AccountId,
    Day,
    State,
    LeaseUntil,
    Attempts,
    Departments,
    Members,
    Tags,
    Differences,
    Report,
    Error,
    StartedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomDriftChecks::Table)
                    .col(big_pk_auto(WecomDriftChecks::Id))
                    .col(big_integer(WecomDriftChecks::AccountId))
                    .col(string_len(WecomDriftChecks::Day, 10))
                    .col(string_len(WecomDriftChecks::State, 16))
                    .col(ts(manager, WecomDriftChecks::LeaseUntil, false))
                    .col(integer(WecomDriftChecks::Attempts))
                    .col(big_integer(WecomDriftChecks::Departments))
                    .col(big_integer(WecomDriftChecks::Members))
                    .col(big_integer(WecomDriftChecks::Tags))
                    .col(big_integer(WecomDriftChecks::Differences))
                    .col(long_text(manager, WecomDriftChecks::Report))
                    .col(text_null(WecomDriftChecks::Error))
                    .col(ts(manager, WecomDriftChecks::StartedAt, false))
                    .col(ts(manager, WecomDriftChecks::FinishedAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_drift_checks_account")
                            .from(WecomDriftChecks::Table, WecomDriftChecks::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One check per app and night: the instance whose insert lands runs it.
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_drift_checks_day")
                    .table(WecomDriftChecks::Table)
                    .col(WecomDriftChecks::AccountId)
                    .col(WecomDriftChecks::Day)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WecomDriftChecks::Table).to_owned())
            .await
    }
}
