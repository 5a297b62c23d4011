//! The follower's "my orders" page lists a payer's orders of the merchants linked to an Official
//! Account: `WHERE payer_openid = ? AND account_id IN (…) ORDER BY id DESC`, served by this index
//! instead of a scan of every order.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PayOrders {
    Table,
    PayerOpenid,
    AccountId,
    Id,
}

const NAME: &str = "idx_pay_orders_payer";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(PayOrders::Table)
                    .col(PayOrders::PayerOpenid)
                    .col(PayOrders::AccountId)
                    .col(PayOrders::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(PayOrders::Table).to_owned())
            .await
    }
}
