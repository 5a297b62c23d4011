//! Test helpers: a running emulator and a small callback receiver.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::routing::any;
use serde_json::{Value, json};
use wechat_sim::{OaConfig, Sim, SimConfig};

pub struct TestSim {
    pub sim: Arc<Sim>,
    pub base: String,
    pub http: reqwest::Client,
}

/// Starts an emulator on 127.0.0.1:0 with a short callback timeout.
pub async fn spawn_sim() -> TestSim {
    let sim = Sim::new(SimConfig {
        callback_timeout_ms: 1500,
        ..SimConfig::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(wechat_sim::serve(listener, sim.clone()));
    TestSim {
        sim,
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
    }
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get_json(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Value {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> Value {
        self.http
            .post(self.url(path))
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Creates an account via the control API.
    pub async fn new_oa(&self) -> OaConfig {
        let v = self.post_json("/_sim/oa", json!({})).await;
        serde_json::from_value(v).unwrap()
    }

    /// Creates an account and fetches a token.
    pub async fn oa_with_token(&self) -> (OaConfig, String) {
        let cfg = self.new_oa().await;
        let v = self
            .get_json(&format!(
                "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
                cfg.appid, cfg.secret
            ))
            .await;
        (cfg, v["access_token"].as_str().unwrap().to_owned())
    }

    /// Calls an OA API with a token (`path` without the host prefix, e.g. `/cgi-bin/tags/get`).
    pub async fn oa_get(&self, path: &str, token: &str, extra: &str) -> Value {
        self.get_json(&format!(
            "/api.weixin.qq.com{path}?access_token={token}{extra}"
        ))
        .await
    }

    pub async fn oa_post(&self, path: &str, token: &str, body: Value) -> Value {
        self.post_json(
            &format!("/api.weixin.qq.com{path}?access_token={token}"),
            body,
        )
        .await
    }

    /// Subscribes a new follower in-process; returns the openid.
    pub async fn subscribe(&self, appid: &str) -> String {
        self.sim
            .oa_act(
                appid,
                None,
                wechat_sim::FollowerAction::Subscribe { ticket: None },
            )
            .await
            .unwrap()
            .openid
    }
}

pub fn errcode(v: &Value) -> i64 {
    v["errcode"].as_i64().unwrap_or(0)
}

/// A request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub query: String,
    pub body: String,
}

type Handler = Arc<dyn Fn(&Received, usize) -> (u16, String, u64) + Send + Sync>;

#[derive(Clone)]
struct RecvState {
    log: Arc<Mutex<Vec<Received>>>,
    handler: Handler,
}

/// A developer server stand-in: records requests and answers with `handler(req, n)` →
/// `(status, body, delay_ms)`, `n` counting from 0.
pub struct Receiver {
    pub url: String,
    pub log: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }
}

async fn receive(
    State(st): State<RecvState>,
    method: axum::http::Method,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> (axum::http::StatusCode, String) {
    let r = Received {
        method: method.to_string(),
        query: q.unwrap_or_default(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let n = {
        let mut log = st.log.lock().unwrap();
        log.push(r.clone());
        log.len() - 1
    };
    let (status, body, delay) = (st.handler)(&r, n);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    (axum::http::StatusCode::from_u16(status).unwrap(), body)
}

pub async fn spawn_receiver(
    handler: impl Fn(&Received, usize) -> (u16, String, u64) + Send + Sync + 'static,
) -> Receiver {
    let log = Arc::new(Mutex::new(Vec::new()));
    let st = RecvState {
        log: log.clone(),
        handler: Arc::new(handler),
    };
    let app = Router::new().route("/cb", any(receive)).with_state(st);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver {
        url: format!("http://{addr}/cb"),
        log,
    }
}

/// Parses `a=b&c=d` (URL-decoding values).
pub fn query_map(q: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(&format!("http://x/?{q}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Extracts the text of `<name>` (CDATA or bare) from a flat XML document.
pub fn xml_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    let inner = &xml[start..end];
    Some(
        inner
            .strip_prefix("<![CDATA[")
            .and_then(|s| s.strip_suffix("]]>"))
            .unwrap_or(inner)
            .to_owned(),
    )
}
