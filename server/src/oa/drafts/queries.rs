//! Article draft rows.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    entities::{article_draft, article_draft_article, wechat_job_event},
    util::like_contains,
};

pub async fn page<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    q: Option<&str>,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<article_draft::Model>, u64), sea_orm::DbErr> {
    let mut select =
        article_draft::Entity::find().filter(article_draft::Column::AccountId.eq(account_id));
    if let Some(q) = q {
        select = select.filter(
            like_contains(article_draft::Column::Title, q)
                .or(like_contains(article_draft::Column::Author, q)),
        );
    }
    if let Some(s) = status {
        select = select.filter(article_draft::Column::Status.eq(s));
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(article_draft::Column::UpdatedAt)
        .order_by_desc(article_draft::Column::Id)
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
) -> Result<Option<article_draft::Model>, sea_orm::DbErr> {
    Ok(article_draft::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.account_id == account_id))
}

pub async fn by_publish_id<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    publish_id: &str,
) -> Result<Option<article_draft::Model>, sea_orm::DbErr> {
    article_draft::Entity::find()
        .filter(article_draft::Column::AccountId.eq(account_id))
        .filter(article_draft::Column::PublishId.eq(publish_id))
        .one(db)
        .await
}

/// The stored PUBLISHJOBFINISH of a publish job (see `callback::events`).
pub async fn publish_event<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    publish_id: &str,
) -> Result<Option<wechat_job_event::Model>, sea_orm::DbErr> {
    wechat_job_event::Entity::find()
        .filter(wechat_job_event::Column::AccountId.eq(account_id))
        .filter(wechat_job_event::Column::JobKind.eq(crate::callback::events::JOB_PUBLISH))
        .filter(wechat_job_event::Column::JobId.eq(publish_id))
        .one(db)
        .await
}

/// The articles of these drafts, each draft's in order.
pub async fn articles_of<C: ConnectionTrait>(
    db: &C,
    draft_ids: &[i64],
) -> Result<Vec<article_draft_article::Model>, sea_orm::DbErr> {
    if draft_ids.is_empty() {
        return Ok(Vec::new());
    }
    article_draft_article::Entity::find()
        .filter(article_draft_article::Column::DraftId.is_in(draft_ids.iter().copied()))
        .order_by_asc(article_draft_article::Column::DraftId)
        .order_by_asc(article_draft_article::Column::Seq)
        .all(db)
        .await
}

/// The draft saved in WeChat's draft box as `media_id`.
pub async fn by_media_id<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    media_id: &str,
) -> Result<Option<article_draft::Model>, sea_orm::DbErr> {
    article_draft::Entity::find()
        .filter(article_draft::Column::AccountId.eq(account_id))
        .filter(article_draft::Column::MediaId.eq(media_id))
        .one(db)
        .await
}

/// The draft published as `article_id`.
pub async fn by_article_id<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    article_id: &str,
) -> Result<Option<article_draft::Model>, sea_orm::DbErr> {
    article_draft::Entity::find()
        .filter(article_draft::Column::AccountId.eq(account_id))
        .filter(article_draft::Column::ArticleId.eq(article_id))
        .one(db)
        .await
}
