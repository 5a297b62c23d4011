//! Parametric QR codes of Official Accounts (`oa_qrcodes`) and every scan attributed to one
//! (`oa_qrcode_scans`, from the `subscribe` / `SCAN` callbacks), plus an index for the follower
//! list's filter on the QR scene.

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
    AccountId,
    QrScene,
}

#[derive(DeriveIden)]
enum OaQrcodes {
    Table,
    Id,
    AccountId,
    Name,
    Note,
    Permanent,
    Scene,
    SceneIsStr,
    Ticket,
    Url,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OaQrcodeScans {
    Table,
    Id,
    AccountId,
    QrcodeId,
    Openid,
    Subscribe,
    Day,
    InboundId,
    ScannedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OaQrcodes::Table)
                    .col(big_pk_auto(OaQrcodes::Id))
                    .col(big_integer(OaQrcodes::AccountId))
                    .col(string_len(OaQrcodes::Name, 64))
                    .col(text(OaQrcodes::Note))
                    .col(boolean(OaQrcodes::Permanent))
                    .col(string_len(OaQrcodes::Scene, 64))
                    .col(boolean(OaQrcodes::SceneIsStr))
                    .col(text(OaQrcodes::Ticket))
                    .col(string_len(OaQrcodes::Url, 255))
                    .col(ts(manager, OaQrcodes::ExpiresAt, true))
                    .col(string_len(OaQrcodes::CreatedBy, 64))
                    .col(ts(manager, OaQrcodes::CreatedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_oa_qrcodes_account")
                            .from(OaQrcodes::Table, OaQrcodes::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A callback's scene finds its code.
        manager
            .create_index(
                Index::create()
                    .name("idx_oa_qrcodes_account_scene")
                    .table(OaQrcodes::Table)
                    .col(OaQrcodes::AccountId)
                    .col(OaQrcodes::Scene)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OaQrcodeScans::Table)
                    .col(big_pk_auto(OaQrcodeScans::Id))
                    .col(big_integer(OaQrcodeScans::AccountId))
                    .col(big_integer(OaQrcodeScans::QrcodeId))
                    .col(string_len(OaQrcodeScans::Openid, 64))
                    // true: a subscription through the code; false: `SCAN` by a follower.
                    .col(boolean(OaQrcodeScans::Subscribe))
                    // `YYYY-MM-DD` in China Standard Time, grouped on for the daily chart.
                    .col(string_len(OaQrcodeScans::Day, 10))
                    .col(big_integer(OaQrcodeScans::InboundId))
                    .col(ts(manager, OaQrcodeScans::ScannedAt, false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_oa_qrcode_scans_qrcode")
                            .from(OaQrcodeScans::Table, OaQrcodeScans::QrcodeId)
                            .to(OaQrcodes::Table, OaQrcodes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "idx_oa_qrcode_scans_day",
                vec![
                    OaQrcodeScans::QrcodeId.into_iden(),
                    OaQrcodeScans::Day.into_iden(),
                ],
                false,
            ),
            (
                "idx_oa_qrcode_scans_openid",
                vec![
                    OaQrcodeScans::QrcodeId.into_iden(),
                    OaQrcodeScans::Openid.into_iden(),
                ],
                false,
            ),
            // One scan per stored callback message.
            (
                "uq_oa_qrcode_scans_inbound",
                vec![OaQrcodeScans::InboundId.into_iden()],
                true,
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(OaQrcodeScans::Table);
            for c in cols {
                idx.col(c);
            }
            if unique {
                idx.unique();
            }
            manager.create_index(idx.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_followers_account_qr_scene")
                    .table(Followers::Table)
                    .col(Followers::AccountId)
                    .col(Followers::QrScene)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_followers_account_qr_scene")
                    .table(Followers::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(OaQrcodeScans::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OaQrcodes::Table).to_owned())
            .await
    }
}
