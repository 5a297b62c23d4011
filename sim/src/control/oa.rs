//! `/_sim/oa/…`: Official Accounts and acting as their followers.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::callback::VerifyResult;
use crate::callback::oa::{ActResult, FollowerAction};
use crate::error::SimError;
use crate::oa::model::{CallbackMode, Follower, InboxItem, OaApp, OaConfig, Tag};
use crate::state::Sim;

type S = AxState<Arc<Sim>>;
type R<T> = Result<Json<T>, SimError>;

/// A partial update of an account's configuration.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OaUpdate {
    /// New secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New callback Token.
    #[serde(default)]
    pub token: Option<String>,
    /// New EncodingAESKey.
    #[serde(default)]
    pub encoding_aes_key: Option<String>,
    /// New mode.
    #[serde(default)]
    pub mode: Option<CallbackMode>,
    /// New callback URL (`""` removes it).
    #[serde(default)]
    pub callback_url: Option<String>,
    /// New account type.
    #[serde(default)]
    pub account_type: Option<crate::oa::model::AccountType>,
}

/// Bulk-add generated followers (`POST /_sim/oa/{appid}/followers`).
#[derive(Debug, Clone, Deserialize)]
pub struct AddFollowers {
    /// How many.
    pub count: usize,
    /// Tags every new follower carries.
    #[serde(default)]
    pub tagid_list: Vec<i64>,
    /// Their subscribe scene (default `ADD_SCENE_OTHERS`).
    #[serde(default)]
    pub subscribe_scene: Option<String>,
}

/// A console edit of one follower (`POST /_sim/oa/{appid}/followers/{openid}`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowerEdit {
    /// New remark.
    #[serde(default)]
    pub remark: Option<String>,
    /// New tag list.
    #[serde(default)]
    pub tagid_list: Option<Vec<i64>>,
    /// New legacy group.
    #[serde(default)]
    pub groupid: Option<i64>,
    /// Whether the follower refuses template messages.
    #[serde(default)]
    pub blocks_templates: Option<bool>,
}

/// A tag or group made in the console (`POST /_sim/oa/{appid}/tags|groups`).
#[derive(Debug, Clone, Deserialize)]
pub struct ConsoleName {
    /// Its name.
    pub name: String,
}

/// A follower action with the acting openid.
#[derive(Debug, Clone, Deserialize)]
pub struct ActRequest {
    /// The follower (optional for `subscribe`: a new openid is generated).
    #[serde(default)]
    pub openid: Option<String>,
    /// What they do.
    #[serde(flatten)]
    pub action: FollowerAction,
}

impl Sim {
    /// Creates (or replaces) an Official Account; empty fields are generated.
    pub fn create_oa(&self, cfg: OaConfig) -> Result<OaConfig, SimError> {
        let app = OaApp::new(cfg);
        if !crate::proto::crypto::valid_aes_key(&app.cfg.encoding_aes_key) {
            return Err(SimError::bad(
                "encoding_aes_key must be 43 characters of [A-Za-z0-9]",
            ));
        }
        let cfg = app.cfg.clone();
        self.with(|s| s.oa.insert(cfg.appid.clone(), app));
        Ok(cfg)
    }

