//! Staff, sessions, login throttling, accounts with their encrypted secrets, and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::columns::ts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    Disabled,
    MustChangePassword,
    Lang,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Username,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Kind,
    Name,
    Environment,
    LookupKey,
    Settings,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountSecrets {
    Table,
    AccountId,
    Field,
    Ciphertext,
    Masked,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    Actor,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Summary,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffUsers::Table)
                    .col(big_pk_auto(StaffUsers::Id))
                    .col(string_len_uniq(StaffUsers::Username, 64))
                    .col(string_len(StaffUsers::PasswordHash, 255))
                    .col(string_len(StaffUsers::Role, 16))
                    .col(boolean(StaffUsers::Disabled))
                    .col(boolean(StaffUsers::MustChangePassword))
                    .col(string_len(StaffUsers::Lang, 16))
                    .col(ts(manager, StaffUsers::CreatedAt, false))
                    .col(ts(manager, StaffUsers::UpdatedAt, false))
                    .col(ts(manager, StaffUsers::LastLoginAt, true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(ts(manager, Sessions::ExpiresAt, false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_expires_at")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(big_pk_auto(LoginFailures::Id))
                    .col(string_len(LoginFailures::Username, 64))
                    .col(string_len(LoginFailures::Ip, 64))
                    .col(ts(manager, LoginFailures::At, false))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_login_failures_username", LoginFailures::Username),
            ("idx_login_failures_ip", LoginFailures::Ip),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginFailures::Table)
                        .col(column)
                        .col(LoginFailures::At)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string_len(Accounts::Kind, 32))
                    .col(string_len(Accounts::Name, 128))
                    .col(string_len(Accounts::Environment, 16))
                    .col(string_len(Accounts::LookupKey, 128))
                    .col(text(Accounts::Settings))
                    .col(ts(manager, Accounts::CreatedAt, false))
                    .col(ts(manager, Accounts::UpdatedAt, false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_accounts_kind_lookup_key")
                    .table(Accounts::Table)
                    .col(Accounts::Kind)
                    .col(Accounts::LookupKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountSecrets::Table)
                    .col(big_integer(AccountSecrets::AccountId))
                    .col(string_len(AccountSecrets::Field, 64))
                    .col(text(AccountSecrets::Ciphertext))
                    .col(string_len(AccountSecrets::Masked, 64))
                    .col(ts(manager, AccountSecrets::UpdatedAt, false))
                    .primary_key(
                        Index::create()
                            .col(AccountSecrets::AccountId)
                            .col(AccountSecrets::Field),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_secrets_account")
                            .from(AccountSecrets::Table, AccountSecrets::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(ts(manager, AuditLog::At, false))
                    .col(string_len(AuditLog::Actor, 64))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::TargetType, 32))
                    .col(big_integer_null(AuditLog::TargetId))
                    .col(text(AuditLog::Summary))
                    .col(text(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_target")
                    .table(AuditLog::Table)
                    .col(AuditLog::TargetType)
                    .col(AuditLog::TargetId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccountSecrets::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LoginFailures::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StaffUsers::Table).to_owned())
            .await?;
        Ok(())
    }
}
