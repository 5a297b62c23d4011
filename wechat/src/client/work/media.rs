//! Temporary media (`media/*`).

use super::WorkClient;
use crate::client::oa::MediaUploadResp;
use crate::client::{Download, UploadFile, decode, required_str};
use crate::error::Error;

impl WorkClient {
    /// `media/upload` (`kind`: image, voice, video, file).
    pub async fn media_upload(
        &self,
        kind: &str,
        file: &UploadFile,
    ) -> Result<MediaUploadResp, Error> {
        let v = self
            .api()
            .upload("/cgi-bin/media/upload", &[("type", kind)], file, &[])
            .await?;
        decode(v)
    }
    /// `media/uploadimg` → URL.
    pub async fn media_upload_img(&self, file: &UploadFile) -> Result<String, Error> {
        let v = self
            .api()
            .upload("/cgi-bin/media/uploadimg", &[], file, &[])
            .await?;
        required_str(&v, "url")
    }
    /// `media/get`.
    pub async fn media_get(&self, media_id: &str) -> Result<Download, Error> {
        self.api()
            .download("/cgi-bin/media/get", &[("media_id", media_id)], None)
            .await
    }
}
