//! Acting as an OA follower: builds the message or event WeChat would push, delivers it per the
//! account's callback mode, and records what the follower saw.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    Delivery, Outcome, SERVICE_UNAVAILABLE, VerifyResult, node_to_json, post_retrying, url_with,
    verify_get,
};
use crate::error::SimError;
use crate::oa::menu::menu_for;
use crate::oa::model::{CallbackMode, Follower, InboxItem, OaConfig, new_openid};
use crate::oa::qrcode::live_ticket;
use crate::proto::crypto::{MsgCrypt, random_nonce};
use crate::proto::sign::{plain_signature, random_alnum, random_hex};
use crate::proto::xml::{self, el, num};
use crate::state::Sim;

/// Something a follower does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FollowerAction {
    /// Follow the account, optionally by scanning a parameter QR code (`ticket` from
    /// `qrcode/create`). Unknown openids become new followers.
    Subscribe {
        /// QR ticket.
        #[serde(default)]
        ticket: Option<String>,
    },
    /// Unfollow.
    Unsubscribe,
    /// Scan a parameter QR code while already following (`SCAN`); a non-follower subscribes.
    Scan {
        /// QR ticket.
        ticket: String,
    },
    /// Send text.
    Text {
        /// Content.
        content: String,
    },
    /// Send a picture.
    Image {
        /// Picture URL (generated when absent).
        #[serde(default)]
        pic_url: Option<String>,
    },
    /// Send a voice message.
    Voice {
        /// `amr` (default) or `speex`.
        #[serde(default)]
        format: Option<String>,
        /// Speech recognition result, when the account has it enabled.
        #[serde(default)]
        recognition: Option<String>,
    },
    /// Send a video.
    Video,
    /// Send a location.
    Location {
        /// Latitude (`Location_X`).
        latitude: f64,
        /// Longitude (`Location_Y`).
        longitude: f64,
        /// Zoom.
        #[serde(default)]
        scale: Option<i64>,
        /// Label.
        #[serde(default)]
        label: Option<String>,
    },
    /// Share a link.
    Link {
        /// Title.
        title: String,
        /// Description.
        #[serde(default)]
        description: String,
        /// URL.
        url: String,
    },
    /// Click a `click` menu button (the key must be in the menu the follower sees).
    Click {
        /// Button key.
        key: String,
    },
    /// Open a `view` menu button (the URL must be in the menu the follower sees).
    View {
        /// Button URL.
        url: String,
    },
    /// Use a `scancode_push`, `scancode_waitmsg`, `pic_sysphoto`, `pic_photo_or_album`,
    /// `pic_weixin` or `location_select` button (the key must be in the follower's menu); the
    /// event carries `ScanCodeInfo`, `SendPicsInfo` or `SendLocationInfo` as WeChat's does.
    MenuEvent {
        /// Button key.
        key: String,
        /// For scancode buttons: what was scanned.
        #[serde(default)]
        scan_result: Option<String>,
    },
    /// Report location (`LOCATION` event).
    ReportLocation {
        /// Latitude.
        latitude: f64,
        /// Longitude.
        longitude: f64,
        /// Precision.
        #[serde(default)]
        precision: Option<f64>,
    },
}

/// The result of an action.
#[derive(Debug, Clone, Serialize)]
pub struct ActResult {
    /// The follower.
    pub openid: String,
    /// The delivery.
    pub delivery: Delivery,
}

fn wrap(fields: &[String]) -> String {
    format!("<xml>{}\n</xml>", fields.join("\n"))
}

fn find_button<'a>(buttons: &'a Value, pred: &dyn Fn(&Value) -> bool) -> Option<&'a Value> {
    for b in buttons.as_array()? {
        if pred(b) {
            return Some(b);
        }
        if let Some(sub) = b.get("sub_button").and_then(Value::as_array)
            && let Some(x) = sub.iter().find(|s| pred(s))
        {
            return Some(x);
        }
    }
    None
}

