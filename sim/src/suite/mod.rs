//! WeCom third-party suites: `qyapi.weixin.qq.com/cgi-bin/service/*`, the install page on
//! `open.work.weixin.qq.com`, suite_ticket pushes every 10 minutes of emulated time, and the
//! instruction callbacks (`suite_ticket`, `create_auth`).

mod install_page;
pub mod license;
pub mod login;
pub mod market;

pub(crate) use install_page::esc;
pub mod model;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use crate::callback::Delivery;
use crate::callback::work::deliver_encrypted;
use crate::error::{SimError, WxError};
use crate::oa::Req;
use crate::proto::sign::random_token;
use crate::proto::xml::{el, num};
use crate::sched::Job;
use crate::state::Sim;
use crate::token::{Owner, TokenProblem};
use crate::work::model::AgentConfig;
use crate::work::{render, werr};
use model::{AuthCode, Authorization, PreAuth, Suite, SuiteConfig, TICKET_INTERVAL, TICKET_TTL};

/// Pre-auth code lifetime (20 minutes).
pub const PRE_AUTH_TTL: i64 = 1200;
/// Temporary auth code lifetime (⚠️ believed 10 minutes).
pub const AUTH_CODE_TTL: i64 = 600;

pub(crate) fn e(code: i64, msg: &str) -> WxError {
    WxError::work(code, msg)
}

fn code() -> String {
    random_token(64).replace(['-', '_'], "x")
}

/// Result of an emulated install (the admin consented).
#[derive(Debug, Clone, Serialize)]
pub struct Installed {
    /// The temporary auth code.
    pub auth_code: String,
    /// Where the admin's browser is redirected (`redirect_uri?auth_code=…&state=…&expires_in=…`).
    pub redirect: Option<String>,
}

impl Sim {
    /// Creates (or replaces) a suite and schedules its first suite_ticket push now.
    pub fn create_suite(&self, cfg: SuiteConfig) -> SuiteConfig {
        let cfg = cfg.fill();
        let now = self.now();
        self.with(|s| {
            s.suites.insert(
                cfg.suite_id.clone(),
                Suite {
                    cfg: cfg.clone(),
                    tickets: Vec::new(),
                    pre_auth_codes: Default::default(),
                    auth_codes: Default::default(),
                    login_codes: Default::default(),
                    authorizations: Default::default(),
                    licenses: Default::default(),
                },
            );
            s.schedule(
                now,
                Job::SuiteTicket {
                    suite_id: cfg.suite_id.clone(),
                },
            );
        });
        self.wake.notify_one();
        cfg
    }

    /// Pushes a fresh suite_ticket to the suite's instruction URL now.
    pub async fn push_suite_ticket(&self, suite_id: &str) -> Result<Delivery, SimError> {
        let now = self.now();
        let ticket = random_token(60).replace(['-', '_'], "x");
        let cb = self
            .with(|s| {
                let suite = s.suites.get_mut(suite_id)?;
                suite.tickets.push((ticket.clone(), now));
                suite.tickets.retain(|(_, at)| now - at < TICKET_TTL);
                Some(suite.cfg.callback.clone())
            })
            .ok_or_else(|| SimError::not_found("no such suite"))?;
        let msg = format!(
            "<xml>{}{}{}{}</xml>",
            el("SuiteId", suite_id),
            el("InfoType", "suite_ticket"),
            num("TimeStamp", now),
            el("SuiteTicket", &ticket)
        );
        Ok(self.instruction(suite_id, &cb, msg).await)
    }

    async fn instruction(
        &self,
        suite_id: &str,
        cb: &crate::work::model::CallbackConfig,
        msg: String,
    ) -> Delivery {
        let id = self.with(|s| s.id());
        let d = Delivery::new(id, "suite", suite_id, "instruction");
        let d = deliver_encrypted(self, d, cb, suite_id, None, msg).await;
        self.record_delivery(d.clone());
        d
    }

