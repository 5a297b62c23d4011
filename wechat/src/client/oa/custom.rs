//! Customer service (客服): messages (`message/custom/send`, optionally as a customer-service
//! account) and customer-service accounts (`customservice/kfaccount/*`,
//! `cgi-bin/customservice/getkflist|getonlinekflist`).
//!
//! The account APIs' shapes come from WeChat's customer-service documentation as client
//! libraries quote it (⚠️ unverified against the live API).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::OaClient;
use crate::client::UploadFile;
use crate::error::Error;

/// One customer-service account of `getkflist`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KfAccount {
    /// `kf_account` (`prefix@wechat_id`).
    pub kf_account: String,
    /// `kf_id`.
    #[serde(default, deserialize_with = "string_or_number")]
    pub kf_id: String,
    /// `kf_nick`.
    #[serde(default)]
    pub kf_nick: String,
    /// `kf_headimgurl`.
    #[serde(default)]
    pub kf_headimgurl: String,
    /// `kf_wx`: the bound WeChat ID.
    #[serde(default)]
    pub kf_wx: Option<String>,
    /// `invite_wx`: the invited WeChat ID, while the invitation is open.
    #[serde(default)]
    pub invite_wx: Option<String>,
    /// `invite_expire_time` (unix seconds).
    #[serde(default)]
    pub invite_expire_time: Option<i64>,
    /// `invite_status`: `waiting`, `rejected`, `expire`.
    #[serde(default)]
    pub invite_status: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One online worker of `getonlinekflist`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KfOnline {
    /// `kf_account`.
    pub kf_account: String,
    /// `status` (0 offline, 1 online).
    #[serde(default)]
    pub status: i64,
    /// `kf_id`.
    #[serde(default, deserialize_with = "string_or_number")]
    pub kf_id: String,
    /// `accepted_case`: sessions being handled.
    #[serde(default)]
    pub accepted_case: i64,
}

/// `kf_id` is a string in the documentation's samples and a number in some answers.
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

#[derive(Deserialize)]
struct KfList {
    #[serde(default)]
    kf_list: Vec<KfAccount>,
}

#[derive(Deserialize)]
struct KfOnlineList {
    #[serde(default)]
    kf_online_list: Vec<KfOnline>,
}

impl OaClient {
    /// `message/custom/send` with a full body (`{"touser","msgtype",…}`).
    pub async fn custom_send(&self, body: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/message/custom/send", body)
            .await
            .map(drop)
    }
    /// A text customer-service message.
    pub async fn custom_send_text(&self, openid: &str, content: &str) -> Result<(), Error> {
        self.custom_send(
            &json!({"touser": openid, "msgtype": "text", "text": {"content": content}}),
        )
        .await
    }
    /// `cgi-bin/customservice/getkflist`.
    pub async fn kf_list(&self) -> Result<Vec<KfAccount>, Error> {
        let l: KfList = self.get_t("/cgi-bin/customservice/getkflist", &[]).await?;
        Ok(l.kf_list)
    }
    /// `cgi-bin/customservice/getonlinekflist`.
    pub async fn kf_online_list(&self) -> Result<Vec<KfOnline>, Error> {
        let l: KfOnlineList = self
            .get_t("/cgi-bin/customservice/getonlinekflist", &[])
            .await?;
        Ok(l.kf_online_list)
    }
    /// `customservice/kfaccount/add`.
    pub async fn kf_add(&self, kf_account: &str, nickname: &str) -> Result<(), Error> {
        self.post_raw(
            "/customservice/kfaccount/add",
            &json!({"kf_account": kf_account, "nickname": nickname}),
        )
        .await
        .map(drop)
    }
    /// `customservice/kfaccount/update` (the nickname).
    pub async fn kf_update(&self, kf_account: &str, nickname: &str) -> Result<(), Error> {
        self.post_raw(
            "/customservice/kfaccount/update",
            &json!({"kf_account": kf_account, "nickname": nickname}),
        )
        .await
        .map(drop)
    }
    /// `customservice/kfaccount/del?kf_account=`.
    pub async fn kf_delete(&self, kf_account: &str) -> Result<(), Error> {
        self.get_raw(
            "/customservice/kfaccount/del",
            &[("kf_account", kf_account)],
        )
        .await
        .map(drop)
    }
    /// `customservice/kfaccount/inviteworker`: asks a WeChat user to bind to the account.
    pub async fn kf_invite(&self, kf_account: &str, invite_wx: &str) -> Result<(), Error> {
        self.post_raw(
            "/customservice/kfaccount/inviteworker",
            &json!({"kf_account": kf_account, "invite_wx": invite_wx}),
        )
        .await
        .map(drop)
    }
    /// `customservice/kfaccount/uploadheadimg?kf_account=` (multipart `media`).
    pub async fn kf_upload_headimg(
        &self,
        kf_account: &str,
        file: &UploadFile,
    ) -> Result<(), Error> {
        self.api()
            .upload(
                "/customservice/kfaccount/uploadheadimg",
                &[("kf_account", kf_account)],
                file,
                &[],
            )
            .await
            .map(drop)
    }
}
