//! Customer-service accounts (客服帐号): `customservice/kfaccount/add|update|del|uploadheadimg|
//! inviteworker` and `cgi-bin/customservice/getkflist|getonlinekflist`.
//!
//! Shapes and error codes follow WeChat's customer-service documentation as quoted by client
//! libraries; none of it was checked against the live API (⚠️ unverified throughout):
//! 65400 new customer service not enabled, 65401 invalid account, 65403 invalid nickname,
//! 65405 more than 100 accounts, 65406 account exists, 65407 the WeChat user is already a
//! customer-service worker of this account, 65408 an invitation was already sent, 65409 invalid
//! WeChat ID, 65410 too many bound workers, 65411 an invitation is waiting, 65412 the account is
//! already bound.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State as AxState};
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use super::media::read_upload;
use super::model::OaApp;
use super::{Req, app, authed, json_response};
use crate::error::WxError;
use crate::proto::sign::random_token;
use crate::state::{Sim, State};

/// Accounts per Official Account.
pub const MAX_ACCOUNTS: usize = 100;
/// Bound workers per Official Account (⚠️ the documented limit is not known; the emulator
/// uses the account limit).
pub const MAX_BOUND: usize = 100;
/// How long an invitation waits for the WeChat user (⚠️ 7 days, from client libraries).
pub const INVITE_TTL: i64 = 7 * 86_400;
/// Longest avatar accepted (⚠️ the emulator uses `uploadimg`'s 1 MB).
pub const MAX_HEADIMG: usize = 1 << 20;

/// A customer-service account.
#[derive(Debug, Clone, Serialize)]
pub struct KfAccount {
    /// `prefix@wechat_id`.
    pub kf_account: String,
    /// `kf_id` (a decimal string, from 1001).
    pub kf_id: String,
    /// `kf_nick`.
    pub kf_nick: String,
    /// `kf_headimgurl` (empty until an avatar is uploaded).
    pub kf_headimgurl: String,
    /// The bound WeChat ID (`kf_wx`), once an invitation was accepted.
    pub kf_wx: Option<String>,
    /// A pending invitation: (WeChat ID, expires at).
    pub invite: Option<(String, i64)>,
    /// Online state (`status` in `getonlinekflist`, 0 = offline).
    pub status: i64,
    /// Sessions the worker is handling (`accepted_case`).
    pub accepted_case: i64,
}

