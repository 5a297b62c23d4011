//! Tags and their members (`tag/*`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::WorkClient;
use crate::client::{decode_list, required_i64};
use crate::error::Error;

/// A WeCom tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTag {
    /// `tagid`.
    pub tagid: i64,
    /// `tagname`.
    pub tagname: String,
}

impl WorkClient {
    /// `tag/create` → tagid.
    pub async fn tag_create(&self, tagname: &str, tagid: Option<i64>) -> Result<i64, Error> {
        let mut b = json!({"tagname": tagname});
        if let Some(id) = tagid {
            b["tagid"] = json!(id);
        }
        let v = self.post_raw("/cgi-bin/tag/create", &[], &b).await?;
        required_i64(&v, "tagid")
    }
    /// `tag/update`.
    pub async fn tag_update(&self, tagid: i64, tagname: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/tag/update",
            &[],
            &json!({"tagid": tagid, "tagname": tagname}),
        )
        .await
        .map(drop)
    }
    /// `tag/delete`.
    pub async fn tag_delete(&self, tagid: i64) -> Result<(), Error> {
        self.get_raw("/cgi-bin/tag/delete", &[("tagid", &tagid.to_string())])
            .await
            .map(drop)
    }
    /// `tag/list`.
    pub async fn tag_list(&self) -> Result<Vec<WorkTag>, Error> {
        let v = self.get_raw("/cgi-bin/tag/list", &[]).await?;
        decode_list(&v, "taglist")
    }
    /// `tag/get` (members).
    pub async fn tag_get(&self, tagid: i64) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/tag/get", &[("tagid", &tagid.to_string())])
            .await
    }
    /// `tag/addtagusers` → raw response (may carry `invalidlist`, `invalidparty`).
    pub async fn tag_add_users(
        &self,
        tagid: i64,
        users: &[String],
        parties: &[i64],
    ) -> Result<Value, Error> {
        self.tag_members("/cgi-bin/tag/addtagusers", tagid, users, parties)
            .await
    }
    /// `tag/deltagusers`.
    pub async fn tag_del_users(
        &self,
        tagid: i64,
        users: &[String],
        parties: &[i64],
    ) -> Result<Value, Error> {
        self.tag_members("/cgi-bin/tag/deltagusers", tagid, users, parties)
            .await
    }

    async fn tag_members(
        &self,
        path: &str,
        tagid: i64,
        users: &[String],
        parties: &[i64],
    ) -> Result<Value, Error> {
        self.post_raw(
            path,
            &[],
            &json!({"tagid": tagid, "userlist": users, "partylist": parties}),
        )
        .await
    }
}
