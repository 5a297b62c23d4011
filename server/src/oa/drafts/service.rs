//! Draft rules: validated like WeChat does before anything is sent; a publish saves the article
//! in WeChat's draft box then submits it; the outcome arrives as PUBLISHJOBFINISH (or is asked
//! for with `freepublish/get`), applied by publish_id so a duplicate event changes nothing.

use api::{
    Page, PageQuery,
    drafts::{self, Draft, DraftInput, DraftStatus},
    validate::Issues,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use time::OffsetDateTime;
use wechat::client::oa::DraftArticle;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::article_draft,
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

fn view(m: &article_draft::Model) -> Draft {
    Draft {
        id: m.id,
        title: m.title.clone(),
        author: m.author.clone(),
        digest: m.digest.clone(),
        content: m.content.clone(),
        content_source_url: m.content_source_url.clone(),
        thumb_media_id: m.thumb_media_id.clone(),
        need_open_comment: m.need_open_comment,
        only_fans_can_comment: m.only_fans_can_comment,
        status: DraftStatus::parse(&m.status),
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

fn check(input: &DraftInput) -> AppResult<()> {
    let mut issues = Issues::default();
    for (field, rule) in drafts::validate_draft(input) {
        issues.check(field, Err(rule));
    }
    let mut fields = issues.to_field_issues();
    let url = input.content_source_url.trim();
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        fields.push(api::FieldIssue {
            field: "content_source_url".into(),
            code: "url_scheme".into(),
            message: "The URL must start with http:// or https://".into(),
        });
    }
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
    Ok(Page {
        items: rows.iter().map(view).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<Draft> {
    queries::find(db, account_id, id)
        .await?
        .map(|m| view(&m))
        .ok_or(AppError::NotFound)
}

fn apply_input(am: &mut article_draft::ActiveModel, input: &DraftInput) {
    am.title = Set(input.title.trim().to_string());
    am.author = Set(input.author.trim().to_string());
    am.digest = Set(input.digest.trim().to_string());
    am.content = Set(input.content.clone());
    am.content_source_url = Set(input.content_source_url.trim().to_string());
    am.thumb_media_id = Set(input.thumb_media_id.trim().to_string());
    am.need_open_comment = Set(input.need_open_comment);
    am.only_fans_can_comment = Set(input.need_open_comment && input.only_fans_can_comment);
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    input: DraftInput,
) -> AppResult<Draft> {
    check(&input)?;
    let now = OffsetDateTime::now_utc();
    let mut am = article_draft::ActiveModel {
        account_id: Set(account_id),
        status: Set(DraftStatus::Draft.as_str().into()),
        media_id: Set(None),
        publish_id: Set(None),
        article_id: Set(None),
        article_urls: Set("[]".into()),
        publish_error: Set(None),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply_input(&mut am, &input);
    let row = am.insert(db).await?;
    audit::service::record(
        db,
        actor,
        "draft.create",
        "account",
        Some(account_id),
        format!("created article draft {:?}", row.title),
        json!({"draft_id": row.id}),
    )
    .await?;
    Ok(view(&row))
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: DraftInput,
) -> AppResult<Draft> {
    check(&input)?;
    let row = queries::find(db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status == DraftStatus::Publishing.as_str() {
        return Err(AppError::refused(
            "draft_publishing",
            "this draft is being published; wait for WeChat's result before editing",
        ));
    }
    let mut am = row.into_active_model();
    apply_input(&mut am, &input);
    // An edited article is a new draft again (its earlier publication keeps its links).
    am.status = Set(DraftStatus::Draft.as_str().into());
    am.publish_error = Set(None);
    am.updated_at = Set(OffsetDateTime::now_utc());
    let row = am.update(db).await?;
    audit::service::record(
        db,
        actor,
        "draft.update",
        "account",
        Some(account_id),
        format!("updated article draft {:?}", row.title),
        json!({"draft_id": row.id}),
    )
    .await?;
    Ok(view(&row))
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
    article_draft::Entity::delete_by_id(row.id)
        .exec(&state.db)
        .await?;
    audit::service::record(
        &state.db,
        actor,
        "draft.delete",
        "account",
        Some(account_id),
        format!("deleted article draft {:?}", row.title),
        json!({"draft_id": row.id}),
    )
    .await?;
    Ok(())
}

fn to_wechat(m: &article_draft::Model) -> DraftArticle {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    DraftArticle {
        title: m.title.clone(),
        author: opt(&m.author),
        digest: opt(&m.digest),
        content: m.content.clone(),
        content_source_url: opt(&m.content_source_url),
        thumb_media_id: m.thumb_media_id.clone(),
        need_open_comment: Some(i64::from(m.need_open_comment)),
        only_fans_can_comment: Some(i64::from(m.only_fans_can_comment)),
    }
}

/// Saves the article in WeChat's draft box (update, or add when WeChat lost it) and submits it.
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
    let client = wechat_clients::oa(state, account_id).await?;
    let article = to_wechat(&row);
    let media_id = match &row.media_id {
        Some(m) => match client.draft_update(m, 0, &article).await {
            Ok(()) => m.clone(),
            Err(wechat::Error::Wechat(w)) if w.code == 40007 => client
                .draft_add(std::slice::from_ref(&article))
                .await
                .map_err(|e| wechat_clients::api_error(&e))?,
            Err(e) => return Err(wechat_clients::api_error(&e)),
        },
        None => client
            .draft_add(std::slice::from_ref(&article))
            .await
            .map_err(|e| wechat_clients::api_error(&e))?,
    };
    // The draft box now holds the article: remember it even if the submit fails.
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
        format!("submitted article {:?} for publishing", row.title),
        json!({"draft_id": row.id, "media_id": media_id, "publish_id": row.publish_id, "ok": result.is_ok()}),
    )
    .await?;
    result?;
    // The finish event may already be in (a fast job, or a slow answer to the submit).
    let publish_id = row.publish_id.clone().unwrap_or_default();
    let row = from_job_event(&state.db, account_id, &publish_id)
        .await?
        .unwrap_or(row);
    Ok(view(&row))
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
        return Ok(view(&row));
    };
    if let Some(done) = from_job_event(&state.db, account_id, &publish_id).await? {
        return Ok(view(&done));
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
    Ok(view(&updated))
}
