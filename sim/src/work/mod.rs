//! WeCom (企业微信) APIs served under `/qyapi.weixin.qq.com`.

pub mod contacts;
pub mod directory;
pub mod extattr;
pub mod invite;
pub mod message;
pub mod model;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State as AxState};
use axum::http::{Extensions, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::{Value, json};

use crate::error::WxError;
use crate::fault::FaultKind;
use crate::oa::Req;
use crate::state::{Sim, State};
use crate::token::{Owner, TokenProblem};

/// Who is calling: the corp and the secret's owner (`contacts` or an agent id).
#[derive(Debug, Clone)]
pub struct WorkCtx {
    /// corpid.
    pub corpid: String,
    /// `contacts` or the agent id as a string.
    pub agent: String,
}

impl WorkCtx {
    /// The calling app's agent id, if the token is an app token.
    pub fn agentid(&self) -> Option<i64> {
        self.agent.parse().ok()
    }

    /// The admin console (the control API acting as the corp's administrator).
    pub fn console(corpid: &str) -> WorkCtx {
        WorkCtx {
            corpid: corpid.to_owned(),
            agent: CONSOLE.to_owned(),
        }
    }

    /// Whether the token may write the directory (contacts secret, or the admin console).
    pub fn can_write_contacts(&self) -> Result<(), WxError> {
        if self.agent == "contacts" || self.agent == CONSOLE {
            Ok(())
        } else {
            Err(WxError::work(
                60011,
                "no privilege to access/modify contact/party/agent",
            ))
        }
    }
}

/// The `agent` of the admin console's changes (never a token's).
pub const CONSOLE: &str = "console";

/// A WeCom API operation.
pub type WorkFn = fn(&mut State, &WorkCtx, i64, &Req) -> Result<Value, WxError>;

/// A WeCom error with the standard message for `code`.
pub fn werr(code: i64) -> WxError {
    let msg = match code {
        40001 => "invalid credential",
        40013 => "invalid corpid",
        40014 => "invalid access_token",
        41001 => "access_token missing",
        41002 => "corpid missing",
        41004 => "corpsecret missing",
        42001 => "access_token expired",
        44002 => "empty post data",
        47001 => "data format error",
        other => crate::error::default_msg(other),
    };
    WxError::work(code, msg)
}

/// JSON with WeCom's content type; `errcode`/`errmsg` first-class.
pub fn work_json(v: &Value) -> Response {
    let mut r = crate::proto::json::to_string(v).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    r
}

/// Renders a WeCom result (`errcode`/`errmsg` added on success).
pub fn render(r: Result<Value, WxError>) -> Response {
    match r {
        Ok(mut v) => {
            if let Some(o) = v.as_object_mut() {
                o.entry("errcode").or_insert(json!(0));
                o.entry("errmsg").or_insert(json!("ok"));
            }
            work_json(&v)
        }
        Err(e) => work_json(&e.with_flavor(crate::error::Flavor::Work).to_json()),
    }
}

fn fault_error(kind: FaultKind, peer: Option<IpAddr>) -> WxError {
    match kind {
        FaultKind::Quota => WxError::work(45009, "api freq out of limit"),
        // WeCom names the caller's address in its answer, which is how an administrator
        // learns the server's outbound IP.
        FaultKind::IpWhitelist => WxError::work(
            60020,
            match peer {
                Some(ip) => format!("not allow to access from your ip, from ip: {ip}"),
                None => "not allow to access from your ip".to_owned(),
            },
        ),
        _ => WxError::work(-1, "system busy"),
    }
}

/// The caller's address, when the server was started with connect info.
pub fn peer_of(ext: &Extensions) -> Option<IpAddr> {
    ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

async fn faults(sim: &Sim, corpid: &str, path: &str, peer: Option<IpAddr>) -> Result<(), WxError> {
    let hit = sim.faults(corpid, path).await;
    match (hit.error, hit.errcode) {
        (None, _) => Ok(()),
        (Some(_), Some((code, msg))) => Err(match msg {
            Some(m) => WxError::work(code, m),
            None => werr(code),
        }),
        (Some(k), None) => Err(fault_error(k, peer)),
    }
}

/// Resolves `access_token` to a corp token (41001 / 40014 / 42001) and applies faults.
pub async fn authed(
    sim: &Sim,
    q: &HashMap<String, String>,
    path: &str,
) -> Result<WorkCtx, WxError> {
    authed_from(sim, q, path, None).await
}

/// [`authed`] for a caller at `peer`.
pub async fn authed_from(
    sim: &Sim,
    q: &HashMap<String, String>,
    path: &str,
    peer: Option<IpAddr>,
) -> Result<WorkCtx, WxError> {
    let token = q
        .get("access_token")
        .filter(|t| !t.is_empty())
        .ok_or(werr(41001))?;
    let now = sim.now();
    let owner = sim
        .with(|s| s.tokens.check(token, now))
        .map_err(|p| match p {
            TokenProblem::Invalid => werr(40014),
            TokenProblem::Expired => werr(42001),
        })?;
    let ctx = match owner {
        Owner::Work { corpid, agent } => WorkCtx { corpid, agent },
        // A corp token obtained by a suite acts as the suite's app in that corp.
        Owner::SuiteCorp { suite_id, corpid } => {
            let agent = sim
                .with(|s| {
                    s.suites
                        .get(&suite_id)
                        .and_then(|x| x.authorizations.get(&corpid))
                        .map(|a| a.agentid)
                })
                .ok_or(werr(40014))?;
            WorkCtx {
                corpid,
                agent: agent.to_string(),
            }
        }
        _ => return Err(werr(40014)),
    };
    faults(sim, &ctx.corpid, path, peer).await?;
    Ok(ctx)
}

async fn run(sim: Arc<Sim>, f: WorkFn, req: Req, path: String, peer: Option<IpAddr>) -> Response {
    let ctx = match authed_from(&sim, &req.q, &path, peer).await {
        Ok(c) => c,
        Err(e) => return render(Err(e)),
    };
    let now = sim.now();
    let (res, events) = sim.with(|s| {
        let r = f(s, &ctx, now, &req);
        (r, std::mem::take(&mut s.work_outbox))
    });
    for (corpid, xml) in events {
        let sim = sim.clone();
        tokio::spawn(async move {
            crate::callback::work::deliver_contact_event(&sim, &corpid, xml).await
        });
    }
    render(res)
}

/// Runs `f` as the admin console and delivers the `change_contact` events it queued.
pub async fn console_run(sim: &Arc<Sim>, corpid: &str, f: WorkFn, req: Req) -> Response {
    let ctx = WorkCtx::console(corpid);
    let now = sim.now();
    let (res, events) = sim.with(|s| {
        let r = f(s, &ctx, now, &req);
        (r, std::mem::take(&mut s.work_outbox))
    });
    for (corpid, xml) in events {
        crate::callback::work::deliver_contact_event(sim, &corpid, xml).await;
    }
    render(res)
}

/// A WeCom API (GET and POST both accepted).
pub fn w(f: WorkFn) -> MethodRouter<Arc<Sim>> {
    let h = move |AxState(sim): AxState<Arc<Sim>>,
                  Query(q): Query<HashMap<String, String>>,
                  uri: Uri,
                  ext: Extensions,
                  body: Bytes| {
        run(
            sim,
            f,
            Req { q, body },
            uri.path().to_owned(),
            peer_of(&ext),
        )
    };
    get(h).post(h)
}

/// The corp of the caller.
pub fn corp<'a>(s: &'a mut State, ctx: &WorkCtx) -> Result<&'a mut model::Corp, WxError> {
    s.work.get_mut(&ctx.corpid).ok_or(werr(40013))
}

