//! Official Account API (`api.weixin.qq.com/cgi-bin/…`, `sns/…`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{AccessTokenResp, Download, ErrMsg, Host, HttpCore, UploadFile, with_token_retry};
use crate::error::Error;
use crate::token::{FetchedToken, TokenKey, TokenManager};
use crate::types::{AppId, AppSecret};

/// Official Account client for one app id.
#[derive(Clone)]
pub struct OaClient {
    core: Arc<HttpCore>,
    tokens: Arc<TokenManager>,
    appid: AppId,
    secret: AppSecret,
    stable: bool,
}

impl std::fmt::Debug for OaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OaClient")
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

/// A menu button (also used for sub-buttons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Button {
    /// `type`: click, view, scancode_push, …, miniprogram. Absent for a parent with sub-buttons.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none", default)]
    pub kind: Option<String>,
    /// `name`.
    pub name: String,
    /// `key` (click-like types).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
    /// `url` (view, miniprogram fallback).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    /// `media_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub media_id: Option<String>,
    /// `article_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub article_id: Option<String>,
    /// `appid` (miniprogram).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub appid: Option<String>,
    /// `pagepath` (miniprogram).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pagepath: Option<String>,
    /// `sub_button`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sub_button: Vec<Button>,
}

/// Conditional menu match rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MatchRule {
    /// `tag_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tag_id: Option<String>,
    /// `sex`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sex: Option<String>,
    /// `country`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// `province`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub province: Option<String>,
    /// `city`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub city: Option<String>,
    /// `client_platform_type`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_platform_type: Option<String>,
    /// `language`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// `menu/get` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct MenuInfo {
    /// The default menu.
    #[serde(default)]
    pub menu: Option<MenuBody>,
    /// Conditional menus.
    #[serde(default)]
    pub conditionalmenu: Vec<MenuBody>,
}

/// A menu as returned by `menu/get`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct MenuBody {
    /// Buttons.
    #[serde(default)]
    pub button: Vec<Button>,
    /// Match rule (conditional menus).
    #[serde(default)]
    pub matchrule: Option<MatchRule>,
    /// `menuid`.
    #[serde(default)]
    pub menuid: Option<i64>,
}

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

/// A draft article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftArticle {
    /// `title`.
    pub title: String,
    /// `author`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// `digest`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub digest: Option<String>,
    /// `content` (HTML).
    pub content: String,
    /// `content_source_url`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_source_url: Option<String>,
    /// `thumb_media_id`.
    pub thumb_media_id: String,
    /// `need_open_comment`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub need_open_comment: Option<i64>,
    /// `only_fans_can_comment`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub only_fans_can_comment: Option<i64>,
}

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

/// OAuth2 scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthScope {
    /// `snsapi_base` (silent, openid only).
    Base,
    /// `snsapi_userinfo` (asks consent).
    UserInfo,
}

/// `sns/oauth2/access_token` response.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthToken {
    /// `access_token` (user-scoped; secret).
    pub access_token: String,
    /// `expires_in`.
    pub expires_in: i64,
    /// `refresh_token` (secret).
    pub refresh_token: String,
    /// `openid`.
    pub openid: String,
    /// `scope`.
    pub scope: String,
    /// `unionid`.
    #[serde(default)]
    pub unionid: Option<String>,
    /// `is_snapshotuser`.
    #[serde(default)]
    pub is_snapshotuser: Option<i64>,
}

impl std::fmt::Debug for OAuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthToken")
            .field("openid", &self.openid)
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// `sns/userinfo` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SnsUserInfo {
    /// `openid`.
    pub openid: String,
    /// `nickname`.
    #[serde(default)]
    pub nickname: String,
    /// `sex`.
    #[serde(default)]
    pub sex: Option<i64>,
    /// `province`.
    #[serde(default)]
    pub province: Option<String>,
    /// `city`.
    #[serde(default)]
    pub city: Option<String>,
    /// `country`.
    #[serde(default)]
    pub country: Option<String>,
    /// `headimgurl`.
    #[serde(default)]
    pub headimgurl: Option<String>,
    /// `privilege`.
    #[serde(default)]
    pub privilege: Vec<String>,
    /// `unionid`.
    #[serde(default)]
    pub unionid: Option<String>,
}

fn urlenc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

#[derive(Deserialize)]
struct TicketResp {
    ticket: String,
    expires_in: i64,
}

