//! Publishing a draft: its articles saved in WeChat's draft box in order (`draft/update` of
//! each article when WeChat's copy has as many, else a new `draft/add` and the old copy
//! deleted, since `draft/update` replaces one article and cannot add, remove or move one),
//! then `freepublish/submit`; the outcome arrives as PUBLISHJOBFINISH (or is asked for with
//! `freepublish/get`), applied by publish_id so a duplicate event changes nothing.

use api::drafts::{Article, Draft, DraftStatus};
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use time::OffsetDateTime;
use wechat::client::oa::{DraftArticle, OaClient};

use super::{queries, service};
use crate::{
    audit::{self, Actor},
    entities::article_draft,
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

fn to_wechat(a: &Article) -> DraftArticle {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    DraftArticle {
        title: a.title.clone(),
        author: opt(&a.author),
        digest: opt(&a.digest),
        content: a.content.clone(),
        content_source_url: opt(&a.content_source_url),
        thumb_media_id: a.thumb_media_id.clone(),
        need_open_comment: Some(i64::from(a.need_open_comment)),
        only_fans_can_comment: Some(i64::from(a.only_fans_can_comment)),
    }
}

/// Saves `articles` in WeChat's draft box under `media_id` when it holds as many articles
/// there, else as a new draft (deleting the old one); returns the media_id that holds them.
async fn save_in_draft_box(
    client: &OaClient,
    media_id: Option<&str>,
    articles: &[DraftArticle],
) -> AppResult<String> {
    let api = |e: wechat::Error| wechat_clients::api_error(&e);
    if let Some(m) = media_id {
        match client.draft_get(m).await {
            Ok(d) if d.news_item.len() == articles.len() => {
                for (i, a) in articles.iter().enumerate() {
                    client
                        .draft_update(m, i64::try_from(i).unwrap_or(0), a)
                        .await
                        .map_err(api)?;
                }
                return Ok(m.to_string());
            }
            Ok(_) => {
                let new_id = client.draft_add(articles).await.map_err(api)?;
                match client.draft_delete(m).await {
                    Ok(()) => {}
                    Err(wechat::Error::Wechat(w)) if w.code == 40007 => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "the replaced draft stayed in WeChat's draft box")
                    }
                }
                return Ok(new_id);
            }
            // WeChat lost it (deleted in its console): add it again.
            Err(wechat::Error::Wechat(w)) if w.code == 40007 => {}
            Err(e) => return Err(api(e)),
        }
    }
    client.draft_add(articles).await.map_err(api)
}

/// Saves the draft's articles in WeChat's draft box and submits them for publishing.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<Draft> {
    let row = queries::find(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match DraftStatus::parse(&row.status) {
        DraftStatus::Publishing => {
            return Err(AppError::refused(
                "draft_publishing",
                "this draft is already being published",
            ));
        }
        DraftStatus::Published => {
            return Err(AppError::refused(
                "draft_published",
                "this draft is already published; edit it to publish a new version",
            ));
        }
        _ => {}
    }
    let articles: Vec<DraftArticle> = service::full_view(&state.db, &row)
        .await?
        .articles
        .iter()
        .map(to_wechat)
        .collect();
    let client = wechat_clients::oa(state, account_id).await?;
    let media_id = save_in_draft_box(&client, row.media_id.as_deref(), &articles).await?;
    // The draft box now holds the articles: remember it even if the submit fails.
    let mut am = row.clone().into_active_model();
    am.media_id = Set(Some(media_id.clone()));
    am.updated_at = Set(OffsetDateTime::now_utc());
    let row = am.update(&state.db).await?;
    let submitted = client.freepublish_submit(&media_id).await;
    let mut am = row.into_active_model();
    let result = match submitted {
        Ok(publish_id) => {
            am.status = Set(DraftStatus::Publishing.as_str().into());
            am.publish_id = Set(Some(publish_id));
            am.publish_error = Set(None);
            Ok(())
        }
        Err(e) => {
            let msg = wechat_clients::describe(&e);
            am.status = Set(DraftStatus::Failed.as_str().into());
            am.publish_error = Set(Some(msg));
            Err(wechat_clients::api_error(&e))
        }
    };
    let row = am.update(&state.db).await?;
    audit::service::record(
        &state.db,
        actor,
        "draft.publish",
        "account",
        Some(account_id),
        format!("submitted article {:?} for publishing ({} articles)", row.title, articles.len()),
        json!({"draft_id": row.id, "media_id": media_id, "publish_id": row.publish_id, "ok": result.is_ok()}),
    )
    .await?;
    result?;
    // The finish event may already be in (a fast job, or a slow answer to the submit).
    let publish_id = row.publish_id.clone().unwrap_or_default();
    let row = from_job_event(&state.db, account_id, &publish_id)
        .await?
        .unwrap_or(row);
    service::full_view(&state.db, &row).await
}

