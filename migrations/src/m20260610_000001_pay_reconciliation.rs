//! WeChat Pay v2 bills and reconciliation: one report per merchant, bill date and bill type
//! (unique, which is also how the daily job claims a day: the row carries a lease so that one
//! instance does the work and another takes over if it died), and its mismatches.

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
enum PayReconciliations {
    Table,
    Id,
    AccountId,
    BillDate,
    BillType,
    Status,
    Trigger,
    StaffId,
    LeaseHolder,
    LeaseUntilMs,
    BillRows,
    Matched,
    Mismatches,
    BillPaidFee,
    BillRefundFee,
    LocalPaidFee,
    LocalRefundFee,
    Error,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayReconciliationItems {
    Table,
    Id,
    ReconciliationId,
    Kind,
    Entity,
    OutTradeNo,
    OutRefundNo,
    TransactionId,
    OrderId,
    LocalState,
    BillState,
    LocalFee,
    BillFee,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PayReconciliations::Table)
                    .col(big_pk_auto(PayReconciliations::Id))
                    .col(big_integer(PayReconciliations::AccountId))
                    .col(string_len(PayReconciliations::BillDate, 10))
                    .col(string_len(PayReconciliations::BillType, 16))
                    .col(string_len(PayReconciliations::Status, 16))
                    .col(string_len(PayReconciliations::Trigger, 16))
                    .col(big_integer_null(PayReconciliations::StaffId))
                    .col(string_len_null(PayReconciliations::LeaseHolder, 64))
                    .col(big_integer(PayReconciliations::LeaseUntilMs))
                    .col(big_integer(PayReconciliations::BillRows))
                    .col(big_integer(PayReconciliations::Matched))
                    .col(big_integer(PayReconciliations::Mismatches))
                    .col(big_integer(PayReconciliations::BillPaidFee))
                    .col(big_integer(PayReconciliations::BillRefundFee))
                    .col(big_integer(PayReconciliations::LocalPaidFee))
                    .col(big_integer(PayReconciliations::LocalRefundFee))
                    .col(text_null(PayReconciliations::Error))
                    .col(ts(manager, PayReconciliations::CreatedAt, false))
                    .col(ts(manager, PayReconciliations::UpdatedAt, false))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_pay_reconciliations_account")
                            .from(PayReconciliations::Table, PayReconciliations::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_pay_reconciliations_day")
                    .table(PayReconciliations::Table)
                    .col(PayReconciliations::AccountId)
                    .col(PayReconciliations::BillDate)
                    .col(PayReconciliations::BillType)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PayReconciliationItems::Table)
                    .col(big_pk_auto(PayReconciliationItems::Id))
                    .col(big_integer(PayReconciliationItems::ReconciliationId))
                    .col(string_len(PayReconciliationItems::Kind, 24))
                    .col(string_len(PayReconciliationItems::Entity, 16))
                    .col(string_len(PayReconciliationItems::OutTradeNo, 64))
                    .col(string_len_null(PayReconciliationItems::OutRefundNo, 64))
                    .col(string_len_null(PayReconciliationItems::TransactionId, 64))
                    .col(big_integer_null(PayReconciliationItems::OrderId))
                    .col(string_len_null(PayReconciliationItems::LocalState, 16))
                    .col(string_len_null(PayReconciliationItems::BillState, 16))
                    .col(big_integer_null(PayReconciliationItems::LocalFee))
                    .col(big_integer_null(PayReconciliationItems::BillFee))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_pay_reconciliation_items_report")
                            .from(
                                PayReconciliationItems::Table,
                                PayReconciliationItems::ReconciliationId,
                            )
                            .to(PayReconciliations::Table, PayReconciliations::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pay_reconciliation_items_report")
                    .table(PayReconciliationItems::Table)
                    .col(PayReconciliationItems::ReconciliationId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PayReconciliationItems::Table.into_iden(),
            PayReconciliations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
