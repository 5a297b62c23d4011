//! Members' extended attributes (扩展属性) in the contacts mirror: the attributes as WeCom
//! returned them (a JSON list), null until the member is next read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WecomMembers {
    Table,
    Extattr,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WecomMembers::Table)
                    .add_column(text_null(WecomMembers::Extattr))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(WecomMembers::Table)
                    .drop_column(WecomMembers::Extattr)
                    .to_owned(),
            )
            .await
    }
}
