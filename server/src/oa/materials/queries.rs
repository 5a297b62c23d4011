//! Material rows.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{entities::material, util::like_contains};

pub struct Filter {
    pub kind: Option<String>,
    pub temporary: Option<bool>,
    pub q: Option<String>,
}

pub async fn page<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    f: &Filter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<material::Model>, u64), sea_orm::DbErr> {
    let mut select = material::Entity::find().filter(material::Column::AccountId.eq(account_id));
    if let Some(k) = &f.kind {
        select = select.filter(material::Column::Kind.eq(k.as_str()));
    }
    if let Some(t) = f.temporary {
        select = select.filter(material::Column::Temporary.eq(t));
    }
    if let Some(q) = &f.q {
        select = select.filter(
            like_contains(material::Column::Name, q)
                .or(like_contains(material::Column::Title, q))
                .or(material::Column::MediaId.eq(q.as_str())),
        );
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(material::Column::CreatedAt)
        .order_by_desc(material::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> Result<Option<material::Model>, sea_orm::DbErr> {
    Ok(material::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.account_id == account_id))
}

pub async fn by_media_id<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    media_id: &str,
) -> Result<Option<material::Model>, sea_orm::DbErr> {
    material::Entity::find()
        .filter(material::Column::AccountId.eq(account_id))
        .filter(material::Column::MediaId.eq(media_id))
        .one(db)
        .await
}

/// Permanent materials of one kind.
pub async fn permanent_of_kind<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    kind: &str,
) -> Result<Vec<material::Model>, sea_orm::DbErr> {
    material::Entity::find()
        .filter(material::Column::AccountId.eq(account_id))
        .filter(material::Column::Temporary.eq(false))
        .filter(material::Column::Kind.eq(kind))
        .all(db)
        .await
}
