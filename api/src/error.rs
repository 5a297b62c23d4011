//! The one error shape of the JSON API: `{"error":{"code","message"[,"fields"]}}`.

use serde::{Deserialize, Serialize};

/// Body of every non-2xx response under `/api/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `unauthenticated`, `forbidden`,
    /// `conflict`, `rate_limited`, `payload_too_large`, `bad_request`, `internal`, `wechat`.
    ///
    /// The server's full list (status in brackets): `bad_request` (400: malformed JSON, unknown
    /// field, bad query), `validation` (422, with `fields`), `unauthenticated` (401),
    /// `invalid_credentials` (401, login), `forbidden` (403: role too low), `password_change_required`
    /// (403), `csrf` (403: cross-site request), `not_found` (404), `method_not_allowed` (405),
    /// `conflict` (409), `payload_too_large` (413), `unsupported_media_type` (415: body not JSON),
    /// `rate_limited` (429, with a `Retry-After` header), `internal` (500, message names the request id),
    /// `wechat` (502: WeChat or the sandbox refused or could not be reached; the message names the
    /// errcode and a hint).
    pub code: String,
    /// Human-readable message (English; the SPA localises by `code` and field issue codes).
    pub message: String,
    /// A finer, stable reason for some `conflict` and `wechat` errors, for the SPA to say in
    /// the user's language: e.g. `bill_not_ready`, `no_client_cert`, `last_admin`,
    /// `reply_window_closed`, or `errcode:40164` (WeChat's own error code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Field-level problems for `validation` errors; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldIssue>,
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldIssue {
    /// JSON field name as sent by the client, e.g. `encoding_aes_key`.
    pub field: String,
    /// Stable code of the rule that failed, see [`crate::validate::Rule`].
    pub code: String,
    /// English message; the SPA renders its own localised text from `code`.
    pub message: String,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            error: ErrorBody {
                code: code.into(),
                message: message.into(),
                reason: None,
                fields: Vec::new(),
            },
        }
    }

    /// With a finer reason (see [`ErrorBody::reason`]).
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.error.reason = Some(reason.into());
        self
    }

    pub fn validation(fields: Vec<FieldIssue>) -> Self {
        let message = match fields.first() {
            Some(first) if fields.len() == 1 => format!("{}: {}", first.field, first.message),
            Some(_) => format!("{} fields are invalid", fields.len()),
            None => "invalid input".to_string(),
        };
        ApiError {
            error: ErrorBody {
                code: "validation".into(),
                message,
                reason: None,
                fields,
            },
        }
    }
}