impl OaClient {
    /// A client for `appid` with its AppSecret.
    pub fn new(
        core: Arc<HttpCore>,
        tokens: Arc<TokenManager>,
        appid: impl Into<AppId>,
        secret: impl Into<AppSecret>,
    ) -> Self {
        OaClient {
            core,
            tokens,
            appid: appid.into(),
            secret: secret.into(),
            stable: false,
        }
    }

    /// Use `stable_token` (recommended by WeChat) instead of `token`.
    pub fn use_stable_token(mut self, yes: bool) -> Self {
        self.stable = yes;
        self
    }

    /// The app id.
    pub fn appid(&self) -> &AppId {
        &self.appid
    }

    /// The token store key of this app's access token.
    pub fn token_key(&self) -> TokenKey {
        TokenKey::oa(self.appid.as_str())
    }

    /// Fetches a new access token from WeChat (bypasses the cache; counts against quota).
    /// With `stable_token`, `force_refresh` is always false here: after a 40001 this returns
    /// the currently valid stable token instead of invalidating it for everyone else.
    pub async fn fetch_access_token(&self) -> Result<FetchedToken, Error> {
        let r: AccessTokenResp = if self.stable {
            self.core
                .post_json(
                    Host::Api,
                    "/cgi-bin/stable_token",
                    &[],
                    &json!({"grant_type": "client_credential", "appid": self.appid.as_str(),
                            "secret": self.secret.expose(), "force_refresh": false}),
                )
                .await?
        } else {
            self.core
                .get_json(
                    Host::Api,
                    "/cgi-bin/token",
                    &[
                        ("grant_type", "client_credential"),
                        ("appid", self.appid.as_str()),
                        ("secret", self.secret.expose()),
                    ],
                )
                .await?
        };
        Ok(FetchedToken {
            value: r.access_token,
            expires_in: r.expires_in,
        })
    }

    /// `stable_token` with `force_refresh=true` (limited to 20/day; never called automatically).
    pub async fn force_refresh_stable_token(&self) -> Result<String, Error> {
        let r: AccessTokenResp = self
            .core
            .post_json(
                Host::Api,
                "/cgi-bin/stable_token",
                &[],
                &json!({"grant_type": "client_credential", "appid": self.appid.as_str(),
                        "secret": self.secret.expose(), "force_refresh": true}),
            )
            .await?;
        self.tokens
            .put(&self.token_key(), r.access_token.clone(), r.expires_in)
            .await?;
        Ok(r.access_token)
    }

    /// The cached access token (fetched when needed, single-flight).
    pub async fn access_token(&self) -> Result<String, Error> {
        self.tokens
            .get(&self.token_key(), || self.fetch_access_token())
            .await
    }

