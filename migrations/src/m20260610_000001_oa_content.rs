//! Official Account content: menu versions and the editor's draft, conditional menus, materials
//! (permanent and temporary), and article drafts with their publishing state.

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
enum MenuVersions {
    Table,
    Id,
    AccountId,
    Number,
    Buttons,
    Source,
    RollbackOf,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MenuDrafts {
    Table,
    AccountId,
    Buttons,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConditionalMenus {
    Table,
    Id,
    AccountId,
    Menuid,
    Buttons,
    Matchrule,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Materials {
    Table,
    Id,
    AccountId,
    Kind,
    Temporary,
    MediaId,
    Name,
    Url,
    Size,
    ContentType,
    Title,
    Introduction,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    SyncedAt,
}

#[derive(DeriveIden)]
enum ArticleDrafts {
    Table,
    Id,
    AccountId,
    Title,
    Author,
    Digest,
    Content,
    ContentSourceUrl,
    ThumbMediaId,
    NeedOpenComment,
    OnlyFansCanComment,
    Status,
    MediaId,
    PublishId,
    ArticleId,
    ArticleUrls,
    PublishError,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

fn fk(name: &str, from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MenuVersions::Table)
                    .col(big_pk_auto(MenuVersions::Id))
                    .col(big_integer(MenuVersions::AccountId))
                    .col(big_integer(MenuVersions::Number))
                    .col(text(MenuVersions::Buttons))
                    .col(string_len(MenuVersions::Source, 16))
                    .col(big_integer_null(MenuVersions::RollbackOf))
                    .col(string_len(MenuVersions::Note, 500))
                    .col(string_len(MenuVersions::CreatedBy, 128))
                    .col(ts(manager, MenuVersions::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_menu_versions_account",
                        (MenuVersions::Table, MenuVersions::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        // Unique: two concurrent publishes cannot both take the same number.
        index(
            manager,
            "idx_menu_versions_account_number",
            MenuVersions::Table,
            vec![
                MenuVersions::AccountId.into_iden(),
                MenuVersions::Number.into_iden(),
            ],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(MenuDrafts::Table)
                    .col(big_integer(MenuDrafts::AccountId).primary_key())
                    .col(text(MenuDrafts::Buttons))
                    .col(string_len(MenuDrafts::UpdatedBy, 128))
                    .col(ts(manager, MenuDrafts::UpdatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_menu_drafts_account",
                        (MenuDrafts::Table, MenuDrafts::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConditionalMenus::Table)
                    .col(big_pk_auto(ConditionalMenus::Id))
                    .col(big_integer(ConditionalMenus::AccountId))
                    .col(string_len(ConditionalMenus::Menuid, 64))
                    .col(text(ConditionalMenus::Buttons))
                    .col(text(ConditionalMenus::Matchrule))
                    .col(string_len(ConditionalMenus::Note, 500))
                    .col(string_len(ConditionalMenus::CreatedBy, 128))
                    .col(ts(manager, ConditionalMenus::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_conditional_menus_account",
                        (ConditionalMenus::Table, ConditionalMenus::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_conditional_menus_account",
            ConditionalMenus::Table,
            vec![ConditionalMenus::AccountId.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Materials::Table)
                    .col(big_pk_auto(Materials::Id))
                    .col(big_integer(Materials::AccountId))
                    .col(string_len(Materials::Kind, 16))
                    .col(boolean(Materials::Temporary))
                    .col(string_len(Materials::MediaId, 191))
                    .col(string_len(Materials::Name, 255))
                    .col(text_null(Materials::Url))
                    .col(big_integer_null(Materials::Size))
                    .col(string_len_null(Materials::ContentType, 128))
                    .col(string_len_null(Materials::Title, 255))
                    .col(text_null(Materials::Introduction))
                    .col(string_len(Materials::CreatedBy, 128))
                    .col(ts(manager, Materials::CreatedAt, false))
                    .col(ts(manager, Materials::ExpiresAt, true))
                    .col(ts(manager, Materials::SyncedAt, true))
                    .foreign_key(&mut fk(
                        "fk_materials_account",
                        (Materials::Table, Materials::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_materials_account_media",
            Materials::Table,
            vec![
                Materials::AccountId.into_iden(),
                Materials::MediaId.into_iden(),
            ],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleDrafts::Table)
                    .col(big_pk_auto(ArticleDrafts::Id))
                    .col(big_integer(ArticleDrafts::AccountId))
                    .col(string_len(ArticleDrafts::Title, 255))
                    .col(string_len(ArticleDrafts::Author, 64))
                    .col(text(ArticleDrafts::Digest))
                    .col(long_text(manager, ArticleDrafts::Content))
                    .col(text(ArticleDrafts::ContentSourceUrl))
                    .col(string_len(ArticleDrafts::ThumbMediaId, 191))
                    .col(boolean(ArticleDrafts::NeedOpenComment))
                    .col(boolean(ArticleDrafts::OnlyFansCanComment))
                    .col(string_len(ArticleDrafts::Status, 16))
                    .col(string_len_null(ArticleDrafts::MediaId, 191))
                    .col(string_len_null(ArticleDrafts::PublishId, 64))
                    .col(string_len_null(ArticleDrafts::ArticleId, 191))
                    .col(text(ArticleDrafts::ArticleUrls))
                    .col(text_null(ArticleDrafts::PublishError))
                    .col(string_len(ArticleDrafts::CreatedBy, 128))
                    .col(ts(manager, ArticleDrafts::CreatedAt, false))
                    .col(ts(manager, ArticleDrafts::UpdatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_article_drafts_account",
                        (ArticleDrafts::Table, ArticleDrafts::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_article_drafts_account",
            ArticleDrafts::Table,
            vec![ArticleDrafts::AccountId.into_iden()],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ArticleDrafts::Table.into_iden(),
            Materials::Table.into_iden(),
            ConditionalMenus::Table.into_iden(),
            MenuDrafts::Table.into_iden(),
            MenuVersions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