/// Performs `action` as follower `openid` (generated for a subscribe without one).
pub async fn act(
    sim: &Sim,
    appid: &str,
    openid: Option<&str>,
    action: FollowerAction,
) -> Result<ActResult, SimError> {
    let now = sim.now();
    let (cfg, openid, msg) = sim.with(|st| {
        let msg_id =
            24_000_000_000_000_000u64 + st.id() * 1000 + rand::random::<u16>() as u64 % 1000;
        let qr = match &action {
            FollowerAction::Subscribe { ticket: Some(t) } | FollowerAction::Scan { ticket: t } => {
                Some(
                    live_ticket(st, t, now)
                        .ok_or_else(|| SimError::bad("unknown or expired QR ticket"))?,
                )
            }
            _ => None,
        };
        if let Some(q) = &qr
            && q.appid != appid
        {
            return Err(SimError::bad("the QR ticket belongs to another account"));
        }
        let a = st
            .oa
            .get_mut(appid)
            .ok_or_else(|| SimError::not_found("no such official account"))?;
        let is_sub = matches!(action, FollowerAction::Subscribe { .. });
        let openid = match openid {
            Some(o) => o.to_owned(),
            None if is_sub => new_openid(),
            None => return Err(SimError::bad("openid is required")),
        };
        let exists = a.followers.get(&openid).is_some_and(|f| f.subscribed);
        // A non-follower who scans a code subscribes through it.
        let action = match action {
            FollowerAction::Scan { ticket } if !exists => FollowerAction::Subscribe {
                ticket: Some(ticket),
            },
            other => other,
        };
        if !exists && !matches!(action, FollowerAction::Subscribe { .. }) {
            return Err(SimError::bad("not a follower of this account"));
        }
        let gh = a.cfg.original_id.clone();
        let mut head = vec![
            el("ToUserName", &gh),
            el("FromUserName", &openid),
            num("CreateTime", now),
        ];
        let event = |head: &mut Vec<String>, e: &str| {
            head.push(el("MsgType", "event"));
            head.push(el("Event", e));
        };
        if matches!(
            action,
            FollowerAction::Subscribe { .. } | FollowerAction::Unsubscribe
        ) {
            a.subscribed_total = None;
        }
        match &action {
            FollowerAction::Subscribe { .. } => {
                let f = a
                    .followers
                    .entry(openid.clone())
                    .or_insert_with(|| Follower::new(openid.clone(), now));
                f.subscribed = true;
                f.subscribe_time = now;
                event(&mut head, "subscribe");
                match &qr {
                    Some(q) => {
                        f.subscribe_scene = "ADD_SCENE_QR_CODE".into();
                        f.qr_scene = q.scene_id.unwrap_or(0);
                        f.qr_scene_str = q.scene_str.clone().unwrap_or_default();
                        head.push(el("EventKey", &format!("qrscene_{}", q.scene())));
                        head.push(el("Ticket", &q.ticket));
                    }
                    None => {
                        f.subscribe_scene = "ADD_SCENE_SEARCH".into();
                        f.qr_scene = 0;
                        f.qr_scene_str.clear();
                        head.push(el("EventKey", ""));
                    }
                }
            }
            FollowerAction::Unsubscribe => {
                if let Some(f) = a.followers.get_mut(&openid) {
                    f.subscribed = false;
                    f.tagid_list.clear();
                }
                event(&mut head, "unsubscribe");
                head.push(el("EventKey", ""));
            }
            FollowerAction::Scan { .. } => {
                let q = qr
                    .as_ref()
                    .ok_or_else(|| SimError::bad("QR ticket required"))?;
                event(&mut head, "SCAN");
                head.push(el("EventKey", &q.scene()));
                head.push(el("Ticket", &q.ticket));
            }
            FollowerAction::Text { content } => {
                head.push(el("MsgType", "text"));
                head.push(el("Content", content));
                head.push(num("MsgId", msg_id));
            }
            FollowerAction::Image { pic_url } => {
                head.push(el("MsgType", "image"));
                let url = pic_url.clone().unwrap_or_else(|| {
                    format!("http://mmbiz.qpic.cn/mmbiz_jpg/{}/0", random_alnum(32))
                });
                head.push(el("PicUrl", &url));
                head.push(num("MsgId", msg_id));
                head.push(el("MediaId", &random_alnum(64)));
            }
            FollowerAction::Voice {
                format,
                recognition,
            } => {
                head.push(el("MsgType", "voice"));
                head.push(el("MediaId", &random_alnum(64)));
                head.push(el("Format", format.as_deref().unwrap_or("amr")));
                if let Some(r) = recognition {
                    head.push(el("Recognition", r));
                }
                head.push(num("MsgId", msg_id));
            }
            FollowerAction::Video => {
                head.push(el("MsgType", "video"));
                head.push(el("MediaId", &random_alnum(64)));
                head.push(el("ThumbMediaId", &random_alnum(64)));
                head.push(num("MsgId", msg_id));
            }
            FollowerAction::Location {
                latitude,
                longitude,
                scale,
                label,
            } => {
                head.push(el("MsgType", "location"));
                head.push(num("Location_X", latitude));
                head.push(num("Location_Y", longitude));
                head.push(num("Scale", scale.unwrap_or(15)));
                head.push(el("Label", label.as_deref().unwrap_or("")));
                head.push(num("MsgId", msg_id));
            }
            FollowerAction::Link {
                title,
                description,
                url,
            } => {
                head.push(el("MsgType", "link"));
                head.push(el("Title", title));
                head.push(el("Description", description));
                head.push(el("Url", url));
                head.push(num("MsgId", msg_id));
            }
            FollowerAction::Click { key } => {
                let f = a
                    .followers
                    .get(&openid)
                    .ok_or_else(|| SimError::bad("not a follower"))?;
                let menu = menu_for(a, f).unwrap_or(Value::Null);
                let pred = |b: &Value| {
                    b.get("key").and_then(Value::as_str) == Some(key)
                        && b.get("type").and_then(Value::as_str) == Some("click")
                };
                find_button(&menu, &pred).ok_or_else(|| {
                    SimError::bad("no click button with this key in the follower's menu")
                })?;
                event(&mut head, "CLICK");
                head.push(el("EventKey", key));
            }
            FollowerAction::View { url } => {
                let f = a
                    .followers
                    .get(&openid)
                    .ok_or_else(|| SimError::bad("not a follower"))?;
                let menu = menu_for(a, f).unwrap_or(Value::Null);
                let pred = |b: &Value| b.get("url").and_then(Value::as_str) == Some(url);
                find_button(&menu, &pred).ok_or_else(|| {
                    SimError::bad("no view button with this URL in the follower's menu")
                })?;
                let menuid = a.menu.as_ref().map(|(id, _)| *id).unwrap_or(0);
                event(&mut head, "VIEW");
                head.push(el("EventKey", url));
                head.push(num("MenuId", menuid));
            }
            FollowerAction::MenuEvent { key, scan_result } => {
                let f = a
                    .followers
                    .get(&openid)
                    .ok_or_else(|| SimError::bad("not a follower"))?;
                let menu = menu_for(a, f).unwrap_or(Value::Null);
                let pred = |b: &Value| b.get("key").and_then(Value::as_str) == Some(key.as_str());
                let b = find_button(&menu, &pred).ok_or_else(|| {
                    SimError::bad("no button with this key in the follower's menu")
                })?;
                let typ = b
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                event(&mut head, &typ);
                head.push(el("EventKey", key));
                match typ.as_str() {
                    "scancode_push" | "scancode_waitmsg" => head.push(format!(
                        "<ScanCodeInfo>{}{}</ScanCodeInfo>",
                        el("ScanType", "qrcode"),
                        el("ScanResult", scan_result.as_deref().unwrap_or("1"))
                    )),
                    "pic_sysphoto" | "pic_photo_or_album" | "pic_weixin" => head.push(format!(
                        "<SendPicsInfo>{}<PicList><item>{}</item></PicList></SendPicsInfo>",
                        num("Count", 1),
                        el("PicMd5Sum", &random_hex(32))
                    )),
                    "location_select" => head.push(format!(
                        "<SendLocationInfo>{}{}{}{}{}</SendLocationInfo>",
                        el("Location_X", "23"),
                        el("Location_Y", "113"),
                        el("Scale", "15"),
                        el("Label", " 广州市海珠区客村艺苑路 106号"),
                        el("Poiname", "")
                    )),
                    _ => return Err(SimError::bad("use click/view for this button type")),
                }
            }
            FollowerAction::ReportLocation {
                latitude,
                longitude,
                precision,
            } => {
                event(&mut head, "LOCATION");
                head.push(num("Latitude", latitude));
                head.push(num("Longitude", longitude));
                head.push(num("Precision", precision.unwrap_or(65.0)));
            }
        }
        if let Some(f) = a.followers.get_mut(&openid)
            && f.subscribed
        {
            f.last_active = Some(now);
        }
        Ok((a.cfg.clone(), openid, wrap(&head)))
    })?;
    // An unsubscribed user no longer sees the chat.
    let visible = !msg.contains("<Event><![CDATA[unsubscribe]]></Event>");
    let delivery = deliver(sim, &cfg, &openid, msg, visible).await;
    Ok(ActResult { openid, delivery })
}