/// WeChat's `publish_status`: 0 published, 1 publishing, anything else failed.
fn failure_text(status: i64) -> String {
    match status {
        2 => "publishing failed: originality check did not pass (publish_status 2)".into(),
        3 => "publishing failed (publish_status 3)".into(),
        4 => "publishing failed: rejected by WeChat's review (publish_status 4)".into(),
        5 => "the article was deleted after publishing (publish_status 5)".into(),
        6 => "the article was banned (publish_status 6)".into(),
        n => format!("publishing failed (publish_status {n})"),
    }
}

/// Applies a publish outcome to the draft with this publish_id (nothing when unknown or
/// already final with the same outcome).
pub async fn apply_outcome<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    publish_id: &str,
    status: i64,
    article_id: Option<String>,
    urls: Vec<String>,
) -> AppResult<Option<article_draft::Model>> {
    let Some(row) = queries::by_publish_id(db, account_id, publish_id).await? else {
        return Ok(None);
    };
    if status == 1 {
        return Ok(Some(row));
    }
    let mut am = row.into_active_model();
    if status == 0 {
        am.status = Set(DraftStatus::Published.as_str().into());
        am.article_id = Set(article_id);
        am.article_urls = Set(serde_json::to_string(&urls).expect("urls serialise"));
        am.publish_error = Set(None);
    } else {
        am.status = Set(DraftStatus::Failed.as_str().into());
        am.publish_error = Set(Some(failure_text(status)));
    }
    am.updated_at = Set(OffsetDateTime::now_utc());
    Ok(Some(am.update(db).await?))
}

/// Applies a PUBLISHJOBFINISH already stored in `wechat_job_events` (it can arrive before the
/// submit's answer was saved); `None` when there is none yet.
async fn from_job_event<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    publish_id: &str,
) -> AppResult<Option<article_draft::Model>> {
    let Some(ev) = queries::publish_event(db, account_id, publish_id).await? else {
        return Ok(None);
    };
    let Ok(status) = ev.status.trim().parse::<i64>() else {
        return Ok(None);
    };
    let detail: Value = serde_json::from_str(&ev.detail).unwrap_or(Value::Null);
    let mut items: Vec<(i64, String)> = detail["articles"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    Some((
                        x.get("idx").and_then(Value::as_i64).unwrap_or(0),
                        x.get("url")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    items.sort_by_key(|(i, _)| *i);
    let article_id = detail["article_id"].as_str().map(str::to_string);
    apply_outcome(
        db,
        account_id,
        publish_id,
        status,
        article_id,
        items.into_iter().map(|(_, u)| u).collect(),
    )
    .await
}

/// The state of a draft that is being published: from the stored job event if it arrived,
/// else from `freepublish/get`.
pub async fn refresh(state: &AppState, account_id: i64, id: i64) -> AppResult<Draft> {
    let row = queries::find(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(publish_id) = row
        .publish_id
        .clone()
        .filter(|_| row.status == DraftStatus::Publishing.as_str())
    else {
        return service::full_view(&state.db, &row).await;
    };
    if let Some(done) = from_job_event(&state.db, account_id, &publish_id).await? {
        return service::full_view(&state.db, &done).await;
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let p = client
        .freepublish_get(&publish_id)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let status = p.publish_status.unwrap_or(1);
    let urls = p.article_urls();
    let article_id = p.article_id;
    let updated = apply_outcome(&state.db, account_id, &publish_id, status, article_id, urls)
        .await?
        .unwrap_or(row);
    service::full_view(&state.db, &updated).await
}