    /// Updates an account's configuration.
    pub fn update_oa(&self, appid: &str, u: OaUpdate) -> Result<OaConfig, SimError> {
        if let Some(k) = &u.encoding_aes_key
            && !crate::proto::crypto::valid_aes_key(k)
        {
            return Err(SimError::bad(
                "encoding_aes_key must be 43 characters of [A-Za-z0-9]",
            ));
        }
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            let c = &mut a.cfg;
            if let Some(v) = u.secret {
                c.secret = v;
            }
            if let Some(v) = u.name {
                c.name = v;
            }
            if let Some(v) = u.token {
                c.token = v;
            }
            if let Some(v) = u.encoding_aes_key {
                c.encoding_aes_key = v;
            }
            if let Some(v) = u.mode {
                c.mode = v;
            }
            if let Some(v) = u.account_type {
                c.account_type = v;
            }
            if let Some(v) = u.callback_url {
                c.callback_url = (!v.is_empty()).then_some(v);
            }
            Ok(c.clone())
        })
    }

    /// A snapshot of an account (followers, tags, menus …).
    pub fn oa_app(&self, appid: &str) -> Option<OaApp> {
        self.with(|s| s.oa.get(appid).cloned())
    }

    /// A follower.
    pub fn oa_follower(&self, appid: &str, openid: &str) -> Option<Follower> {
        self.with(|s| {
            s.oa.get(appid)
                .and_then(|a| a.followers.get(openid).cloned())
        })
    }

    /// What a follower saw (passive replies, custom/template/mass messages, WeChat notices).
    pub fn oa_inbox(&self, appid: &str, openid: &str) -> Option<Vec<InboxItem>> {
        self.oa_follower(appid, openid).map(|f| f.inbox)
    }

    /// Acts as a follower and waits for the callback delivery to finish.
    pub async fn oa_act(
        &self,
        appid: &str,
        openid: Option<&str>,
        action: FollowerAction,
    ) -> Result<ActResult, SimError> {
        crate::callback::oa::act(self, appid, openid, action).await
    }

    /// Adds `n` generated followers (as if they had subscribed, without callbacks); returns
    /// how many subscribed followers the account has now.
    pub fn oa_add_followers(&self, appid: &str, req: AddFollowers) -> Result<usize, SimError> {
        let now = self.now();
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            for t in &req.tagid_list {
                if !a.tags.contains_key(t) {
                    return Err(SimError::bad(format!("no tag {t}")));
                }
            }
            for _ in 0..req.count {
                let mut f = Follower::new(crate::oa::model::new_openid(), now);
                f.tagid_list = req.tagid_list.clone();
                if let Some(sc) = &req.subscribe_scene {
                    f.subscribe_scene = sc.clone();
                }
                a.followers.insert(f.openid.clone(), f);
            }
            let total = a.followers.values().filter(|f| f.subscribed).count();
            a.subscribed_total = Some(total);
            Ok(total)
        })
    }

    /// Edits a follower as WeChat's own console would (no callback).
    pub fn oa_edit_follower(
        &self,
        appid: &str,
        openid: &str,
        e: FollowerEdit,
    ) -> Result<Follower, SimError> {
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            if let Some(list) = &e.tagid_list
                && let Some(t) = list.iter().find(|t| !a.tags.contains_key(t))
            {
                return Err(SimError::bad(format!("no tag {t}")));
            }
            let f = a
                .followers
                .get_mut(openid)
                .ok_or_else(|| SimError::not_found("no such follower"))?;
            if let Some(r) = e.remark {
                f.remark = r;
            }
            if let Some(t) = e.tagid_list {
                f.tagid_list = t;
            }
            if let Some(g) = e.groupid {
                f.groupid = g;
            }
            if let Some(b) = e.blocks_templates {
                f.blocks_templates = b;
            }
            Ok(f.clone())
        })
    }

    /// Creates a user tag (`group`: a legacy group) as WeChat's own console would.
    pub fn oa_console_create(&self, appid: &str, name: &str, group: bool) -> Result<Tag, SimError> {
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            let map = if group { &mut a.groups } else { &mut a.tags };
            if name.is_empty() || map.values().any(|t| t.name == name) {
                return Err(SimError::bad("empty or duplicate name"));
            }
            let id = if group {
                map.keys().next_back().copied().unwrap_or(99).max(99) + 1
            } else {
                let id = a
                    .last_tag_id
                    .max(a.tags.keys().next_back().copied().unwrap_or(99))
                    + 1;
                a.last_tag_id = id;
                id
            };
            let t = Tag {
                id,
                name: name.to_owned(),
            };
            let map = if group { &mut a.groups } else { &mut a.tags };
            map.insert(id, t.clone());
            Ok(t)
        })
    }

    /// The WeChat user invited to a customer-service account accepts the invitation.
    pub fn oa_kf_accept(&self, appid: &str, kf_account: &str) -> Result<(), SimError> {
        let now = self.now();
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            crate::oa::kf::accept(a, kf_account, now).map_err(SimError::bad)
        })
    }

    /// A bound customer-service worker goes online (1) or offline (0).
    pub fn oa_kf_status(&self, appid: &str, kf_account: &str, status: i64) -> Result<(), SimError> {
        self.with(|s| {
            let a =
                s.oa.get_mut(appid)
                    .ok_or_else(|| SimError::not_found("no such official account"))?;
            crate::oa::kf::set_status(a, kf_account, status).map_err(SimError::bad)
        })
    }

    /// "Verify callback URL" as the WeChat console does.
    pub async fn oa_verify_url(&self, appid: &str) -> Result<VerifyResult, SimError> {
        crate::callback::oa::verify_url(self, appid).await
    }
}

async fn list(AxState(sim): S) -> Json<Value> {
    let apps: Vec<Value> = sim.with(|s| {
        s.oa.values()
            .map(|a| {
                let mut v = json!(a.cfg);
                v["followers"] = json!(a.followers.values().filter(|f| f.subscribed).count());
                v
            })
            .collect()
    });
    Json(json!(apps))
}

async fn create(AxState(sim): S, Json(cfg): Json<OaConfig>) -> R<OaConfig> {
    sim.create_oa(cfg).map(Json)
}

async fn show(AxState(sim): S, Path(appid): Path<String>) -> R<OaApp> {
    sim.oa_app(&appid)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such official account"))
}

async fn update(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(u): Json<OaUpdate>,
) -> R<OaConfig> {
    sim.update_oa(&appid, u).map(Json)
}

async fn follower(AxState(sim): S, Path((appid, openid)): Path<(String, String)>) -> R<Follower> {
    sim.oa_follower(&appid, &openid)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such follower"))
}

