//! `cgi-bin/token` and `cgi-bin/stable_token`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Req, check_faults, json_response};
use crate::error::WxError;
use crate::state::Sim;
use crate::token::Owner;

/// Daily `cgi-bin/token` quota per account (WeChat's documented 2000/day); the 2001st call
/// of a CST day answers 45009 until `clear_quota` or the next day.
pub const TOKEN_DAILY_QUOTA: u32 = 2000;

/// Minimum interval between two `force_refresh` stable_token calls (⚠️ believed to be 30 s;
/// WeChat also caps them per day, not emulated).
pub const FORCE_REFRESH_INTERVAL: i64 = 30;

fn reply(r: Result<Value, WxError>) -> Response {
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

/// Checks appid + secret. A secret of the right shape (32 hex) that does not match gives 40001,
/// a malformed one 40125 (⚠️ WeChat has used both codes for a wrong secret over the years).
pub(crate) fn check_credentials(sim: &Sim, appid: &str, secret: &str) -> Result<(), WxError> {
    if appid.is_empty() {
        return Err(WxError::oa(41002));
    }
    if secret.is_empty() {
        return Err(WxError::oa(41004));
    }
    let real = sim.with(|s| s.oa.get(appid).map(|a| a.cfg.secret.clone()));
    let Some(real) = real else {
        return Err(WxError::oa(40013));
    };
    if real == secret {
        return Ok(());
    }
    if secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        Err(WxError::oa_msg(
            40001,
            "invalid credential, access_token is invalid or not latest or AppSecret error or AppSecret does not belong to this account",
        ))
    } else {
        Err(WxError::oa(40125))
    }
}

/// `GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`: every call issues a new
/// token; the previous one keeps working for 5 minutes.
pub async fn token(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    reply(
        async {
            let appid = get("appid");
            check_faults(&sim, appid, "/cgi-bin/token").await?;
            if get("grant_type") != "client_credential" {
                return Err(WxError::oa(40002));
            }
            check_credentials(&sim, appid, get("secret"))?;
            let now = sim.now();
            let day = crate::clock::pay_date(now);
            let owner = Owner::Oa {
                appid: appid.to_owned(),
                stable: false,
            };
            sim.with(|s| {
                let app = s.oa.get_mut(appid).ok_or(WxError::oa(40013))?;
                let n = app.token_calls.entry(day).or_insert(0);
                if *n >= TOKEN_DAILY_QUOTA {
                    return Err(WxError::oa(45009));
                }
                *n += 1;
                let (token, ttl) = s.tokens.issue(owner, now);
                Ok(json!({"access_token": token, "expires_in": ttl}))
            })
        }
        .await,
    )
}

/// `POST /cgi-bin/clear_quota?access_token=` `{"appid"}`: resets the account's daily API
/// counters (here: the `cgi-bin/token` quota).
pub fn clear_quota(
    st: &mut crate::state::State,
    appid: &str,
    _now: i64,
    r: &Req,
) -> Result<Value, WxError> {
    let v = r.json()?;
    if v.get("appid").and_then(Value::as_str) != Some(appid) {
        return Err(WxError::oa(40013));
    }
    super::app(st, appid)?.token_calls.clear();
    Ok(crate::error::ok())
}

/// `POST /cgi-bin/stable_token` `{grant_type, appid, secret, force_refresh}`: returns the
/// current stable token while it is valid; `force_refresh` issues a new one (the old one keeps
/// working for 5 minutes). Isolated from `cgi-bin/token`.
pub async fn stable_token(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = Req {
        q: HashMap::new(),
        body,
    };
    reply(
        async {
            let v = req.json()?;
            let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let appid = s("appid");
            check_faults(&sim, &appid, "/cgi-bin/stable_token").await?;
            if s("grant_type") != "client_credential" {
                return Err(WxError::oa(40002));
            }
            check_credentials(&sim, &appid, &s("secret"))?;
            let force = v
                .get("force_refresh")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let now = sim.now();
            let owner = Owner::Oa {
                appid: appid.clone(),
                stable: true,
            };
            sim.with(|st| {
                if !force && let Some((t, left)) = st.tokens.current(&owner, now) {
                    return Ok(json!({"access_token": t, "expires_in": left}));
                }
                if force {
                    let app = st.oa.get_mut(&appid).ok_or(WxError::oa(40013))?;
                    if let Some(last) = app.last_force_refresh
                        && now - last < FORCE_REFRESH_INTERVAL
                    {
                        return Err(WxError::oa_msg(
                            45011,
                            "api minute-quota reach limit  mustslower  retry next minute",
                        ));
                    }
                    app.last_force_refresh = Some(now);
                }
                let (t, ttl) = st.tokens.issue(owner, now);
                Ok(json!({"access_token": t, "expires_in": ttl}))
            })
        }
        .await,
    )
}
