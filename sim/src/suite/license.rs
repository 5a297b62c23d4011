//! WeCom's interface licences (接口许可) per (suite, corp): the activated accounts (userid, type
//! 1 basic / 2 互通, active and expire time) and the app's licence state (whether WeCom checks,
//! the trial, the check time); `license/list_actived_account` and
//! `license/get_app_license_info` with the provider token; the control calls that activate or
//! expire a member's account and end the trial; and, for `message/send` from a suite's corp
//! token, the members without an active account once WeCom checks ([`enforced`]).
//!
//! ⚠️ unverified (not in the reference): field names and meanings as WeCom's provider docs
//! were read; the trial length; that unlicensed members are reported in `unlicenseduser` and not
//! delivered to only after `license_check_time` while `license_status` is 1.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use super::{e, faults_from, s};
use crate::error::{SimError, WxError};
use crate::oa::Req;
use crate::state::{Sim, State};
use crate::token::{Owner, TokenProblem};
use crate::work::{render, werr};

/// A new authorisation's trial (⚠️ unverified: WeCom grants a trial per app; its length varies).
pub const TRIAL_SECS: i64 = 30 * 86_400;
/// A day, for moving a trial into the past.
const DAY_SECS: i64 = 86_400;
/// Most accounts on one page.
const PAGE_MAX: usize = 1000;

/// An activated account of a member.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// 1 basic (基础帐号), 2 interworking (互通帐号).
    #[serde(rename = "type")]
    pub kind: i64,
    /// Activated at (Unix seconds).
    pub active_time: i64,
    /// Expires at (Unix seconds).
    pub expire_time: i64,
}

/// The licence state of the suite's app in one corp.
#[derive(Debug, Clone, Serialize)]
pub struct License {
    /// `license_status`: 0 not checked, 1 checked.
    pub status: i64,
    /// The trial's start (Unix seconds).
    pub trial_start: i64,
    /// The trial's end (Unix seconds).
    pub trial_end: i64,
    /// `license_check_time`: from then on members need an active account.
    pub check_time: i64,
    /// Activated accounts by userid (expired ones stay, with their expire time).
    pub accounts: BTreeMap<String, Account>,
}

impl License {
    /// A first install: checked, in its trial.
    pub fn trial(now: i64) -> License {
        License {
            status: 1,
            trial_start: now,
            trial_end: now + TRIAL_SECS,
            check_time: now + TRIAL_SECS,
            accounts: BTreeMap::new(),
        }
    }

    /// WeCom checks licences now.
    pub fn enforced(&self, now: i64) -> bool {
        self.status == 1 && now >= self.check_time
    }

    /// `userid` has an active account.
    pub fn active(&self, userid: &str, now: i64) -> bool {
        self.accounts
            .get(userid)
            .is_some_and(|a| a.active_time <= now && now < a.expire_time)
    }
}

/// The licence WeCom checks for a send by app `agentid` of `corpid`, when that app is a suite's
/// app and the check applies now (a self-built app is never checked).
pub fn enforced(st: &State, corpid: &str, agentid: i64, now: i64) -> Option<License> {
    st.suites
        .values()
        .find(|x| {
            x.authorizations
                .get(corpid)
                .is_some_and(|a| a.agentid == agentid)
        })
        .and_then(|x| x.licenses.get(corpid))
        .filter(|l| l.enforced(now))
        .cloned()
}

impl Sim {
    /// Control: the corp's licence state for the suite (`status`; `trial_ended` moves the trial
    /// end and the check time to a day ago, or a full trial from now when false).
    pub fn suite_license_app(
        &self,
        suite_id: &str,
        corpid: &str,
        status: Option<i64>,
        trial_ended: Option<bool>,
    ) -> Result<License, SimError> {
        let now = self.now();
        self.with(|st| {
            let l = license_mut(st, suite_id, corpid)?;
            if let Some(x) = status {
                l.status = x;
            }
            match trial_ended {
                // Ended a day ago rather than this second: a caller comparing the check time
                // with its own clock (a portal whose clock is behind the emulator's, which tests
                // advance) must see the trial over, as it would be after a real trial ends.
                Some(true) => {
                    l.trial_start = l.trial_start.min(now - TRIAL_SECS - DAY_SECS);
                    l.trial_end = now - DAY_SECS;
                    l.check_time = now - DAY_SECS;
                }
                Some(false) => {
                    l.trial_start = now;
                    l.trial_end = now + TRIAL_SECS;
                    l.check_time = now + TRIAL_SECS;
                }
                None => {}
            }
            Ok(l.clone())
        })
    }

    /// Control: activates (or renews) `userid`'s account for `days`.
    pub fn suite_license_activate(
        &self,
        suite_id: &str,
        corpid: &str,
        userid: &str,
        kind: i64,
        days: i64,
    ) -> Result<License, SimError> {
        let now = self.now();
        self.with(|st| {
            let member = st
                .work
                .get(corpid)
                .is_some_and(|c| c.members.contains_key(userid));
            if !member {
                return Err(SimError::bad("no such corp member"));
            }
            if ![1, 2].contains(&kind) {
                return Err(SimError::bad("type is 1 (basic) or 2 (互通)"));
            }
            let l = license_mut(st, suite_id, corpid)?;
            l.accounts.insert(
                userid.to_owned(),
                Account {
                    kind,
                    active_time: now,
                    expire_time: now + days.max(1) * 86_400,
                },
            );
            Ok(l.clone())
        })
    }

