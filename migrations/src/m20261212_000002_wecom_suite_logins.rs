//! Logins through a WeCom suite provider's login page (`wecom_suite_logins`): one row per auth
//! code (its SHA-256, unique per suite: a code works once, a replay finds the row), with who
//! WeCom named (`get_login_info`) or why it refused.

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
enum WecomSuiteLogins {
    Table,
    Id,
    AccountId,
    CodeHash,
    State,
    Corpid,
    Usertype,
    Userid,
    OpenUserid,
    Name,
    Agents,
    Errcode,
    Detail,
    OutboundIp,
    ClientIp,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WecomSuiteLogins::Table)
                    .col(big_pk_auto(WecomSuiteLogins::Id))
                    .col(big_integer(WecomSuiteLogins::AccountId))
                    .col(string_len(WecomSuiteLogins::CodeHash, 64))
                    .col(string_len(WecomSuiteLogins::State, 16))
                    .col(string_len_null(WecomSuiteLogins::Corpid, 64))
                    .col(big_integer_null(WecomSuiteLogins::Usertype))
                    .col(string_len_null(WecomSuiteLogins::Userid, 128))
                    .col(string_len_null(WecomSuiteLogins::OpenUserid, 128))
                    .col(string_len_null(WecomSuiteLogins::Name, 255))
                    .col(text(WecomSuiteLogins::Agents))
                    .col(big_integer_null(WecomSuiteLogins::Errcode))
                    .col(text_null(WecomSuiteLogins::Detail))
                    .col(string_len_null(WecomSuiteLogins::OutboundIp, 64))
                    .col(string_len_null(WecomSuiteLogins::ClientIp, 64))
                    .col(ts(manager, WecomSuiteLogins::CreatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wecom_suite_logins_account")
                            .from(WecomSuiteLogins::Table, WecomSuiteLogins::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_suite_logins_code")
                    .table(WecomSuiteLogins::Table)
                    .col(WecomSuiteLogins::AccountId)
                    .col(WecomSuiteLogins::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_suite_logins_newest")
                    .table(WecomSuiteLogins::Table)
                    .col(WecomSuiteLogins::AccountId)
                    .col(WecomSuiteLogins::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WecomSuiteLogins::Table).to_owned())
            .await
    }
}
