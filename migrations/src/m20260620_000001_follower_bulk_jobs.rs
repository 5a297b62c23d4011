//! Bulk tagging, untagging and legacy-group moves of followers run as background jobs: one row
//! per job with its progress (followers processed, WeChat calls), so staff can follow it and a
//! dropped HTTP request no longer stops it midway.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::ts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FollowerBulkJobs {
    Table,
    Id,
    AccountId,
    Kind,
    TargetId,
    Status,
    Total,
    Done,
    Calls,
    Error,
    StartedBy,
    StartedAt,
    UpdatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FollowerBulkJobs::Table)
                    .col(big_pk_auto(FollowerBulkJobs::Id))
                    .col(big_integer(FollowerBulkJobs::AccountId))
                    .col(string_len(FollowerBulkJobs::Kind, 16))
                    .col(big_integer(FollowerBulkJobs::TargetId))
                    .col(string_len(FollowerBulkJobs::Status, 16))
                    .col(big_integer(FollowerBulkJobs::Total))
                    .col(big_integer(FollowerBulkJobs::Done))
                    .col(big_integer(FollowerBulkJobs::Calls))
                    .col(text_null(FollowerBulkJobs::Error))
                    .col(string_len(FollowerBulkJobs::StartedBy, 64))
                    .col(ts(manager, FollowerBulkJobs::StartedAt, false))
                    .col(ts(manager, FollowerBulkJobs::UpdatedAt, false))
                    .col(ts(manager, FollowerBulkJobs::FinishedAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_follower_bulk_jobs_account")
                            .from(FollowerBulkJobs::Table, FollowerBulkJobs::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The account's latest jobs, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_follower_bulk_jobs_account")
                    .table(FollowerBulkJobs::Table)
                    .col(FollowerBulkJobs::AccountId)
                    .col(FollowerBulkJobs::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FollowerBulkJobs::Table).to_owned())
            .await
    }
}
