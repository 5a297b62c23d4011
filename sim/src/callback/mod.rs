//! The callback delivery engine: POSTs a message to a developer's server the way WeChat does
//! (5-second timeout, up to 3 retries with the same body), records every attempt and what came
//! back, and verifies callback URLs (GET with `echostr`).

pub mod oa;
pub mod work;

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::proto::xml::Node;
use crate::state::Sim;

/// What WeChat shows a follower when the developer's server fails or answers garbage.
pub const SERVICE_UNAVAILABLE: &str = "该公众号暂时无法提供服务，请稍后再试";

/// One HTTP attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// When it started (emulated unix seconds).
    pub at: i64,
    /// HTTP status, if an answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Transport error or `timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Wall-clock time taken.
    pub elapsed_ms: u64,
    /// Response body (lossy UTF-8, truncated to 64 KiB).
    pub response: String,
}

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The server answered with a usable passive reply (see `reply`).
    Replied,
    /// The server answered `success` or an empty body.
    NoReply,
    /// The server answered, but the reply could not be used (bad XML, signature, crypto …).
    InvalidReply,
    /// Every attempt failed (timeout, connection error, non-200).
    Failed,
    /// The app has no callback URL configured.
    NoCallbackUrl,
    /// The server's answer was accepted (Pay notify: `return_code` SUCCESS).
    Acknowledged,
}

/// A callback delivery with all its attempts.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Id.
    pub id: u64,
    /// `oa`, `work`, `suite`, `pay_notify`, `refund_notify`, `pay_scan`, `verify_url`.
    pub family: String,
    /// appid, corpid, suite id or mch_id.
    pub target: String,
    /// openid, userid, out_trade_no …
    pub subject: String,
    /// The URL called, with the query WeChat adds.
    pub url: String,
    /// The plaintext message (before encryption).
    pub message: String,
    /// The body POSTed.
    pub body: String,
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
    /// Result.
    pub outcome: Outcome,
    /// The reply as plaintext XML (decrypted when it was encrypted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// The reply's fields as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_fields: Option<Value>,
    /// Why the reply was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_error: Option<String>,
}

impl Delivery {
    /// A delivery that has not been attempted yet.
    pub fn new(id: u64, family: &str, target: &str, subject: &str) -> Self {
        Delivery {
            id,
            family: family.to_owned(),
            target: target.to_owned(),
            subject: subject.to_owned(),
            url: String::new(),
            message: String::new(),
            body: String::new(),
            attempts: Vec::new(),
            outcome: Outcome::NoCallbackUrl,
            reply: None,
            reply_fields: None,
            reply_error: None,
        }
    }
}

/// Builds `base?k=v&…` (appending to any query the base already has).
pub fn url_with(base: &str, params: &[(&str, String)]) -> Result<String, String> {
    let u = reqwest::Url::parse_with_params(base, params.iter().map(|(k, v)| (*k, v.as_str())))
        .map_err(|e| format!("invalid callback URL: {e}"))?;
    Ok(u.to_string())
}

/// One POST with WeChat's timeout. Returns the attempt and the body if the status was 200.
pub async fn post_once(
    sim: &Sim,
    url: &str,
    body: &str,
    content_type: &str,
) -> (Attempt, Option<String>) {
    let timeout = Duration::from_millis(sim.config().callback_timeout_ms);
    let started = Instant::now();
    let at = sim.now();
    let res = sim
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .header(reqwest::header::USER_AGENT, "Mozilla/4.0")
        .body(body.to_owned())
        .timeout(timeout)
        .send()
        .await;
    let (status, error, text) = match res {
        Ok(r) => {
            let status = r.status().as_u16();
            match r.text().await {
                Ok(t) => (Some(status), None, t),
                Err(e) => (Some(status), Some(classify(&e)), String::new()),
            }
        }
        Err(e) => (None, Some(classify(&e)), String::new()),
    };
    let ok = status == Some(200) && error.is_none();
    let mut response = text.clone();
    if response.len() > 65_536 {
        let mut cut = 65_536;
        while !response.is_char_boundary(cut) {
            cut -= 1;
        }
        response.truncate(cut);
    }
    let attempt = Attempt {
        at,
        status,
        error,
        elapsed_ms: started.elapsed().as_millis() as u64,
        response,
    };
    (attempt, ok.then_some(text))
}

fn classify(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".to_owned()
    } else {
        format!("transport: {e}")
    }
}

/// POSTs with immediate retries (`callback_retries`, 3 by default) until an HTTP 200 arrives.
/// Every retry carries exactly the same URL and body (same MsgId/CreateTime; ⚠️ whether WeChat
/// re-signs retries with a fresh timestamp/nonce is not documented).
pub async fn post_retrying(sim: &Sim, d: &mut Delivery, content_type: &str) -> Option<String> {
    let tries = 1 + sim.config().callback_retries;
    let path = reqwest::Url::parse(&d.url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    for _ in 0..tries {
        let (mut attempt, mut body) = post_once(sim, &d.url, &d.body, content_type).await;
        // An injected `callback_timeout`: the server answered, WeChat had stopped waiting.
        if sim.with(|s| s.faults.check_callback(&d.target, &path)) {
            attempt.error = Some("timeout (injected callback_timeout fault)".to_owned());
            body = None;
        }
        d.attempts.push(attempt);
        if body.is_some() {
            return body;
        }
    }
    None
}

/// Converts an XML element to JSON: leaves become strings, repeated `item` children arrays.
pub fn node_to_json(n: &Node) -> Value {
    if n.children.is_empty() {
        return Value::String(n.text.clone());
    }
    if n.children.iter().all(|c| c.name == "item") {
        return Value::Array(n.children.iter().map(node_to_json).collect());
    }
    let mut m = Map::new();
    for c in &n.children {
        m.insert(c.name.clone(), node_to_json(c));
    }
    Value::Object(m)
}

/// Result of a callback URL verification.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyResult {
    /// The server echoed the expected value exactly.
    pub ok: bool,
    /// The URL called.
    pub url: String,
    /// What the server had to answer.
    pub expected: String,
    /// HTTP status.
    pub status: Option<u16>,
    /// What it answered.
    pub body: String,
    /// Transport error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// GETs `url` and compares the body with `expected` byte for byte.
pub async fn verify_get(sim: &Sim, url: String, expected: String) -> VerifyResult {
    let timeout = Duration::from_millis(sim.config().callback_timeout_ms);
    match sim.http.get(&url).timeout(timeout).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            VerifyResult {
                ok: status == 200 && body == expected,
                url,
                expected,
                status: Some(status),
                body,
                error: None,
            }
        }
        Err(e) => VerifyResult {
            ok: false,
            url,
            expected,
            status: None,
            body: String::new(),
            error: Some(classify(&e)),
        },
    }
}
