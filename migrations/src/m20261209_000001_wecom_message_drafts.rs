//! Drafts and scheduled sends of WeCom app messages: a composed message kept to edit later, or
//! to be sent at `scheduled_at`. The worker of every instance claims a due one with one
//! conditional update (`scheduled` and due, or `sending` whose lease ran out → `sending`, a new
//! lease, attempts + 1); the send it became is `message_id` (a `wecom_messages` row), recorded in
//! the same transaction as that row, so it is sent once whichever instance claims it.

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
enum WecomMessageDrafts {
    Table,
    Id,
    AccountId,
    Msgtype,
    Summary,
    Content,
    Recipients,
    Options,
    State,
    ScheduledAt,
    LeaseUntil,
    Attempts,
    MessageId,
    Error,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomMessageDrafts::Table)
                    .col(big_pk_auto(WecomMessageDrafts::Id))
                    .col(big_integer(WecomMessageDrafts::AccountId))
                    .col(string_len(WecomMessageDrafts::Msgtype, 16))
                    .col(string_len(WecomMessageDrafts::Summary, 400))
                    .col(long_text(manager, WecomMessageDrafts::Content))
                    .col(long_text(manager, WecomMessageDrafts::Recipients))
                    .col(text(WecomMessageDrafts::Options))
                    .col(string_len(WecomMessageDrafts::State, 16))
                    .col(ts(manager, WecomMessageDrafts::ScheduledAt, true))
                    .col(ts(manager, WecomMessageDrafts::LeaseUntil, true))
                    .col(integer(WecomMessageDrafts::Attempts))
                    .col(big_integer_null(WecomMessageDrafts::MessageId))
                    .col(text_null(WecomMessageDrafts::Error))
                    .col(string_len(WecomMessageDrafts::CreatedBy, 64))
                    .col(string_len(WecomMessageDrafts::UpdatedBy, 64))
                    .col(ts(manager, WecomMessageDrafts::CreatedAt, false))
                    .col(ts(manager, WecomMessageDrafts::UpdatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_message_drafts_account")
                            .from(WecomMessageDrafts::Table, WecomMessageDrafts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An account's drafts, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_message_drafts_account")
                    .table(WecomMessageDrafts::Table)
                    .col(WecomMessageDrafts::AccountId)
                    .col(WecomMessageDrafts::Id)
                    .to_owned(),
            )
            .await?;
        // The worker's look-up of due sends.
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_message_drafts_due")
                    .table(WecomMessageDrafts::Table)
                    .col(WecomMessageDrafts::State)
                    .col(WecomMessageDrafts::ScheduledAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WecomMessageDrafts::Table).to_owned())
            .await
    }
}
