//! [`DbTokenStore`]: the `wechat` crate's [`TokenStore`] over the database, so every instance
//! behind a load balancer shares one token per credential (WeChat invalidates the previous
//! token a few minutes after a new one is fetched).
//!
//! * `wechat_tokens`: one row per key, the token sealed by the vault (bound to the key);
//! * `wechat_token_leases`: the cross-instance refresh lock — insert the lease row, or take
//!   it over once expired; released by deleting it if still ours;
//! * `wechat_token_fetches`: fetches per key per UTC day, for the quota display.
//!
//! Every key is prefixed with the environment (`production/…`, `sandbox/…`): a sandbox
//! token can never be handed to a production client and vice versa.

use std::{sync::Arc, time::Duration};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use wechat::token::{BoxFuture, CachedToken, LockGuard, StoreError, TokenKey, TokenStore};

use crate::{
    entities::{wechat_token, wechat_token_fetch, wechat_token_lease},
    vault::{Binding, Vault},
};

const TABLE: &str = "wechat_tokens";
/// How often a waiting instance re-tries the lease.
const POLL: Duration = Duration::from_millis(50);

/// A database-backed token store for one environment.
#[derive(Clone)]
pub struct DbTokenStore {
    db: DatabaseConnection,
    vault: Arc<Vault>,
    namespace: &'static str,
    holder: String,
}

impl DbTokenStore {
    /// `namespace`: `production` or `sandbox`.
    pub fn new(db: DatabaseConnection, vault: Arc<Vault>, namespace: &'static str) -> Self {
        DbTokenStore {
            db,
            vault,
            namespace,
            holder: crate::auth::passwords::random_alnum(24),
        }
    }

    /// The row key of `key` (environment-prefixed).
    pub fn row_key(&self, key: &TokenKey) -> String {
        format!("{}/{}", self.namespace, key.as_str())
    }
}

/// Drops the tokens stored under `keys` in environment `namespace` (a secret was replaced: a
/// token fetched with the old one must not be used again). Run in the replacing transaction.
pub async fn forget<C: sea_orm::ConnectionTrait>(
    db: &C,
    namespace: &str,
    keys: &[TokenKey],
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if keys.is_empty() {
        return Ok(0);
    }
    let rows: Vec<String> = keys
        .iter()
        .map(|k| format!("{namespace}/{}", k.as_str()))
        .collect();
    let r = crate::entities::wechat_token::Entity::delete_many()
        .filter(crate::entities::wechat_token::Column::TokenKey.is_in(rows))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn day(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

struct DbLease {
    db: DatabaseConnection,
    key: String,
    holder: String,
}

impl LockGuard for DbLease {
    fn release(self: Box<Self>) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let res = wechat_token_lease::Entity::delete_many()
                .filter(wechat_token_lease::Column::TokenKey.eq(self.key.clone()))
                .filter(wechat_token_lease::Column::Holder.eq(self.holder.clone()))
                .exec(&self.db)
                .await;
            if let Err(e) = res {
                tracing::warn!(key = %self.key, error = %e, "could not release token lease; it expires on its own");
            }
        })
    }
}

/// One attempt at the lease: insert it, or take it over if expired. `true` if now ours.
async fn try_acquire(
    db: &impl ConnectionTrait,
    key: &str,
    holder: &str,
    ttl: Duration,
) -> Result<bool, StoreError> {
    let now = now_ms();
    let until = now + ttl.as_millis() as i64;
    let inserted = wechat_token_lease::Entity::insert(wechat_token_lease::ActiveModel {
        token_key: Set(key.to_string()),
        holder: Set(holder.to_string()),
        expires_at_ms: Set(until),
    })
    .exec_without_returning(db)
    .await;
    match inserted {
        Ok(_) => return Ok(true),
        Err(e) if e.sql_err().is_none() => return Err(err(e)),
        Err(_) => {}
    }
    let taken = wechat_token_lease::Entity::update_many()
        .col_expr(wechat_token_lease::Column::Holder, Expr::value(holder))
        .col_expr(wechat_token_lease::Column::ExpiresAtMs, Expr::value(until))
        .filter(wechat_token_lease::Column::TokenKey.eq(key))
        .filter(wechat_token_lease::Column::ExpiresAtMs.lt(now))
        .exec(db)
        .await
        .map_err(err)?;
    Ok(taken.rows_affected == 1)
}

