//! Database connection (SQLite, PostgreSQL or MySQL/MariaDB, chosen by URL) and migrations.

use std::{path::Path, time::Duration};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::redact_url;

/// Connect: SQLite gets WAL, a busy timeout and foreign keys; its directory is created.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        opts.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    } else {
        opts.max_connections(16);
    }
    tracing::debug!(database = %redact_url(url), "connecting to database");
    Database::connect(opts).await
}

/// The file path of a `sqlite://path?…` URL (not for `:memory:`).
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then_some(path)
}

/// Apply every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// `url` (a PostgreSQL or MySQL server URL) pointed at database `name`, keeping its query string:
/// how the test suite and the benchmark reach the fresh database they create.
pub fn url_with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

#[cfg(test)]
mod url_tests {
    use super::url_with_database;

    #[test]
    fn the_database_name_replaces_the_path_and_the_query_stays() {
        assert_eq!(
            url_with_database("postgres://postgres@127.0.0.1:5432/postgres", "wxp_x"),
            "postgres://postgres@127.0.0.1:5432/wxp_x"
        );
        assert_eq!(
            url_with_database(
                "mysql://root@127.0.0.1:3306/test?ssl-mode=disabled",
                "wxp_x"
            ),
            "mysql://root@127.0.0.1:3306/wxp_x?ssl-mode=disabled"
        );
        assert_eq!(
            url_with_database("postgres://host", "wxp_x"),
            "postgres://host/wxp_x"
        );
    }
}
