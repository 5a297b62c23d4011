//! Material rules: WeChat's size and type limits checked before uploading, one row per media_id,
//! temporary media tracked with their 3-day expiry, sync from `batchget_material`.

use api::{
    Page, PageQuery,
    materials::{
        self, Material, MaterialCounts, MaterialQuery, MaterialSyncResult, TEMP_MEDIA_TTL_SECS,
        UploadedImage,
    },
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait,
};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use wechat::client::{Download, UploadFile};

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::material,
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// WeChat's material type for videos: a permanent one needs a title, and WeChat hands its
/// bytes back through a download URL.
const VIDEO: &str = "video";

/// A file as it arrived in the multipart form.
#[derive(Debug, Default)]
pub struct Upload {
    pub kind: String,
    pub temporary: bool,
    pub title: String,
    pub introduction: String,
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The content type we serve for an extension (never the uploader's claim: the portal serves
/// these bytes from its own origin).
pub fn content_type_for(file_name: &str) -> &'static str {
    match materials::extension(file_name).as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "mp3" => "audio/mpeg",
        "amr" => "audio/amr",
        "wav" => "audio/wav",
        "wma" => "audio/x-ms-wma",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

pub fn view(m: &material::Model, now: OffsetDateTime) -> Material {
    Material {
        id: m.id,
        kind: m.kind.clone(),
        temporary: m.temporary,
        media_id: m.media_id.clone(),
        name: m.name.clone(),
        url: m.url.clone(),
        size: m.size,
        title: m.title.clone(),
        introduction: m.introduction.clone(),
        created_at: rfc3339(m.created_at),
        expires_at: m.expires_at.map(rfc3339),
        expired: m.expires_at.is_some_and(|e| e <= now),
        synced_at: m.synced_at.map(rfc3339),
        created_by: m.created_by.clone(),
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    q: MaterialQuery,
) -> AppResult<Page<Material>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let filter = queries::Filter {
        kind: q.kind.filter(|k| !k.is_empty()),
        temporary: q.temporary,
        q: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
    };
    let (rows, total) =
        queries::page(db, account_id, &filter, page.offset(), page.per_page).await?;
    let now = OffsetDateTime::now_utc();
    Ok(Page {
        items: rows.iter().map(|m| view(m, now)).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<Material> {
    queries::find(db, account_id, id)
        .await?
        .map(|m| view(&m, OffsetDateTime::now_utc()))
        .ok_or(AppError::NotFound)
}

fn issue(field: &str, code: &str, message: String) -> AppError {
    AppError::Validation(vec![api::FieldIssue {
        field: field.into(),
        code: code.into(),
        message,
    }])
}

fn file_name_of(up: &Upload) -> String {
    let n = up.file_name.trim();
    let n = n.rsplit(['/', '\\']).next().unwrap_or(n);
    n.chars().take(200).collect()
}

pub async fn upload(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    up: Upload,
) -> AppResult<Material> {
    if !materials::KINDS.contains(&up.kind.as_str()) {
        return Err(issue(
            "kind",
            "material_kind",
            format!("kind must be one of {}", materials::KINDS.join(", ")),
        ));
    }
    let name = file_name_of(&up);
    if let Some(msg) = materials::check_file(&up.kind, &name, up.bytes.len()) {
        return Err(issue("file", "material_file", msg));
    }
    let video = up.kind == VIDEO && !up.temporary;
    if video && up.title.trim().is_empty() {
        return Err(issue("title", "required", "a video needs a title".into()));
    }
    let size = up.bytes.len() as i64;
    let file = UploadFile::from_bytes(name.clone(), content_type_for(&name), up.bytes);
    let client = wechat_clients::oa(state, account_id).await?;
    let now = OffsetDateTime::now_utc();
    let (media_id, url, expires_at) = if up.temporary {
        let r = client
            .media_upload(&up.kind, &file)
            .await
            .map_err(|e| wechat_clients::api_error(&e))?;
        // WeChat's created_at (Unix seconds) starts the 3 days; fall back to now.
        let created = r
            .created_at
            .as_i64()
            .or_else(|| r.created_at.as_str().and_then(|s| s.parse().ok()))
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .unwrap_or(now);
        (
            r.media_id,
            None,
            Some(created + Duration::seconds(TEMP_MEDIA_TTL_SECS)),
        )
    } else {
        let desc = video.then(|| (up.title.trim(), up.introduction.trim()));
        let r = client
            .material_add(&up.kind, &file, desc)
            .await
            .map_err(|e| wechat_clients::api_error(&e))?;
        (r.media_id, r.url, None)
    };
    let txn = state.db.begin().await?;
    let row = material::ActiveModel {
        account_id: Set(account_id),
        kind: Set(up.kind.clone()),
        temporary: Set(up.temporary),
        media_id: Set(media_id.clone()),
        name: Set(name.clone()),
        url: Set(url),
        size: Set(Some(size)),
        content_type: Set(Some(content_type_for(&name).to_string())),
        title: Set(video.then(|| up.title.trim().to_string())),
        introduction: Set(video.then(|| up.introduction.trim().to_string())),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        synced_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::service::record(
        &txn,
        actor,
        "material.upload",
        "account",
        Some(account_id),
        format!(
            "uploaded {} {} {name:?}",
            if up.temporary {
                "temporary"
            } else {
                "permanent"
            },
            up.kind
        ),
        json!({"material_id": row.id, "media_id": media_id, "kind": up.kind, "temporary": up.temporary}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&row, now))
}

pub async fn upload_img(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    up: Upload,
) -> AppResult<UploadedImage> {
    let name = file_name_of(&up);
    let ext = materials::extension(&name);
    if !materials::UPLOADIMG_EXTS.contains(&ext.as_str()) {
        return Err(issue(
            "file",
            "material_file",
            format!(
                "an article image must be one of: {}",
                materials::UPLOADIMG_EXTS.join(", ")
            ),
        ));
    }
    if up.bytes.is_empty() || up.bytes.len() > materials::UPLOADIMG_MAX_BYTES {
        return Err(issue(
            "file",
            "material_file",
            "an article image is at most 1024 KB".into(),
        ));
    }
    let bytes = up.bytes.clone();
    let file = UploadFile::from_bytes(name.clone(), content_type_for(&name), up.bytes);
    let client = wechat_clients::oa(state, account_id).await?;
    let url = client
        .media_upload_img(&file)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    super::article_images::keep(&state.db, account_id, &url, content_type_for(&name), bytes)
        .await?;
    audit::service::record(
        &state.db,
        actor,
        "material.uploadimg",
        "account",
        Some(account_id),
        format!("uploaded article image {name:?}"),
        json!({"url": url}),
    )
    .await?;
    Ok(UploadedImage { url })
}

pub async fn delete(state: &AppState, actor: &Actor, account_id: i64, id: i64) -> AppResult<()> {
    let row = queries::find(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Temporary media cannot be deleted in WeChat: they expire by themselves.
    if !row.temporary {
        let client = wechat_clients::oa(state, account_id).await?;
        match client.material_delete(&row.media_id).await {
            Ok(()) => {}
            // Already gone in WeChat: forget it here too.
            Err(wechat::Error::Wechat(w)) if w.code == 40007 => {}
            Err(e) => return Err(wechat_clients::api_error(&e)),
        }
    }
    let txn = state.db.begin().await?;
    material::Entity::delete_by_id(row.id).exec(&txn).await?;
    audit::service::record(
        &txn,
        actor,
        "material.delete",
        "account",
        Some(account_id),
        format!("deleted {} {:?}", row.kind, row.name),
        json!({"media_id": row.media_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The bytes of a material, from WeChat.
pub async fn content(
    state: &AppState,
    account_id: i64,
    id: i64,
) -> AppResult<(material::Model, String, Vec<u8>)> {
    let row = queries::find(&state.db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = wechat_clients::oa(state, account_id).await?;
    let got = if row.temporary {
        client.media_get(&row.media_id).await
    } else {
        client.material_get(&row.media_id).await
    };
    match got.map_err(|e| wechat_clients::api_error(&e))? {
        Download::Bytes { bytes, .. } => {
            let ct = content_type_for(&row.name).to_string();
            Ok((row, ct, bytes))
        }
        // Videos: WeChat answers with a URL to fetch the file from (`down_url` for permanent
        // ones, `video_url` for temporary ones).
        Download::Json(v) => {
            let Some(url) = ["down_url", "video_url"]
                .iter()
                .find_map(|k| v.get(*k).and_then(Value::as_str))
                .filter(|u| !u.is_empty())
            else {
                return Err(AppError::Wechat(format!(
                    "WeChat gave no file for this {}",
                    row.kind
                )));
            };
            let bytes = client
                .material_video_bytes(url)
                .await
                .map_err(|e| wechat_clients::api_error(&e))?;
            let ct = match content_type_for(&row.name) {
                "application/octet-stream" if row.kind == VIDEO => "video/mp4",
                known => known,
            };
            Ok((row, ct.to_string(), bytes))
        }
    }
}

fn count_of(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap_or(0)
}

pub async fn counts(state: &AppState, account_id: i64) -> AppResult<MaterialCounts> {
    let client = wechat_clients::oa(state, account_id).await?;
    let v = client
        .material_count()
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    Ok(MaterialCounts {
        image: count_of(&v, "image_count"),
        voice: count_of(&v, "voice_count"),
        video: count_of(&v, "video_count"),
        news: count_of(&v, "news_count"),
        image_quota: 100_000,
        voice_quota: 1_000,
        video_quota: 1_000,
    })
}

/// Reads every permanent image, voice and video from WeChat (20 per call), adds the unknown,
/// refreshes the known and removes those WeChat no longer has. Thumbs are not listed by
/// `batchget_material` and are left alone.
pub async fn sync(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
) -> AppResult<MaterialSyncResult> {
    let client = wechat_clients::oa(state, account_id).await?;
    let mut seen: Vec<(String, Value)> = Vec::new();
    for kind in ["image", "voice", "video"] {
        let mut offset = 0i64;
        loop {
            let v = client
                .material_batchget(kind, offset, 20)
                .await
                .map_err(|e| wechat_clients::api_error(&e))?;
            let items = v
                .get("item")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let total = count_of(&v, "total_count");
            offset += items.len() as i64;
            for it in items {
                seen.push((kind.to_string(), it));
            }
            if offset >= total || count_of(&v, "item_count") == 0 {
                break;
            }
        }
    }
    let now = OffsetDateTime::now_utc();
    let (mut added, mut updated, mut removed) = (0u64, 0u64, 0u64);
    let txn = state.db.begin().await?;
    for (kind, it) in &seen {
        let media_id = it.get("media_id").and_then(Value::as_str).unwrap_or("");
        if media_id.is_empty() {
            continue;
        }
        let name: String = it
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(media_id)
            .chars()
            .take(200)
            .collect();
        let url = it
            .get("url")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        let created = it
            .get("update_time")
            .and_then(Value::as_i64)
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .unwrap_or(now);
        match queries::by_media_id(&txn, account_id, media_id).await? {
            Some(m) => {
                let mut am = m.into_active_model();
                am.name = Set(name);
                am.url = Set(url);
                am.synced_at = Set(Some(now));
                am.update(&txn).await?;
                updated += 1;
            }
            None => {
                material::ActiveModel {
                    account_id: Set(account_id),
                    kind: Set(kind.clone()),
                    temporary: Set(false),
                    media_id: Set(media_id.to_string()),
                    content_type: Set(Some(content_type_for(&name).to_string())),
                    name: Set(name),
                    url: Set(url),
                    size: Set(None),
                    title: Set(None),
                    introduction: Set(None),
                    created_by: Set("WeChat".into()),
                    created_at: Set(created),
                    expires_at: Set(None),
                    synced_at: Set(Some(now)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                added += 1;
            }
        }
    }
    for kind in ["image", "voice", "video"] {
        for m in queries::permanent_of_kind(&txn, account_id, kind).await? {
            if !seen
                .iter()
                .any(|(_, it)| it["media_id"] == m.media_id.as_str())
            {
                material::Entity::delete_by_id(m.id).exec(&txn).await?;
                removed += 1;
            }
        }
    }
    audit::service::record(
        &txn,
        actor,
        "material.sync",
        "account",
        Some(account_id),
        format!(
            "materials synced from WeChat: {added} added, {updated} updated, {removed} removed"
        ),
        json!({"added": added, "updated": updated, "removed": removed}),
    )
    .await?;
    txn.commit().await?;
    Ok(MaterialSyncResult {
        added,
        updated,
        removed,
        counts: counts(state, account_id).await?,
    })
}
