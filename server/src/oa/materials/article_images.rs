//! Images of article bodies. WeChat answers `uploadimg` with an address on its image host,
//! which is what the article's HTML must hold, but that host refuses to serve other sites; the
//! portal keeps the bytes it uploaded and serves them by that address, so the editor and the
//! phone preview show them without hot-linking. An image the portal never uploaded (an article
//! imported from WeChat, written in WeChat's own editor) is fetched from WeChat's image host
//! the first time it is shown, server to server, and kept the same way.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr,
};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::{
    accounts::extract::OfficialAccount,
    entities::article_image,
    error::{AppError, AppResult},
    http::extract::Query,
    state::AppState,
    wechat_clients,
};

/// Keeps the bytes WeChat accepted under the address it gave (once per address).
pub async fn keep<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    url: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> AppResult<()> {
    if url.len() > 255 || find(db, account_id, url).await?.is_some() {
        return Ok(());
    }
    let inserted = article_image::ActiveModel {
        account_id: Set(account_id),
        url: Set(url.to_string()),
        content_type: Set(content_type.to_string()),
        bytes: Set(bytes),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        // Another request kept the same address first: the same image.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Largest image fetched from WeChat's image host (WeChat's editor takes images up to 10 MB;
/// ⚠️ article images seen in practice stay well under this).
pub const FETCH_MAX_BYTES: usize = 5 << 20;

/// The image type of `bytes`, from WeChat's content type when it names one, else from the
/// file's first bytes; `None` for anything that is not an image.
fn image_type(declared: Option<&str>, bytes: &[u8]) -> Option<&'static str> {
    let declared = declared
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    let by_name = match declared.to_ascii_lowercase().as_str() {
        "image/jpeg" | "image/jpg" => Some("image/jpeg"),
        "image/png" => Some("image/png"),
        "image/gif" => Some("image/gif"),
        "image/webp" => Some("image/webp"),
        _ => None,
    };
    by_name.or(if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"GIF8") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    })
}

/// Fetches an image the portal does not hold from WeChat's image host (only that host: any
/// other address is refused by the client) and keeps it. `None` when WeChat has no such image
/// or it is not one.
async fn fetch_and_keep(
    state: &AppState,
    account_id: i64,
    url: &str,
) -> AppResult<Option<article_image::Model>> {
    if url.len() > 255 {
        return Ok(None);
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let (declared, bytes) = match client.article_image(url, FETCH_MAX_BYTES).await {
        Ok(got) => got,
        Err(wechat::Error::Invalid(reason)) => {
            tracing::info!(account_id, %reason, "article image not fetched");
            return Ok(None);
        }
        Err(wechat::Error::Status { status: 404 }) => return Ok(None),
        Err(e) => return Err(wechat_clients::api_error(&e)),
    };
    let Some(content_type) = image_type(declared.as_deref(), &bytes) else {
        tracing::info!(
            account_id,
            "WeChat's image host answered something that is not an image"
        );
        return Ok(None);
    };
    keep(&state.db, account_id, url, content_type, bytes).await?;
    find(&state.db, account_id, url).await
}

async fn find<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    url: &str,
) -> AppResult<Option<article_image::Model>> {
    Ok(article_image::Entity::find()
        .filter(article_image::Column::AccountId.eq(account_id))
        .filter(article_image::Column::Url.eq(url))
        .one(db)
        .await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct ImageQuery {
    /// The address WeChat gave for the image (as the article's HTML holds it).
    #[serde(default)]
    pub url: String,
}

/// `GET …/materials/article-image?url=`: the bytes of an article image, uploaded through the
/// portal or fetched from WeChat's image host on first view.
pub async fn serve(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<ImageQuery>,
) -> AppResult<Response> {
    let row = match find(&state.db, account.id, &q.url).await? {
        Some(row) => row,
        None => fetch_and_keep(&state, account.id, &q.url)
            .await?
            .ok_or(AppError::NotFound)?,
    };
    let mut res = row.bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&row.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // An address names one upload for good.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn only_images_are_kept() {
        assert_eq!(image_type(Some("image/png"), b""), Some("image/png"));
        assert_eq!(image_type(Some("IMAGE/JPEG; q=1"), b""), Some("image/jpeg"));
        assert_eq!(
            image_type(Some("application/octet-stream"), b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(image_type(None, b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(Some("text/html"), b"<html>"), None);
        assert_eq!(image_type(Some("image/svg+xml"), b"<svg"), None);
    }
}
