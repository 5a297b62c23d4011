//! Menu rows: versions, the editor's draft, conditional menus.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;

use crate::entities::{conditional_menu, menu_draft, menu_version};

pub async fn versions<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<menu_version::Model>, sea_orm::DbErr> {
    menu_version::Entity::find()
        .filter(menu_version::Column::AccountId.eq(account_id))
        .order_by_desc(menu_version::Column::Number)
        .all(db)
        .await
}

pub async fn latest<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Option<menu_version::Model>, sea_orm::DbErr> {
    menu_version::Entity::find()
        .filter(menu_version::Column::AccountId.eq(account_id))
        .order_by_desc(menu_version::Column::Number)
        .limit(1)
        .one(db)
        .await
}

pub async fn version<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> Result<Option<menu_version::Model>, sea_orm::DbErr> {
    Ok(menu_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.account_id == account_id))
}

/// Insert a version numbered after the newest (the unique index refuses a duplicate number
/// taken by a concurrent publish; the caller's transaction then fails cleanly).
#[allow(clippy::too_many_arguments)]
pub async fn insert_version<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    buttons: String,
    source: &str,
    rollback_of: Option<i64>,
    note: String,
    created_by: &str,
) -> Result<menu_version::Model, sea_orm::DbErr> {
    let number = latest(db, account_id).await?.map_or(1, |m| m.number + 1);
    menu_version::ActiveModel {
        account_id: Set(account_id),
        number: Set(number),
        buttons: Set(buttons),
        source: Set(source.to_string()),
        rollback_of: Set(rollback_of),
        note: Set(note),
        created_by: Set(created_by.to_string()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn draft<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Option<menu_draft::Model>, sea_orm::DbErr> {
    menu_draft::Entity::find_by_id(account_id).one(db).await
}

pub async fn upsert_draft<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    buttons: String,
    by: &str,
) -> Result<(), sea_orm::DbErr> {
    let row = menu_draft::ActiveModel {
        account_id: Set(account_id),
        buttons: Set(buttons),
        updated_by: Set(by.to_string()),
        updated_at: Set(OffsetDateTime::now_utc()),
    };
    if draft(db, account_id).await?.is_some() {
        row.update(db).await?;
    } else {
        menu_draft::Entity::insert(row)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn delete_draft<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<(), sea_orm::DbErr> {
    menu_draft::Entity::delete_by_id(account_id)
        .exec(db)
        .await?;
    Ok(())
}

pub async fn conditional<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<conditional_menu::Model>, sea_orm::DbErr> {
    conditional_menu::Entity::find()
        .filter(conditional_menu::Column::AccountId.eq(account_id))
        .order_by_asc(conditional_menu::Column::Id)
        .all(db)
        .await
}

pub async fn delete_conditional_all<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<(), sea_orm::DbErr> {
    conditional_menu::Entity::delete_many()
        .filter(conditional_menu::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}
