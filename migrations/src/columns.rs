//! Column helpers shared by the migrations.
//!
//! A migration's schema must never change once released, so only helpers whose output is fixed
//! belong here; a new column shape gets a new helper.

use sea_orm_migration::prelude::*;

/// A UTC timestamp column: `timestamp with time zone` on PostgreSQL, text on SQLite, and
/// `datetime(6)` on MySQL/MariaDB (whose `timestamp` ends in 2038; values are stored in UTC).
pub(crate) fn ts<T: IntoIden>(manager: &SchemaManager, col: T, nullable: bool) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    if manager.get_database_backend() == sea_orm::DbBackend::MySql {
        def.custom(Alias::new("datetime(6)"));
    } else {
        def.timestamp_with_time_zone();
    }
    if nullable {
        def.null();
    } else {
        def.not_null();
    }
    def
}

/// A long text column: `text` on SQLite and PostgreSQL (unbounded), `mediumtext` (16 MiB) on
/// MySQL/MariaDB, whose plain `text` stops at 64 KiB.
pub(crate) fn long_text<T: IntoIden>(manager: &SchemaManager, col: T) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    if manager.get_database_backend() == sea_orm::DbBackend::MySql {
        def.custom(Alias::new("mediumtext"));
    } else {
        def.text();
    }
    def.not_null();
    def
}
