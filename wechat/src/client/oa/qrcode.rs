//! Parametric QR codes (`qrcode/create`, `showqrcode`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::OaClient;
use crate::client::{Download, Host, urlenc};
use crate::error::Error;

/// `qrcode/create` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrCodeRequest {
    /// `QR_SCENE` (temporary, integer scene).
    Temporary {
        /// Seconds (≤ 2592000).
        expire_seconds: i64,
        /// Scene id.
        scene_id: i64,
    },
    /// `QR_STR_SCENE` (temporary, string scene).
    TemporaryStr {
        /// Seconds.
        expire_seconds: i64,
        /// Scene string.
        scene_str: String,
    },
    /// `QR_LIMIT_SCENE` (permanent, 1–100000).
    Permanent {
        /// Scene id.
        scene_id: i64,
    },
    /// `QR_LIMIT_STR_SCENE` (permanent, 1–64 chars).
    PermanentStr {
        /// Scene string.
        scene_str: String,
    },
}

impl QrCodeRequest {
    /// The JSON body.
    pub fn to_json(&self) -> Value {
        match self {
            QrCodeRequest::Temporary {
                expire_seconds,
                scene_id,
            } => json!({
                "expire_seconds": expire_seconds, "action_name": "QR_SCENE",
                "action_info": {"scene": {"scene_id": scene_id}}}),
            QrCodeRequest::TemporaryStr {
                expire_seconds,
                scene_str,
            } => json!({
                "expire_seconds": expire_seconds, "action_name": "QR_STR_SCENE",
                "action_info": {"scene": {"scene_str": scene_str}}}),
            QrCodeRequest::Permanent { scene_id } => json!({
                "action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": scene_id}}}),
            QrCodeRequest::PermanentStr { scene_str } => json!({
                "action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene_str}}}),
        }
    }
}

/// `qrcode/create` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QrCode {
    /// `ticket`.
    pub ticket: String,
    /// `expire_seconds`.
    #[serde(default)]
    pub expire_seconds: Option<i64>,
    /// `url` (the QR content).
    pub url: String,
}

impl OaClient {
    /// `qrcode/create`.
    pub async fn qrcode_create(&self, req: &QrCodeRequest) -> Result<QrCode, Error> {
        self.post_t("/cgi-bin/qrcode/create", &req.to_json()).await
    }
    /// The `showqrcode` image URL for a ticket (on `mp.weixin.qq.com`).
    pub fn qrcode_image_url(&self, ticket: &str) -> String {
        format!(
            "{}?ticket={}",
            self.core.urls().url(Host::Mp, "/cgi-bin/showqrcode"),
            urlenc(ticket)
        )
    }
    /// `showqrcode?ticket=`: the code's image bytes (no access token). An unknown or expired
    /// ticket is an HTTP error status.
    pub async fn qrcode_image(&self, ticket: &str) -> Result<(Option<String>, Vec<u8>), Error> {
        match self
            .core
            .download(Host::Mp, "/cgi-bin/showqrcode", &[("ticket", ticket)], None)
            .await?
        {
            Download::Bytes {
                content_type,
                bytes,
            } => Ok((content_type, bytes)),
            Download::Json(v) => Err(Error::Invalid(format!("showqrcode answered JSON: {v}"))),
        }
    }
}
