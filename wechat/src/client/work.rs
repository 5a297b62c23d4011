//! WeCom API (`qyapi.weixin.qq.com/cgi-bin/…`) for a self-built app or for a corp that
//! authorised a suite.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::suite::SuiteClient;
use super::{AccessTokenResp, Download, Host, HttpCore, UploadFile, with_token_retry};
use crate::error::Error;
use crate::token::{FetchedToken, TokenKey, TokenManager};
use crate::types::{AppSecret, CorpId};

/// How a [`WorkClient`] obtains its access token.
#[derive(Clone)]
pub enum WorkAuth {
    /// `gettoken?corpid&corpsecret` — an app secret (with its agent id, so tokens are keyed
    /// per agent) or another secret (contacts sync …; keyed by a hash of the secret).
    Secret {
        /// The secret.
        secret: AppSecret,
        /// The agent id the secret belongs to.
        agent_id: Option<i64>,
    },
    /// `service/get_corp_token` — a corp that authorised a suite.
    Suite {
        /// The suite client.
        suite: SuiteClient,
        /// The permanent code of the authorising corp (secret).
        permanent_code: AppSecret,
    },
}

/// WeCom client for one corp and one token scope.
#[derive(Clone)]
pub struct WorkClient {
    core: Arc<HttpCore>,
    tokens: Arc<TokenManager>,
    corpid: CorpId,
    auth: WorkAuth,
    key: TokenKey,
}

impl std::fmt::Debug for WorkClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkClient")
            .field("corpid", &self.corpid)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Department {
    /// `id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<i64>,
    /// `name`.
    pub name: String,
    /// `name_en`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
    /// `parentid`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parentid: Option<i64>,
    /// `order`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order: Option<i64>,
    /// `department_leader`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub department_leader: Vec<String>,
}

/// `user/simplelist` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimpleUser {
    /// `userid`.
    pub userid: String,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `department`.
    #[serde(default)]
    pub department: Vec<i64>,
    /// `open_userid`.
    #[serde(default)]
    pub open_userid: Option<String>,
}

/// A WeCom tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTag {
    /// `tagid`.
    pub tagid: i64,
    /// `tagname`.
    pub tagname: String,
}

/// `message/send` result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct SendResult {
    /// `invaliduser` ("u1|u2").
    #[serde(default)]
    pub invaliduser: Option<String>,
    /// `invalidparty`.
    #[serde(default)]
    pub invalidparty: Option<String>,
    /// `invalidtag`.
    #[serde(default)]
    pub invalidtag: Option<String>,
    /// `unlicenseduser`.
    #[serde(default)]
    pub unlicenseduser: Option<String>,
    /// `msgid`.
    #[serde(default)]
    pub msgid: Option<String>,
    /// `response_code`.
    #[serde(default)]
    pub response_code: Option<String>,
}

#[derive(Deserialize)]
struct TicketResp {
    ticket: String,
    expires_in: i64,
}

impl WorkClient {
    /// A self-built app client. Tokens are keyed by (corpid, agent id) when an agent id is
    /// given, else by (corpid, hash(secret)).
    pub fn new(
        core: Arc<HttpCore>,
        tokens: Arc<TokenManager>,
        corpid: impl Into<CorpId>,
        secret: impl Into<AppSecret>,
        agent_id: Option<i64>,
    ) -> Self {
        let corpid = corpid.into();
        let secret = secret.into();
        let key = match agent_id {
            Some(a) => TokenKey::work_agent(corpid.as_str(), a),
            None => TokenKey::work_secret(corpid.as_str(), secret.expose()),
        };
        WorkClient {
            core,
            tokens,
            corpid,
            auth: WorkAuth::Secret { secret, agent_id },
            key,
        }
    }

    /// A client for a corp that authorised `suite`.
    pub fn for_suite_corp(
        suite: SuiteClient,
        auth_corpid: impl Into<CorpId>,
        permanent_code: impl Into<AppSecret>,
    ) -> Self {
        let corpid = auth_corpid.into();
        let key = TokenKey::suite_corp(suite.suite_id().as_str(), corpid.as_str());
        WorkClient {
            core: suite.core().clone(),
            tokens: suite.tokens().clone(),
            corpid,
            auth: WorkAuth::Suite {
                suite,
                permanent_code: permanent_code.into(),
            },
            key,
        }
    }

    /// The corp id.
    pub fn corpid(&self) -> &CorpId {
        &self.corpid
    }

    /// The agent id, when known.
    pub fn agent_id(&self) -> Option<i64> {
        match &self.auth {
            WorkAuth::Secret { agent_id, .. } => *agent_id,
            WorkAuth::Suite { .. } => None,
        }
    }

    /// The token store key.
    pub fn token_key(&self) -> &TokenKey {
        &self.key
    }

