//! Crash-safe handling of inbound messages: `dispatched_at` marks a message whose event handlers
//! all ran, `handled_at` one whose rules ran and
//! whose replies were recorded (in one transaction with its outbound rows), `claimed_until`
//! is the lease of the process working on it. A message stored but never handled (the process
//! died in between) is picked up by WeChat's retry or by the sweeper instead of being lost.

use sea_orm_migration::prelude::*;

use crate::columns::ts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InboundMessages {
    Table,
    DispatchedAt,
    HandledAt,
    ClaimedUntil,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for col in [
            InboundMessages::DispatchedAt,
            InboundMessages::HandledAt,
            InboundMessages::ClaimedUntil,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(InboundMessages::Table)
                        .add_column(ts(manager, col, true))
                        .to_owned(),
                )
                .await?;
        }
        // Everything received before this version was handled the old way: never sweep it.
        manager
            .exec_stmt(
                Query::update()
                    .table(InboundMessages::Table)
                    .value(
                        InboundMessages::DispatchedAt,
                        Expr::col(InboundMessages::ReceivedAt),
                    )
                    .value(
                        InboundMessages::HandledAt,
                        Expr::col(InboundMessages::ReceivedAt),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inbound_messages_unhandled")
                    .table(InboundMessages::Table)
                    .col(InboundMessages::HandledAt)
                    .col(InboundMessages::ReceivedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_inbound_messages_unhandled")
                    .table(InboundMessages::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            InboundMessages::ClaimedUntil,
            InboundMessages::HandledAt,
            InboundMessages::DispatchedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(InboundMessages::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
