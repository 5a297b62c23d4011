//! The callback gateway: followers (minimal), inbound messages with their de-duplication key,
//! outbound messages, callback deliveries (the inspector), the nonce replay cache and reply rules.

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
    Openid,
    Subscribed,
    SubscribeTime,
    SubscribeScene,
    QrScene,
    Remark,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InboundMessages {
    Table,
    Id,
    AccountId,
    DedupKey,
    FromUser,
    ToUser,
    MsgType,
    Event,
    EventKey,
    MsgId,
    Content,
    CreateTime,
    RawXml,
    Parsed,
    RuleId,
    ReplyXml,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum OutboundMessages {
    Table,
    Id,
    AccountId,
    ToUser,
    InboundId,
    Channel,
    MsgType,
    Content,
    Body,
    Status,
    Error,
    RuleId,
    StaffId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CallbackDeliveries {
    Table,
    Id,
    AccountId,
    ReceivedAt,
    Method,
    Query,
    Body,
    Outcome,
    StatusCode,
    Diagnosis,
    DecryptedXml,
    InboundId,
    DedupHit,
    DurationMs,
    ReplyMode,
    ReplyXml,
    Replay,
    ReplayOf,
}

#[derive(DeriveIden)]
enum CallbackNonces {
    Table,
    Id,
    AccountId,
    NonceKey,
    BodyHash,
    SeenAt,
}

#[derive(DeriveIden)]
enum ReplyRules {
    Table,
    Id,
    AccountId,
    Name,
    Enabled,
    Priority,
    Triggers,
    Conditions,
    Replies,
    HitCount,
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
                    .table(Followers::Table)
                    .col(big_pk_auto(Followers::Id))
                    .col(big_integer(Followers::AccountId))
                    .col(string_len(Followers::Openid, 128))
                    .col(boolean(Followers::Subscribed))
                    .col(ts(manager, Followers::SubscribeTime, true))
                    .col(string_len_null(Followers::SubscribeScene, 64))
                    .col(string_len_null(Followers::QrScene, 128))
                    .col(string_len_null(Followers::Remark, 64))
                    .col(text(Followers::Tags))
                    .col(ts(manager, Followers::CreatedAt, false))
                    .col(ts(manager, Followers::UpdatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_followers_account",
                        (Followers::Table, Followers::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_followers_account_openid",
            Followers::Table,
            vec![
                Followers::AccountId.into_iden(),
                Followers::Openid.into_iden(),
            ],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(InboundMessages::Table)
                    .col(big_pk_auto(InboundMessages::Id))
                    .col(big_integer(InboundMessages::AccountId))
                    .col(string_len(InboundMessages::DedupKey, 64))
                    .col(string_len(InboundMessages::FromUser, 128))
                    .col(string_len(InboundMessages::ToUser, 128))
                    .col(string_len(InboundMessages::MsgType, 32))
                    .col(string_len_null(InboundMessages::Event, 64))
                    .col(text_null(InboundMessages::EventKey))
                    .col(string_len_null(InboundMessages::MsgId, 64))
                    .col(text_null(InboundMessages::Content))
                    .col(big_integer(InboundMessages::CreateTime))
                    .col(text(InboundMessages::RawXml))
                    .col(text(InboundMessages::Parsed))
                    .col(big_integer_null(InboundMessages::RuleId))
                    .col(text_null(InboundMessages::ReplyXml))
                    .col(ts(manager, InboundMessages::ReceivedAt, false))
                    .foreign_key(&mut fk(
                        "fk_inbound_messages_account",
                        (InboundMessages::Table, InboundMessages::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_inbound_messages_dedup",
            InboundMessages::Table,
            vec![
                InboundMessages::AccountId.into_iden(),
                InboundMessages::DedupKey.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_inbound_messages_account_received",
            InboundMessages::Table,
            vec![
                InboundMessages::AccountId.into_iden(),
                InboundMessages::ReceivedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_inbound_messages_account_from",
            InboundMessages::Table,
            vec![
                InboundMessages::AccountId.into_iden(),
                InboundMessages::FromUser.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboundMessages::Table)
                    .col(big_pk_auto(OutboundMessages::Id))
                    .col(big_integer(OutboundMessages::AccountId))
                    .col(string_len(OutboundMessages::ToUser, 128))
                    .col(big_integer_null(OutboundMessages::InboundId))
                    .col(string_len(OutboundMessages::Channel, 32))
                    .col(string_len(OutboundMessages::MsgType, 32))
                    .col(text(OutboundMessages::Content))
                    .col(text(OutboundMessages::Body))
                    .col(string_len(OutboundMessages::Status, 16))
                    .col(text_null(OutboundMessages::Error))
                    .col(big_integer_null(OutboundMessages::RuleId))
                    .col(big_integer_null(OutboundMessages::StaffId))
                    .col(ts(manager, OutboundMessages::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_outbound_messages_account",
                        (OutboundMessages::Table, OutboundMessages::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_outbound_messages_account_created",
            OutboundMessages::Table,
            vec![
                OutboundMessages::AccountId.into_iden(),
                OutboundMessages::CreatedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_outbound_messages_account_to",
            OutboundMessages::Table,
            vec![
                OutboundMessages::AccountId.into_iden(),
                OutboundMessages::ToUser.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CallbackDeliveries::Table)
                    .col(big_pk_auto(CallbackDeliveries::Id))
                    .col(big_integer(CallbackDeliveries::AccountId))
                    .col(ts(manager, CallbackDeliveries::ReceivedAt, false))
                    .col(string_len(CallbackDeliveries::Method, 8))
                    .col(text(CallbackDeliveries::Query))
                    .col(text(CallbackDeliveries::Body))
                    .col(string_len(CallbackDeliveries::Outcome, 32))
                    .col(integer(CallbackDeliveries::StatusCode))
                    .col(text_null(CallbackDeliveries::Diagnosis))
                    .col(text_null(CallbackDeliveries::DecryptedXml))
                    .col(big_integer_null(CallbackDeliveries::InboundId))
                    .col(boolean(CallbackDeliveries::DedupHit))
                    .col(big_integer(CallbackDeliveries::DurationMs))
                    .col(string_len(CallbackDeliveries::ReplyMode, 16))
                    .col(text_null(CallbackDeliveries::ReplyXml))
                    .col(boolean(CallbackDeliveries::Replay))
                    .col(big_integer_null(CallbackDeliveries::ReplayOf))
                    .foreign_key(&mut fk(
                        "fk_callback_deliveries_account",
                        (CallbackDeliveries::Table, CallbackDeliveries::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_callback_deliveries_account_received",
            CallbackDeliveries::Table,
            vec![
                CallbackDeliveries::AccountId.into_iden(),
                CallbackDeliveries::ReceivedAt.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CallbackNonces::Table)
                    .col(big_pk_auto(CallbackNonces::Id))
                    .col(big_integer(CallbackNonces::AccountId))
                    .col(string_len(CallbackNonces::NonceKey, 64))
                    .col(string_len(CallbackNonces::BodyHash, 64))
                    .col(ts(manager, CallbackNonces::SeenAt, false))
                    .foreign_key(&mut fk(
                        "fk_callback_nonces_account",
                        (CallbackNonces::Table, CallbackNonces::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_callback_nonces_key",
            CallbackNonces::Table,
            vec![
                CallbackNonces::AccountId.into_iden(),
                CallbackNonces::NonceKey.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_callback_nonces_seen",
            CallbackNonces::Table,
            vec![CallbackNonces::SeenAt.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReplyRules::Table)
                    .col(big_pk_auto(ReplyRules::Id))
                    .col(big_integer_null(ReplyRules::AccountId))
                    .col(string_len(ReplyRules::Name, 128))
                    .col(boolean(ReplyRules::Enabled))
                    .col(integer(ReplyRules::Priority))
                    .col(text(ReplyRules::Triggers))
                    .col(text(ReplyRules::Conditions))
                    .col(text(ReplyRules::Replies))
                    .col(big_integer(ReplyRules::HitCount))
                    .col(ts(manager, ReplyRules::CreatedAt, false))
                    .col(ts(manager, ReplyRules::UpdatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_reply_rules_account",
                        (ReplyRules::Table, ReplyRules::AccountId),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_reply_rules_account",
            ReplyRules::Table,
            vec![ReplyRules::AccountId.into_iden()],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ReplyRules::Table.into_iden(),
            CallbackNonces::Table.into_iden(),
            CallbackDeliveries::Table.into_iden(),
            OutboundMessages::Table.into_iden(),
            InboundMessages::Table.into_iden(),
            Followers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
