//! Official Account outreach: mass sends (群发) as job rows claimed with a lease, the per-account
//! send lock that keeps one mass send in flight at a time, the account type that decides
//! WeChat's mass quota; template messages (模板消息): the synced private templates, send jobs
//! and one row per recipient with its delivery state.

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
enum MassJobs {
    Table,
    Id,
    AccountId,
    Status,
    Msgtype,
    Content,
    Summary,
    TargetKind,
    TargetId,
    Openids,
    SendIgnoreReprint,
    Clientmsgid,
    ScheduledAt,
    LeaseUntil,
    Attempts,
    MsgId,
    MsgDataId,
    WechatStatus,
    TotalCount,
    FilterCount,
    SentCount,
    ErrorCount,
    Copyright,
    DeletedArticles,
    Errcode,
    Error,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum MassLocks {
    Table,
    AccountId,
    JobId,
    LeaseUntil,
}

#[derive(DeriveIden)]
enum MassSettings {
    Table,
    AccountId,
    AccountType,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OaTemplates {
    Table,
    Id,
    AccountId,
    TemplateId,
    Title,
    PrimaryIndustry,
    DeputyIndustry,
    Content,
    Example,
    SyncedAt,
}

#[derive(DeriveIden)]
enum TemplateJobs {
    Table,
    Id,
    AccountId,
    TemplateId,
    Url,
    Miniprogram,
    Data,
    Status,
    Total,
    Sent,
    Failed,
    LeaseUntil,
    Error,
    StartedBy,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum TemplateRecipients {
    Table,
    Id,
    JobId,
    AccountId,
    Openid,
    State,
    Msgid,
    Errcode,
    Error,
    SentAt,
    FinishedAt,
}

fn account_fk(name: &str, table: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(table)
        .from_col(Alias::new("account_id"))
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MassJobs::Table)
                    .col(big_pk_auto(MassJobs::Id))
                    .col(big_integer(MassJobs::AccountId))
                    .col(string_len(MassJobs::Status, 16))
                    .col(string_len(MassJobs::Msgtype, 16))
                    .col(text(MassJobs::Content))
                    .col(string_len(MassJobs::Summary, 200))
                    .col(string_len(MassJobs::TargetKind, 16))
                    .col(big_integer_null(MassJobs::TargetId))
                    .col(long_text(manager, MassJobs::Openids))
                    .col(boolean(MassJobs::SendIgnoreReprint))
                    .col(string_len(MassJobs::Clientmsgid, 64))
                    .col(ts(manager, MassJobs::ScheduledAt, false))
                    .col(ts(manager, MassJobs::LeaseUntil, true))
                    .col(integer(MassJobs::Attempts))
                    .col(big_integer_null(MassJobs::MsgId))
                    .col(big_integer_null(MassJobs::MsgDataId))
                    .col(string_len_null(MassJobs::WechatStatus, 128))
                    .col(big_integer_null(MassJobs::TotalCount))
                    .col(big_integer_null(MassJobs::FilterCount))
                    .col(big_integer_null(MassJobs::SentCount))
                    .col(big_integer_null(MassJobs::ErrorCount))
                    .col(text_null(MassJobs::Copyright))
                    .col(string_len(MassJobs::DeletedArticles, 64))
                    .col(big_integer_null(MassJobs::Errcode))
                    .col(text_null(MassJobs::Error))
                    .col(string_len(MassJobs::CreatedBy, 64))
                    .col(ts(manager, MassJobs::CreatedAt, false))
                    .col(ts(manager, MassJobs::UpdatedAt, false))
                    .col(ts(manager, MassJobs::SubmittedAt, true))
                    .col(ts(manager, MassJobs::FinishedAt, true))
                    .foreign_key(&mut account_fk("fk_mass_jobs_account", MassJobs::Table))
                    .to_owned(),
            )
            .await?;
        // The account's jobs, newest first; MASSSENDJOBFINISH by msg_id.
        for (name, cols) in [
            (
                "idx_mass_jobs_account",
                vec![MassJobs::AccountId, MassJobs::Id],
            ),
            (
                "idx_mass_jobs_msg",
                vec![MassJobs::AccountId, MassJobs::MsgId],
            ),
            (
                "idx_mass_jobs_due",
                vec![MassJobs::Status, MassJobs::ScheduledAt],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(MassJobs::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        // A retry reuses its clientmsgid; two jobs never share one.
        manager
            .create_index(
                Index::create()
                    .name("uq_mass_jobs_clientmsgid")
                    .table(MassJobs::Table)
                    .col(MassJobs::AccountId)
                    .col(MassJobs::Clientmsgid)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // One row per account: the mass send in flight (sending, or waiting for its finish).
        manager
            .create_table(
                Table::create()
                    .table(MassLocks::Table)
                    .col(big_integer(MassLocks::AccountId).primary_key())
                    .col(big_integer(MassLocks::JobId))
                    .col(ts(manager, MassLocks::LeaseUntil, false))
                    .foreign_key(&mut account_fk("fk_mass_locks_account", MassLocks::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MassSettings::Table)
                    .col(big_integer(MassSettings::AccountId).primary_key())
                    .col(string_len(MassSettings::AccountType, 16))
                    .col(ts(manager, MassSettings::UpdatedAt, false))
                    .foreign_key(&mut account_fk(
                        "fk_mass_settings_account",
                        MassSettings::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OaTemplates::Table)
                    .col(big_pk_auto(OaTemplates::Id))
                    .col(big_integer(OaTemplates::AccountId))
                    .col(string_len(OaTemplates::TemplateId, 64))
                    .col(string_len(OaTemplates::Title, 200))
                    .col(string_len(OaTemplates::PrimaryIndustry, 64))
                    .col(string_len(OaTemplates::DeputyIndustry, 64))
                    .col(text(OaTemplates::Content))
                    .col(text(OaTemplates::Example))
                    .col(ts(manager, OaTemplates::SyncedAt, false))
                    .foreign_key(&mut account_fk(
                        "fk_oa_templates_account",
                        OaTemplates::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_oa_templates_account_template")
                    .table(OaTemplates::Table)
                    .col(OaTemplates::AccountId)
                    .col(OaTemplates::TemplateId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TemplateJobs::Table)
                    .col(big_pk_auto(TemplateJobs::Id))
                    .col(big_integer(TemplateJobs::AccountId))
                    .col(string_len(TemplateJobs::TemplateId, 64))
                    .col(text_null(TemplateJobs::Url))
                    .col(text_null(TemplateJobs::Miniprogram))
                    .col(text(TemplateJobs::Data))
                    .col(string_len(TemplateJobs::Status, 16))
                    .col(big_integer(TemplateJobs::Total))
                    .col(big_integer(TemplateJobs::Sent))
                    .col(big_integer(TemplateJobs::Failed))
                    .col(ts(manager, TemplateJobs::LeaseUntil, true))
                    .col(text_null(TemplateJobs::Error))
                    .col(string_len(TemplateJobs::StartedBy, 64))
                    .col(ts(manager, TemplateJobs::CreatedAt, false))
                    .col(ts(manager, TemplateJobs::UpdatedAt, false))
                    .col(ts(manager, TemplateJobs::FinishedAt, true))
                    .foreign_key(&mut account_fk(
                        "fk_template_jobs_account",
                        TemplateJobs::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_template_jobs_account",
                vec![TemplateJobs::AccountId, TemplateJobs::Id],
            ),
            (
                "idx_template_jobs_status",
                vec![TemplateJobs::Status, TemplateJobs::Id],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(TemplateJobs::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TemplateRecipients::Table)
                    .col(big_pk_auto(TemplateRecipients::Id))
                    .col(big_integer(TemplateRecipients::JobId))
                    .col(big_integer(TemplateRecipients::AccountId))
                    .col(string_len(TemplateRecipients::Openid, 64))
                    .col(string_len(TemplateRecipients::State, 16))
                    .col(string_len_null(TemplateRecipients::Msgid, 32))
                    .col(big_integer_null(TemplateRecipients::Errcode))
                    .col(string_len_null(TemplateRecipients::Error, 255))
                    .col(ts(manager, TemplateRecipients::SentAt, true))
                    .col(ts(manager, TemplateRecipients::FinishedAt, true))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_template_recipients_job")
                            .from(TemplateRecipients::Table, TemplateRecipients::JobId)
                            .to(TemplateJobs::Table, TemplateJobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_template_recipients_job_openid")
                    .table(TemplateRecipients::Table)
                    .col(TemplateRecipients::JobId)
                    .col(TemplateRecipients::Openid)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // TEMPLATESENDJOBFINISH by msgid; the follower's log; the job's next recipients.
        for (name, cols) in [
            (
                "idx_template_recipients_msgid",
                vec![TemplateRecipients::AccountId, TemplateRecipients::Msgid],
            ),
            (
                "idx_template_recipients_openid",
                vec![
                    TemplateRecipients::AccountId,
                    TemplateRecipients::Openid,
                    TemplateRecipients::Id,
                ],
            ),
            (
                "idx_template_recipients_state",
                vec![
                    TemplateRecipients::JobId,
                    TemplateRecipients::State,
                    TemplateRecipients::Id,
                ],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(TemplateRecipients::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            TemplateRecipients::Table.into_iden(),
            TemplateJobs::Table.into_iden(),
            OaTemplates::Table.into_iden(),
            MassSettings::Table.into_iden(),
            MassLocks::Table.into_iden(),
            MassJobs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
