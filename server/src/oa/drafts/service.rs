//! Draft rules: 1 to 8 articles validated like WeChat does before anything is sent, their
//! bodies cleaned to an allow-list of HTML, stored as `article_draft_articles` in order (the
//! draft row keeps the first article's fields for lists and search). Publishing is
//! [`super::publish`], importing from WeChat [`super::import`].

use api::{
    FieldIssue, Page, PageQuery,
    drafts::{self, Article, Draft, DraftInput, DraftOrigin, DraftStatus},
    html::sanitize_html,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::OffsetDateTime;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::{article_draft, article_draft_article},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

fn article_view(a: &article_draft_article::Model) -> Article {
    Article {
        title: a.title.clone(),
        author: a.author.clone(),
        digest: a.digest.clone(),
        content: a.content.clone(),
        content_source_url: a.content_source_url.clone(),
        thumb_media_id: a.thumb_media_id.clone(),
        need_open_comment: a.need_open_comment,
        only_fans_can_comment: a.only_fans_can_comment,
    }
}

pub(super) fn view(m: &article_draft::Model, articles: &[article_draft_article::Model]) -> Draft {
    Draft {
        id: m.id,
        title: m.title.clone(),
        author: m.author.clone(),
        articles: articles
            .iter()
            .filter(|a| a.draft_id == m.id)
            .map(article_view)
            .collect(),
        status: DraftStatus::parse(&m.status),
        origin: DraftOrigin::parse(&m.origin),
        media_id: m.media_id.clone(),
        publish_id: m.publish_id.clone(),
        article_id: m.article_id.clone(),
        article_urls: serde_json::from_str(&m.article_urls).unwrap_or_default(),
        publish_error: m.publish_error.clone(),
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    }
}

/// The draft with its articles, as the API shows it.
pub(super) async fn full_view<C: ConnectionTrait>(
    db: &C,
    m: &article_draft::Model,
) -> AppResult<Draft> {
    let articles = queries::articles_of(db, &[m.id]).await?;
    Ok(view(m, &articles))
}

/// Trimmed fields, cleaned HTML; "only followers comment" only with comments open.
pub(super) fn normalized(a: &Article) -> Article {
    Article {
        title: a.title.trim().to_string(),
        author: a.author.trim().to_string(),
        digest: a.digest.trim().to_string(),
        content: sanitize_html(&a.content),
        content_source_url: a.content_source_url.trim().to_string(),
        thumb_media_id: a.thumb_media_id.trim().to_string(),
        need_open_comment: a.need_open_comment,
        only_fans_can_comment: a.need_open_comment && a.only_fans_can_comment,
    }
}

fn check(input: &DraftInput) -> AppResult<()> {
    let fields: Vec<FieldIssue> = drafts::validate_draft(input)
        .into_iter()
        .map(|(field, issue)| FieldIssue {
            field,
            code: issue.code().to_string(),
            message: issue.message(api::Lang::En),
        })
        .collect();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(fields))
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    q: Option<String>,
    status: Option<String>,
    page: PageQuery,
) -> AppResult<Page<Draft>> {
    let q = q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let status = status.filter(|s| !s.is_empty());
    let (rows, total) = queries::page(
        db,
        account_id,
        q.as_deref(),
        status.as_deref(),
        page.offset(),
        page.per_page,
    )
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let articles = queries::articles_of(db, &ids).await?;
    Ok(Page {
        items: rows.iter().map(|r| view(r, &articles)).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<Draft> {
    let row = queries::find(db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    full_view(db, &row).await
}

/// The row's copy of the first article (lists, search, audit).
fn apply_lead(am: &mut article_draft::ActiveModel, lead: &Article) {
    am.title = Set(lead.title.clone());
    am.author = Set(lead.author.clone());
    am.digest = Set(lead.digest.clone());
    am.content = Set(lead.content.clone());
    am.content_source_url = Set(lead.content_source_url.clone());
    am.thumb_media_id = Set(lead.thumb_media_id.clone());
    am.need_open_comment = Set(lead.need_open_comment);
    am.only_fans_can_comment = Set(lead.only_fans_can_comment);
}

/// Replaces the draft's articles with `articles`, in this order.
pub(super) async fn store_articles<C: ConnectionTrait>(
    db: &C,
    draft_id: i64,
    articles: &[Article],
) -> AppResult<()> {
    article_draft_article::Entity::delete_many()
        .filter(article_draft_article::Column::DraftId.eq(draft_id))
        .exec(db)
        .await?;
    for (seq, a) in articles.iter().enumerate() {
        article_draft_article::ActiveModel {
            draft_id: Set(draft_id),
            seq: Set(i32::try_from(seq).unwrap_or(i32::MAX)),
            title: Set(a.title.clone()),
            author: Set(a.author.clone()),
            digest: Set(a.digest.clone()),
            content: Set(a.content.clone()),
            content_source_url: Set(a.content_source_url.clone()),
            thumb_media_id: Set(a.thumb_media_id.clone()),
            need_open_comment: Set(a.need_open_comment),
            only_fans_can_comment: Set(a.only_fans_can_comment),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A new draft row with its articles (also used by the import).
pub(super) async fn insert_draft<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    created_by: &str,
    origin: DraftOrigin,
    status: DraftStatus,
    articles: &[Article],
    fill: impl FnOnce(&mut article_draft::ActiveModel),
) -> AppResult<article_draft::Model> {
    let now = OffsetDateTime::now_utc();
    let mut am = article_draft::ActiveModel {
        account_id: Set(account_id),
        status: Set(status.as_str().into()),
        origin: Set(origin.as_str().into()),
        media_id: Set(None),
        publish_id: Set(None),
        article_id: Set(None),
        article_urls: Set("[]".into()),
        publish_error: Set(None),
        created_by: Set(created_by.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply_lead(&mut am, articles.first().unwrap_or(&Article::default()));
    fill(&mut am);
    let row = am.insert(db).await?;
    store_articles(db, row.id, articles).await?;
    Ok(row)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i64,
    input: DraftInput,
) -> AppResult<Draft> {
    check(&input)?;
    let articles: Vec<Article> = input.articles.iter().map(normalized).collect();
    let txn = db.begin().await?;
    let row = insert_draft(
        &txn,
        account_id,
        &actor.name,
        DraftOrigin::Portal,
        DraftStatus::Draft,
        &articles,
        |_| {},
    )
    .await?;
    audit::service::record(
        &txn,
        actor,
        "draft.create",
        "account",
        Some(account_id),
        format!(
            "created article draft {:?} ({} articles)",
            row.title,
            articles.len()
        ),
        json!({"draft_id": row.id, "articles": articles.len()}),
    )
    .await?;
    let out = full_view(&txn, &row).await?;
    txn.commit().await?;
    Ok(out)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: DraftInput,
) -> AppResult<Draft> {
    check(&input)?;
    let articles: Vec<Article> = input.articles.iter().map(normalized).collect();
    let txn = db.begin().await?;
    // Write first: on SQLite a transaction that reads before its first write fails at once
    // (no busy wait) when another connection wrote in between; this also locks out a publish.
    let touched = article_draft::Entity::update_many()
        .col_expr(
            article_draft::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(article_draft::Column::Id.eq(id))
        .filter(article_draft::Column::AccountId.eq(account_id))
        .filter(article_draft::Column::Status.ne(DraftStatus::Publishing.as_str()))
        .exec(&txn)
        .await?;
    let row = queries::find(&txn, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if touched.rows_affected == 0 {
        return Err(AppError::refused(
            "draft_publishing",
            "this draft is being published; wait for WeChat's result before editing",
        ));
    }
    let mut am = row.into_active_model();
    apply_lead(&mut am, &articles[0]);
    // An edited article is a new draft again (its earlier publication keeps its links).
    am.status = Set(DraftStatus::Draft.as_str().into());
    am.publish_error = Set(None);
    am.updated_at = Set(OffsetDateTime::now_utc());
    let row = am.update(&txn).await?;
    store_articles(&txn, row.id, &articles).await?;
    audit::service::record(
        &txn,
        actor,
        "draft.update",
        "account",
        Some(account_id),
        format!(
            "updated article draft {:?} ({} articles)",
            row.title,
            articles.len()
        ),
        json!({"draft_id": row.id, "articles": articles.len()}),
    )
    .await?;
    let out = full_view(&txn, &row).await?;
    txn.commit().await?;
    Ok(out)
}

pub async fn delete(state: &AppState, actor: &Actor, account_id: i64, id: i64) -> AppResult<()> {
    let row = queries::find(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(media_id) = &row.media_id
        && row.status != DraftStatus::Published.as_str()
    {
        let client = wechat_clients::oa(state, account_id).await?;
        match client.draft_delete(media_id).await {
            Ok(()) => {}
            Err(wechat::Error::Wechat(w)) if w.code == 40007 => {}
            Err(e) => return Err(wechat_clients::api_error(&e)),
        }
    }
    let txn = state.db.begin().await?;
    store_articles(&txn, row.id, &[]).await?;
    article_draft::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    audit::service::record(
        &txn,
        actor,
        "draft.delete",
        "account",
        Some(account_id),
        format!("deleted article draft {:?}", row.title),
        json!({"draft_id": row.id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