async fn inbox(
    AxState(sim): S,
    Path((appid, openid)): Path<(String, String)>,
) -> R<Vec<InboxItem>> {
    sim.oa_inbox(&appid, &openid)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such follower"))
}

async fn act(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<ActRequest>,
) -> R<ActResult> {
    sim.oa_act(&appid, r.openid.as_deref(), r.action)
        .await
        .map(Json)
}

#[derive(Deserialize)]
struct OAuthRequest {
    #[serde(default)]
    openid: Option<String>,
    redirect_uri: String,
    #[serde(default = "base_scope")]
    scope: String,
    #[serde(default)]
    state: String,
}

fn base_scope() -> String {
    "snsapi_base".into()
}

async fn oauth(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<OAuthRequest>,
) -> R<crate::oa::oauth::Authorized> {
    sim.oa_oauth_authorize(
        &appid,
        r.openid.as_deref(),
        &r.redirect_uri,
        &r.scope,
        &r.state,
    )
    .map(Json)
}

async fn add_followers(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<AddFollowers>,
) -> R<Value> {
    let total = sim.oa_add_followers(&appid, r)?;
    Ok(Json(json!({"followers": total})))
}

async fn edit_follower(
    AxState(sim): S,
    Path((appid, openid)): Path<(String, String)>,
    Json(e): Json<FollowerEdit>,
) -> R<Follower> {
    sim.oa_edit_follower(&appid, &openid, e).map(Json)
}

async fn console_tag(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<ConsoleName>,
) -> R<Tag> {
    sim.oa_console_create(&appid, &r.name, false).map(Json)
}

async fn console_group(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<ConsoleName>,
) -> R<Tag> {
    sim.oa_console_create(&appid, &r.name, true).map(Json)
}

/// `wx.config` as the WeChat browser checks it (`POST /_sim/oa/{appid}/jsapi/config`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsConfig {
    /// `appId`.
    pub app_id: String,
    /// `timestamp`.
    pub timestamp: serde_json::Value,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `signature`.
    pub signature: String,
    /// The page's URL (`location.href` without the fragment).
    pub url: String,
}

/// Checks a `wx.config` the way the WeChat browser does: `{"errMsg":"config:ok"}` or
/// `{"errMsg":"config:invalid signature"}` (⚠️ the JS-SDK's other errMsg values are not
/// modelled).
async fn jsapi_config(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(c): Json<JsConfig>,
) -> R<Value> {
    let now = sim.now();
    let ticket = sim.with(|s| {
        s.oa.get(&appid).and_then(|a| {
            a.tickets
                .get("jsapi")
                .filter(|(_, exp)| now < *exp)
                .map(|(t, _)| t.clone())
        })
    });
    let ts = match &c.timestamp {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let ok = c.app_id == appid
        && ticket.is_some_and(|t| {
            wechat::signature::jsapi_signature(&t, &c.nonce_str, &ts, &c.url) == c.signature
        });
    Ok(Json(json!({
        "errMsg": if ok { "config:ok" } else { "config:invalid signature" }
    })))
}

/// A customer-service worker's action (`POST /_sim/oa/{appid}/kf/accept|status`).
#[derive(Debug, Clone, Deserialize)]
pub struct KfAction {
    /// The customer-service account.
    pub kf_account: String,
    /// `status` only: 1 online, 0 offline.
    #[serde(default)]
    pub status: i64,
}

async fn kf_accept(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<KfAction>,
) -> R<Value> {
    sim.oa_kf_accept(&appid, &r.kf_account)?;
    Ok(Json(json!({"ok": true})))
}

async fn kf_status(
    AxState(sim): S,
    Path(appid): Path<String>,
    Json(r): Json<KfAction>,
) -> R<Value> {
    sim.oa_kf_status(&appid, &r.kf_account, r.status)?;
    Ok(Json(json!({"ok": true})))
}

async fn verify(AxState(sim): S, Path(appid): Path<String>) -> R<VerifyResult> {
    sim.oa_verify_url(&appid).await.map(Json)
}

pub(super) fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/oa", get(list).post(create))
        .route("/oa/{appid}", get(show).post(update))
        .route("/oa/{appid}/act", post(act))
        .route("/oa/{appid}/verify_url", post(verify))
        .route("/oa/{appid}/oauth", post(oauth))
        .route("/oa/{appid}/followers", post(add_followers))
        .route("/oa/{appid}/tags", post(console_tag))
        .route("/oa/{appid}/groups", post(console_group))
        .route("/oa/{appid}/jsapi/config", post(jsapi_config))
        .route("/oa/{appid}/kf/accept", post(kf_accept))
        .route("/oa/{appid}/kf/status", post(kf_status))
        .route(
            "/oa/{appid}/followers/{openid}",
            get(follower).post(edit_follower),
        )
        .route("/oa/{appid}/followers/{openid}/inbox", get(inbox))
}