/// `GET /cgi-bin/gettoken?corpid=&corpsecret=`: WeCom returns the same token while it is valid.
pub async fn gettoken(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    ext: Extensions,
) -> Response {
    let peer = peer_of(&ext);
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let corpid = get("corpid");
    let secret = get("corpsecret");
    let r = async {
        faults(&sim, corpid, "/cgi-bin/gettoken", peer).await?;
        if corpid.is_empty() {
            return Err(werr(41002));
        }
        if secret.is_empty() {
            return Err(werr(41004));
        }
        let now = sim.now();
        sim.with(|s| {
            let c = s.work.get(corpid).ok_or(werr(40013))?;
            let agent = if c.cfg.contacts_secret == secret {
                "contacts".to_owned()
            } else {
                c.cfg
                    .apps
                    .iter()
                    .find(|a| a.secret == secret)
                    .map(|a| a.agentid.to_string())
                    .ok_or_else(|| WxError::work(40001, "invalid credential"))?
            };
            let owner = Owner::Work {
                corpid: corpid.to_owned(),
                agent,
            };
            let (t, ttl) = match s.tokens.current(&owner, now) {
                Some(x) => x,
                None => s.tokens.issue(owner, now),
            };
            Ok(json!({"errcode": 0, "errmsg": "ok", "access_token": t, "expires_in": ttl}))
        })
    }
    .await;
    render(r)
}

/// Routes of `qyapi.weixin.qq.com`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/cgi-bin/gettoken", get(gettoken).post(gettoken))
        .route("/cgi-bin/department/create", w(contacts::department_create))
        .route("/cgi-bin/department/update", w(contacts::department_update))
        .route("/cgi-bin/department/delete", w(contacts::department_delete))
        .route("/cgi-bin/department/list", w(contacts::department_list))
        .route(
            "/cgi-bin/department/simplelist",
            w(directory::department_simplelist),
        )
        .route("/cgi-bin/user/list_id", w(directory::user_list_id))
        .route("/cgi-bin/user/create", w(contacts::user_create))
        .route("/cgi-bin/user/update", w(contacts::user_update))
        .route("/cgi-bin/user/get", w(contacts::user_get))
        .route("/cgi-bin/user/delete", w(contacts::user_delete))
        .route("/cgi-bin/user/batchdelete", w(contacts::user_batchdelete))
        .route("/cgi-bin/user/simplelist", w(contacts::user_simplelist))
        .route("/cgi-bin/user/list", w(contacts::user_list))
        .route("/cgi-bin/batch/invite", w(invite::batch_invite))
        .route("/cgi-bin/tag/create", w(contacts::tag_create))
        .route("/cgi-bin/tag/update", w(contacts::tag_update))
        .route("/cgi-bin/tag/delete", w(contacts::tag_delete))
        .route("/cgi-bin/tag/get", w(contacts::tag_get))
        .route("/cgi-bin/tag/list", w(contacts::tag_list))
        .route("/cgi-bin/tag/addtagusers", w(contacts::tag_add_users))
        .route("/cgi-bin/tag/deltagusers", w(contacts::tag_del_users))
        .route("/cgi-bin/message/send", w(message::send))
        .route("/cgi-bin/message/recall", w(message::recall))
        .route("/cgi-bin/message/get_statistics", w(message::statistics))
        .route("/cgi-bin/menu/create", w(message::menu_create))
        .route("/cgi-bin/menu/get", w(message::menu_get))
        .route("/cgi-bin/menu/delete", w(message::menu_delete))
        .route("/cgi-bin/media/upload", post(message::media_upload))
        .route("/cgi-bin/media/get", get(message::media_get))
}
