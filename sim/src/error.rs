//! WeChat-shaped errors: `{"errcode":N,"errmsg":"… rid: …"}` for OA, WeCom's
//! `"…, hint: [...], from ip: …, more info at …"` flavour, and HTTP 200 like the real servers.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::proto::sign::random_hex;

/// Which server family answers: the errmsg decoration differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `api.weixin.qq.com`: `"… rid: 6566d0b5-1c2f6e0a-3f0e0c8d"`.
    Oa,
    /// `qyapi.weixin.qq.com`: `"…, hint: [1700000000_12_abcdef…], from ip: …, more info at …"`.
    Work,
}

/// A WeChat API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WxError {
    /// `errcode`.
    pub code: i64,
    /// The bare message (decorated with a rid/hint when rendered).
    pub msg: String,
    /// Family.
    pub flavor: Flavor,
}

/// Standard `errmsg` text for a code (OA wording; WeCom shares most codes).
pub fn default_msg(code: i64) -> &'static str {
    match code {
        -1 => "system error",
        0 => "ok",
        40001 => {
            "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r"
        }
        40002 => "invalid grant_type",
        40003 => "invalid openid",
        40007 => "invalid media_id",
        40013 => "invalid appid",
        40014 => "invalid access_token",
        40016 => "invalid button size",
        40017 => "invalid button type",
        40018 => "invalid button name size",
        40019 => "invalid button key size",
        40020 => "invalid button url size",
        40023 => "invalid sub button size",
        40024 => "invalid sub button type",
        40025 => "invalid sub button name size",
        40026 => "invalid sub button key size",
        40027 => "invalid sub button url size",
        40032 => "invalid openid list size",
        40033 => "invalid charset. please check your request, if include \\uxxxx will create fail!",
        40050 => "invalid group id",
        40054 => "invalid sub button url domain",
        40055 => "invalid button url domain",
        40097 => "invalid args",
        40125 => "invalid appsecret",
        40164 => "invalid ip, not in whitelist",
        41001 => "access_token missing",
        41002 => "appid missing",
        41004 => "appsecret missing",
        41009 => "missing openid",
        42001 => "access_token expired",
        43001 => "require GET method",
        43002 => "require POST method",
        44002 => "empty post data",
        45009 => "reach max api daily quota limit",
        45056 => "too many tags now, no need to add new",
        45057 => "can't delete the tag that has too many fans",
        45058 => "can't modify sys tag",
        45059 => "tag count of user exceed limit",
        45157 => "invalid tag name",
        45158 => "tag name too long",
        45159 => "invalid tag id",
        46003 => "menu no exist",
        47001 => "data format error",
        65301 => "no such conditional menu",
        65302 => "no such user",
        65303 => "there is no selfmenu, please create selfmenu first",
        65304 => "match rule empty",
        65305 => "conditional menu count limit",
        _ => "error",
    }
}

impl WxError {
    /// An OA error with the standard message.
    pub fn oa(code: i64) -> Self {
        WxError {
            code,
            msg: default_msg(code).to_owned(),
            flavor: Flavor::Oa,
        }
    }

    /// An OA error with a custom message.
    pub fn oa_msg(code: i64, msg: impl Into<String>) -> Self {
        WxError {
            code,
            msg: msg.into(),
            flavor: Flavor::Oa,
        }
    }

    /// A WeCom error with a custom message.
    pub fn work(code: i64, msg: impl Into<String>) -> Self {
        WxError {
            code,
            msg: msg.into(),
            flavor: Flavor::Work,
        }
    }

    /// Same error, other flavour.
    pub fn with_flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// The decorated `errmsg`, as the real servers render it.
    pub fn errmsg(&self) -> String {
        match self.flavor {
            Flavor::Oa => format!("{} rid: {}", self.msg, rid()),
            Flavor::Work => format!(
                "{}, hint: [{}_{}_{}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={}",
                self.msg,
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
                rand::random::<u16>(),
                random_hex(32),
                self.code
            ),
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Value {
        json!({"errcode": self.code, "errmsg": self.errmsg()})
    }
}

/// A WeChat-style request id: three groups of 8 hex digits.
pub fn rid() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{:08x}-{}-{}", t as u32, random_hex(8), random_hex(8))
}

impl IntoResponse for WxError {
    fn into_response(self) -> Response {
        // WeChat answers errors with HTTP 200.
        (
            StatusCode::OK,
            [(
                axum::http::header::CONTENT_TYPE,
                "application/json; encoding=utf-8",
            )],
            crate::proto::json::to_string(&self.to_json()),
        )
            .into_response()
    }
}

impl std::fmt::Display for WxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.msg)
    }
}

impl std::error::Error for WxError {}

/// `{"errcode":0,"errmsg":"ok"}`.
pub fn ok() -> Value {
    json!({"errcode": 0, "errmsg": "ok"})
}

/// Errors of the emulator's own control API (not WeChat-shaped): `{"error": "..."}` with a
/// 4xx status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// HTTP status.
    pub status: u16,
    /// What went wrong.
    pub message: String,
}

impl SimError {
    /// 404.
    pub fn not_found(what: impl Into<String>) -> Self {
        SimError {
            status: 404,
            message: what.into(),
        }
    }

    /// 400.
    pub fn bad(what: impl Into<String>) -> Self {
        SimError {
            status: 400,
            message: what.into(),
        }
    }
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for SimError {}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(json!({"error": self.message}))).into_response()
    }
}
