//! `/_sim/work/…`: WeCom corps and acting as their members.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::callback::VerifyResult;
use crate::callback::work::{MemberActResult, MemberAction};
use crate::error::SimError;
use crate::oa::Req;
use crate::oa::model::InboxItem;
use crate::state::Sim;
use crate::work::model::{AgentConfig, CallbackConfig, Corp, CorpConfig};
use crate::work::{WorkFn, console_run, contacts};

type S = AxState<Arc<Sim>>;
type R<T> = Result<Json<T>, SimError>;

/// A partial update of a corp.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CorpUpdate {
    /// Replaces the contacts callback (empty token/key are generated).
    #[serde(default)]
    pub contacts_callback: Option<CallbackConfig>,
    /// Adds or replaces apps (by agentid).
    #[serde(default)]
    pub apps: Vec<AgentConfig>,
}

/// A member action with its actor.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberActRequest {
    /// The app.
    pub agentid: i64,
    /// The member.
    pub userid: String,
    /// What they do.
    #[serde(flatten)]
    pub action: MemberAction,
}

#[derive(Deserialize)]
struct VerifyRequest {
    #[serde(default)]
    agentid: Option<i64>,
}

impl Sim {
    /// Creates (or replaces) a corp; empty fields are generated.
    pub fn create_corp(&self, cfg: CorpConfig) -> CorpConfig {
        let corp = Corp::new(cfg);
        let cfg = corp.cfg.clone();
        self.with(|s| s.work.insert(cfg.corpid.clone(), corp));
        cfg
    }

    /// Updates a corp's callbacks and apps.
    pub fn update_corp(&self, corpid: &str, u: CorpUpdate) -> Result<CorpConfig, SimError> {
        self.with(|s| {
            let c = s
                .work
                .get_mut(corpid)
                .ok_or_else(|| SimError::not_found("no such corp"))?;
            let mut cfg = c.cfg.clone();
            if let Some(cb) = u.contacts_callback {
                cfg.contacts_callback = cb;
            }
            for a in u.apps {
                cfg.apps
                    .retain(|x| a.agentid == 0 || x.agentid != a.agentid);
                cfg.apps.push(a);
            }
            c.cfg = cfg.fill();
            Ok(c.cfg.clone())
        })
    }

    /// A snapshot of a corp.
    pub fn corp(&self, corpid: &str) -> Option<Corp> {
        self.with(|s| s.work.get(corpid).cloned())
    }

    /// What a member saw (app messages, passive replies).
    pub fn work_inbox(&self, corpid: &str, userid: &str) -> Option<Vec<InboxItem>> {
        self.with(|s| {
            s.work
                .get(corpid)
                .and_then(|c| c.members.get(userid))
                .map(|m| m.inbox.clone())
        })
    }

    /// Acts as a member and waits for the delivery.
    pub async fn work_act(
        &self,
        corpid: &str,
        agentid: i64,
        userid: &str,
        action: MemberAction,
    ) -> Result<MemberActResult, SimError> {
        crate::callback::work::act(self, corpid, agentid, userid, action).await
    }

    /// Verifies an app's (or the contacts) callback URL with an encrypted echostr.
    pub async fn work_verify_url(
        &self,
        corpid: &str,
        agentid: Option<i64>,
    ) -> Result<VerifyResult, SimError> {
        crate::callback::work::verify_url(self, corpid, agentid).await
    }
}

async fn list(AxState(sim): S) -> Json<Value> {
    Json(json!(sim.with(|s| {
        s.work.values().map(|c| c.cfg.clone()).collect::<Vec<_>>()
    })))
}

async fn create(AxState(sim): S, Json(cfg): Json<CorpConfig>) -> Json<CorpConfig> {
    Json(sim.create_corp(cfg))
}

async fn show(AxState(sim): S, Path(corpid): Path<String>) -> R<Corp> {
    sim.corp(&corpid)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such corp"))
}

async fn update(
    AxState(sim): S,
    Path(corpid): Path<String>,
    Json(u): Json<CorpUpdate>,
) -> R<CorpConfig> {
    sim.update_corp(&corpid, u).map(Json)
}

async fn act(
    AxState(sim): S,
    Path(corpid): Path<String>,
    Json(r): Json<MemberActRequest>,
) -> R<MemberActResult> {
    sim.work_act(&corpid, r.agentid, &r.userid, r.action)
        .await
        .map(Json)
}

async fn verify(
    AxState(sim): S,
    Path(corpid): Path<String>,
    Json(r): Json<VerifyRequest>,
) -> R<VerifyResult> {
    sim.work_verify_url(&corpid, r.agentid).await.map(Json)
}

/// Changes the directory as the corp's administrator would in WeCom's admin console:
/// `POST /_sim/work/{corpid}/console/{api}` with the API's JSON body (`department/create`,
/// `user/create`, `tag/addtagusers`, …; GET APIs take `?query`). The answer is WeCom's; the
/// `change_contact` events go to the contacts callback before it is returned.
async fn console(
    AxState(sim): S,
    Path((corpid, group, api)): Path<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, SimError> {
    if sim.corp(&corpid).is_none() {
        return Err(SimError::not_found("no such corp"));
    }
    let f: WorkFn = match (group.as_str(), api.as_str()) {
        ("department", "create") => contacts::department_create,
        ("department", "update") => contacts::department_update,
        ("department", "delete") => contacts::department_delete,
        ("user", "create") => contacts::user_create,
        ("user", "update") => contacts::user_update,
        ("user", "delete") => contacts::user_delete,
        ("user", "batchdelete") => contacts::user_batchdelete,
        ("tag", "create") => contacts::tag_create,
        ("tag", "update") => contacts::tag_update,
        ("tag", "delete") => contacts::tag_delete,
        ("tag", "addtagusers") => contacts::tag_add_users,
        ("tag", "deltagusers") => contacts::tag_del_users,
        _ => return Err(SimError::not_found("no such console action")),
    };
    Ok(console_run(&sim, &corpid, f, Req { q, body }).await)
}

async fn inbox(
    AxState(sim): S,
    Path((corpid, userid)): Path<(String, String)>,
) -> R<Vec<InboxItem>> {
    sim.work_inbox(&corpid, &userid)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such member"))
}

pub(super) fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/work", get(list).post(create))
        .route("/work/{corpid}", get(show).post(update))
        .route("/work/{corpid}/act", post(act))
        .route("/work/{corpid}/verify_url", post(verify))
        .route("/work/{corpid}/members/{userid}/inbox", get(inbox))
        .route("/work/{corpid}/console/{group}/{api}", post(console))
}
