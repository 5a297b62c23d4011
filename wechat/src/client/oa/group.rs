//! Legacy user groups (`groups/*`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::OaClient;
use crate::client::{decode, decode_list, required_i64};
use crate::error::Error;

/// A legacy group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Group {
    /// `id`.
    pub id: i64,
    /// `name`.
    pub name: String,
    /// `count`.
    #[serde(default)]
    pub count: Option<i64>,
}

impl OaClient {
    /// `groups/create`.
    pub async fn groups_create(&self, name: &str) -> Result<Group, Error> {
        let v = self
            .post_raw("/cgi-bin/groups/create", &json!({"group": {"name": name}}))
            .await?;
        decode(v["group"].clone())
    }
    /// `groups/get`.
    pub async fn groups_get(&self) -> Result<Vec<Group>, Error> {
        let v = self.get_raw("/cgi-bin/groups/get", &[]).await?;
        decode_list(&v, "groups")
    }
    /// `groups/getid`.
    pub async fn groups_get_id(&self, openid: &str) -> Result<i64, Error> {
        let v = self
            .post_raw("/cgi-bin/groups/getid", &json!({"openid": openid}))
            .await?;
        required_i64(&v, "groupid")
    }
    /// `groups/update`.
    pub async fn groups_update(&self, id: i64, name: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/groups/update",
            &json!({"group": {"id": id, "name": name}}),
        )
        .await
        .map(drop)
    }
    /// `groups/members/update`.
    pub async fn groups_move_member(&self, openid: &str, to_groupid: i64) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/groups/members/update",
            &json!({"openid": openid, "to_groupid": to_groupid}),
        )
        .await
        .map(drop)
    }
    /// `groups/members/batchupdate`.
    pub async fn groups_move_members(
        &self,
        openids: &[String],
        to_groupid: i64,
    ) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/groups/members/batchupdate",
            &json!({"openid_list": openids, "to_groupid": to_groupid}),
        )
        .await
        .map(drop)
    }
    /// `groups/delete`.
    pub async fn groups_delete(&self, id: i64) -> Result<(), Error> {
        self.post_raw("/cgi-bin/groups/delete", &json!({"group": {"id": id}}))
            .await
            .map(drop)
    }
}
