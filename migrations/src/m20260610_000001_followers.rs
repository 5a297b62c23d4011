//! Followers management: the follower profile WeChat gives (`user/info`), user tags and legacy
//! groups mirrored from WeChat, tag membership (`follower_tags`), and full-sync jobs with their
//! checkpoint plus the per-account lease that keeps one sync per account across instances.
//!
//! Indexes serve the follower list at a million rows: every filter is `account_id` + one
//! indexed column, and paging walks `(account_id, id)`.

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
enum Followers {
    Table,
    Id,
    AccountId,
    Subscribed,
    SubscribeTime,
    SubscribeScene,
    Unionid,
    Nickname,
    Language,
    GroupId,
    SyncedAt,
    SeenSyncId,
}

#[derive(DeriveIden)]
enum FollowerTags {
    Table,
    FollowerId,
    AccountId,
    TagId,
}

#[derive(DeriveIden)]
enum OaTags {
    Table,
    Id,
    AccountId,
    WxId,
    Name,
    WxCount,
    SyncedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OaGroups {
    Table,
    Id,
    AccountId,
    WxId,
    Name,
    WxCount,
    SyncedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FollowerSyncJobs {
    Table,
    Id,
    AccountId,
    Status,
    Phase,
    StartedBy,
    Total,
    Stored,
    Calls,
    Retries,
    PageOpenid,
    PageOffset,
    ResumedFrom,
    Error,
    StartedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum FollowerSyncLeases {
    Table,
    AccountId,
    Holder,
    ExpiresAtMs,
}

fn fk_account(name: &str, from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
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
        // SQLite adds one column per ALTER TABLE.
        let add = |col: ColumnDef| {
            Table::alter()
                .table(Followers::Table)
                .add_column(col)
                .to_owned()
        };
        manager
            .alter_table(add(string_len_null(Followers::Unionid, 128)))
            .await?;
        manager
            .alter_table(add(string_len_null(Followers::Nickname, 128)))
            .await?;
        manager
            .alter_table(add(string_len_null(Followers::Language, 16)))
            .await?;
        manager
            .alter_table(add(big_integer_null(Followers::GroupId)))
            .await?;
        manager
            .alter_table(add(ts(manager, Followers::SyncedAt, true)))
            .await?;
        manager
            .alter_table(add(big_integer_null(Followers::SeenSyncId)))
            .await?;
        for (name, cols) in [
            (
                "idx_followers_account_subscribed",
                vec![
                    Followers::AccountId.into_iden(),
                    Followers::Subscribed.into_iden(),
                    Followers::Id.into_iden(),
                ],
            ),
            (
                "idx_followers_account_subscribe_time",
                vec![
                    Followers::AccountId.into_iden(),
                    Followers::SubscribeTime.into_iden(),
                ],
            ),
            (
                "idx_followers_account_scene",
                vec![
                    Followers::AccountId.into_iden(),
                    Followers::SubscribeScene.into_iden(),
                ],
            ),
            (
                "idx_followers_account_group",
                vec![
                    Followers::AccountId.into_iden(),
                    Followers::GroupId.into_iden(),
                ],
            ),
        ] {
            index(manager, name, Followers::Table, cols, false).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(FollowerTags::Table)
                    .col(big_integer(FollowerTags::FollowerId))
                    .col(big_integer(FollowerTags::AccountId))
                    .col(big_integer(FollowerTags::TagId))
                    .primary_key(
                        Index::create()
                            .col(FollowerTags::FollowerId)
                            .col(FollowerTags::TagId),
                    )
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_follower_tags_follower")
                            .from(FollowerTags::Table, FollowerTags::FollowerId)
                            .to(Followers::Table, Followers::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_follower_tags_account_tag",
            FollowerTags::Table,
            vec![
                FollowerTags::AccountId.into_iden(),
                FollowerTags::TagId.into_iden(),
                FollowerTags::FollowerId.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OaTags::Table)
                    .col(big_pk_auto(OaTags::Id))
                    .col(big_integer(OaTags::AccountId))
                    .col(big_integer(OaTags::WxId))
                    .col(string_len(OaTags::Name, 64))
                    .col(big_integer_null(OaTags::WxCount))
                    .col(ts(manager, OaTags::SyncedAt, true))
                    .col(ts(manager, OaTags::UpdatedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_oa_tags_account",
                        (OaTags::Table, OaTags::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_oa_tags_account_wx",
            OaTags::Table,
            vec![OaTags::AccountId.into_iden(), OaTags::WxId.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OaGroups::Table)
                    .col(big_pk_auto(OaGroups::Id))
                    .col(big_integer(OaGroups::AccountId))
                    .col(big_integer(OaGroups::WxId))
                    .col(string_len(OaGroups::Name, 64))
                    .col(big_integer_null(OaGroups::WxCount))
                    .col(ts(manager, OaGroups::SyncedAt, true))
                    .col(ts(manager, OaGroups::UpdatedAt, false))
                    .foreign_key(&mut fk_account(
                        "fk_oa_groups_account",
                        (OaGroups::Table, OaGroups::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_oa_groups_account_wx",
            OaGroups::Table,
            vec![OaGroups::AccountId.into_iden(), OaGroups::WxId.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(FollowerSyncJobs::Table)
                    .col(big_pk_auto(FollowerSyncJobs::Id))
                    .col(big_integer(FollowerSyncJobs::AccountId))
                    .col(string_len(FollowerSyncJobs::Status, 16))
                    .col(string_len(FollowerSyncJobs::Phase, 16))
                    .col(string_len(FollowerSyncJobs::StartedBy, 64))
                    .col(big_integer(FollowerSyncJobs::Total))
                    .col(big_integer(FollowerSyncJobs::Stored))
                    .col(big_integer(FollowerSyncJobs::Calls))
                    .col(big_integer(FollowerSyncJobs::Retries))
                    .col(string_len(FollowerSyncJobs::PageOpenid, 128))
                    .col(big_integer(FollowerSyncJobs::PageOffset))
                    .col(big_integer(FollowerSyncJobs::ResumedFrom))
                    .col(text_null(FollowerSyncJobs::Error))
                    .col(ts(manager, FollowerSyncJobs::StartedAt, false))
                    .col(ts(manager, FollowerSyncJobs::UpdatedAt, false))
                    .col(ts(manager, FollowerSyncJobs::FinishedAt, true))
                    .foreign_key(&mut fk_account(
                        "fk_follower_sync_jobs_account",
                        (FollowerSyncJobs::Table, FollowerSyncJobs::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_follower_sync_jobs_account",
            FollowerSyncJobs::Table,
            vec![
                FollowerSyncJobs::AccountId.into_iden(),
                FollowerSyncJobs::Id.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(FollowerSyncLeases::Table)
                    .col(big_integer(FollowerSyncLeases::AccountId).primary_key())
                    .col(string_len(FollowerSyncLeases::Holder, 64))
                    .col(big_integer(FollowerSyncLeases::ExpiresAtMs))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            FollowerSyncLeases::Table.into_iden(),
            FollowerSyncJobs::Table.into_iden(),
            OaGroups::Table.into_iden(),
            OaTags::Table.into_iden(),
            FollowerTags::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        for name in [
            "idx_followers_account_subscribed",
            "idx_followers_account_subscribe_time",
            "idx_followers_account_scene",
            "idx_followers_account_group",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Followers::Table).to_owned())
                .await?;
        }
        for c in [
            Followers::SeenSyncId,
            Followers::SyncedAt,
            Followers::GroupId,
            Followers::Language,
            Followers::Nickname,
            Followers::Unionid,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Followers::Table)
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
