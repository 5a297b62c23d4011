//! Mass messages (`message/mass/*`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::OaClient;
use crate::error::Error;

/// `message/mass/sendall` and `message/mass/send` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MassSendResult {
    /// `msg_id` (for `mass/get` and `mass/delete`).
    #[serde(default)]
    pub msg_id: i64,
    /// `msg_data_id` (articles only: for comment and statistics APIs).
    #[serde(default)]
    pub msg_data_id: Option<i64>,
}

/// `message/mass/get` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MassStatus {
    /// `msg_id`.
    #[serde(default)]
    pub msg_id: i64,
    /// `msg_status`: `SEND_SUCCESS`, `SENDING`, `SEND_FAIL`, `DELETE`.
    #[serde(default)]
    pub msg_status: String,
}

/// `message/mass/speed/get` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MassSpeed {
    /// The level, 0 (fastest) to 4.
    #[serde(default)]
    pub speed: i64,
    /// The speed at that level, in 10,000 messages a minute.
    #[serde(default)]
    pub realspeed: i64,
}

/// `media/uploadvideo` response: the media id a mass `mpvideo` names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MassVideo {
    /// `type` (`video`).
    #[serde(default, rename = "type")]
    pub kind: String,
    /// The media id to send as `mpvideo`.
    #[serde(default)]
    pub media_id: String,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
}

impl OaClient {
    /// `media/uploadvideo`: turns a video material into the media id a mass `mpvideo` sends,
    /// with the title and description followers see. ⚠️ unverified: WeChat's pages describe the
    /// input both as a temporary video (基础支持) and as a permanent video material; the portal
    /// passes the permanent material it lists.
    pub async fn mass_upload_video(
        &self,
        media_id: &str,
        title: &str,
        description: &str,
    ) -> Result<MassVideo, Error> {
        self.post_t(
            "/cgi-bin/media/uploadvideo",
            &json!({"media_id": media_id, "title": title, "description": description}),
        )
        .await
    }
    /// `message/mass/speed/get`.
    pub async fn mass_speed_get(&self) -> Result<MassSpeed, Error> {
        self.post_t("/cgi-bin/message/mass/speed/get", &json!({}))
            .await
    }
    /// `message/mass/speed/set` (`speed` 0–4; WeChat answers 45083 outside that range).
    pub async fn mass_speed_set(&self, speed: i64) -> Result<(), Error> {
        self.post_raw("/cgi-bin/message/mass/speed/set", &json!({"speed": speed}))
            .await
            .map(drop)
    }
    /// `message/mass/sendall` (by tag or to all).
    pub async fn mass_send_all(&self, body: &Value) -> Result<MassSendResult, Error> {
        self.post_t("/cgi-bin/message/mass/sendall", body).await
    }
    /// `message/mass/send` (to openids).
    pub async fn mass_send(&self, body: &Value) -> Result<MassSendResult, Error> {
        self.post_t("/cgi-bin/message/mass/send", body).await
    }
    /// `message/mass/delete`.
    pub async fn mass_delete(&self, msg_id: i64, article_idx: Option<i64>) -> Result<(), Error> {
        let mut b = json!({"msg_id": msg_id});
        if let Some(i) = article_idx {
            b["article_idx"] = json!(i);
        }
        self.post_raw("/cgi-bin/message/mass/delete", &b)
            .await
            .map(drop)
    }
    /// `message/mass/preview`.
    pub async fn mass_preview(&self, body: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/message/mass/preview", body)
            .await
            .map(drop)
    }
    /// `message/mass/get`.
    pub async fn mass_get(&self, msg_id: i64) -> Result<MassStatus, Error> {
        self.post_t("/cgi-bin/message/mass/get", &json!({"msg_id": msg_id}))
            .await
    }
}
