//! WeCom app messages: one row per send (content, recipients, options) and one row per
//! `message/send` call of it (a send over WeCom's receiver limits is split), each recorded
//! before WeChat is called and updated with its answer, so no send is ever lost.

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
enum WecomMessages {
    Table,
    Id,
    AccountId,
    Msgtype,
    Summary,
    Content,
    Recipients,
    Options,
    State,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WecomMessageParts {
    Table,
    Id,
    MessageId,
    AccountId,
    Number,
    State,
    Recipients,
    Msgid,
    InvalidUser,
    InvalidParty,
    InvalidTag,
    UnlicensedUser,
    Errcode,
    Error,
    Attempts,
    AttemptedAt,
    SentAt,
    RecalledAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomMessages::Table)
                    .col(big_pk_auto(WecomMessages::Id))
                    .col(big_integer(WecomMessages::AccountId))
                    .col(string_len(WecomMessages::Msgtype, 16))
                    .col(string_len(WecomMessages::Summary, 400))
                    .col(text(WecomMessages::Content))
                    .col(text(WecomMessages::Recipients))
                    .col(text(WecomMessages::Options))
                    .col(string_len(WecomMessages::State, 16))
                    .col(string_len(WecomMessages::CreatedBy, 64))
                    .col(ts(manager, WecomMessages::CreatedAt, false))
                    .col(ts(manager, WecomMessages::UpdatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_messages_account")
                            .from(WecomMessages::Table, WecomMessages::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The send log: an account's sends, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_messages_account")
                    .table(WecomMessages::Table)
                    .col(WecomMessages::AccountId)
                    .col(WecomMessages::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WecomMessageParts::Table)
                    .col(big_pk_auto(WecomMessageParts::Id))
                    .col(big_integer(WecomMessageParts::MessageId))
                    .col(big_integer(WecomMessageParts::AccountId))
                    .col(integer(WecomMessageParts::Number))
                    .col(string_len(WecomMessageParts::State, 16))
                    .col(text(WecomMessageParts::Recipients))
                    .col(string_len_null(WecomMessageParts::Msgid, 128))
                    .col(text_null(WecomMessageParts::InvalidUser))
                    .col(text_null(WecomMessageParts::InvalidParty))
                    .col(text_null(WecomMessageParts::InvalidTag))
                    .col(text_null(WecomMessageParts::UnlicensedUser))
                    .col(big_integer_null(WecomMessageParts::Errcode))
                    .col(text_null(WecomMessageParts::Error))
                    .col(integer(WecomMessageParts::Attempts))
                    .col(ts(manager, WecomMessageParts::AttemptedAt, true))
                    .col(ts(manager, WecomMessageParts::SentAt, true))
                    .col(ts(manager, WecomMessageParts::RecalledAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_message_parts_message")
                            .from(WecomMessageParts::Table, WecomMessageParts::MessageId)
                            .to(WecomMessages::Table, WecomMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_message_parts_message")
                    .table(WecomMessageParts::Table)
                    .col(WecomMessageParts::MessageId)
                    .col(WecomMessageParts::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The rate limits read an account's calls of the last hour.
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_message_parts_attempted")
                    .table(WecomMessageParts::Table)
                    .col(WecomMessageParts::AccountId)
                    .col(WecomMessageParts::AttemptedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WecomMessageParts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WecomMessages::Table).to_owned())
            .await
    }
}