    /// Control: `userid`'s account expires now.
    pub fn suite_license_expire(
        &self,
        suite_id: &str,
        corpid: &str,
        userid: &str,
    ) -> Result<License, SimError> {
        let now = self.now();
        self.with(|st| {
            let l = license_mut(st, suite_id, corpid)?;
            let a = l
                .accounts
                .get_mut(userid)
                .ok_or_else(|| SimError::bad("the member has no account"))?;
            a.expire_time = now;
            Ok(l.clone())
        })
    }
}

fn license_mut<'a>(
    st: &'a mut State,
    suite_id: &str,
    corpid: &str,
) -> Result<&'a mut License, SimError> {
    let suite = st
        .suites
        .get_mut(suite_id)
        .ok_or_else(|| SimError::not_found("no such suite"))?;
    suite
        .licenses
        .get_mut(corpid)
        .ok_or_else(|| SimError::bad("the suite was never installed in this corp"))
}

/// The provider corp of `provider_access_token`.
fn provider(sim: &Sim, q: &HashMap<String, String>) -> Result<String, WxError> {
    let t = q
        .get("provider_access_token")
        .filter(|t| !t.is_empty())
        .ok_or(werr(41001))?;
    match sim.with(|st| st.tokens.check(t, sim.now())) {
        Ok(Owner::Provider { corpid }) => Ok(corpid),
        Err(TokenProblem::Expired) => Err(werr(42001)),
        _ => Err(werr(40014)),
    }
}

/// The licence of a suite of `provider` in `corpid` (`suite_id` when given).
fn licence_of<'a>(
    st: &'a State,
    provider: &str,
    corpid: &str,
    suite_id: Option<&str>,
) -> Result<&'a License, WxError> {
    st.suites
        .values()
        .filter(|x| x.cfg.provider_corpid == provider)
        .filter(|x| suite_id.is_none_or(|id| x.cfg.suite_id == id))
        .find_map(|x| x.licenses.get(corpid))
        // ⚠️ unverified: the code WeCom answers for a corp that never authorised the provider.
        .ok_or(e(40013, "invalid corpid"))
}

/// A licence call's provider (from `provider_access_token`, checked against the provider's IP
/// whitelist: 60020) and its JSON body.
async fn provider_call(
    sim: &Sim,
    q: HashMap<String, String>,
    ext: &axum::http::Extensions,
    body: Bytes,
    path: &str,
) -> Result<(String, Value), WxError> {
    let req = Req { q, body };
    let provider = provider(sim, &req.q)?;
    faults_from(sim, &provider, path, crate::work::peer_of(ext)).await?;
    let v = req
        .json()
        .map_err(|x| x.with_flavor(crate::error::Flavor::Work))?;
    Ok((provider, v))
}

/// `POST license/list_actived_account?provider_access_token=` `{corpid, limit, cursor}`: the
/// members with an active account, by userid; the cursor is the last userid of the page.
pub(super) async fn list_actived_account(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    ext: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let r = async {
        let (provider, v) =
            provider_call(&sim, q, &ext, body, "/cgi-bin/license/list_actived_account").await?;
        let limit = v
            .get("limit")
            .and_then(Value::as_u64)
            .map_or(PAGE_MAX, |n| (n as usize).clamp(1, PAGE_MAX));
        let cursor = s(&v, "cursor").to_owned();
        let now = sim.now();
        sim.with(|st| {
            let l = licence_of(st, &provider, s(&v, "corpid"), None)?;
            let mut active = l.accounts.iter().filter(|(u, _)| {
                l.active(u, now) && (cursor.is_empty() || u.as_str() > cursor.as_str())
            });
            let page: Vec<(&String, &Account)> = active.by_ref().take(limit).collect();
            let has_more = active.next().is_some();
            let next = page.last().map(|(u, _)| u.to_string()).unwrap_or_default();
            Ok(json!({
                "errcode": 0, "errmsg": "ok",
                "next_cursor": if has_more { next } else { String::new() },
                "has_more": i64::from(has_more),
                "account_list": page.iter().map(|(u, a)| json!({
                    "userid": u, "type": a.kind,
                    "active_time": a.active_time, "expire_time": a.expire_time,
                })).collect::<Vec<_>>(),
            }))
        })
    }
    .await;
    render(r)
}

/// `POST license/get_app_license_info?provider_access_token=` `{corpid, suite_id}`.
pub(super) async fn get_app_license_info(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    ext: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let r = async {
        let (provider, v) =
            provider_call(&sim, q, &ext, body, "/cgi-bin/license/get_app_license_info").await?;
        sim.with(|st| {
            let l = licence_of(st, &provider, s(&v, "corpid"), Some(s(&v, "suite_id")))?;
            Ok(json!({
                "errcode": 0, "errmsg": "ok",
                "license_status": l.status,
                "trail_info": {"start_time": l.trial_start, "end_time": l.trial_end},
                "license_check_time": l.check_time,
            }))
        })
    }
    .await;
    render(r)
}