    /// The corp admin consents on the install page: issues an auth code, pushes `create_auth`
    /// and returns the redirect.
    pub async fn suite_install(
        &self,
        suite_id: &str,
        pre_auth_code: &str,
        corpid: &str,
        userid: &str,
        redirect_uri: Option<&str>,
        state: &str,
    ) -> Result<Installed, SimError> {
        let now = self.now();
        self.with(|s| {
            if !s.work.contains_key(corpid) {
                return Err(SimError::bad("no such corp"));
            }
            let suite = s
                .suites
                .get_mut(suite_id)
                .ok_or_else(|| SimError::not_found("no such suite"))?;
            let pre = suite
                .pre_auth_codes
                .remove(pre_auth_code)
                .ok_or_else(|| SimError::bad("invalid pre_auth_code"))?;
            if now >= pre.expires {
                return Err(SimError::bad("pre_auth_code expired"));
            }
            Ok(())
        })?;
        let auth_code = self
            .push_create_auth(suite_id, corpid, userid, Some(state))
            .await?;
        let redirect = redirect_uri.map(|r| {
            let sep = if r.contains('?') { '&' } else { '?' };
            format!("{r}{sep}auth_code={auth_code}&state={state}&expires_in={AUTH_CODE_TTL}")
        });
        Ok(Installed {
            auth_code,
            redirect,
        })
    }

    /// Issues an install auth code for `userid` of `corpid` and pushes `create_auth` with it
    /// (with `State` for an install from the provider's link, without for one from WeCom's
    /// app market).
    pub(crate) async fn push_create_auth(
        &self,
        suite_id: &str,
        corpid: &str,
        userid: &str,
        state: Option<&str>,
    ) -> Result<String, SimError> {
        let now = self.now();
        let auth_code = code();
        let cb = self.with(|s| {
            let suite = s
                .suites
                .get_mut(suite_id)
                .ok_or_else(|| SimError::not_found("no such suite"))?;
            suite.auth_codes.insert(
                auth_code.clone(),
                AuthCode {
                    corpid: corpid.to_owned(),
                    userid: userid.to_owned(),
                    expires: now + AUTH_CODE_TTL,
                    used: false,
                },
            );
            Ok::<_, SimError>(suite.cfg.callback.clone())
        })?;
        let msg = format!(
            "<xml>{}{}{}{}{}</xml>",
            el("SuiteId", suite_id),
            el("AuthCode", &auth_code),
            el("InfoType", "create_auth"),
            num("TimeStamp", now),
            state.map(|x| el("State", x)).unwrap_or_default()
        );
        self.instruction(suite_id, &cb, msg).await;
        Ok(auth_code)
    }

    /// The corp admin uninstalls the suite's app: the authorisation and its corp tokens are
    /// gone (40014 afterwards) and `cancel_auth` is pushed to the instruction URL.
    pub async fn suite_uninstall(
        &self,
        suite_id: &str,
        corpid: &str,
    ) -> Result<Delivery, SimError> {
        let now = self.now();
        let cb = self.with(|s| {
            let suite = s
                .suites
                .get_mut(suite_id)
                .ok_or_else(|| SimError::not_found("no such suite"))?;
            let auth = suite
                .authorizations
                .remove(corpid)
                .ok_or_else(|| SimError::bad("the suite is not installed in this corp"))?;
            let cb = suite.cfg.callback.clone();
            s.tokens.revoke_owner(&Owner::SuiteCorp {
                suite_id: suite_id.to_owned(),
                corpid: corpid.to_owned(),
            });
            if let Some(c) = s.work.get_mut(corpid) {
                c.cfg.apps.retain(|a| a.agentid != auth.agentid);
            }
            Ok::<_, SimError>(cb)
        })?;
        let msg = format!(
            "<xml>{}{}{}{}</xml>",
            el("SuiteId", suite_id),
            el("InfoType", "cancel_auth"),
            num("TimeStamp", now),
            el("AuthCorpId", corpid)
        );
        Ok(self.instruction(suite_id, &cb, msg).await)
    }

    /// A member logs in to the provider's web page by scanning (`get_login_info` auth code).
    pub fn suite_login_code(
        &self,
        suite_id: &str,
        corpid: &str,
        userid: &str,
    ) -> Result<String, SimError> {
        let now = self.now();
        let c = code();
        self.with(|s| {
            let ok = s
                .work
                .get(corpid)
                .is_some_and(|w| w.members.contains_key(userid));
            if !ok {
                return Err(SimError::bad("no such corp member"));
            }
            let suite = s
                .suites
                .get_mut(suite_id)
                .ok_or_else(|| SimError::not_found("no such suite"))?;
            suite.login_codes.insert(
                c.clone(),
                AuthCode {
                    corpid: corpid.to_owned(),
                    userid: userid.to_owned(),
                    expires: now + AUTH_CODE_TTL,
                    used: false,
                },
            );
            Ok(c.clone())
        })
    }
}

