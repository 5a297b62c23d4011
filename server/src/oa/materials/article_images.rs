//! Images uploaded through `uploadimg` for article bodies. WeChat answers with an address on
//! its image host, which is what the article's HTML must hold, but that host refuses to serve
//! other sites; the portal keeps the bytes it uploaded and serves them by that address, so the
//! editor and the phone preview show them without hot-linking.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::{
    accounts::extract::OfficialAccount,
    entities::article_image,
    error::{AppError, AppResult},
    http::extract::Query,
    state::AppState,
};

/// Keeps the bytes WeChat accepted under the address it gave (once per address).
pub async fn keep<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    url: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> AppResult<()> {
    let exists = article_image::Entity::find()
        .filter(article_image::Column::AccountId.eq(account_id))
        .filter(article_image::Column::Url.eq(url))
        .one(db)
        .await?
        .is_some();
    if exists || url.len() > 255 {
        return Ok(());
    }
    article_image::ActiveModel {
        account_id: Set(account_id),
        url: Set(url.to_string()),
        content_type: Set(content_type.to_string()),
        bytes: Set(bytes),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
pub struct ImageQuery {
    /// The address WeChat gave for the image (as the article's HTML holds it).
    #[serde(default)]
    pub url: String,
}

/// `GET …/materials/article-image?url=`: the bytes of an image uploaded through the portal.
pub async fn serve(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Query(q): Query<ImageQuery>,
) -> AppResult<Response> {
    let row = article_image::Entity::find()
        .filter(article_image::Column::AccountId.eq(account.id))
        .filter(article_image::Column::Url.eq(q.url.as_str()))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
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
