//! WeChat access tokens shared by every instance (`wechat_tokens`), the lease rows of the
//! cross-instance refresh lock (`wechat_token_leases`), daily token-fetch counters
//! (`wechat_token_fetches`), and which sandbox demo accounts were created (`sandbox_demo`).
//!
//! Times are Unix seconds (tokens) or milliseconds (leases) in `bigint` columns: the token
//! manager works in Unix time and the three backends agree on integers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WechatTokens {
    Table,
    TokenKey,
    Ciphertext,
    ExpiresAt,
    FetchedAt,
}

#[derive(DeriveIden)]
enum WechatTokenLeases {
    Table,
    TokenKey,
    Holder,
    ExpiresAtMs,
}

#[derive(DeriveIden)]
enum WechatTokenFetches {
    Table,
    TokenKey,
    Day,
    Count,
}

#[derive(DeriveIden)]
enum SandboxDemo {
    Table,
    Name,
    AccountId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WechatTokens::Table)
                    .col(string_len(WechatTokens::TokenKey, 191).primary_key())
                    .col(text(WechatTokens::Ciphertext))
                    .col(big_integer(WechatTokens::ExpiresAt))
                    .col(big_integer(WechatTokens::FetchedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WechatTokenLeases::Table)
                    .col(string_len(WechatTokenLeases::TokenKey, 191).primary_key())
                    .col(string_len(WechatTokenLeases::Holder, 64))
                    .col(big_integer(WechatTokenLeases::ExpiresAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WechatTokenFetches::Table)
                    .col(string_len(WechatTokenFetches::TokenKey, 191))
                    .col(string_len(WechatTokenFetches::Day, 10))
                    .col(big_integer(WechatTokenFetches::Count))
                    .primary_key(
                        Index::create()
                            .col(WechatTokenFetches::TokenKey)
                            .col(WechatTokenFetches::Day),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxDemo::Table)
                    .col(string_len(SandboxDemo::Name, 64).primary_key())
                    .col(big_integer_null(SandboxDemo::AccountId))
                    .col(big_integer(SandboxDemo::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxDemo::Table.into_iden(),
            WechatTokenFetches::Table.into_iden(),
            WechatTokenLeases::Table.into_iden(),
            WechatTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