/// Runs the scheduled ticket push and schedules the next one 10 minutes later.
pub(crate) async fn ticket_job(sim: &Sim, suite_id: &str) {
    if sim.push_suite_ticket(suite_id).await.is_ok() {
        let next = sim.now() + TICKET_INTERVAL;
        sim.with(|s| {
            s.schedule(
                next,
                Job::SuiteTicket {
                    suite_id: suite_id.to_owned(),
                },
            )
        });
    }
}

fn suite_token(sim: &Sim, q: &HashMap<String, String>) -> Result<String, WxError> {
    let t = q
        .get("suite_access_token")
        .filter(|t| !t.is_empty())
        .ok_or(e(41022, "suite_access_token missing"))?;
    match sim.with(|s| s.tokens.check(t, sim.now())) {
        Ok(Owner::Suite { suite_id }) => Ok(suite_id),
        Ok(_) | Err(TokenProblem::Invalid) => Err(e(40082, "invalid suite_access_token")),
        Err(TokenProblem::Expired) => Err(e(42009, "suite_access_token expired")),
    }
}

pub(crate) fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

async fn faults(sim: &Sim, target: &str, path: &str) -> Result<(), WxError> {
    faults_from(sim, target, path, None).await
}

/// [`faults`], naming the caller's address in a 60020 as WeCom does.
pub(crate) async fn faults_from(
    sim: &Sim,
    target: &str,
    path: &str,
    peer: Option<std::net::IpAddr>,
) -> Result<(), WxError> {
    let hit = sim.faults(target, path).await;
    if let Some((code, msg)) = hit.errcode {
        let msg = msg.unwrap_or_else(|| crate::error::default_msg(code).to_owned());
        return Err(e(code, &msg));
    }
    match hit.error {
        None => Ok(()),
        Some(crate::fault::FaultKind::Quota) => Err(e(45009, "api freq out of limit")),
        Some(crate::fault::FaultKind::IpWhitelist) => Err(e(
            60020,
            &match peer {
                Some(ip) => format!("not allow to access from your ip, from ip: {ip}"),
                None => "not allow to access from your ip".to_owned(),
            },
        )),
        Some(_) => Err(e(-1, "system busy")),
    }
}

/// `POST service/get_suite_token` `{suite_id, suite_secret, suite_ticket}`.
async fn get_suite_token(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = Req {
        q: HashMap::new(),
        body,
    };
    let r =
        async {
            let v = req
                .json()
                .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
            let id = s(&v, "suite_id");
            faults(&sim, id, "/cgi-bin/service/get_suite_token").await?;
            let now = sim.now();
            sim.with(|st| {
            let suite = st.suites.get(id).ok_or(e(40013, "invalid suite_id"))?;
            if suite.cfg.suite_secret != s(&v, "suite_secret") {
                return Err(e(40001, "invalid credential"));
            }
            let t = s(&v, "suite_ticket");
            if !suite.tickets.iter().any(|(x, at)| x == t && now - at < TICKET_TTL) {
                return Err(e(40085, "invalid suite ticket"));
            }
            let (tok, ttl) = st.tokens.issue(Owner::Suite { suite_id: id.to_owned() }, now);
            Ok(json!({"errcode": 0, "errmsg": "ok", "suite_access_token": tok, "expires_in": ttl}))
        })
        }
        .await;
    render(r)
}

/// `GET service/get_pre_auth_code?suite_access_token=`.
async fn get_pre_auth_code(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let r = (|| {
        let id = suite_token(&sim, &q)?;
        let now = sim.now();
        let c = code();
        sim.with(|st| {
            let suite = st.suites.get_mut(&id).ok_or(e(40082, "invalid suite_access_token"))?;
            suite.pre_auth_codes.insert(c.clone(), PreAuth { expires: now + PRE_AUTH_TTL, auth_type: 0 });
            Ok(json!({"errcode": 0, "errmsg": "ok", "pre_auth_code": c, "expires_in": PRE_AUTH_TTL}))
        })
    })();
    render(r)
}