impl KfAccount {
    fn to_json(&self, now: i64) -> Value {
        let mut v = json!({
            "kf_account": self.kf_account,
            "kf_headimgurl": self.kf_headimgurl,
            "kf_id": self.kf_id,
            "kf_nick": self.kf_nick,
        });
        if let Some(wx) = &self.kf_wx {
            v["kf_wx"] = json!(wx);
        } else if let Some((wx, exp)) = &self.invite {
            v["invite_wx"] = json!(wx);
            v["invite_expire_time"] = json!(exp);
            v["invite_status"] = json!(if now < *exp { "waiting" } else { "expire" });
        }
        v
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// `prefix@wechat_id`: prefix 1–10 letters, digits or `_`; the suffix (the Official Account's
/// WeChat ID) 1–30 characters. (⚠️ WeChat also requires the suffix to be the account's own
/// WeChat ID; the emulator has none, so any well-formed suffix is accepted.)
pub fn valid_account(a: &str) -> bool {
    let Some((prefix, suffix)) = a.split_once('@') else {
        return false;
    };
    (1..=10).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && (1..=30).contains(&suffix.chars().count())
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Nicknames are 1–16 characters.
fn valid_nick(n: &str) -> bool {
    (1..=16).contains(&n.trim().chars().count())
}

/// A WeChat ID: 6–20 letters, digits, `_` or `-`, starting with a letter.
pub fn valid_wechat_id(w: &str) -> bool {
    (6..=20).contains(&w.len())
        && w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn find<'a>(a: &'a mut OaApp, kf: &str) -> Result<&'a mut KfAccount, WxError> {
    a.kf_accounts
        .iter_mut()
        .find(|k| k.kf_account == kf)
        .ok_or_else(|| WxError::oa_msg(65401, "invalid custom service account"))
}

fn ok() -> Value {
    json!({"errcode": 0, "errmsg": "ok"})
}

/// `POST customservice/kfaccount/add` `{"kf_account","nickname"}`.
pub fn add(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let kf = s(&v, "kf_account");
    let nick = s(&v, "nickname");
    if !valid_account(kf) {
        return Err(WxError::oa_msg(65401, "invalid custom service account"));
    }
    if !valid_nick(nick) {
        return Err(WxError::oa_msg(65403, "invalid nickname"));
    }
    if a.kf_accounts.iter().any(|k| k.kf_account == kf) {
        return Err(WxError::oa_msg(65406, "custom service account exists"));
    }
    if a.kf_accounts.len() >= MAX_ACCOUNTS {
        return Err(WxError::oa_msg(
            65405,
            "custom service account count exceeds limit",
        ));
    }
    a.last_kf_id += 1;
    let kf_id = (1000 + a.last_kf_id).to_string();
    a.kf_accounts.push(KfAccount {
        kf_account: kf.to_owned(),
        kf_id,
        kf_nick: nick.trim().to_owned(),
        kf_headimgurl: String::new(),
        kf_wx: None,
        invite: None,
        status: 0,
        accepted_case: 0,
    });
    Ok(ok())
}

/// `POST customservice/kfaccount/update` `{"kf_account","nickname"}`.
pub fn update(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let nick = s(&v, "nickname");
    let k = find(a, s(&v, "kf_account"))?;
    if !valid_nick(nick) {
        return Err(WxError::oa_msg(65403, "invalid nickname"));
    }
    k.kf_nick = nick.trim().to_owned();
    Ok(ok())
}

/// `customservice/kfaccount/del`: `?kf_account=` (GET, the documented form) or a JSON body
/// `{"kf_account"}` (⚠️ newer documentation shows a POST body; both are accepted).
pub fn del(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let from_body = if r.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(r.json()?)
    };
    let kf = r
        .query("kf_account")
        .map(str::to_owned)
        .or_else(|| from_body.as_ref().map(|v| s(v, "kf_account").to_owned()))
        .unwrap_or_default();
    let a = app(st, appid)?;
    find(a, &kf)?;
    a.kf_accounts.retain(|k| k.kf_account != kf);
    Ok(ok())
}

/// `POST customservice/kfaccount/inviteworker` `{"kf_account","invite_wx"}`.
pub fn invite(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let wx = s(&v, "invite_wx").to_owned();
    let kf = s(&v, "kf_account").to_owned();
    find(a, &kf)?;
    if !valid_wechat_id(&wx) {
        return Err(WxError::oa_msg(65409, "invalid wechat id"));
    }
    if a.kf_accounts
        .iter()
        .any(|k| k.kf_account != kf && k.kf_wx.as_deref() == Some(wx.as_str()))
    {
        return Err(WxError::oa_msg(
            65407,
            "the wechat id is already a custom service worker of this account",
        ));
    }
    if a.kf_accounts.iter().filter(|k| k.kf_wx.is_some()).count() >= MAX_BOUND {
        return Err(WxError::oa_msg(65410, "bound worker count exceeds limit"));
    }
    let k = find(a, &kf)?;
    if k.kf_wx.is_some() {
        return Err(WxError::oa_msg(65412, "the account is already bound"));
    }
    match &k.invite {
        Some((w, exp)) if now < *exp && *w == wx => {
            return Err(WxError::oa_msg(65408, "the invitation was already sent"));
        }
        Some((_, exp)) if now < *exp => {
            return Err(WxError::oa_msg(65411, "an invitation is waiting"));
        }
        _ => {}
    }
    k.invite = Some((wx, now + INVITE_TTL));
    Ok(ok())
}

/// `GET cgi-bin/customservice/getkflist` → `{"kf_list":[…]}`.
pub fn list(st: &mut State, appid: &str, now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let list: Vec<Value> = a.kf_accounts.iter().map(|k| k.to_json(now)).collect();
    Ok(json!({"kf_list": list}))
}

/// `GET cgi-bin/customservice/getonlinekflist` → `{"kf_online_list":[{kf_account, status,
/// kf_id, accepted_case}]}`: bound workers that are online (⚠️ `status` values beyond 0/1 are
/// not modelled).
pub fn online(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    let a = app(st, appid)?;
    let list: Vec<Value> = a
        .kf_accounts
        .iter()
        .filter(|k| k.kf_wx.is_some() && k.status != 0)
        .map(|k| {
            json!({"kf_account": k.kf_account, "status": k.status, "kf_id": k.kf_id,
                   "accepted_case": k.accepted_case})
        })
        .collect();
    Ok(json!({"kf_online_list": list}))
}

/// `POST customservice/kfaccount/uploadheadimg?kf_account=` (multipart `media`, jpg/png).
pub async fn upload_headimg(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let r = async {
        let appid = authed(&sim, &q, uri.path()).await?;
        let kf = q.get("kf_account").cloned().unwrap_or_default();
        sim.with(|st| app(st, &appid).and_then(|a| find(a, &kf).map(drop)))?;
        let up = read_upload(mp).await?;
        let ext = up
            .filename
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !["jpg", "jpeg", "png"].contains(&ext.as_str()) {
            return Err(WxError::oa_msg(40005, "invalid file type"));
        }
        if up.bytes.len() > MAX_HEADIMG {
            return Err(WxError::oa_msg(40006, "invalid meida size"));
        }
        let url = format!("http://mmbiz.qpic.cn/mmbiz_jpg/{}/0", random_token(40));
        sim.with(|st| {
            app(st, &appid)
                .and_then(|a| find(a, &kf))
                .map(|k| k.kf_headimgurl = url)
        })?;
        Ok(ok())
    }
    .await;
    match r {
        Ok(v) => json_response(&v),
        Err(e) => json_response(&e.to_json()),
    }
}

/// The invited WeChat user accepts (the emulator's stand-in for tapping the invitation).
pub fn accept(a: &mut OaApp, kf: &str, now: i64) -> Result<(), String> {
    let k = a
        .kf_accounts
        .iter_mut()
        .find(|k| k.kf_account == kf)
        .ok_or("no such customer-service account")?;
    match k.invite.take() {
        Some((wx, exp)) if now < exp => {
            k.kf_wx = Some(wx);
            Ok(())
        }
        Some(expired) => {
            k.invite = Some(expired);
            Err("the invitation has expired".into())
        }
        None => Err("no invitation is waiting".into()),
    }
}

/// A bound worker goes online (`status` 1) or offline (0) in the customer-service tool.
pub fn set_status(a: &mut OaApp, kf: &str, status: i64) -> Result<(), String> {
    let k = a
        .kf_accounts
        .iter_mut()
        .find(|k| k.kf_account == kf)
        .ok_or("no such customer-service account")?;
    if k.kf_wx.is_none() {
        return Err("the account has no bound WeChat user".into());
    }
    k.status = status;
    Ok(())
}
