//! Importing what already exists at WeChat: the drafts of its draft box (`draft/batchget`) and
//! its published articles (`freepublish/batchget`), page by page. Idempotent: a draft whose
//! media_id, or a publication whose article_id, the portal already holds is left as it is.

use api::drafts::{Article, DraftImportResult, DraftOrigin, DraftStatus};
use sea_orm::{DbErr, Set, SqlErr, TransactionTrait};
use serde_json::json;
use wechat::client::oa::NewsItem;

use super::{queries, service};
use crate::{
    audit::{self, Actor},
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

/// Items per call (WeChat's maximum for both lists).
const PAGE: i64 = 20;
/// Pages read at most per list (2,000 items), so a huge account cannot keep a request forever.
const MAX_PAGES: i64 = 100;

fn article(n: &NewsItem) -> Article {
    service::normalized(&Article {
        title: n.title.clone(),
        author: n.author.clone(),
        digest: n.digest.clone(),
        content: n.content.clone().unwrap_or_default(),
        content_source_url: n.content_source_url.clone(),
        thumb_media_id: n.thumb_media_id.clone(),
        need_open_comment: n.need_open_comment == Some(1),
        only_fans_can_comment: n.only_fans_can_comment == Some(1),
    })
}

/// `false` when another import stored the same item first (the unique media_id/article_id).
fn stored_once<T>(r: AppResult<T>) -> AppResult<bool> {
    match r {
        Ok(_) => Ok(true),
        Err(AppError::Database(e)) if is_unique(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

fn is_unique(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Reads both lists from WeChat and stores what the portal does not hold yet.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
) -> AppResult<DraftImportResult> {
    let client = wechat_clients::oa(state, account_id).await?;
    let api = |e: wechat::Error| wechat_clients::api_error(&e);
    let mut out = DraftImportResult::default();
    let by = format!("{} (import)", actor.name);

    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let page = client
            .draft_batchget(offset, PAGE, false)
            .await
            .map_err(api)?;
        if page.item.is_empty() {
            break;
        }
        offset += i64::try_from(page.item.len()).unwrap_or(PAGE);
        for item in &page.item {
            let articles: Vec<Article> = item.content.news_item.iter().map(article).collect();
            if articles.is_empty() {
                continue;
            }
            if queries::by_media_id(&state.db, account_id, &item.media_id)
                .await?
                .is_some()
            {
                out.unchanged += 1;
                continue;
            }
            // Inserting first (a race with another import ends at the unique index).
            let txn = state.db.begin().await?;
            let media_id = item.media_id.clone();
            let inserted = service::insert_draft(
                &txn,
                account_id,
                &by,
                DraftOrigin::WechatDraft,
                DraftStatus::Draft,
                &articles,
                |am| am.media_id = Set(Some(media_id)),
            )
            .await;
            if stored_once(inserted)? {
                txn.commit().await?;
                out.drafts_added += 1;
            } else {
                out.unchanged += 1;
            }
        }
        if offset >= page.total_count {
            break;
        }
    }

    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let page = client
            .freepublish_batchget(offset, PAGE, false)
            .await
            .map_err(api)?;
        if page.item.is_empty() {
            break;
        }
        offset += i64::try_from(page.item.len()).unwrap_or(PAGE);
        for item in &page.item {
            let articles: Vec<Article> = item.content.news_item.iter().map(article).collect();
            if articles.is_empty() || item.article_id.is_empty() {
                continue;
            }
            if queries::by_article_id(&state.db, account_id, &item.article_id)
                .await?
                .is_some()
            {
                out.unchanged += 1;
                continue;
            }
            // Inserting first (a race with another import ends at the unique index).
            let txn = state.db.begin().await?;
            let urls: Vec<String> = item
                .content
                .news_item
                .iter()
                .map(|n| n.url.clone())
                .collect();
            let article_id = item.article_id.clone();
            let inserted = service::insert_draft(
                &txn,
                account_id,
                &by,
                DraftOrigin::WechatPublished,
                DraftStatus::Published,
                &articles,
                |am| {
                    am.article_id = Set(Some(article_id));
                    am.article_urls = Set(serde_json::to_string(&urls).expect("urls serialise"));
                },
            )
            .await;
            if stored_once(inserted)? {
                txn.commit().await?;
                out.published_added += 1;
            } else {
                out.unchanged += 1;
            }
        }
        if offset >= page.total_count {
            break;
        }
    }

    audit::service::record(
        &state.db,
        actor,
        "draft.import",
        "account",
        Some(account_id),
        format!(
            "imported {} drafts and {} published articles from WeChat",
            out.drafts_added, out.published_added
        ),
        json!({"drafts_added": out.drafts_added, "published_added": out.published_added, "unchanged": out.unchanged}),
    )
    .await?;
    Ok(out)
}