/// `POST service/set_session_info?suite_access_token=` `{"pre_auth_code","session_info":{"auth_type"}}`.
async fn set_session_info(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let req = Req { q, body };
    let r = (|| {
        let id = suite_token(&sim, &req.q)?;
        let v = req
            .json()
            .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
        sim.with(|st| {
            let suite = st
                .suites
                .get_mut(&id)
                .ok_or(e(40082, "invalid suite_access_token"))?;
            let pre = suite
                .pre_auth_codes
                .get_mut(s(&v, "pre_auth_code"))
                .ok_or(e(40084, "invalid pre_auth_code"))?;
            pre.auth_type = v
                .pointer("/session_info/auth_type")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            Ok(json!({"errcode": 0, "errmsg": "ok"}))
        })
    })();
    render(r)
}

/// `POST service/get_permanent_code?suite_access_token=` `{"auth_code"}`: the permanent code,
/// the corp, the installer, the app list and a corp token.
async fn get_permanent_code(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    render(exchange(&sim, Req { q, body }, false))
}

/// `POST service/v2/get_permanent_code?suite_access_token=` `{"auth_code"}`: WeCom's current
/// form; the permanent code, the corp and the installer only, no app list and no corp token
/// (fetched with `get_auth_info` and `get_corp_token`). ⚠️ The exact field list is unverified.
async fn get_permanent_code_v2(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    render(exchange(&sim, Req { q, body }, true))
}

fn exchange(sim: &Sim, req: Req, v2: bool) -> Result<Value, WxError> {
    let id = suite_token(sim, &req.q)?;
    let v = req
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    let now = sim.now();
    sim.with(|st| {
            let suite = st.suites.get_mut(&id).ok_or(e(40082, "invalid suite_access_token"))?;
            let ac = suite.auth_codes.get_mut(s(&v, "auth_code")).ok_or(e(40078, "invalid auth_code"))?;
            if ac.used || now >= ac.expires {
                return Err(e(40078, "invalid auth_code"));
            }
            ac.used = true;
            let ac = ac.clone();
            let suite_name = suite.cfg.name.clone();
            let data_callback = suite.cfg.data_callback.clone();
            let corp = st.work.get_mut(&ac.corpid).ok_or(e(40078, "invalid auth_code"))?;
            let agentid = match st.suites.get(&id).and_then(|x| x.authorizations.get(&ac.corpid)) {
                Some(a) => a.agentid,
                None => {
                    let next = corp.cfg.apps.iter().map(|a| a.agentid).max().unwrap_or(1_000_001) + 1;
                    corp.cfg.apps.push(AgentConfig { agentid: next, secret: String::new(), name: suite_name.clone(), callback: data_callback });
                    corp.cfg = std::mem::take(&mut corp.cfg).fill();
                    next
                }
            };
            let corp_name = corp.cfg.name.clone();
            let (user_name, open_userid) = corp
                .members
                .get(&ac.userid)
                .map(|m| (m.name.clone(), m.open_userid.clone()))
                .unwrap_or_default();
            let permanent = code();
            let suite = st.suites.get_mut(&id).ok_or(e(40082, "invalid suite_access_token"))?;
            suite.authorizations.insert(
                ac.corpid.clone(),
                Authorization { permanent_code: permanent.clone(), agentid, userid: ac.userid.clone() },
            );
            suite.licenses.entry(ac.corpid.clone()).or_insert_with(|| license::License::trial(now));
            let mut out = json!({
                "errcode": 0, "errmsg": "ok",
                "permanent_code": permanent,
                "auth_corp_info": corp_info(&ac.corpid, &corp_name),
                "auth_user_info": {"userid": ac.userid, "open_userid": open_userid, "name": user_name, "avatar": ""}
            });
            if !v2 {
                let (tok, ttl) = st.tokens.issue(Owner::SuiteCorp { suite_id: id.clone(), corpid: ac.corpid.clone() }, now);
                out["access_token"] = json!(tok);
                out["expires_in"] = json!(ttl);
                out["auth_info"] = auth_info(agentid, &suite_name);
            }
            Ok(out)
        })
}

