//! Permanent materials (`material/*`) and temporary media (`media/*`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::OaClient;
use crate::client::{Download, UploadFile, decode, required_str};
use crate::error::Error;

/// `material/add_material` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddMaterialResp {
    /// `media_id`.
    pub media_id: String,
    /// `url` (images).
    #[serde(default)]
    pub url: Option<String>,
}

/// `media/upload` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MediaUploadResp {
    /// `type`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `media_id` (or `thumb_media_id` for thumbs).
    #[serde(alias = "thumb_media_id")]
    pub media_id: String,
    /// `created_at` (number for OA, string for WeCom).
    pub created_at: Value,
}

impl OaClient {
    /// `material/add_material` (`kind`: image, voice, video, thumb). Video needs a
    /// `(title, introduction)` description.
    pub async fn material_add(
        &self,
        kind: &str,
        file: &UploadFile,
        video: Option<(&str, &str)>,
    ) -> Result<AddMaterialResp, Error> {
        let mut fields = Vec::new();
        if let Some((title, intro)) = video {
            fields.push((
                "description",
                json!({"title": title, "introduction": intro}).to_string(),
            ));
        }
        decode(
            self.api()
                .upload(
                    "/cgi-bin/material/add_material",
                    &[("type", kind)],
                    file,
                    &fields,
                )
                .await?,
        )
    }
    /// `material/get_material` (bytes, or JSON for news/video).
    pub async fn material_get(&self, media_id: &str) -> Result<Download, Error> {
        self.api()
            .download(
                "/cgi-bin/material/get_material",
                &[],
                Some(&json!({"media_id": media_id})),
            )
            .await
    }
    /// An image of an article body (an address on `mmbiz.qpic.cn`, as `uploadimg` and WeChat's
    /// editor write them), up to `max_bytes`: its content type and bytes.
    pub async fn article_image(
        &self,
        url: &str,
        max_bytes: usize,
    ) -> Result<(Option<String>, Vec<u8>), Error> {
        self.core.fetch_image(url, max_bytes).await
    }

    /// The bytes of a permanent video: `material_get` answers JSON with a `down_url` for
    /// videos, which is fetched here (no access token: the URL is already signed by WeChat).
    pub async fn material_video_bytes(&self, down_url: &str) -> Result<Vec<u8>, Error> {
        self.core.fetch_url(down_url).await
    }
    /// `material/del_material`.
    pub async fn material_delete(&self, media_id: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/material/del_material",
            &json!({"media_id": media_id}),
        )
        .await
        .map(drop)
    }
    /// `material/batchget_material` (count 1–20).
    pub async fn material_batchget(
        &self,
        kind: &str,
        offset: i64,
        count: i64,
    ) -> Result<Value, Error> {
        self.post_raw(
            "/cgi-bin/material/batchget_material",
            &json!({"type": kind, "offset": offset, "count": count}),
        )
        .await
    }
    /// `material/get_materialcount`.
    pub async fn material_count(&self) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/material/get_materialcount", &[])
            .await
    }
    /// `media/upload` (temporary media).
    pub async fn media_upload(
        &self,
        kind: &str,
        file: &UploadFile,
    ) -> Result<MediaUploadResp, Error> {
        decode(
            self.api()
                .upload("/cgi-bin/media/upload", &[("type", kind)], file, &[])
                .await?,
        )
    }
    /// `media/get` (bytes; video returns JSON with `video_url`).
    pub async fn media_get(&self, media_id: &str) -> Result<Download, Error> {
        self.api()
            .download("/cgi-bin/media/get", &[("media_id", media_id)], None)
            .await
    }
    /// `media/uploadimg` → URL for images inside articles.
    pub async fn media_upload_img(&self, file: &UploadFile) -> Result<String, Error> {
        let v = self
            .api()
            .upload("/cgi-bin/media/uploadimg", &[], file, &[])
            .await?;
        required_str(&v, "url")
    }
}