impl TokenStore for DbTokenStore {
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>> {
        Box::pin(async move {
            let k = self.row_key(key);
            let Some(row) = wechat_token::Entity::find_by_id(k.clone())
                .one(&self.db)
                .await
                .map_err(err)?
            else {
                return Ok(None);
            };
            let binding = Binding {
                table: TABLE,
                row: 0,
                field: &k,
            };
            match self.vault.decrypt_string(&row.ciphertext, binding) {
                Ok(value) => Ok(Some(CachedToken {
                    value,
                    expires_at: row.expires_at,
                    fetched_at: row.fetched_at,
                })),
                // Unreadable (e.g. sealed under another key): treat as absent, fetch anew.
                Err(e) => {
                    tracing::warn!(key = %k, error = %e, "stored token unreadable; ignoring it");
                    Ok(None)
                }
            }
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let k = self.row_key(key);
            let ciphertext = self.vault.encrypt(
                token.value.as_bytes(),
                Binding {
                    table: TABLE,
                    row: 0,
                    field: &k,
                },
            );
            wechat_token::Entity::insert(wechat_token::ActiveModel {
                token_key: Set(k),
                ciphertext: Set(ciphertext),
                expires_at: Set(token.expires_at),
                fetched_at: Set(token.fetched_at),
            })
            .on_conflict(
                OnConflict::column(wechat_token::Column::TokenKey)
                    .update_columns([
                        wechat_token::Column::Ciphertext,
                        wechat_token::Column::ExpiresAt,
                        wechat_token::Column::FetchedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(err)?;
            Ok(())
        })
    }

    fn lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Box<dyn LockGuard>, StoreError>> {
        Box::pin(async move {
            let k = self.row_key(key);
            // Wait at most a little longer than a crashed holder can block us.
            let deadline = tokio::time::Instant::now() + ttl + Duration::from_secs(5);
            loop {
                if try_acquire(&self.db, &k, &self.holder, ttl).await? {
                    return Ok(Box::new(DbLease {
                        db: self.db.clone(),
                        key: k,
                        holder: self.holder.clone(),
                    }) as Box<dyn LockGuard>);
                }
                if tokio::time::Instant::now() >= deadline {
                    return Err(StoreError(format!(
                        "timed out waiting for the lease on {k}"
                    )));
                }
                tokio::time::sleep(POLL).await;
            }
        })
    }

    fn record_fetch<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let k = self.row_key(key);
            let d = day(date);
            wechat_token_fetch::Entity::insert(wechat_token_fetch::ActiveModel {
                token_key: Set(k.clone()),
                day: Set(d.clone()),
                count: Set(1),
            })
            .on_conflict(
                OnConflict::columns([
                    wechat_token_fetch::Column::TokenKey,
                    wechat_token_fetch::Column::Day,
                ])
                .value(
                    wechat_token_fetch::Column::Count,
                    Expr::col((
                        wechat_token_fetch::Entity,
                        wechat_token_fetch::Column::Count,
                    ))
                    .add(1),
                )
                .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(err)?;
            self.count(&k, &d).await
        })
    }

    fn fetch_count<'a>(
        &'a self,
        key: &'a TokenKey,
        date: time::Date,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move { self.count(&self.row_key(key), &day(date)).await })
    }
}

impl DbTokenStore {
    async fn count(&self, key: &str, day: &str) -> Result<u64, StoreError> {
        let row = wechat_token_fetch::Entity::find_by_id((key.to_string(), day.to_string()))
            .one(&self.db)
            .await
            .map_err(err)?;
        Ok(row.map_or(0, |r| u64::try_from(r.count).unwrap_or(0)))
    }
}