fn corp_info(corpid: &str, corp_name: &str) -> Value {
    json!({
        "corpid": corpid, "corp_name": corp_name, "corp_type": "verified",
        "corp_square_logo_url": "", "corp_user_max": 200, "corp_full_name": corp_name,
        "subject_type": 1, "corp_scale": "1-50人", "corp_industry": "IT服务", "corp_sub_industry": "计算机软件/硬件/信息服务"
    })
}

fn auth_info(agentid: i64, suite_name: &str) -> Value {
    json!({"agent": [{"agentid": agentid, "name": suite_name, "square_logo_url": "", "privilege": {"level": 1, "allow_party": [1], "allow_user": [], "allow_tag": []}}]})
}

/// `POST service/get_auth_info?suite_access_token=` `{"auth_corpid","permanent_code"}`: the corp
/// and the suite's app(s) there with their privileges.
async fn get_auth_info(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let req = Req { q, body };
    let r = (|| {
        let id = suite_token(&sim, &req.q)?;
        let v = req
            .json()
            .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
        let corpid = s(&v, "auth_corpid");
        sim.with(|st| {
            let suite = st
                .suites
                .get(&id)
                .ok_or(e(40082, "invalid suite_access_token"))?;
            let auth = suite
                .authorizations
                .get(corpid)
                .filter(|a| a.permanent_code == s(&v, "permanent_code"))
                .ok_or(e(40084, "invalid permanent_code"))?;
            let corp_name = st
                .work
                .get(corpid)
                .map(|c| c.cfg.name.clone())
                .unwrap_or_default();
            Ok(json!({
                "errcode": 0, "errmsg": "ok",
                "auth_corp_info": corp_info(corpid, &corp_name),
                "auth_info": auth_info(auth.agentid, &suite.cfg.name),
            }))
        })
    })();
    render(r)
}

/// `POST service/get_corp_token?suite_access_token=` `{"auth_corpid","permanent_code"}`.
async fn get_corp_token(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let req = Req { q, body };
    let r = async {
        let id = suite_token(&sim, &req.q)?;
        let v = req
            .json()
            .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
        let corpid = s(&v, "auth_corpid");
        faults(&sim, corpid, "/cgi-bin/service/get_corp_token").await?;
        let now = sim.now();
        sim.with(|st| {
            let ok = st
                .suites
                .get(&id)
                .and_then(|x| x.authorizations.get(corpid))
                .is_some_and(|a| a.permanent_code == s(&v, "permanent_code"));
            if !ok {
                return Err(e(40084, "invalid permanent_code"));
            }
            let owner = Owner::SuiteCorp {
                suite_id: id.clone(),
                corpid: corpid.to_owned(),
            };
            let (tok, ttl) = match st.tokens.current(&owner, now) {
                Some(x) => x,
                None => st.tokens.issue(owner, now),
            };
            Ok(json!({"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": ttl}))
        })
    }
    .await;
    render(r)
}

/// `POST service/get_provider_token` `{"corpid","provider_secret"}` (60020 faults: target =
/// the provider corpid).
async fn get_provider_token(
    AxState(sim): AxState<Arc<Sim>>,
    ext: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let req = Req {
        q: HashMap::new(),
        body,
    };
    let r = async {
        let v = req
            .json()
            .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
        let corpid = s(&v, "corpid");
        faults_from(
            &sim,
            corpid,
            "/cgi-bin/service/get_provider_token",
            crate::work::peer_of(&ext),
        )
        .await?;
        let now = sim.now();
        sim.with(|st| {
            let ok = st.suites.values().any(|x| x.cfg.provider_corpid == corpid && x.cfg.provider_secret == s(&v, "provider_secret"));
            if !ok {
                return Err(e(40001, "invalid credential"));
            }
            let (tok, ttl) = st.tokens.issue(Owner::Provider { corpid: corpid.to_owned() }, now);
            Ok(json!({"errcode": 0, "errmsg": "ok", "provider_access_token": tok, "expires_in": ttl}))
        })
    }
    .await;
    render(r)
}

