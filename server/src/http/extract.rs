//! Extractors whose rejections use the API's JSON error shape.
//!
//! [`Json`] is strict: it requires `Content-Type: application/json`, honours the body limit
//! (413), and refuses malformed JSON or unknown top-level fields (400).

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::error::AppError;

/// A JSON body: the value and the raw object it came from.
pub struct Json<T> {
    pub value: T,
    pub raw: Value,
}

fn is_json(parts_ct: Option<&header::HeaderValue>) -> bool {
    let Some(ct) = parts_ct.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned + Serialize,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::BadRequest("could not read the request body".into())
                }
            })?;
        let raw: Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
        let value: T = serde_json::from_value(raw.clone())
            .map_err(|e| AppError::BadRequest(format!("invalid request: {e}")))?;
        reject_unknown_fields(&raw, &value)?;
        Ok(Json { value, raw })
    }
}

/// Every key of the incoming object must survive a round trip through `T`
/// (a `null` for an optional field is fine). Works with `#[serde(flatten)]` and tagged enums,
/// where `deny_unknown_fields` cannot be used.
fn reject_unknown_fields<T: Serialize>(raw: &Value, value: &T) -> Result<(), AppError> {
    let Value::Object(input) = raw else {
        return Ok(());
    };
    let known = serde_json::to_value(value).map_err(AppError::internal)?;
    let Value::Object(known) = known else {
        return Ok(());
    };
    let mut unknown: Vec<&str> = input
        .iter()
        .filter(|(k, v)| !known.contains_key(*k) && !v.is_null())
        .map(|(k, _)| k.as_str())
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    unknown.sort_unstable();
    Err(AppError::BadRequest(format!(
        "unknown field(s): {}",
        unknown.join(", ")
    )))
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.value).into_response()
    }
}

/// Query string, rejected as 400 `bad_request`.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| AppError::BadRequest(format!("invalid query: {}", e.body_text())))
    }
}

/// Path parameters; a malformed id is a 404 (no such resource).
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| AppError::NotFound)
    }
}
