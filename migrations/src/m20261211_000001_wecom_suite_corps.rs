//! The corps that authorised a WeCom third-party suite (`wecom_suite_corps`: one row per suite
//! and corp, the permanent code sealed by the vault, kept after `cancel_auth` as `revoked`), and
//! the install auth codes already taken (`wecom_suite_auth_codes`): an auth code works once and
//! arrives twice (the `create_auth` instruction and the admin's redirect), so whichever inserts
//! its hash first exchanges it and the other reads the outcome.

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
enum WecomSuiteCorps {
    Table,
    Id,
    AccountId,
    Corpid,
    CorpName,
    CorpFullName,
    CorpLogoUrl,
    Agents,
    InstalledBy,
    PermanentCode,
    State,
    AuthorizedAt,
    UpdatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum WecomSuiteAuthCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    State,
    CorpRowId,
    Error,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomSuiteCorps::Table)
                    .col(big_pk_auto(WecomSuiteCorps::Id))
                    .col(big_integer(WecomSuiteCorps::AccountId))
                    .col(string_len(WecomSuiteCorps::Corpid, 64))
                    .col(string_len(WecomSuiteCorps::CorpName, 255))
                    .col(text_null(WecomSuiteCorps::CorpFullName))
                    .col(text_null(WecomSuiteCorps::CorpLogoUrl))
                    .col(long_text(manager, WecomSuiteCorps::Agents))
                    .col(string_len_null(WecomSuiteCorps::InstalledBy, 128))
                    .col(text(WecomSuiteCorps::PermanentCode))
                    .col(string_len(WecomSuiteCorps::State, 16))
                    .col(ts(manager, WecomSuiteCorps::AuthorizedAt, false))
                    .col(ts(manager, WecomSuiteCorps::UpdatedAt, false))
                    .col(ts(manager, WecomSuiteCorps::RevokedAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_suite_corps_account")
                            .from(WecomSuiteCorps::Table, WecomSuiteCorps::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_suite_corps_corp")
                    .table(WecomSuiteCorps::Table)
                    .col(WecomSuiteCorps::AccountId)
                    .col(WecomSuiteCorps::Corpid)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WecomSuiteAuthCodes::Table)
                    .col(big_pk_auto(WecomSuiteAuthCodes::Id))
                    .col(big_integer(WecomSuiteAuthCodes::AccountId))
                    .col(string_len(WecomSuiteAuthCodes::CodeHash, 64))
                    .col(string_len(WecomSuiteAuthCodes::State, 16))
                    .col(big_integer_null(WecomSuiteAuthCodes::CorpRowId))
                    .col(text_null(WecomSuiteAuthCodes::Error))
                    .col(ts(manager, WecomSuiteAuthCodes::CreatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_suite_auth_codes_account")
                            .from(WecomSuiteAuthCodes::Table, WecomSuiteAuthCodes::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_suite_auth_codes_code")
                    .table(WecomSuiteAuthCodes::Table)
                    .col(WecomSuiteAuthCodes::AccountId)
                    .col(WecomSuiteAuthCodes::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WecomSuiteAuthCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WecomSuiteCorps::Table).to_owned())
            .await
    }
}
