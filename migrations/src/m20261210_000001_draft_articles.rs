//! Multi-article drafts: a draft's articles (1–8, in order) get a table of their own, the draft
//! row records where it came from (written here, or imported from WeChat's draft box or its
//! published articles), and images uploaded through `uploadimg` are kept so the portal can show
//! them without hot-linking WeChat's image host. Existing drafts become one-article drafts.

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
enum ArticleDrafts {
    Table,
    Id,
    AccountId,
    MediaId,
    ArticleId,
    Origin,
}

#[derive(DeriveIden)]
enum ArticleDraftArticles {
    Table,
    Id,
    DraftId,
    Seq,
    Title,
    Author,
    Digest,
    Content,
    ContentSourceUrl,
    ThumbMediaId,
    NeedOpenComment,
    OnlyFansCanComment,
}

#[derive(DeriveIden)]
enum ArticleImages {
    Table,
    Id,
    AccountId,
    Url,
    ContentType,
    Bytes,
    CreatedAt,
}

/// Bytes up to `uploadimg`'s 1 MB: `mediumblob` on MySQL/MariaDB (a plain `blob` stops at
/// 64 KiB), `blob` on SQLite, `bytea` on PostgreSQL.
fn medium_blob<T: IntoIden>(manager: &SchemaManager, col: T) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    if manager.get_database_backend() == sea_orm::DbBackend::MySql {
        def.custom(Alias::new("mediumblob"));
    } else {
        def.blob();
    }
    def.not_null();
    def
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ArticleDraftArticles::Table)
                    .col(big_pk_auto(ArticleDraftArticles::Id))
                    .col(big_integer(ArticleDraftArticles::DraftId))
                    .col(integer(ArticleDraftArticles::Seq))
                    .col(string_len(ArticleDraftArticles::Title, 255))
                    .col(string_len(ArticleDraftArticles::Author, 64))
                    .col(text(ArticleDraftArticles::Digest))
                    .col(long_text(manager, ArticleDraftArticles::Content))
                    .col(text(ArticleDraftArticles::ContentSourceUrl))
                    .col(string_len(ArticleDraftArticles::ThumbMediaId, 191))
                    .col(boolean(ArticleDraftArticles::NeedOpenComment))
                    .col(boolean(ArticleDraftArticles::OnlyFansCanComment))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_draft_articles_draft")
                            .from(ArticleDraftArticles::Table, ArticleDraftArticles::DraftId)
                            .to(ArticleDrafts::Table, ArticleDrafts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One article per place: a reorder rewrites the places in one transaction.
        manager
            .create_index(
                Index::create()
                    .name("idx_article_draft_articles_seq")
                    .table(ArticleDraftArticles::Table)
                    .col(ArticleDraftArticles::DraftId)
                    .col(ArticleDraftArticles::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ArticleDrafts::Table)
                    .add_column(string_len(ArticleDrafts::Origin, 16).default("portal"))
                    .to_owned(),
            )
            .await?;
        // One portal draft per WeChat draft and per publication: an import run twice (or two
        // at once) cannot store one twice. NULLs (not saved there yet) do not collide.
        for (name, col) in [
            ("idx_article_drafts_media_id", ArticleDrafts::MediaId),
            ("idx_article_drafts_article_id", ArticleDrafts::ArticleId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ArticleDrafts::Table)
                        .col(ArticleDrafts::AccountId)
                        .col(col)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        // Every existing draft is its own first article (same SQL on the three databases).
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO article_draft_articles (draft_id, seq, title, author, digest, content, \
                 content_source_url, thumb_media_id, need_open_comment, only_fans_can_comment) \
                 SELECT id, 0, title, author, digest, content, content_source_url, thumb_media_id, \
                 need_open_comment, only_fans_can_comment FROM article_drafts",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleImages::Table)
                    .col(big_pk_auto(ArticleImages::Id))
                    .col(big_integer(ArticleImages::AccountId))
                    .col(string_len(ArticleImages::Url, 255))
                    .col(string_len(ArticleImages::ContentType, 64))
                    .col(medium_blob(manager, ArticleImages::Bytes))
                    .col(ts(manager, ArticleImages::CreatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_images_account")
                            .from(ArticleImages::Table, ArticleImages::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_images_url")
                    .table(ArticleImages::Table)
                    .col(ArticleImages::AccountId)
                    .col(ArticleImages::Url)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ArticleImages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ArticleDraftArticles::Table).to_owned())
            .await?;
        for name in [
            "idx_article_drafts_media_id",
            "idx_article_drafts_article_id",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(ArticleDrafts::Table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ArticleDrafts::Table)
                    .drop_column(ArticleDrafts::Origin)
                    .to_owned(),
            )
            .await
    }
}
