//! Followers (`user/get`, `user/info`, remarks).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::OaClient;
use crate::client::decode_list;
use crate::error::Error;

/// A page of OpenIDs (`user/get`, `user/tag/get`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct OpenIdPage {
    /// `total` (user/get only).
    #[serde(default)]
    pub total: Option<i64>,
    /// `count` (0 ends paging even if `next_openid` is set).
    #[serde(default)]
    pub count: i64,
    /// `data.openid`.
    #[serde(default)]
    pub data: OpenIdList,
    /// `next_openid`.
    #[serde(default)]
    pub next_openid: String,
}

/// `{"openid":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct OpenIdList {
    /// OpenIDs.
    #[serde(default)]
    pub openid: Vec<String>,
}

/// `user/info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Default)]
pub struct UserInfo {
    /// `subscribe` (0/1).
    #[serde(default)]
    pub subscribe: i64,
    /// `openid`.
    pub openid: String,
    /// `language`.
    #[serde(default)]
    pub language: Option<String>,
    /// `subscribe_time`.
    #[serde(default)]
    pub subscribe_time: Option<i64>,
    /// `unionid`.
    #[serde(default)]
    pub unionid: Option<String>,
    /// `remark`.
    #[serde(default)]
    pub remark: Option<String>,
    /// `groupid`.
    #[serde(default)]
    pub groupid: Option<i64>,
    /// `tagid_list`.
    #[serde(default)]
    pub tagid_list: Vec<i64>,
    /// `subscribe_scene`.
    #[serde(default)]
    pub subscribe_scene: Option<String>,
    /// `qr_scene`.
    #[serde(default)]
    pub qr_scene: Option<i64>,
    /// `qr_scene_str`.
    #[serde(default)]
    pub qr_scene_str: Option<String>,
}

impl OaClient {
    /// `user/get` (≤ 10000 per page; stop when `count` is 0).
    pub async fn user_get(&self, next_openid: &str) -> Result<OpenIdPage, Error> {
        self.get_t("/cgi-bin/user/get", &[("next_openid", next_openid)])
            .await
    }
    /// `user/info`.
    pub async fn user_info(&self, openid: &str, lang: &str) -> Result<UserInfo, Error> {
        self.get_t("/cgi-bin/user/info", &[("openid", openid), ("lang", lang)])
            .await
    }
    /// `user/info/batchget` (≤ 100 openids per call).
    pub async fn user_info_batch(
        &self,
        openids: &[String],
        lang: &str,
    ) -> Result<Vec<UserInfo>, Error> {
        if openids.len() > 100 {
            return Err(Error::Invalid(
                "user/info/batchget takes at most 100 openids".into(),
            ));
        }
        let list: Vec<Value> = openids
            .iter()
            .map(|o| json!({"openid": o, "lang": lang}))
            .collect();
        let v = self
            .post_raw("/cgi-bin/user/info/batchget", &json!({"user_list": list}))
            .await?;
        decode_list(&v, "user_info_list")
    }
    /// `user/info/updateremark`.
    pub async fn user_update_remark(&self, openid: &str, remark: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/user/info/updateremark",
            &json!({"openid": openid, "remark": remark}),
        )
        .await
        .map(drop)
    }
}