    async fn force(&self, bad: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&self.token_key(), &bad, || self.fetch_access_token())
            .await
    }

    /// GET an access-token API on `api.weixin.qq.com` (escape hatch for unlisted endpoints).
    pub async fn get_raw(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let mut q = vec![("access_token", tok.as_str())];
                q.extend_from_slice(query);
                self.core.get_value(Host::Api, path, &q).await
            },
        )
        .await
    }

    /// POST JSON to an access-token API (escape hatch for unlisted endpoints).
    pub async fn post_raw<B: Serialize + ?Sized + Sync>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Value, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                self.core
                    .post_value(Host::Api, path, &[("access_token", tok.as_str())], body)
                    .await
            },
        )
        .await
    }

    async fn get_t<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, Error> {
        super::decode(self.get_raw(path, query).await?)
    }

    async fn post_t<B: Serialize + ?Sized + Sync, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        super::decode(self.post_raw(path, body).await?)
    }

    async fn upload(
        &self,
        path: &str,
        query: &[(&str, &str)],
        file: &UploadFile,
        fields: &[(&str, String)],
    ) -> Result<Value, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let mut q = vec![("access_token", tok.as_str())];
                q.extend_from_slice(query);
                self.core
                    .post_multipart(Host::Api, path, &q, file, fields)
                    .await
            },
        )
        .await
    }

    async fn download(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Download, Error> {
        let body = &body;
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let mut q = vec![("access_token", tok.as_str())];
                q.extend_from_slice(query);
                self.core.download(Host::Api, path, &q, body.as_ref()).await
            },
        )
        .await
    }

    // ---- menus ----

    /// `menu/create`.
    pub async fn menu_create(&self, buttons: &[Button]) -> Result<(), Error> {
        self.post_raw("/cgi-bin/menu/create", &json!({ "button": buttons }))
            .await
            .map(drop)
    }
    /// `menu/get`.
    pub async fn menu_get(&self) -> Result<MenuInfo, Error> {
        self.get_t("/cgi-bin/menu/get", &[]).await
    }
    /// `menu/delete` (also deletes conditional menus).
    pub async fn menu_delete(&self) -> Result<(), Error> {
        self.get_raw("/cgi-bin/menu/delete", &[]).await.map(drop)
    }
    /// `menu/addconditional` → `menuid`.
    pub async fn menu_add_conditional(
        &self,
        buttons: &[Button],
        rule: &MatchRule,
    ) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/menu/addconditional",
                &json!({ "button": buttons, "matchrule": rule }),
            )
            .await?;
        Ok(match &v["menuid"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
    /// `menu/delconditional`.
    pub async fn menu_del_conditional(&self, menuid: &str) -> Result<(), Error> {
        self.post_raw("/cgi-bin/menu/delconditional", &json!({ "menuid": menuid }))
            .await
            .map(drop)
    }
    /// `menu/trymatch` → the buttons the user would see.
    pub async fn menu_try_match(&self, user_id: &str) -> Result<Vec<Button>, Error> {
        let v = self
            .post_raw("/cgi-bin/menu/trymatch", &json!({ "user_id": user_id }))
            .await?;
        super::decode(v.get("button").cloned().unwrap_or(Value::Array(vec![])))
    }

    // ---- tags ----

    /// `tags/create`.
    pub async fn tags_create(&self, name: &str) -> Result<Tag, Error> {
        let v = self
            .post_raw("/cgi-bin/tags/create", &json!({"tag": {"name": name}}))
            .await?;
        super::decode(v["tag"].clone())
    }
    /// `tags/get`.
    pub async fn tags_get(&self) -> Result<Vec<Tag>, Error> {
        let v = self.get_raw("/cgi-bin/tags/get", &[]).await?;
        super::decode(v.get("tags").cloned().unwrap_or(Value::Array(vec![])))
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
        super::decode(v.get("tagid_list").cloned().unwrap_or(Value::Array(vec![])))
    }
    /// `user/tag/get`.
    pub async fn tag_users(&self, tagid: i64, next_openid: &str) -> Result<OpenIdPage, Error> {
        self.post_t(
            "/cgi-bin/user/tag/get",
            &json!({"tagid": tagid, "next_openid": next_openid}),
        )
        .await
    }

    // ---- groups (legacy) ----

    /// `groups/create`.
    pub async fn groups_create(&self, name: &str) -> Result<Group, Error> {
        let v = self
            .post_raw("/cgi-bin/groups/create", &json!({"group": {"name": name}}))
            .await?;
        super::decode(v["group"].clone())
    }
    /// `groups/get`.
    pub async fn groups_get(&self) -> Result<Vec<Group>, Error> {
        let v = self.get_raw("/cgi-bin/groups/get", &[]).await?;
        super::decode(v.get("groups").cloned().unwrap_or(Value::Array(vec![])))
    }
    /// `groups/getid`.
    pub async fn groups_get_id(&self, openid: &str) -> Result<i64, Error> {
        let v = self
            .post_raw("/cgi-bin/groups/getid", &json!({"openid": openid}))
            .await?;
        v["groupid"]
            .as_i64()
            .ok_or_else(|| Error::Decode("groupid".into()))
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

    // ---- users ----

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
        super::decode(
            v.get("user_info_list")
                .cloned()
                .unwrap_or(Value::Array(vec![])),
        )
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

    // ---- materials and media ----

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
        super::decode(
            self.upload(
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
        self.download(
            "/cgi-bin/material/get_material",
            &[],
            Some(json!({"media_id": media_id})),
        )
        .await
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
        super::decode(
            self.upload("/cgi-bin/media/upload", &[("type", kind)], file, &[])
                .await?,
        )
    }
    /// `media/get` (bytes; video returns JSON with `video_url`).
    pub async fn media_get(&self, media_id: &str) -> Result<Download, Error> {
        self.download("/cgi-bin/media/get", &[("media_id", media_id)], None)
            .await
    }
    /// `media/uploadimg` → URL for images inside articles.
    pub async fn media_upload_img(&self, file: &UploadFile) -> Result<String, Error> {
        let v = self
            .upload("/cgi-bin/media/uploadimg", &[], file, &[])
            .await?;
        v["url"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode("url".into()))
    }

    // ---- drafts and publishing ----

    /// `draft/add` → media_id.
    pub async fn draft_add(&self, articles: &[DraftArticle]) -> Result<String, Error> {
        let v = self
            .post_raw("/cgi-bin/draft/add", &json!({"articles": articles}))
            .await?;
        v["media_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode("media_id".into()))
    }
    /// `draft/get`.
    pub async fn draft_get(&self, media_id: &str) -> Result<Value, Error> {
        self.post_raw("/cgi-bin/draft/get", &json!({"media_id": media_id}))
            .await
    }
    /// `draft/delete`.
    pub async fn draft_delete(&self, media_id: &str) -> Result<(), Error> {
        self.post_raw("/cgi-bin/draft/delete", &json!({"media_id": media_id}))
            .await
            .map(drop)
    }
    /// `draft/update`.
    pub async fn draft_update(
        &self,
        media_id: &str,
        index: i64,
        article: &DraftArticle,
    ) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/draft/update",
            &json!({"media_id": media_id, "index": index, "articles": article}),
        )
        .await
        .map(drop)
    }
    /// `draft/batchget` (count 1–20).
    pub async fn draft_batchget(
        &self,
        offset: i64,
        count: i64,
        no_content: bool,
    ) -> Result<Value, Error> {
        self.post_raw(
            "/cgi-bin/draft/batchget",
            &json!({"offset": offset, "count": count, "no_content": i64::from(no_content)}),
        )
        .await
    }
    /// `draft/count`.
    pub async fn draft_count(&self) -> Result<i64, Error> {
        let v = self.get_raw("/cgi-bin/draft/count", &[]).await?;
        v["total_count"]
            .as_i64()
            .ok_or_else(|| Error::Decode("total_count".into()))
    }
    /// `freepublish/submit` → publish_id (result arrives as the PUBLISHJOBFINISH event).
    pub async fn freepublish_submit(&self, media_id: &str) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/freepublish/submit",
                &json!({"media_id": media_id}),
            )
            .await?;
        Ok(match &v["publish_id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
    /// `freepublish/get`.
    pub async fn freepublish_get(&self, publish_id: &str) -> Result<Value, Error> {
        self.post_raw(
            "/cgi-bin/freepublish/get",
            &json!({"publish_id": publish_id}),
        )
        .await
    }

    // ---- messages ----

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
    /// `message/mass/sendall` (by tag or to all) → the raw response (`msg_id`, `msg_data_id`).
    pub async fn mass_send_all(&self, body: &Value) -> Result<Value, Error> {
        self.post_raw("/cgi-bin/message/mass/sendall", body).await
    }
    /// `message/mass/send` (to openids).
    pub async fn mass_send(&self, body: &Value) -> Result<Value, Error> {
        self.post_raw("/cgi-bin/message/mass/send", body).await
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
    pub async fn mass_get(&self, msg_id: i64) -> Result<Value, Error> {
        self.post_raw("/cgi-bin/message/mass/get", &json!({"msg_id": msg_id}))
            .await
    }
    /// `message/template/send` → msgid.
    pub async fn template_send(&self, body: &Value) -> Result<i64, Error> {
        let v = self
            .post_raw("/cgi-bin/message/template/send", body)
            .await?;
        v["msgid"]
            .as_i64()
            .ok_or_else(|| Error::Decode("msgid".into()))
    }
    /// `template/get_all_private_template`.
    pub async fn template_list(&self) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/template/get_all_private_template", &[])
            .await
    }
    /// `template/del_private_template`.
    pub async fn template_delete(&self, template_id: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/template/del_private_template",
            &json!({"template_id": template_id}),
        )
        .await
        .map(drop)
    }
    /// `template/api_add_template` → template_id.
    pub async fn template_add(&self, template_id_short: &str) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/template/api_add_template",
                &json!({"template_id_short": template_id_short}),
            )
            .await?;
        v["template_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode("template_id".into()))
    }
    /// `template/api_set_industry`.
    pub async fn template_set_industry(&self, id1: &str, id2: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/template/api_set_industry",
            &json!({"industry_id1": id1, "industry_id2": id2}),
        )
        .await
        .map(drop)
    }
    /// `template/get_industry`.
    pub async fn template_get_industry(&self) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/template/get_industry", &[]).await
    }

    // ---- QR codes ----

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

    // ---- OAuth2 (sns) ----

    /// The browser authorize URL (parameter order as documented; ends with `#wechat_redirect`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use wechat::client::{BaseUrls, HttpCore, oa::{OaClient, OAuthScope}};
    /// # use wechat::token::{TokenManager, MemoryTokenStore};
    /// let oa = OaClient::new(Arc::new(HttpCore::new(BaseUrls::production())),
    ///     Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new()))), "123456", "s");
    /// assert_eq!(oa.oauth_authorize_url("http://localhost", OAuthScope::Base, None),
    ///   "https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456&redirect_uri=http%3A%2F%2Flocalhost&response_type=code&scope=snsapi_base#wechat_redirect");
    /// ```
    pub fn oauth_authorize_url(
        &self,
        redirect_uri: &str,
        scope: OAuthScope,
        state: Option<&str>,
    ) -> String {
        let scope = match scope {
            OAuthScope::Base => "snsapi_base",
            OAuthScope::UserInfo => "snsapi_userinfo",
        };
        let mut s = format!(
            "{}?appid={}&redirect_uri={}&response_type=code&scope={scope}",
            self.core
                .urls()
                .url(Host::Open, "/connect/oauth2/authorize"),
            urlenc(self.appid.as_str()),
            urlenc(redirect_uri)
        );
        if let Some(st) = state {
            s.push_str("&state=");
            s.push_str(&urlenc(st));
        }
        s.push_str("#wechat_redirect");
        s
    }
    /// `sns/oauth2/access_token` (exchange a code).
    pub async fn oauth_access_token(&self, code: &str) -> Result<OAuthToken, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/oauth2/access_token",
                &[
                    ("appid", self.appid.as_str()),
                    ("secret", self.secret.expose()),
                    ("code", code),
                    ("grant_type", "authorization_code"),
                ],
            )
            .await
    }
    /// `sns/oauth2/refresh_token`.
    pub async fn oauth_refresh_token(&self, refresh_token: &str) -> Result<OAuthToken, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/oauth2/refresh_token",
                &[
                    ("appid", self.appid.as_str()),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                ],
            )
            .await
    }
    /// `sns/userinfo` (needs a `snsapi_userinfo` token).
    pub async fn oauth_userinfo(
        &self,
        access_token: &str,
        openid: &str,
    ) -> Result<SnsUserInfo, Error> {
        self.core
            .get_json(
                Host::Api,
                "/sns/userinfo",
                &[
                    ("access_token", access_token),
                    ("openid", openid),
                    ("lang", "zh_CN"),
                ],
            )
            .await
    }
    /// `sns/auth` (checks a user token).
    pub async fn oauth_check(&self, access_token: &str, openid: &str) -> Result<(), Error> {
        let _: ErrMsg = self
            .core
            .get_json(
                Host::Api,
                "/sns/auth",
                &[("access_token", access_token), ("openid", openid)],
            )
            .await?;
        Ok(())
    }

    // ---- JS-SDK ----

    /// Fetches a jsapi ticket (bypasses the cache).
    pub async fn fetch_jsapi_ticket(&self) -> Result<FetchedToken, Error> {
        let v = self
            .get_raw("/cgi-bin/ticket/getticket", &[("type", "jsapi")])
            .await?;
        let t: TicketResp = super::decode(v)?;
        Ok(FetchedToken {
            value: t.ticket,
            expires_in: t.expires_in,
        })
    }
    /// The cached jsapi ticket.
    pub async fn jsapi_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::oa_jsapi_ticket(self.appid.as_str()), || {
                self.fetch_jsapi_ticket()
            })
            .await
    }
    /// Replaces a jsapi ticket that pages reported as invalid (unless another caller
    /// already did).
    pub async fn refresh_jsapi_ticket(&self, rejected: &str) -> Result<String, Error> {
        self.tokens
            .force_refresh(
                &TokenKey::oa_jsapi_ticket(self.appid.as_str()),
                rejected,
                || self.fetch_jsapi_ticket(),
            )
            .await
    }
    /// `wx.config` parameters for a page URL.
    pub async fn jsapi_config(&self, url: &str) -> Result<crate::signature::JsapiConfig, Error> {
        let ticket = self.jsapi_ticket().await?;
        Ok(crate::signature::JsapiConfig::new(
            self.appid.as_str(),
            &ticket,
            url,
        ))
    }
}