/// Builds the HTTP request for a message per the account's mode: `(url, body)`.
pub fn envelope(
    cfg: &OaConfig,
    openid: &str,
    msg: &str,
    ts: &str,
    nonce: &str,
) -> Result<(String, String), String> {
    let base = cfg.callback_url.as_deref().ok_or("no callback URL")?;
    let signature = plain_signature(&cfg.token, ts, nonce);
    let mut q = vec![
        ("signature", signature),
        ("timestamp", ts.to_owned()),
        ("nonce", nonce.to_owned()),
        ("openid", openid.to_owned()),
    ];
    let body = match cfg.mode {
        CallbackMode::Plain => msg.to_owned(),
        mode => {
            let crypt = MsgCrypt::new(&cfg.token, &cfg.encoding_aes_key, &cfg.appid)
                .map_err(|e| e.to_string())?;
            let encrypt = crypt.encrypt(msg);
            q.push(("encrypt_type", "aes".into()));
            q.push(("msg_signature", crypt.signature(ts, nonce, &encrypt)));
            if mode == CallbackMode::Safe {
                format!(
                    "<xml>\n    {}\n    {}\n</xml>",
                    el("ToUserName", &cfg.original_id),
                    el("Encrypt", &encrypt)
                )
            } else {
                let end = msg.rfind("</xml>").unwrap_or(msg.len());
                format!(
                    "{}\n{}\n</xml>",
                    msg[..end].trim_end(),
                    el("Encrypt", &encrypt)
                )
            }
        }
    };
    Ok((url_with(base, &q)?, body))
}

