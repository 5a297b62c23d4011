//! WeChat Pay v2: products, orders (amounts in fen as BIGINT, unique `out_trade_no`), order
//! transitions with their cause and raw payload, refunds (unique `out_refund_no`) and every
//! notification received, raw.

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
enum PayProducts {
    Table,
    Id,
    AccountId,
    Name,
    Description,
    PriceFen,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayOrders {
    Table,
    Id,
    AccountId,
    ProductId,
    OutTradeNo,
    Body,
    Detail,
    Attach,
    TotalFee,
    FeeType,
    TradeType,
    SignType,
    State,
    PayerOpenid,
    TransactionId,
    PrepayId,
    CodeUrl,
    RefundedFee,
    TimeStart,
    TimeExpire,
    TimeEnd,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayOrderTransitions {
    Table,
    Id,
    OrderId,
    FromState,
    ToState,
    Cause,
    StaffId,
    Note,
    RawPayload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PayRefunds {
    Table,
    Id,
    AccountId,
    OrderId,
    OutRefundNo,
    RefundId,
    RefundFee,
    TotalFee,
    State,
    Reason,
    StaffId,
    SuccessTime,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PayNotifications {
    Table,
    Id,
    AccountId,
    OrderId,
    Kind,
    Outcome,
    Reason,
    Body,
    ReceivedAt,
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    if unique {
        idx.unique();
    }
    manager.create_index(idx.to_owned()).await
}

fn fk_account(name: &str, table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn fk_order(name: &str, table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(PayOrders::Table, PayOrders::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PayProducts::Table)
                    .col(big_pk_auto(PayProducts::Id))
                    .col(big_integer(PayProducts::AccountId))
                    .col(string_len(PayProducts::Name, 128))
                    .col(text(PayProducts::Description))
                    .col(big_integer(PayProducts::PriceFen))
                    .col(boolean(PayProducts::Active))
                    .col(ts(manager, PayProducts::CreatedAt, false))
                    .col(ts(manager, PayProducts::UpdatedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_pay_products_account",
                        PayProducts::Table,
                        PayProducts::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_pay_products_account",
            PayProducts::Table,
            vec![PayProducts::AccountId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PayOrders::Table)
                    .col(big_pk_auto(PayOrders::Id))
                    .col(big_integer(PayOrders::AccountId))
                    .col(big_integer_null(PayOrders::ProductId))
                    .col(string_len(PayOrders::OutTradeNo, 32))
                    .col(string_len(PayOrders::Body, 128))
                    .col(text_null(PayOrders::Detail))
                    .col(string_len_null(PayOrders::Attach, 127))
                    .col(big_integer(PayOrders::TotalFee))
                    .col(string_len(PayOrders::FeeType, 8))
                    .col(string_len(PayOrders::TradeType, 16))
                    .col(string_len(PayOrders::SignType, 16))
                    .col(string_len(PayOrders::State, 16))
                    .col(string_len_null(PayOrders::PayerOpenid, 128))
                    .col(string_len_null(PayOrders::TransactionId, 32))
                    .col(string_len_null(PayOrders::PrepayId, 64))
                    .col(string_len_null(PayOrders::CodeUrl, 256))
                    .col(big_integer(PayOrders::RefundedFee))
                    .col(ts(manager, PayOrders::TimeStart, false))
                    .col(ts(manager, PayOrders::TimeExpire, false))
                    .col(ts(manager, PayOrders::TimeEnd, true))
                    .col(ts(manager, PayOrders::CreatedAt, false))
                    .col(ts(manager, PayOrders::UpdatedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_pay_orders_account",
                        PayOrders::Table,
                        PayOrders::AccountId,
                    ))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_pay_orders_product")
                            .from(PayOrders::Table, PayOrders::ProductId)
                            .to(PayProducts::Table, PayProducts::Id)
                            .on_delete(ForeignKeyAction::SetNull)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_pay_orders_out_trade_no",
            PayOrders::Table,
            vec![PayOrders::OutTradeNo.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "idx_pay_orders_account_created",
            PayOrders::Table,
            vec![
                PayOrders::AccountId.into_iden(),
                PayOrders::CreatedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_pay_orders_account_state",
            PayOrders::Table,
            vec![
                PayOrders::AccountId.into_iden(),
                PayOrders::State.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PayOrderTransitions::Table)
                    .col(big_pk_auto(PayOrderTransitions::Id))
                    .col(big_integer(PayOrderTransitions::OrderId))
                    .col(string_len(PayOrderTransitions::FromState, 16))
                    .col(string_len(PayOrderTransitions::ToState, 16))
                    .col(string_len(PayOrderTransitions::Cause, 16))
                    .col(big_integer_null(PayOrderTransitions::StaffId))
                    .col(text_null(PayOrderTransitions::Note))
                    .col(text_null(PayOrderTransitions::RawPayload))
                    .col(ts(manager, PayOrderTransitions::CreatedAt, false))
                    .foreign_key(&mut fk_order(
                        "fk_pay_order_transitions_order",
                        PayOrderTransitions::Table,
                        PayOrderTransitions::OrderId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_pay_order_transitions_order",
            PayOrderTransitions::Table,
            vec![PayOrderTransitions::OrderId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PayRefunds::Table)
                    .col(big_pk_auto(PayRefunds::Id))
                    .col(big_integer(PayRefunds::AccountId))
                    .col(big_integer(PayRefunds::OrderId))
                    .col(string_len(PayRefunds::OutRefundNo, 64))
                    .col(string_len_null(PayRefunds::RefundId, 32))
                    .col(big_integer(PayRefunds::RefundFee))
                    .col(big_integer(PayRefunds::TotalFee))
                    .col(string_len(PayRefunds::State, 16))
                    .col(text_null(PayRefunds::Reason))
                    .col(big_integer_null(PayRefunds::StaffId))
                    .col(ts(manager, PayRefunds::SuccessTime, true))
                    .col(ts(manager, PayRefunds::CreatedAt, false))
                    .col(ts(manager, PayRefunds::UpdatedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_pay_refunds_account",
                        PayRefunds::Table,
                        PayRefunds::AccountId,
                    ))
                    .foreign_key(&mut fk_order(
                        "fk_pay_refunds_order",
                        PayRefunds::Table,
                        PayRefunds::OrderId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_pay_refunds_out_refund_no",
            PayRefunds::Table,
            vec![PayRefunds::OutRefundNo.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "idx_pay_refunds_order",
            PayRefunds::Table,
            vec![PayRefunds::OrderId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PayNotifications::Table)
                    .col(big_pk_auto(PayNotifications::Id))
                    .col(big_integer(PayNotifications::AccountId))
                    .col(big_integer_null(PayNotifications::OrderId))
                    .col(string_len(PayNotifications::Kind, 16))
                    .col(string_len(PayNotifications::Outcome, 16))
                    .col(text_null(PayNotifications::Reason))
                    .col(text(PayNotifications::Body))
                    .col(ts(manager, PayNotifications::ReceivedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_pay_notifications_account",
                        PayNotifications::Table,
                        PayNotifications::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_pay_notifications_account_received",
            PayNotifications::Table,
            vec![
                PayNotifications::AccountId.into_iden(),
                PayNotifications::ReceivedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_pay_notifications_order",
            PayNotifications::Table,
            vec![PayNotifications::OrderId.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PayNotifications::Table.into_iden(),
            PayRefunds::Table.into_iden(),
            PayOrderTransitions::Table.into_iden(),
            PayOrders::Table.into_iden(),
            PayProducts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
