//! `qrcode/create` and `mp.weixin.qq.com/cgi-bin/showqrcode` (a real, scannable QR image).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::model::QrTicket;
use super::user::int;
use super::{Req, app};
use crate::error::WxError;
use crate::proto::png::qr_png;
use crate::proto::sign::random_token;
use crate::state::{Sim, State};

/// Longest temporary code lifetime (30 days).
pub const MAX_EXPIRE: i64 = 2_592_000;
/// Default temporary code lifetime.
pub const DEFAULT_EXPIRE: i64 = 60;
/// Largest permanent numeric scene.
pub const MAX_LIMIT_SCENE: i64 = 100_000;

/// `POST qrcode/create`.
pub fn create(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    app(st, appid)?;
    let action = v.get("action_name").and_then(Value::as_str).unwrap_or("");
    let scene = v
        .pointer("/action_info/scene")
        .cloned()
        .unwrap_or(Value::Null);
    let bad = || WxError::oa(40097);
    let (scene_id, scene_str, temporary) = match action {
        "QR_SCENE" | "QR_LIMIT_SCENE" => {
            let id = int(&scene, "scene_id").ok_or_else(bad)?;
            let limit = action == "QR_LIMIT_SCENE";
            if (limit && !(1..=MAX_LIMIT_SCENE).contains(&id))
                || (!limit && !(1..=u32::MAX as i64).contains(&id))
            {
                return Err(bad());
            }
            (Some(id), None, !limit)
        }
        "QR_STR_SCENE" | "QR_LIMIT_STR_SCENE" => {
            let s = scene.get("scene_str").and_then(Value::as_str).unwrap_or("");
            if s.is_empty() || s.len() > 64 {
                return Err(bad());
            }
            (None, Some(s.to_owned()), action == "QR_STR_SCENE")
        }
        _ => return Err(bad()),
    };
    let url = format!(
        "http://weixin.qq.com/q/02{}",
        random_token(22).replace(['-', '_'], "x")
    );
    let expire = temporary.then(|| {
        int(&v, "expire_seconds")
            .unwrap_or(DEFAULT_EXPIRE)
            .clamp(1, MAX_EXPIRE)
    });
    // Real tickets are base64 and contain '+', '/' and '=', so clients must URL-encode them.
    let mut raw = vec![0x81u8, 0x01, 0xfe, 0x3f];
    raw.extend_from_slice(url.as_bytes());
    raw.extend_from_slice(&now.to_le_bytes());
    raw.extend_from_slice(&rand::random::<[u8; 6]>());
    let ticket = STANDARD.encode(raw);
    st.qrcodes.insert(
        ticket.clone(),
        QrTicket {
            ticket: ticket.clone(),
            appid: appid.to_owned(),
            action_name: action.to_owned(),
            scene_id,
            scene_str,
            expires: expire.map(|e| now + e),
            url: url.clone(),
        },
    );
    Ok(match expire {
        Some(e) => json!({"ticket": ticket, "expire_seconds": e, "url": url}),
        None => json!({"ticket": ticket, "url": url}),
    })
}

/// Looks up a live ticket.
pub fn live_ticket(st: &State, ticket: &str, now: i64) -> Option<QrTicket> {
    st.qrcodes
        .get(ticket)
        .filter(|t| t.expires.is_none_or(|e| now < e))
        .cloned()
}

/// `GET showqrcode?ticket=`: the QR image; unknown or expired tickets answer 404.
/// (⚠️ WeChat serves a JPEG labelled `image/jpg`; the emulator serves a PNG.)
pub async fn show(
    AxState(sim): AxState<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ticket = q.get("ticket").map(String::as_str).unwrap_or("");
    let now = sim.now();
    match sim.with(|s| live_ticket(s, ticket, now)) {
        Some(t) => ([(header::CONTENT_TYPE, "image/png")], qr_png(&t.url, 8)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