/// `POST service/get_login_info?access_token=PROVIDER_ACCESS_TOKEN` `{"auth_code"}`.
async fn get_login_info(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    ext: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let req = Req { q, body };
    let r = async {
        let t = req
            .query("access_token")
            .filter(|t| !t.is_empty())
            .ok_or(werr(41001))?;
        let now = sim.now();
        let provider = match sim.with(|s| s.tokens.check(t, now)) {
            Ok(Owner::Provider { corpid }) => corpid,
            Err(TokenProblem::Expired) => return Err(werr(42001)),
            _ => return Err(werr(40014)),
        };
        faults_from(
            &sim,
            &provider,
            "/cgi-bin/service/get_login_info",
            crate::work::peer_of(&ext),
        )
        .await?;
        let v = req
            .json()
            .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
        sim.with(|st| {
            let found = st.suites.values_mut().filter(|x| x.cfg.provider_corpid == provider).find_map(|x| {
                let auth = |c: &str| x.authorizations.get(c).map(|a| (a.agentid, a.userid.clone()));
                let code = x.login_codes.get_mut(s(&v, "auth_code"))?;
                let snapshot = code.clone();
                code.used = true;
                Some((snapshot.clone(), auth(&snapshot.corpid)))
            });
            let (ac, auth) = found.ok_or(e(40029, "invalid code"))?;
            if ac.used || now >= ac.expires {
                return Err(e(40029, "invalid code"));
            }
            let m = st.work.get(&ac.corpid).and_then(|c| c.members.get(&ac.userid)).ok_or(e(40029, "invalid code"))?;
            // ⚠️ usertype per the docs as read: 1 creator, 2 inner admin, 3 outer admin,
            // 4 partial admin, 5 member. The emulator knows one admin: whoever installed the
            // suite in that corp; `agent` and `auth_info` come only for admins.
            let admin = auth.as_ref().is_some_and(|(_, by)| *by == ac.userid);
            let mut out = json!({
                "errcode": 0, "errmsg": "ok", "usertype": if admin { 2 } else { 5 },
                "user_info": {"userid": m.userid, "open_userid": m.open_userid, "name": m.name, "avatar": ""},
                "corp_info": {"corpid": ac.corpid},
            });
            if admin {
                out["agent"] = json!(auth.iter().map(|(a, _)| json!({"agentid": a, "auth_type": 1})).collect::<Vec<_>>());
                out["auth_info"] = json!({"department": m.department.iter().map(|d| json!({"id": d, "writable": true})).collect::<Vec<_>>()});
            }
            Ok(out)
        })
    }
    .await;
    render(r)
}

/// Routes under `qyapi.weixin.qq.com/cgi-bin/service/`.
pub fn service_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/cgi-bin/service/get_suite_token", post(get_suite_token))
        .route(
            "/cgi-bin/service/get_pre_auth_code",
            get(get_pre_auth_code).post(get_pre_auth_code),
        )
        .route("/cgi-bin/service/set_session_info", post(set_session_info))
        .route(
            "/cgi-bin/service/get_permanent_code",
            post(get_permanent_code),
        )
        .route(
            "/cgi-bin/service/v2/get_permanent_code",
            post(get_permanent_code_v2),
        )
        .route("/cgi-bin/service/get_auth_info", post(get_auth_info))
        .route("/cgi-bin/service/get_corp_token", post(get_corp_token))
        .route(
            "/cgi-bin/service/get_provider_token",
            post(get_provider_token),
        )
        .route("/cgi-bin/service/get_login_info", post(get_login_info))
        .route(
            "/cgi-bin/license/list_actived_account",
            post(license::list_actived_account),
        )
        .route(
            "/cgi-bin/license/get_app_license_info",
            post(license::get_app_license_info),
        )
}

/// Routes of `open.work.weixin.qq.com`.
pub fn open_work_router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/3rdapp/install", get(install_page::page))
        .route("/3rdapp/install/confirm", post(install_page::confirm))
        .route("/3rdapp/market", get(market::page))
        .route("/3rdapp/market/confirm", post(market::confirm))
        .route("/wwopen/sso/3rd_qrConnect", get(login::page))
        .route("/wwopen/sso/3rd_qrConnect/confirm", post(login::confirm))
}
