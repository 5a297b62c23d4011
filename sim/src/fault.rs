//! Fault injection per app (appid, corpid, suite id or mch_id): latency, `-1` system busy,
//! 45009 quota, 40164 IP whitelist, "token invalidated by another server", and callback
//! attempts that WeChat gives up on (the server answered too late).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Delay the answer by `latency_ms`.
    Latency,
    /// `{"errcode":-1,"errmsg":"system error"}` (Pay: `SYSTEMERROR`).
    Busy,
    /// 45009 daily quota reached.
    Quota,
    /// 40164 caller IP not in the whitelist (WeCom: 60020).
    IpWhitelist,
    /// Every token issued so far for the target stops working at once (40001). Applied
    /// immediately, not stored.
    TokenInvalidated,
    /// Another server sharing the secret fetched a new token: every current token of the
    /// target is superseded now and keeps working for 5 more minutes only, then 40001 (the
    /// classic shared-appid failure). Applied immediately, not stored.
    TokenRefreshed,
    /// A callback attempt to the target (an OA, corp, suite or merchant) that WeChat gives up
    /// on: the request is sent and the server's answer read, then discarded and the attempt
    /// recorded as a timeout, exactly as when the server answers after WeChat's timeout; the
    /// usual immediate retries follow. Deterministic, unlike a slow server racing a short
    /// `callback_timeout_ms`. Only callbacks consume it, never API requests.
    CallbackTimeout,
    /// Any WeChat errcode (`errcode`, with `errmsg` or the standard message): for answers the
    /// emulator cannot produce from its state, e.g. WeCom's 301002 (outside the app's visible
    /// range) or 42009 (token expired) on one API.
    Errcode,
}

/// A fault as configured through the control API or a seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// appid / corpid / suite id / mch_id, or `*` for every target.
    pub target: String,
    /// The fault.
    pub kind: FaultKind,
    /// Only requests whose path contains this string (e.g. `/cgi-bin/token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Affect only this many requests (absent: until cleared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// For `latency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// For `errcode`: the code to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<i64>,
    /// For `errcode`: the message (absent: WeChat's standard message for the code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errmsg: Option<String>,
}

/// An installed fault.
#[derive(Debug, Clone, Serialize)]
pub struct Fault {
    /// Id for deletion.
    pub id: u64,
    /// The spec; `count` shows what remains.
    #[serde(flatten)]
    pub spec: FaultSpec,
}

/// What the faults say about one request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FaultHit {
    /// Delay before answering.
    pub latency: Duration,
    /// An error to answer with instead of the real result.
    pub error: Option<FaultKind>,
    /// With `error` = `Errcode`: the code and message.
    pub errcode: Option<(i64, Option<String>)>,
}

/// The installed faults.
#[derive(Debug, Default)]
pub struct Faults {
    list: Vec<Fault>,
    next_id: u64,
}

impl Faults {
    /// Installs a fault (not `TokenInvalidated`, which the caller applies directly).
    pub fn add(&mut self, spec: FaultSpec) -> Fault {
        self.next_id += 1;
        let f = Fault {
            id: self.next_id,
            spec,
        };
        self.list.push(f.clone());
        f
    }

    /// Lists faults.
    pub fn list(&self) -> Vec<Fault> {
        self.list.clone()
    }

    /// Removes one fault; false if unknown.
    pub fn remove(&mut self, id: u64) -> bool {
        let n = self.list.len();
        self.list.retain(|f| f.id != id);
        n != self.list.len()
    }

    /// Removes all faults.
    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// Evaluates (and consumes counts of) the faults matching `target` and `path`.
    pub fn check(&mut self, target: &str, path: &str) -> FaultHit {
        let mut hit = FaultHit::default();
        for f in &mut self.list {
            let s = &mut f.spec;
            if s.target != "*" && s.target != target {
                continue;
            }
            if let Some(p) = &s.path
                && !path.contains(p.as_str())
            {
                continue;
            }
            let applies = match s.kind {
                FaultKind::Latency => {
                    hit.latency += Duration::from_millis(s.latency_ms.unwrap_or(6000));
                    true
                }
                FaultKind::TokenInvalidated
                | FaultKind::TokenRefreshed
                | FaultKind::CallbackTimeout => false,
                kind => {
                    if hit.error.is_none() {
                        hit.error = Some(kind);
                        if kind == FaultKind::Errcode {
                            hit.errcode = Some((s.errcode.unwrap_or(-1), s.errmsg.clone()));
                        }
                        true
                    } else {
                        false
                    }
                }
            };
            if applies && let Some(c) = s.count.as_mut() {
                *c = c.saturating_sub(1);
            }
        }
        self.list.retain(|f| f.spec.count != Some(0));
        hit
    }

    /// Whether a callback attempt to `target` is to be given up on (consumes one count of a
    /// matching `callback_timeout` fault; `path` matches the callback URL's path).
    pub fn check_callback(&mut self, target: &str, path: &str) -> bool {
        let Some(f) = self.list.iter_mut().find(|f| {
            f.spec.kind == FaultKind::CallbackTimeout
                && (f.spec.target == "*" || f.spec.target == target)
                && f.spec.path.as_deref().is_none_or(|p| path.contains(p))
        }) else {
            return false;
        };
        if let Some(c) = f.spec.count.as_mut() {
            *c = c.saturating_sub(1);
        }
        self.list.retain(|f| f.spec.count != Some(0));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_paths() {
        let mut f = Faults::default();
        f.add(FaultSpec {
            target: "wx1".into(),
            kind: FaultKind::Busy,
            path: Some("/tags/".into()),
            count: Some(2),
            latency_ms: None,
            errcode: None,
            errmsg: None,
        });
        assert_eq!(f.check("wx1", "/cgi-bin/user/get").error, None);
        assert_eq!(f.check("wx2", "/cgi-bin/tags/get").error, None);
        assert_eq!(
            f.check("wx1", "/cgi-bin/tags/get").error,
            Some(FaultKind::Busy)
        );
        assert_eq!(
            f.check("wx1", "/cgi-bin/tags/get").error,
            Some(FaultKind::Busy)
        );
        assert_eq!(f.check("wx1", "/cgi-bin/tags/get").error, None);
        assert!(f.list().is_empty());
    }

    #[test]
    fn callback_timeouts_are_consumed_by_callbacks_only() {
        let mut f = Faults::default();
        f.add(FaultSpec {
            target: "wx1".into(),
            kind: FaultKind::CallbackTimeout,
            path: None,
            count: Some(2),
            latency_ms: None,
            errcode: None,
            errmsg: None,
        });
        // API requests neither see nor consume it.
        assert_eq!(
            f.check("wx1", "/cgi-bin/message/custom/send"),
            FaultHit::default()
        );
        assert!(!f.check_callback("wx2", "/wx/1"));
        assert!(f.check_callback("wx1", "/wx/1"));
        assert!(f.check_callback("wx1", "/wx/1"));
        assert!(!f.check_callback("wx1", "/wx/1"));
        assert!(f.list().is_empty());
    }
}
