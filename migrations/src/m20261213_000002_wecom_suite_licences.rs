//! A suite corp's interface licences (接口许可) and how it was installed: the app's licence
//! state from `license/get_app_license_info` (status, trial, check time), the activated
//! accounts counted by type from `license/list_actived_account`, when that was read and what
//! went wrong if it failed; and the install's origin (`provider_link` or `market`).
//! One column per statement: SQLite alters one column at a time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum WecomSuiteCorps {
    Table,
    InstallOrigin,
    LicenseStatus,
    LicenseTrialStart,
    LicenseTrialEnd,
    LicenseCheckTime,
    LicenseBasic,
    LicenseExternal,
    LicenseCheckedAt,
    LicenseError,
}

use WecomSuiteCorps as C;

fn columns() -> Vec<ColumnDef> {
    vec![
        string_null(C::InstallOrigin),
        big_integer_null(C::LicenseStatus),
        timestamp_with_time_zone_null(C::LicenseTrialStart),
        timestamp_with_time_zone_null(C::LicenseTrialEnd),
        timestamp_with_time_zone_null(C::LicenseCheckTime),
        big_integer_null(C::LicenseBasic),
        big_integer_null(C::LicenseExternal),
        timestamp_with_time_zone_null(C::LicenseCheckedAt),
        text_null(C::LicenseError),
    ]
}

const NAMES: [C; 9] = [
    C::InstallOrigin,
    C::LicenseStatus,
    C::LicenseTrialStart,
    C::LicenseTrialEnd,
    C::LicenseCheckTime,
    C::LicenseBasic,
    C::LicenseExternal,
    C::LicenseCheckedAt,
    C::LicenseError,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut c in columns() {
            manager
                .alter_table(Table::alter().table(C::Table).add_column(&mut c).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in NAMES.into_iter().rev() {
            manager
                .alter_table(Table::alter().table(C::Table).drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
