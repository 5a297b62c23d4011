//! HTTP plumbing shared by every capability: route declarations and the access guard, extractors that
//! answer in the API's error shape, cross-site request protection, the SPA fallback, the OpenAPI
//! document, and request ids.

pub mod compress;
pub mod csrf;
pub mod encoding;
pub mod extract;
pub mod guard;
pub mod openapi;
pub mod routes;
pub mod spa;

use axum::{extract::Request, middleware::Next, response::Response};

use crate::error::{AppError, REQUEST_ID};

/// Make the request id (set by `SetRequestIdLayer`) visible to [`crate::error::current_request_id`].
pub async fn request_id_scope(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    REQUEST_ID.scope(id, next.run(req)).await
}

/// `/api/*` paths no route matched.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
