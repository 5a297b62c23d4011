//! WeCom contacts (通讯录): a local mirror of a WeCom app's departments, members (with their
//! departments, leader flags and main department), tags and tag members, and the full syncs
//! that fill it (resumable: members stored by a run carry its id).

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
enum WecomDepartments {
    Table,
    Id,
    AccountId,
    DeptId,
    Name,
    NameEn,
    ParentId,
    SortOrder,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WecomMembers {
    Table,
    Id,
    AccountId,
    Userid,
    Name,
    Alias,
    Position,
    Mobile,
    Email,
    Gender,
    Telephone,
    Restricted,
    Status,
    Enabled,
    MainDepartment,
    SyncJobId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WecomMemberDepartments {
    Table,
    Id,
    AccountId,
    Userid,
    DeptId,
    IsLeader,
    SortOrder,
}

#[derive(DeriveIden)]
enum WecomTags {
    Table,
    Id,
    AccountId,
    TagId,
    Name,
    CreatedHere,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WecomTagMembers {
    Table,
    Id,
    AccountId,
    TagId,
    MemberKind,
    MemberRef,
}

#[derive(DeriveIden)]
enum WecomContactSyncJobs {
    Table,
    Id,
    AccountId,
    Status,
    Phase,
    StartedBy,
    Departments,
    MembersTotal,
    MembersDone,
    Tags,
    Failed,
    Calls,
    Failures,
    Error,
    LeaseUntilMs,
    StartedAt,
    UpdatedAt,
    FinishedAt,
}

fn account_fk(
    name: &str,
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn unique(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    is_unique: bool,
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    if is_unique {
        idx.unique();
    }
    manager.create_index(idx.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use WecomDepartments as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(big_pk_auto(D::Id))
                    .col(big_integer(D::AccountId))
                    .col(big_integer(D::DeptId))
                    .col(string_len(D::Name, 128))
                    .col(string_len(D::NameEn, 128))
                    .col(big_integer(D::ParentId))
                    .col(big_integer(D::SortOrder))
                    .col(ts(manager, D::UpdatedAt, false))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_departments_account",
                        D::Table,
                        D::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_wecom_departments",
            D::Table,
            vec![D::AccountId.into_iden(), D::DeptId.into_iden()],
            true,
        )
        .await?;

        use WecomMembers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(big_pk_auto(M::Id))
                    .col(big_integer(M::AccountId))
                    .col(string_len(M::Userid, 64))
                    .col(string_len(M::Name, 128))
                    .col(string_len(M::Alias, 64))
                    .col(string_len(M::Position, 128))
                    .col(string_len_null(M::Mobile, 32))
                    .col(string_len_null(M::Email, 128))
                    .col(string_len_null(M::Gender, 4))
                    .col(string_len_null(M::Telephone, 64))
                    .col(boolean(M::Restricted))
                    .col(integer(M::Status))
                    .col(boolean(M::Enabled))
                    .col(big_integer(M::MainDepartment))
                    .col(big_integer_null(M::SyncJobId))
                    .col(ts(manager, M::UpdatedAt, false))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_members_account",
                        M::Table,
                        M::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_wecom_members",
            M::Table,
            vec![M::AccountId.into_iden(), M::Userid.into_iden()],
            true,
        )
        .await?;
        unique(
            manager,
            "idx_wecom_members_name",
            M::Table,
            vec![M::AccountId.into_iden(), M::Name.into_iden()],
            false,
        )
        .await?;

        use WecomMemberDepartments as MD;
        manager
            .create_table(
                Table::create()
                    .table(MD::Table)
                    .col(big_pk_auto(MD::Id))
                    .col(big_integer(MD::AccountId))
                    .col(string_len(MD::Userid, 64))
                    .col(big_integer(MD::DeptId))
                    .col(boolean(MD::IsLeader))
                    .col(big_integer(MD::SortOrder))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_member_departments_account",
                        MD::Table,
                        MD::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_wecom_member_departments",
            MD::Table,
            vec![
                MD::AccountId.into_iden(),
                MD::Userid.into_iden(),
                MD::DeptId.into_iden(),
            ],
            true,
        )
        .await?;
        // A department's members.
        unique(
            manager,
            "idx_wecom_member_departments_dept",
            MD::Table,
            vec![MD::AccountId.into_iden(), MD::DeptId.into_iden()],
            false,
        )
        .await?;

        use WecomTags as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(big_pk_auto(T::Id))
                    .col(big_integer(T::AccountId))
                    .col(big_integer(T::TagId))
                    .col(string_len(T::Name, 64))
                    .col(boolean(T::CreatedHere))
                    .col(ts(manager, T::UpdatedAt, false))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_tags_account",
                        T::Table,
                        T::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_wecom_tags",
            T::Table,
            vec![T::AccountId.into_iden(), T::TagId.into_iden()],
            true,
        )
        .await?;

        use WecomTagMembers as TM;
        manager
            .create_table(
                Table::create()
                    .table(TM::Table)
                    .col(big_pk_auto(TM::Id))
                    .col(big_integer(TM::AccountId))
                    .col(big_integer(TM::TagId))
                    .col(string_len(TM::MemberKind, 8))
                    .col(string_len(TM::MemberRef, 64))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_tag_members_account",
                        TM::Table,
                        TM::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_wecom_tag_members",
            TM::Table,
            vec![
                TM::AccountId.into_iden(),
                TM::TagId.into_iden(),
                TM::MemberKind.into_iden(),
                TM::MemberRef.into_iden(),
            ],
            true,
        )
        .await?;

        use WecomContactSyncJobs as J;
        manager
            .create_table(
                Table::create()
                    .table(J::Table)
                    .col(big_pk_auto(J::Id))
                    .col(big_integer(J::AccountId))
                    .col(string_len(J::Status, 16))
                    .col(string_len(J::Phase, 16))
                    .col(string_len(J::StartedBy, 64))
                    .col(big_integer(J::Departments))
                    .col(big_integer(J::MembersTotal))
                    .col(big_integer(J::MembersDone))
                    .col(big_integer(J::Tags))
                    .col(big_integer(J::Failed))
                    .col(big_integer(J::Calls))
                    .col(text_null(J::Failures))
                    .col(text_null(J::Error))
                    .col(big_integer(J::LeaseUntilMs))
                    .col(ts(manager, J::StartedAt, false))
                    .col(ts(manager, J::UpdatedAt, false))
                    .col(ts(manager, J::FinishedAt, true))
                    .foreign_key(&mut account_fk(
                        "fk_wecom_contact_sync_jobs_account",
                        J::Table,
                        J::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "idx_wecom_contact_sync_jobs_account",
            J::Table,
            vec![J::AccountId.into_iden(), J::Id.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            WecomContactSyncJobs::Table.into_iden(),
            WecomTagMembers::Table.into_iden(),
            WecomTags::Table.into_iden(),
            WecomMemberDepartments::Table.into_iden(),
            WecomMembers::Table.into_iden(),
            WecomDepartments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
