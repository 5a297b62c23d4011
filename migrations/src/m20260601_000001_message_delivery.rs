//! Asynchronous delivery of outbound messages (attempts, lease, next attempt, sent time), the
//! job-finish events of template/mass/publish jobs (`wechat_job_events`, keyed by the job id so
//! the publishing feature can read a publish's status), and WeCom contact changes
//! (`wecom_contact_changes`, for the contacts feature).

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
enum OutboundMessages {
    Table,
    AccountId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    SentAt,
}

#[derive(DeriveIden)]
enum WechatJobEvents {
    Table,
    Id,
    AccountId,
    JobKind,
    JobId,
    Status,
    Detail,
    InboundId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum WecomContactChanges {
    Table,
    Id,
    AccountId,
    ChangeType,
    UserId,
    PartyId,
    Detail,
    InboundId,
    ReceivedAt,
}

fn fk(name: &str, from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        let add = |col: ColumnDef| {
            Table::alter()
                .table(OutboundMessages::Table)
                .add_column(col)
                .to_owned()
        };
        manager
            .alter_table(add(integer(OutboundMessages::Attempts)
                .default(0)
                .to_owned()))
            .await?;
        manager
            .alter_table(add(ts(manager, OutboundMessages::NextAttemptAt, true)))
            .await?;
        manager
            .alter_table(add(ts(manager, OutboundMessages::LeaseUntil, true)))
            .await?;
        manager
            .alter_table(add(ts(manager, OutboundMessages::SentAt, true)))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbound_messages_status")
                    .table(OutboundMessages::Table)
                    .col(OutboundMessages::Status)
                    .col(OutboundMessages::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WechatJobEvents::Table)
                    .col(big_pk_auto(WechatJobEvents::Id))
                    .col(big_integer(WechatJobEvents::AccountId))
                    .col(string_len(WechatJobEvents::JobKind, 16))
                    .col(string_len(WechatJobEvents::JobId, 64))
                    .col(string_len(WechatJobEvents::Status, 128))
                    .col(text(WechatJobEvents::Detail))
                    .col(big_integer_null(WechatJobEvents::InboundId))
                    .col(ts(manager, WechatJobEvents::ReceivedAt, false))
                    .foreign_key(&mut fk(
                        "fk_wechat_job_events_account",
                        (WechatJobEvents::Table, WechatJobEvents::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_wechat_job_events_job")
                    .table(WechatJobEvents::Table)
                    .col(WechatJobEvents::AccountId)
                    .col(WechatJobEvents::JobKind)
                    .col(WechatJobEvents::JobId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WecomContactChanges::Table)
                    .col(big_pk_auto(WecomContactChanges::Id))
                    .col(big_integer(WecomContactChanges::AccountId))
                    .col(string_len(WecomContactChanges::ChangeType, 32))
                    .col(string_len_null(WecomContactChanges::UserId, 64))
                    .col(big_integer_null(WecomContactChanges::PartyId))
                    .col(text(WecomContactChanges::Detail))
                    .col(big_integer_null(WecomContactChanges::InboundId))
                    .col(ts(manager, WecomContactChanges::ReceivedAt, false))
                    .foreign_key(&mut fk(
                        "fk_wecom_contact_changes_account",
                        (WecomContactChanges::Table, WecomContactChanges::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wecom_contact_changes_account")
                    .table(WecomContactChanges::Table)
                    .col(WecomContactChanges::AccountId)
                    .col(WecomContactChanges::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            WecomContactChanges::Table.into_iden(),
            WechatJobEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbound_messages_status")
                    .table(OutboundMessages::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            OutboundMessages::SentAt.into_iden(),
            OutboundMessages::LeaseUntil.into_iden(),
            OutboundMessages::NextAttemptAt.into_iden(),
            OutboundMessages::Attempts.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboundMessages::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
