//! Temporary media (`media/upload`, `media/get`, 3-day lifetime), `media/uploadimg` and
//! permanent materials (`material/*`). Bytes are kept.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State as AxState};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::model::StoredMedia;
use super::{Req, app, authed, json_response};
use crate::error::{WxError, ok};
use crate::proto::sign::random_token;
use crate::state::{Sim, State};

/// WeChat's image host: article images and image materials live there.
pub const IMAGE_HOST: &str = "mmbiz.qpic.cn";

/// `GET mmbiz.qpic.cn/{path}`: an image `uploadimg` or an image material put there (any query,
/// such as `?wx_fmt=jpeg`, ignored); 404 otherwise. Served to anyone, like WeChat's CDN.
pub async fn image(AxState(sim): AxState<Arc<Sim>>, uri: Uri) -> Response {
    let found = sim.with(|st| st.images.get(uri.path()).cloned());
    match found {
        Some((ct, bytes)) => ([(header::CONTENT_TYPE, ct)], bytes.to_vec()).into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// Temporary media live 3 days.
pub const MEDIA_TTL: i64 = 3 * 86_400;

/// Size limit per type: image 10 MB, voice 2 MB, video 10 MB, thumb 64 KB.
pub fn limit(kind: &str) -> Option<usize> {
    match kind {
        "image" | "video" => Some(10 << 20),
        "voice" => Some(2 << 20),
        "thumb" => Some(64 << 10),
        _ => None,
    }
}

pub(crate) fn new_media_id() -> String {
    random_token(64).replace('-', "_")
}

pub(crate) struct Upload {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) description: Option<Value>,
}

pub(crate) async fn read_upload(
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Upload, WxError> {
    let mut mp = mp.map_err(|_| WxError::oa_msg(41005, "media data missing"))?;
    let mut up = Upload {
        filename: String::new(),
        content_type: String::new(),
        bytes: Vec::new(),
        description: None,
    };
    let mut got = false;
    while let Ok(Some(field)) = mp.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        if name == "description" {
            let t = field.text().await.unwrap_or_default();
            up.description = serde_json::from_str(&t).ok();
            continue;
        }
        up.filename = field.file_name().unwrap_or("media").to_owned();
        up.content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        up.bytes = field
            .bytes()
            .await
            .map_err(|_| WxError::oa_msg(41005, "media data missing"))?
            .to_vec();
        got = true;
    }
    if !got || up.bytes.is_empty() {
        return Err(WxError::oa_msg(41005, "media data missing"));
    }
    Ok(up)
}

fn check(kind: &str, up: &Upload) -> Result<(), WxError> {
    let max = limit(kind).ok_or(WxError::oa_msg(40004, "invalid media type"))?;
    if up.bytes.len() > max {
        return Err(WxError::oa_msg(40006, "invalid meida size"));
    }
    let ext = up
        .filename
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ok = match kind {
        "image" => ["bmp", "png", "jpeg", "jpg", "gif"].contains(&ext.as_str()),
        "thumb" => ["jpg", "jpeg"].contains(&ext.as_str()),
        "voice" => ["amr", "mp3", "wma", "wav"].contains(&ext.as_str()),
        "video" => ext == "mp4",
        _ => false,
    };
    if !ok {
        return Err(WxError::oa_msg(40005, "invalid file type"));
    }
    Ok(())
}

async fn upload(
    sim: Arc<Sim>,
    q: HashMap<String, String>,
    path: String,
    mp: Result<Multipart, MultipartRejection>,
    permanent: bool,
) -> Response {
    let r = async {
        let appid = authed(&sim, &q, &path).await?;
        let kind = q.get("type").cloned().unwrap_or_default();
        let up = read_upload(mp).await?;
        check(&kind, &up)?;
        if permanent
            && kind == "video"
            && up
                .description
                .as_ref()
                .and_then(|d| d.get("title"))
                .is_none()
        {
            return Err(WxError::oa_msg(
                40007,
                "invalid media_id: video needs a description with a title",
            ));
        }
        let now = sim.now();
        let id = new_media_id();
        let image_path =
            (permanent && kind == "image").then(|| format!("/mmbiz_jpg/{}/0", random_token(40)));
        let url = image_path
            .as_ref()
            .map(|p| format!("http://{IMAGE_HOST}{p}?wx_fmt=jpeg"));
        sim.with(|st| {
            if let Some(p) = &image_path {
                st.images.insert(
                    p.clone(),
                    (up.content_type.clone(), Arc::new(up.bytes.clone())),
                );
            }
            let a = app(st, &appid)?;
            a.media.insert(
                id.clone(),
                StoredMedia {
                    kind: kind.clone(),
                    permanent,
                    filename: up.filename,
                    content_type: up.content_type,
                    size: up.bytes.len(),
                    bytes: up.bytes,
                    created_at: now,
                    url: url.clone(),
                    description: up.description,
                },
            );
            Ok::<_, WxError>(())
        })?;
        Ok(if permanent {
            match url {
                Some(u) => json!({"media_id": id, "url": u}),
                None => json!({"media_id": id}),
            }
        } else {
            // OA's created_at is a number (WeCom's is a string).
            json!({"type": kind, "media_id": id, "created_at": now})
        })
    }
    .await;
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

/// `POST media/upload?type=` (multipart `media`) → `{"type","media_id","created_at"}`.
pub async fn media_upload(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    upload(sim, q, uri.path().to_owned(), mp, false).await
}

/// `POST material/add_material?type=` (multipart `media`, video also `description`).
pub async fn add_material(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    upload(sim, q, uri.path().to_owned(), mp, true).await
}

/// `POST media/uploadimg` (images for article content; not kept as material) → `{"url"}`.
pub async fn upload_img(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let r = async {
        authed(&sim, &q, uri.path()).await?;
        let up = read_upload(mp).await?;
        let ext = up
            .filename
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !["jpg", "jpeg", "png"].contains(&ext.as_str()) {
            return Err(WxError::oa_msg(40005, "invalid file type"));
        }
        if up.bytes.len() > 1 << 20 {
            return Err(WxError::oa_msg(40006, "invalid meida size"));
        }
        let path = format!("/mmbiz_jpg/{}/0", random_token(40));
        let content_type = if up.content_type.is_empty() {
            if ext == "png" {
                "image/png"
            } else {
                "image/jpeg"
            }
            .to_owned()
        } else {
            up.content_type
        };
        sim.with(|st| {
            st.images
                .insert(path.clone(), (content_type, Arc::new(up.bytes)));
        });
        Ok(json!({"url": format!("http://{IMAGE_HOST}{path}")}))
    }
    .await;
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

fn bytes_response(m: &StoredMedia) -> Response {
    (
        [
            (header::CONTENT_TYPE, m.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", m.filename),
            ),
        ],
        m.bytes.clone(),
    )
        .into_response()
}

/// `GET media/get?media_id=`: temporary media bytes (video → `{"video_url"}`); 40007 when
/// unknown or older than 3 days.
pub async fn media_get(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
) -> Response {
    let appid = match authed(&sim, &q, uri.path()).await {
        Ok(a) => a,
        Err(e) => return json_response(&e.to_json()),
    };
    let now = sim.now();
    let id = q.get("media_id").cloned().unwrap_or_default();
    let m = sim.with(|s| s.oa.get(&appid).and_then(|a| a.media.get(&id).cloned()));
    match m.filter(|m| !m.permanent && now - m.created_at < MEDIA_TTL) {
        None => json_response(&WxError::oa(40007).to_json()),
        // ⚠️ unverified URL shape, as for `get_material`'s down_url: served by the emulator.
        Some(m) if m.kind == "video" => json_response(&json!({
            "video_url": format!(
                "http://mp.weixin.qq.com/mp/videodownload?appid={appid}&media_id={id}"
            )
        })),
        Some(m) => bytes_response(&m),
    }
}

/// `POST material/get_material` `{"media_id"}`: bytes, or JSON for videos.
pub async fn get_material(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    let req = Req { q, body };
    let r = async {
        let appid = authed(&sim, &req.q, uri.path()).await?;
        let v = req.json()?;
        let id = v
            .get("media_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        sim.with(|s| {
            s.oa.get(&appid)
                .and_then(|a| a.media.get(&id).cloned())
                .filter(|m| m.permanent)
        })
        .map(|m| (appid, id, m))
        .ok_or(WxError::oa(40007))
    }
    .await;
    match r {
        Err(e) => json_response(&e.to_json()),
        Ok((appid, id, m)) if m.kind == "video" => {
            let d = m.description.clone().unwrap_or(Value::Null);
            json_response(&json!({
                "title": d.get("title").cloned().unwrap_or(json!("")),
                "description": d.get("introduction").cloned().unwrap_or(json!("")),
                // ⚠️ unverified: WeChat's down_url is a CDN address whose shape the reference
                // does not give; the emulator's points at its own `mp.weixin.qq.com` host,
                // which serves the uploaded bytes (see `video_download`).
                "down_url": format!(
                    "http://mp.weixin.qq.com/mp/videodownload?appid={appid}&media_id={id}"
                ),
            }))
        }
        Ok((_, _, m)) => bytes_response(&m),
    }
}

/// `GET mp.weixin.qq.com/mp/videodownload?appid=&media_id=`: the bytes behind the `down_url`
/// (`get_material`) or `video_url` (`media/get`) of a video; 404 for anything else.
pub async fn video_download(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let appid = q.get("appid").cloned().unwrap_or_default();
    let id = q.get("media_id").cloned().unwrap_or_default();
    let video = sim.with(|s| {
        s.oa.get(&appid)
            .and_then(|a| a.media.get(&id).cloned())
            .filter(|m| m.kind == "video")
    });
    match video {
        Some(m) => bytes_response(&m),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST material/del_material` `{"media_id"}`.
pub fn del_material(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let id = v.get("media_id").and_then(Value::as_str).unwrap_or("");
    match a.media.get(id) {
        Some(m) if m.permanent => {
            a.media.remove(id);
            Ok(ok())
        }
        _ => Err(WxError::oa(40007)),
    }
}

/// `POST material/batchget_material` `{"type","offset","count"(1–20)}`.
pub fn batchget_material(
    st: &mut State,
    appid: &str,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
    if !["image", "voice", "video", "news"].contains(&kind) {
        return Err(WxError::oa_msg(40004, "invalid media type"));
    }
    let offset = v.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let count = v.get("count").and_then(Value::as_u64).unwrap_or(0) as usize;
    if !(1..=20).contains(&count) {
        return Err(WxError::oa(40097));
    }
    let all: Vec<(&String, &StoredMedia)> = a
        .media
        .iter()
        .filter(|(_, m)| m.permanent && m.kind == kind)
        .collect();
    let items: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(count)
        .map(|(id, m)| json!({"media_id": id, "name": m.filename, "update_time": m.created_at, "url": m.url.clone().unwrap_or_default()}))
        .collect();
    Ok(json!({"total_count": all.len(), "item_count": items.len(), "item": items}))
}

/// `GET material/get_materialcount`.
pub fn material_count(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let n = |k: &str| {
        a.media
            .values()
            .filter(|m| m.permanent && m.kind == k)
            .count()
    };
    Ok(
        json!({"voice_count": n("voice"), "video_count": n("video"), "image_count": n("image") + n("thumb"), "news_count": 0}),
    )
}

/// `material/add_news`, `material/update_news`: retired by WeChat on 2022-02-28 (45106); use
/// drafts and freepublish.
pub fn retired(_st: &mut State, _appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    Err(WxError::oa_msg(45106, "This API has been unsupported"))
}