/// Interprets a passive reply: `Ok(None)` for `success`/empty, `Ok(Some((xml, fields)))` for a
/// usable reply, `Err(reason)` otherwise.
pub fn interpret_reply(
    cfg: &OaConfig,
    openid: &str,
    body: &str,
) -> Result<Option<(String, Value)>, String> {
    let t = body.trim();
    if t.is_empty() || t == "success" {
        return Ok(None);
    }
    let root = xml::parse(t).map_err(|e| format!("reply is not XML: {e}"))?;
    let plain = match root.get("Encrypt") {
        Some(enc) => {
            if cfg.mode == CallbackMode::Plain {
                return Err("encrypted reply, but the account is in plaintext mode".into());
            }
            let sig = root.get("MsgSignature").unwrap_or("");
            let ts = root.get("TimeStamp").unwrap_or("");
            let nonce = root.get("Nonce").unwrap_or("");
            let crypt = MsgCrypt::new(&cfg.token, &cfg.encoding_aes_key, &cfg.appid)
                .map_err(|e| e.to_string())?;
            crypt
                .verify_and_decrypt(sig, ts, nonce, enc)
                .map_err(|e| format!("reply envelope: {e}"))?
        }
        None => {
            // ⚠️ believed: in safe mode WeChat only accepts encrypted replies.
            if cfg.mode == CallbackMode::Safe {
                return Err("plaintext reply, but the account is in safe mode".into());
            }
            t.to_owned()
        }
    };
    let node = xml::parse(&plain).map_err(|e| format!("reply is not XML: {e}"))?;
    let msg_type = node.get("MsgType").unwrap_or("");
    if ![
        "text",
        "image",
        "voice",
        "video",
        "music",
        "news",
        "transfer_customer_service",
    ]
    .contains(&msg_type)
    {
        return Err(format!("unsupported reply MsgType {msg_type:?}"));
    }
    // ⚠️ believed: replies addressed to someone else are dropped.
    if node.get("ToUserName") != Some(openid) {
        return Err("reply ToUserName is not the follower's openid".into());
    }
    if msg_type == "text" && node.get("Content").is_none() {
        return Err("text reply without Content".into());
    }
    Ok(Some((plain, node_to_json(&node))))
}

