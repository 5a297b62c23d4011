//! Database connection (SQLite, PostgreSQL or MySQL/MariaDB, chosen by URL) and migrations.

use std::{path::Path, time::Duration};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::redact_url;

/// Create `dir` (and missing parents) readable by the owner only (0700 on Unix); an existing
/// directory is left as it is.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Create the SQLite file, owner-only (0600 on Unix), before SQLite does with the umask's
/// mode; its `-wal` and `-shm` files take the same mode. An existing file is left as it is, with
/// a warning when others may read it.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if std::fs::metadata(path)?.permissions().mode() & 0o077 != 0 {
                    tracing::warn!(path = %path.display(), "database file is readable by group or others; chmod 600 it");
                }
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Connect: SQLite gets WAL, a busy timeout and foreign keys; its directory (0700) and file
/// (0600) are created.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url) {
        let path = Path::new(path);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)
                .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
        }
        if url.contains("mode=rwc") {
            create_private_file(path)
                .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", path.display())))?;
        }
    }
    let mut opts = ConnectOptions::new(postgres_loopback_without_tls(url));
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // A file has no connection to lose: the ping before each use would only be one more
        // hand-off to the driver's thread per statement (the hot paths' main cost).
        opts.max_connections(8)
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
                    // The batched inserts have a statement per batch size and table.
                    .statement_cache_capacity(400)
                    // Savepoints' journals stay in memory rather than in temporary files.
                    .pragma("temp_store", "memory")
                    .pragma("cache_size", "-8000")
            });
    } else {
        opts.max_connections(16);
    }
    tracing::debug!(database = %redact_url(url), "connecting to database");
    Database::connect(opts).await
}

/// A PostgreSQL URL naming this host (127.0.0.1, ::1, localhost) without an `sslmode` gets
/// `sslmode=disable`: the driver's default (`prefer`) negotiates TLS, which on loopback protects
/// nothing and was measured to cost the follower sync 2.5× its time (large statements through
/// the driver's TLS stream leave both ends idle between writes; 200,000 followers: 38 s with
/// TLS, 15 s without). An explicit `sslmode` is kept as given.
fn postgres_loopback_without_tls(url: &str) -> String {
    let Some(rest) = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
    else {
        return url.to_string();
    };
    let (authority_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if query.split('&').any(|kv| kv.starts_with("sslmode=")) {
        return url.to_string();
    }
    let authority = authority_path.split('/').next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if !matches!(host, "127.0.0.1" | "::1" | "localhost") {
        return url.to_string();
    }
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}sslmode=disable")
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

#[cfg(all(test, unix))]
mod permission_tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn the_data_dir_is_0700_and_the_sqlite_files_0600() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data").join("nested");
        let file = dir.join("wxportal.db");
        let db = super::connect(&format!("sqlite://{}?mode=rwc", file.display()))
            .await
            .unwrap();
        super::migrate(&db).await.unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("data")), 0o700);
        assert_eq!(mode(&file), 0o600);
        for extra in ["wxportal.db-wal", "wxportal.db-shm"] {
            let p = dir.join(extra);
            if p.exists() {
                assert_eq!(mode(&p), 0o600, "{extra}");
            }
        }
        db.close().await.unwrap();
    }
}

#[cfg(test)]
mod url_tests {
    use super::{postgres_loopback_without_tls, url_with_database};

    #[test]
    fn postgres_on_this_host_goes_without_tls_unless_the_url_says_otherwise() {
        for (given, used) in [
            (
                "postgres://postgres@127.0.0.1:5432/wx",
                "postgres://postgres@127.0.0.1:5432/wx?sslmode=disable",
            ),
            (
                "postgresql://u:p@localhost/wx?application_name=a",
                "postgresql://u:p@localhost/wx?application_name=a&sslmode=disable",
            ),
            (
                "postgres://u@[::1]:5432/wx",
                "postgres://u@[::1]:5432/wx?sslmode=disable",
            ),
            // Kept: an explicit sslmode, another host, another database kind.
            (
                "postgres://u@127.0.0.1/wx?sslmode=require",
                "postgres://u@127.0.0.1/wx?sslmode=require",
            ),
            ("postgres://u@db.internal/wx", "postgres://u@db.internal/wx"),
            ("postgres://u@127.0.0.10/wx", "postgres://u@127.0.0.10/wx"),
            (
                "mysql://root@127.0.0.1:3306/t",
                "mysql://root@127.0.0.1:3306/t",
            ),
            (
                "sqlite://data/wx.db?mode=rwc",
                "sqlite://data/wx.db?mode=rwc",
            ),
        ] {
            assert_eq!(postgres_loopback_without_tls(given), used, "{given}");
        }
    }

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
