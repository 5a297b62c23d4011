//! Database access for accounts and their secrets.

use std::collections::HashMap;

use api::accounts::AccountKind;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, ExprTrait, Func, OnConflict},
};
use time::OffsetDateTime;

use crate::{
    entities::{account, account_secret, db_enum::DbEnum},
    error::AppResult,
};

pub const SECRETS_TABLE: &str = "account_secrets";

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find_by_id(id).one(db).await?)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    kind: Option<AccountKind>,
    q: Option<&str>,
) -> AppResult<Vec<account::Model>> {
    let mut select = account::Entity::find().order_by_asc(account::Column::Id);
    if let Some(kind) = kind {
        select = select.filter(account::Column::Kind.eq(DbEnum(kind)));
    }
    if let Some(q) = q {
        let pattern = format!("%{}%", q.to_lowercase().replace(['\\', '%', '_'], ""));
        select = select.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(account::Column::Name)))
                        .like(pattern.as_str()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(account::Column::LookupKey)))
                        .like(pattern.as_str()),
                ),
        );
    }
    Ok(select.all(db).await?)
}

pub async fn lookup_key_taken<C: ConnectionTrait>(
    db: &C,
    kind: AccountKind,
    lookup_key: &str,
    except_id: Option<i64>,
) -> AppResult<bool> {
    let mut select = account::Entity::find()
        .filter(account::Column::Kind.eq(DbEnum(kind)))
        .filter(account::Column::LookupKey.eq(lookup_key));
    if let Some(id) = except_id {
        select = select.filter(account::Column::Id.ne(id));
    }
    Ok(select.one(db).await?.is_some())
}

/// Masked views of the secrets of `ids`: account id → field → masked.
pub async fn masked_secrets<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> AppResult<HashMap<i64, HashMap<String, String>>> {
    let mut out: HashMap<i64, HashMap<String, String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for chunk in ids.chunks(500) {
        let rows = account_secret::Entity::find()
            .filter(account_secret::Column::AccountId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for row in rows {
            out.entry(row.account_id)
                .or_default()
                .insert(row.field, row.masked);
        }
    }
    Ok(out)
}

/// Insert or replace one encrypted secret.
pub async fn put_secret<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    field: &str,
    ciphertext: String,
    masked: String,
) -> AppResult<()> {
    account_secret::Entity::insert(account_secret::ActiveModel {
        account_id: Set(account_id),
        field: Set(field.to_string()),
        ciphertext: Set(ciphertext),
        masked: Set(masked),
        updated_at: Set(OffsetDateTime::now_utc()),
    })
    .on_conflict(
        OnConflict::columns([
            account_secret::Column::AccountId,
            account_secret::Column::Field,
        ])
        .update_columns([
            account_secret::Column::Ciphertext,
            account_secret::Column::Masked,
            account_secret::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    crate::callback::config::bump(db).await
}

pub async fn delete_secret<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    field: &str,
) -> AppResult<()> {
    account_secret::Entity::delete_many()
        .filter(account_secret::Column::AccountId.eq(account_id))
        .filter(account_secret::Column::Field.eq(field))
        .exec(db)
        .await?;
    crate::callback::config::bump(db).await
}

pub async fn delete_account<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<()> {
    account_secret::Entity::delete_many()
        .filter(account_secret::Column::AccountId.eq(id))
        .exec(db)
        .await?;
    account::Entity::delete_by_id(id).exec(db).await?;
    crate::callback::config::bump(db).await
}

/// Orders of a merchant that money moved for (WeChat gave them a transaction id).
pub async fn pay_order_count<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<u64> {
    use crate::pay::entities::order;
    use sea_orm::PaginatorTrait;
    Ok(order::Entity::find()
        .filter(order::Column::AccountId.eq(account_id))
        .filter(order::Column::TransactionId.is_not_null())
        .count(db)
        .await?)
}
