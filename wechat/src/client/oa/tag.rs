//! User tags (`tags/*`, `user/tag/get`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::OaClient;
use super::user::OpenIdPage;
use crate::client::{decode, decode_list};
use crate::error::Error;

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Tag {
    /// `id`.
    pub id: i64,
    /// `name`.
    pub name: String,
    /// `count`.
    #[serde(default)]
    pub count: Option<i64>,
}

impl OaClient {
    /// `tags/create`.
    pub async fn tags_create(&self, name: &str) -> Result<Tag, Error> {
        let v = self
            .post_raw("/cgi-bin/tags/create", &json!({"tag": {"name": name}}))
            .await?;
        decode(v["tag"].clone())
    }
    /// `tags/get`.
    pub async fn tags_get(&self) -> Result<Vec<Tag>, Error> {
        let v = self.get_raw("/cgi-bin/tags/get", &[]).await?;
        decode_list(&v, "tags")
    }
    /// `tags/update`.
    pub async fn tags_update(&self, id: i64, name: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/tags/update",
            &json!({"tag": {"id": id, "name": name}}),
        )
        .await
        .map(drop)
    }
    /// `tags/delete`.
    pub async fn tags_delete(&self, id: i64) -> Result<(), Error> {
        self.post_raw("/cgi-bin/tags/delete", &json!({"tag": {"id": id}}))
            .await
            .map(drop)
    }
    /// `tags/members/batchtagging` (≤ 50 openids).
    pub async fn tags_batch_tagging(&self, tagid: i64, openids: &[String]) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/tags/members/batchtagging",
            &json!({"openid_list": openids, "tagid": tagid}),
        )
        .await
        .map(drop)
    }
    /// `tags/members/batchuntagging` (≤ 50 openids).
    pub async fn tags_batch_untagging(&self, tagid: i64, openids: &[String]) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/tags/members/batchuntagging",
            &json!({"openid_list": openids, "tagid": tagid}),
        )
        .await
        .map(drop)
    }
    /// `tags/getidlist`.
    pub async fn tags_of_user(&self, openid: &str) -> Result<Vec<i64>, Error> {
        let v = self
            .post_raw("/cgi-bin/tags/getidlist", &json!({"openid": openid}))
            .await?;
        decode_list(&v, "tagid_list")
    }
    /// `user/tag/get`.
    pub async fn tag_users(&self, tagid: i64, next_openid: &str) -> Result<OpenIdPage, Error> {
        self.post_t(
            "/cgi-bin/user/tag/get",
            &json!({"tagid": tagid, "next_openid": next_openid}),
        )
        .await
    }
}