    /// Fetches a new access token (bypasses the cache).
    pub async fn fetch_access_token(&self) -> Result<FetchedToken, Error> {
        match &self.auth {
            WorkAuth::Secret { secret, .. } => {
                let r: AccessTokenResp = self
                    .core
                    .get_json(
                        Host::QyApi,
                        "/cgi-bin/gettoken",
                        &[
                            ("corpid", self.corpid.as_str()),
                            ("corpsecret", secret.expose()),
                        ],
                    )
                    .await?;
                Ok(FetchedToken {
                    value: r.access_token,
                    expires_in: r.expires_in,
                })
            }
            WorkAuth::Suite {
                suite,
                permanent_code,
            } => {
                suite
                    .fetch_corp_token(self.corpid.as_str(), permanent_code.expose())
                    .await
            }
        }
    }

    /// The cached access token.
    pub async fn access_token(&self) -> Result<String, Error> {
        self.tokens
            .get(&self.key, || self.fetch_access_token())
            .await
    }

    async fn force(&self, bad: String) -> Result<String, Error> {
        self.tokens
            .force_refresh(&self.key, &bad, || self.fetch_access_token())
            .await
    }

    /// GET an access-token API (escape hatch).
    pub async fn get_raw(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let mut q = vec![("access_token", tok.as_str())];
                q.extend_from_slice(query);
                self.core.get_value(Host::QyApi, path, &q).await
            },
        )
        .await
    }

    /// POST JSON to an access-token API (escape hatch).
    pub async fn post_raw<B: Serialize + ?Sized + Sync>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &B,
    ) -> Result<Value, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                let mut q = vec![("access_token", tok.as_str())];
                q.extend_from_slice(query);
                self.core.post_value(Host::QyApi, path, &q, body).await
            },
        )
        .await
    }

    fn list<T: serde::de::DeserializeOwned>(v: &Value, field: &str) -> Result<Vec<T>, Error> {
        super::decode(v.get(field).cloned().unwrap_or(Value::Array(vec![])))
    }

    // ---- departments ----

    /// `department/create` → id.
    pub async fn department_create(&self, d: &Department) -> Result<i64, Error> {
        let v = self.post_raw("/cgi-bin/department/create", &[], d).await?;
        v["id"].as_i64().ok_or_else(|| Error::Decode("id".into()))
    }
    /// `department/update`.
    pub async fn department_update(&self, d: &Department) -> Result<(), Error> {
        self.post_raw("/cgi-bin/department/update", &[], d)
            .await
            .map(drop)
    }
    /// `department/delete`.
    pub async fn department_delete(&self, id: i64) -> Result<(), Error> {
        self.get_raw("/cgi-bin/department/delete", &[("id", &id.to_string())])
            .await
            .map(drop)
    }
    /// `department/list` (whole tree under `id`, or everything visible).
    pub async fn department_list(&self, id: Option<i64>) -> Result<Vec<Department>, Error> {
        let s = id.map(|i| i.to_string());
        let q: Vec<(&str, &str)> = s.as_deref().map(|s| vec![("id", s)]).unwrap_or_default();
        Self::list(
            &self.get_raw("/cgi-bin/department/list", &q).await?,
            "department",
        )
    }

    // ---- users ----

    /// `user/create` (body as documented: userid, name, mobile/email, department …).
    pub async fn user_create(&self, user: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/user/create", &[], user)
            .await
            .map(drop)
    }
    /// `user/update`.
    pub async fn user_update(&self, user: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/user/update", &[], user)
            .await
            .map(drop)
    }
    /// `user/delete`.
    pub async fn user_delete(&self, userid: &str) -> Result<(), Error> {
        self.get_raw("/cgi-bin/user/delete", &[("userid", userid)])
            .await
            .map(drop)
    }
    /// `user/batchdelete`.
    pub async fn user_batch_delete(&self, userids: &[String]) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/user/batchdelete",
            &[],
            &json!({"useridlist": userids}),
        )
        .await
        .map(drop)
    }
    /// `user/get`.
    pub async fn user_get(&self, userid: &str) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/user/get", &[("userid", userid)])
            .await
    }
    /// `user/simplelist`.
    pub async fn user_simple_list(
        &self,
        department_id: i64,
        fetch_child: bool,
    ) -> Result<Vec<SimpleUser>, Error> {
        let d = department_id.to_string();
        let v = self
            .get_raw(
                "/cgi-bin/user/simplelist",
                &[
                    ("department_id", &d),
                    ("fetch_child", if fetch_child { "1" } else { "0" }),
                ],
            )
            .await?;
        Self::list(&v, "userlist")
    }
    /// `user/list` (detailed).
    pub async fn user_list(
        &self,
        department_id: i64,
        fetch_child: bool,
    ) -> Result<Vec<Value>, Error> {
        let d = department_id.to_string();
        let v = self
            .get_raw(
                "/cgi-bin/user/list",
                &[
                    ("department_id", &d),
                    ("fetch_child", if fetch_child { "1" } else { "0" }),
                ],
            )
            .await?;
        Self::list(&v, "userlist")
    }

    // ---- tags ----

    /// `tag/create` → tagid.
    pub async fn tag_create(&self, tagname: &str, tagid: Option<i64>) -> Result<i64, Error> {
        let mut b = json!({"tagname": tagname});
        if let Some(id) = tagid {
            b["tagid"] = json!(id);
        }
        let v = self.post_raw("/cgi-bin/tag/create", &[], &b).await?;
        v["tagid"]
            .as_i64()
            .ok_or_else(|| Error::Decode("tagid".into()))
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
        Self::list(&self.get_raw("/cgi-bin/tag/list", &[]).await?, "taglist")
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
        self.post_raw(
            "/cgi-bin/tag/addtagusers",
            &[],
            &json!({"tagid": tagid, "userlist": users, "partylist": parties}),
        )
        .await
    }
    /// `tag/deltagusers`.
    pub async fn tag_del_users(
        &self,
        tagid: i64,
        users: &[String],
        parties: &[i64],
    ) -> Result<Value, Error> {
        self.post_raw(
            "/cgi-bin/tag/deltagusers",
            &[],
            &json!({"tagid": tagid, "userlist": users, "partylist": parties}),
        )
        .await
    }

    // ---- messages, menus, media ----

    /// `message/send` with a full body (`touser`, `msgtype`, `agentid`, payload …).
    pub async fn message_send(&self, body: &Value) -> Result<SendResult, Error> {
        super::decode(self.post_raw("/cgi-bin/message/send", &[], body).await?)
    }
    /// A text message to users (`"u1|u2"` or `"@all"`).
    pub async fn send_text(
        &self,
        agent_id: i64,
        touser: &str,
        content: &str,
    ) -> Result<SendResult, Error> {
        self.message_send(
            &json!({"touser": touser, "msgtype": "text", "agentid": agent_id,
            "text": {"content": content}, "safe": 0}),
        )
        .await
    }
    /// `menu/create` for an agent.
    pub async fn menu_create(&self, agent_id: i64, buttons: &Value) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/menu/create",
            &[("agentid", &agent_id.to_string())],
            &json!({"button": buttons}),
        )
        .await
        .map(drop)
    }
    /// `menu/get` for an agent.
    pub async fn menu_get(&self, agent_id: i64) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/menu/get", &[("agentid", &agent_id.to_string())])
            .await
    }
    /// `menu/delete` for an agent.
    pub async fn menu_delete(&self, agent_id: i64) -> Result<(), Error> {
        self.get_raw(
            "/cgi-bin/menu/delete",
            &[("agentid", &agent_id.to_string())],
        )
        .await
        .map(drop)
    }
    /// `media/upload` (`kind`: image, voice, video, file).
    pub async fn media_upload(
        &self,
        kind: &str,
        file: &UploadFile,
    ) -> Result<super::oa::MediaUploadResp, Error> {
        let v = with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                self.core
                    .post_multipart(
                        Host::QyApi,
                        "/cgi-bin/media/upload",
                        &[("access_token", tok.as_str()), ("type", kind)],
                        file,
                        &[],
                    )
                    .await
            },
        )
        .await?;
        super::decode(v)
    }
    /// `media/uploadimg` → URL.
    pub async fn media_upload_img(&self, file: &UploadFile) -> Result<String, Error> {
        let v = with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                self.core
                    .post_multipart(
                        Host::QyApi,
                        "/cgi-bin/media/uploadimg",
                        &[("access_token", tok.as_str())],
                        file,
                        &[],
                    )
                    .await
            },
        )
        .await?;
        v["url"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode("url".into()))
    }
    /// `media/get`.
    pub async fn media_get(&self, media_id: &str) -> Result<Download, Error> {
        with_token_retry(
            || self.access_token(),
            |bad| self.force(bad),
            |tok| async move {
                self.core
                    .download(
                        Host::QyApi,
                        "/cgi-bin/media/get",
                        &[("access_token", tok.as_str()), ("media_id", media_id)],
                        None,
                    )
                    .await
            },
        )
        .await
    }

    // ---- JS-SDK ----

    /// The corp jsapi ticket (`get_jsapi_ticket`), cached per token scope.
    pub async fn jsapi_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::work_jsapi_ticket(&self.key), || async {
                let t: TicketResp =
                    super::decode(self.get_raw("/cgi-bin/get_jsapi_ticket", &[]).await?)?;
                Ok(FetchedToken {
                    value: t.ticket,
                    expires_in: t.expires_in,
                })
            })
            .await
    }
    /// The agent-config ticket (`ticket/get?type=agent_config`), cached per token scope.
    pub async fn agent_config_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::work_agent_ticket(&self.key), || async {
                let t: TicketResp = super::decode(
                    self.get_raw("/cgi-bin/ticket/get", &[("type", "agent_config")])
                        .await?,
                )?;
                Ok(FetchedToken {
                    value: t.ticket,
                    expires_in: t.expires_in,
                })
            })
            .await
    }
}