/// Delivers `msg` from `openid` to the account's server and records the outcome.
pub async fn deliver(
    sim: &Sim,
    cfg: &OaConfig,
    openid: &str,
    msg: String,
    visible: bool,
) -> Delivery {
    let now = sim.now();
    let id = sim.with(|s| s.id());
    let mut d = Delivery::new(id, "oa", &cfg.appid, openid);
    d.message = msg.clone();
    let ts = now.to_string();
    let nonce = random_nonce();
    match envelope(cfg, openid, &msg, &ts, &nonce) {
        Err(e) => {
            d.reply_error = Some(e);
        }
        Ok((url, body)) => {
            d.url = url;
            d.body = body;
            match post_retrying(sim, &mut d, "text/xml").await {
                None => d.outcome = Outcome::Failed,
                Some(resp) => match interpret_reply(cfg, openid, &resp) {
                    Ok(None) => d.outcome = Outcome::NoReply,
                    Ok(Some((xml, fields))) => {
                        d.outcome = Outcome::Replied;
                        d.reply = Some(xml);
                        d.reply_fields = Some(fields);
                    }
                    Err(e) => {
                        d.outcome = Outcome::InvalidReply;
                        d.reply_error = Some(e);
                    }
                },
            }
        }
    }
    // What the follower sees.
    let item = match d.outcome {
        Outcome::Replied if visible => d.reply_fields.as_ref().map(|f| InboxItem {
            at: sim.now(),
            source: "passive_reply".into(),
            msg_type: f
                .get("MsgType")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            content: f.clone(),
            delivery_id: Some(id),
            kf_account: None,
        }),
        Outcome::Failed | Outcome::InvalidReply if visible => Some(InboxItem {
            at: sim.now(),
            source: "system".into(),
            msg_type: "text".into(),
            content: json!({"Content": SERVICE_UNAVAILABLE}),
            delivery_id: Some(id),
            kf_account: None,
        }),
        _ => None,
    };
    sim.with(|s| {
        if let Some(item) = item
            && let Some(f) =
                s.oa.get_mut(&cfg.appid)
                    .and_then(|a| a.followers.get_mut(openid))
        {
            f.inbox.push(item);
        }
    });
    sim.record_delivery(d.clone());
    d
}

/// "Verify callback URL": GET `signature,timestamp,nonce,echostr`; the server must echo
/// `echostr` verbatim (OA echostr is never encrypted).
pub async fn verify_url(sim: &Sim, appid: &str) -> Result<VerifyResult, SimError> {
    let cfg = sim
        .with(|s| s.oa.get(appid).map(|a| a.cfg.clone()))
        .ok_or_else(|| SimError::not_found("no such official account"))?;
    let base = cfg
        .callback_url
        .clone()
        .ok_or_else(|| SimError::bad("no callback URL configured"))?;
    let ts = sim.now().to_string();
    let nonce = random_nonce();
    let echostr = format!("{}{}", rand::random::<u32>(), random_hex(4).len());
    let q = [
        ("signature", plain_signature(&cfg.token, &ts, &nonce)),
        ("echostr", echostr.clone()),
        ("timestamp", ts),
        ("nonce", nonce),
    ];
    let url = url_with(&base, &q).map_err(SimError::bad)?;
    Ok(verify_get(sim, url, echostr).await)
}
