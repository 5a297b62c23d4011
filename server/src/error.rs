//! The one error type of the HTTP layer, [`AppError`], mapped once to `api::ApiError` JSON + status.
//!
//! Internal details are logged together with the request id and never returned to the client.

use std::time::Duration;

use api::{ApiError, FieldIssue};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

tokio::task_local! {
    /// The `x-request-id` of the request being served, set by [`crate::http::request_id_scope`].
    pub static REQUEST_ID: String;
}

/// The current request id, or `-` outside a request.
pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".to_string())
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(Vec<FieldIssue>),
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("cross-site request refused: {0}")]
    Csrf(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    /// A conflict with a stable reason the SPA translates (`reason` in the error body).
    #[error("conflict ({reason}): {message}")]
    Refused {
        reason: &'static str,
        message: String,
    },
    /// WeChat refused a write for a reason staff can act on (WeCom's 60005, 60102, …): 409
    /// `conflict` with reason `errcode:N`, so the SPA says it in the UI language.
    #[error("conflict (errcode {errcode}): {message}")]
    RefusedCode { errcode: i64, message: String },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    /// Refused to stay within one of WeChat's own rate limits; the message says which.
    #[error("wechat rate limit: {message}")]
    WechatRateLimit {
        message: String,
        retry_after: Duration,
    },
    /// WeChat (or the sandbox) refused or could not be reached; the message names the errcode
    /// and a hint, never a secret or token.
    #[error("wechat: {0}")]
    Wechat(String),
    /// WeChat answered with an errcode: 502 `wechat` with reason `errcode:N`.
    #[error("wechat errcode {errcode}: {message}")]
    WechatCode { errcode: i64, message: String },
    /// WeCom answered 60020 to a provider or suite call: 502 `wechat` with reason
    /// `untrusted_ip:{scope}` or `untrusted_ip:{scope}:{ip}` (the IP WeCom named), which the SPA
    /// words as where to whitelist it. `scope`: `provider` | `suite`.
    #[error("wechat errcode 60020 ({scope}): {message}")]
    WechatUntrustedIp {
        scope: &'static str,
        ip: Option<String>,
        message: String,
    },
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 409 `conflict` with a stable `reason` (see [`AppError::Refused`]).
    pub fn refused(reason: &'static str, message: impl Into<String>) -> AppError {
        AppError::Refused {
            reason,
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::PasswordChangeRequired | AppError::Csrf(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) | AppError::Refused { .. } | AppError::RefusedCode { .. } => {
                StatusCode::CONFLICT
            }
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } | AppError::WechatRateLimit { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Wechat(_)
            | AppError::WechatCode { .. }
            | AppError::WechatUntrustedIp { .. } => StatusCode::BAD_GATEWAY,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Validation(_) => "validation",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Csrf(_) => "csrf",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Conflict(_) | AppError::Refused { .. } | AppError::RefusedCode { .. } => {
                "conflict"
            }
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::WechatRateLimit { .. } => "wechat_rate_limit",
            AppError::Wechat(_)
            | AppError::WechatCode { .. }
            | AppError::WechatUntrustedIp { .. } => "wechat",
            AppError::Database(_) | AppError::Internal(_) => "internal",
        }
    }

    fn body(&self) -> ApiError {
        let code = self.code();
        match self {
            AppError::Validation(fields) => ApiError::validation(fields.clone()),
            AppError::BadRequest(m)
            | AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::Wechat(m) => ApiError::new(code, m.clone()),
            AppError::Refused { reason, message } => {
                ApiError::new(code, message.clone()).with_reason(*reason)
            }
            AppError::WechatCode { errcode, message }
            | AppError::RefusedCode { errcode, message } => {
                ApiError::new(code, message.clone()).with_reason(format!("errcode:{errcode}"))
            }
            AppError::WechatUntrustedIp { scope, ip, message } => {
                ApiError::new(code, message.clone()).with_reason(match ip {
                    Some(ip) => format!("untrusted_ip:{scope}:{ip}"),
                    None => format!("untrusted_ip:{scope}"),
                })
            }
            AppError::Csrf(m) => ApiError::new(code, format!("cross-site request refused: {m}")),
            AppError::Unauthenticated => ApiError::new(code, "sign in first"),
            AppError::InvalidCredentials => ApiError::new(code, "wrong username or password"),
            AppError::PasswordChangeRequired => {
                ApiError::new(code, "change your password before continuing")
            }
            AppError::NotFound => ApiError::new(code, "not found"),
            AppError::MethodNotAllowed => ApiError::new(code, "method not allowed"),
            AppError::PayloadTooLarge => ApiError::new(code, "request body too large"),
            AppError::UnsupportedMediaType => {
                ApiError::new(code, "request body must be application/json")
            }
            AppError::RateLimited { retry_after } => ApiError::new(
                code,
                format!(
                    "too many failed attempts; retry in {} seconds",
                    retry_after.as_secs().max(1)
                ),
            ),
            AppError::WechatRateLimit { message, .. } => ApiError::new(code, message.clone()),
            AppError::Database(_) | AppError::Internal(_) => ApiError::new(
                code,
                format!("internal error (request id {})", current_request_id()),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(request_id = %current_request_id(), error = %crate::telemetry::escape(&self.to_string()), "request failed");
        } else {
            tracing::debug!(
                code = self.code(),
                status = status.as_u16(),
                "request refused"
            );
        }
        let mut response = (status, Json(self.body())).into_response();
        if let AppError::RateLimited { retry_after }
        | AppError::WechatRateLimit { retry_after, .. } = &self
        {
            let secs = retry_after.as_secs().max(1);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl From<api::validate::Issues> for AppError {
    fn from(issues: api::validate::Issues) -> Self {
        AppError::Validation(issues.to_field_issues())
    }
}

/// A validation error on one field.
pub fn field_error(field: &str, rule: api::validate::Rule) -> AppError {
    let mut issues = api::validate::Issues::default();
    issues.check(field, Err(rule));
    issues.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: AppError) -> (StatusCode, serde_json::Value) {
        let res = e.into_response();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn internal_errors_hide_details_and_name_the_request() {
        let (status, body) = REQUEST_ID
            .scope(
                "req-123".to_string(),
                body_of(AppError::Internal("db password=hunter2 exploded".into())),
            )
            .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal");
        assert_eq!(
            body["error"]["message"],
            "internal error (request id req-123)"
        );
        assert!(!body.to_string().contains("hunter2"));
    }

    #[tokio::test]
    async fn rate_limits_carry_retry_after() {
        let res = AppError::RateLimited {
            retry_after: Duration::from_secs(42),
        }
        .into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[header::RETRY_AFTER], "42");
        let (_, body) = body_of(AppError::Validation(vec![])).await;
        assert_eq!(body["error"]["code"], "validation");
    }
}
