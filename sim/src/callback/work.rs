//! WeCom callbacks: app messages and events from members, `change_contact` pushes, and URL
//! verification with an encrypted `echostr`. Everything is encrypted; the receive id is the
//! corpid.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Delivery, Outcome, VerifyResult, node_to_json, post_retrying, url_with, verify_get};
use crate::error::SimError;
use crate::oa::model::InboxItem;
use crate::proto::crypto::{MsgCrypt, random_nonce};
use crate::proto::xml::{self, el, num};
use crate::state::Sim;
use crate::work::model::CallbackConfig;

/// Something a member does in an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MemberAction {
    /// Send text.
    Text {
        /// Content.
        content: String,
    },
    /// Send a picture.
    Image {
        /// Picture URL.
        #[serde(default)]
        pic_url: Option<String>,
    },
    /// Send a location.
    Location {
        /// Latitude.
        latitude: f64,
        /// Longitude.
        longitude: f64,
        /// Label.
        #[serde(default)]
        label: Option<String>,
    },
    /// Open the app (`enter_agent`).
    EnterAgent,
    /// Click a menu button (`click`; the key must be in the app's menu).
    Click {
        /// Key.
        key: String,
    },
    /// Open a `view` button.
    View {
        /// URL.
        url: String,
    },
}

/// Result of a member action.
#[derive(Debug, Clone, Serialize)]
pub struct MemberActResult {
    /// The delivery.
    pub delivery: Delivery,
}

/// Encrypts `msg` and POSTs it with WeCom's query; decrypts the reply.
pub async fn deliver_encrypted(
    sim: &Sim,
    mut d: Delivery,
    cb: &CallbackConfig,
    corpid: &str,
    agentid: Option<i64>,
    msg: String,
) -> Delivery {
    d.message = msg.clone();
    let Some(base) = cb.url.clone() else {
        d.outcome = Outcome::NoCallbackUrl;
        return d;
    };
    let crypt = match MsgCrypt::new(&cb.token, &cb.encoding_aes_key, corpid) {
        Ok(c) => c,
        Err(err) => {
            d.reply_error = Some(err.to_string());
            return d;
        }
    };
    let ts = sim.now().to_string();
    let nonce = random_nonce();
    let enc = crypt.encrypt(&msg);
    let sig = crypt.signature(&ts, &nonce, &enc);
    match url_with(
        &base,
        &[("msg_signature", sig), ("timestamp", ts), ("nonce", nonce)],
    ) {
        Ok(u) => d.url = u,
        Err(err) => {
            d.reply_error = Some(err);
            return d;
        }
    }
    let agent = agentid
        .map(|a| el("AgentID", &a.to_string()))
        .unwrap_or_default();
    d.body = format!(
        "<xml>{}{}{}</xml>",
        el("ToUserName", corpid),
        el("Encrypt", &enc),
        agent
    );
    let Some(resp) = post_retrying(sim, &mut d, "text/xml").await else {
        d.outcome = Outcome::Failed;
        return d;
    };
    let t = resp.trim();
    if t.is_empty() || t == "success" {
        d.outcome = Outcome::NoReply;
        return d;
    }
    let opened = xml::parse(t)
        .map_err(|e| format!("reply is not XML: {e}"))
        .and_then(|root| {
            let enc = root
                .get("Encrypt")
                .ok_or("WeCom replies must be encrypted")?;
            crypt
                .verify_and_decrypt(
                    root.get("MsgSignature").unwrap_or(""),
                    root.get("TimeStamp").unwrap_or(""),
                    root.get("Nonce").unwrap_or(""),
                    enc,
                )
                .map_err(|e| format!("reply envelope: {e}"))
        });
    match opened.and_then(|p| xml::parse(&p).map(|n| (p, n)).map_err(|e| e.to_string())) {
        Ok((plain, node)) => {
            d.outcome = Outcome::Replied;
            d.reply = Some(plain);
            d.reply_fields = Some(node_to_json(&node));
        }
        Err(err) => {
            d.outcome = Outcome::InvalidReply;
            d.reply_error = Some(err);
        }
    }
    d
}

/// Pushes a queued `change_contact` event to the corp's contacts callback.
pub async fn deliver_contact_event(sim: &Sim, corpid: &str, msg: String) {
    let Some(cb) = sim.with(|s| s.work.get(corpid).map(|c| c.cfg.contacts_callback.clone())) else {
        return;
    };
    let id = sim.with(|s| s.id());
    let d = Delivery::new(id, "work_contact", corpid, "sys");
    let d = deliver_encrypted(sim, d, &cb, corpid, None, msg).await;
    sim.record_delivery(d);
}

fn menu_has(menu: Option<&Value>, field: &str, value: &str) -> bool {
    let Some(list) = menu.and_then(Value::as_array) else {
        return false;
    };
    list.iter().any(|b| {
        b.get(field).and_then(Value::as_str) == Some(value)
            || b.get("sub_button")
                .and_then(Value::as_array)
                .is_some_and(|s| {
                    s.iter()
                        .any(|x| x.get(field).and_then(Value::as_str) == Some(value))
                })
    })
}

/// Acts as member `userid` in app `agentid` and waits for the delivery.
pub async fn act(
    sim: &Sim,
    corpid: &str,
    agentid: i64,
    userid: &str,
    action: MemberAction,
) -> Result<MemberActResult, SimError> {
    let now = sim.now();
    let (cb, msg) = sim.with(|s| {
        let msg_id = 7_000_000_000_000_000_000u64 + s.id();
        let c = s
            .work
            .get(corpid)
            .ok_or_else(|| SimError::not_found("no such corp"))?;
        let app = c
            .cfg
            .app(agentid)
            .ok_or_else(|| SimError::not_found("no such app"))?;
        if !c.members.contains_key(userid) {
            return Err(SimError::bad("not a member of this corp"));
        }
        let mut x = vec![
            el("ToUserName", corpid),
            el("FromUserName", userid),
            num("CreateTime", now),
        ];
        let ev = |x: &mut Vec<String>, e: &str, key: &str| {
            x.push(el("MsgType", "event"));
            x.push(el("Event", e));
            x.push(el("EventKey", key));
        };
        match &action {
            MemberAction::Text { content } => {
                x.push(el("MsgType", "text"));
                x.push(el("Content", content));
                x.push(num("MsgId", msg_id));
            }
            MemberAction::Image { pic_url } => {
                x.push(el("MsgType", "image"));
                x.push(el(
                    "PicUrl",
                    pic_url
                        .as_deref()
                        .unwrap_or("https://wework.qpic.cn/wwpic/0"),
                ));
                x.push(el("MediaId", &crate::proto::sign::random_alnum(64)));
                x.push(num("MsgId", msg_id));
            }
            MemberAction::Location {
                latitude,
                longitude,
                label,
            } => {
                x.push(el("MsgType", "location"));
                x.push(num("Location_X", latitude));
                x.push(num("Location_Y", longitude));
                x.push(num("Scale", 15));
                x.push(el("Label", label.as_deref().unwrap_or("")));
                x.push(num("MsgId", msg_id));
            }
            MemberAction::EnterAgent => ev(&mut x, "enter_agent", ""),
            MemberAction::Click { key } => {
                if !menu_has(c.menus.get(&agentid), "key", key) {
                    return Err(SimError::bad("no button with this key in the app's menu"));
                }
                ev(&mut x, "click", key);
            }
            MemberAction::View { url } => {
                if !menu_has(c.menus.get(&agentid), "url", url) {
                    return Err(SimError::bad("no button with this URL in the app's menu"));
                }
                ev(&mut x, "view", url);
            }
        }
        x.push(num("AgentID", agentid));
        Ok((app.callback.clone(), format!("<xml>{}</xml>", x.join(""))))
    })?;
    let id = sim.with(|s| s.id());
    let d = Delivery::new(id, "work", corpid, userid);
    let d = deliver_encrypted(sim, d, &cb, corpid, Some(agentid), msg).await;
    if let (Outcome::Replied, Some(f)) = (d.outcome, &d.reply_fields) {
        let item = InboxItem {
            at: sim.now(),
            source: "passive_reply".into(),
            msg_type: f
                .get("MsgType")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            content: json!(f),
            delivery_id: Some(id),
            kf_account: None,
        };
        sim.with(|s| {
            if let Some(m) = s
                .work
                .get_mut(corpid)
                .and_then(|c| c.members.get_mut(userid))
            {
                m.inbox.push(item);
            }
        });
    }
    sim.record_delivery(d.clone());
    Ok(MemberActResult { delivery: d })
}

/// "Verify callback URL" for an app (`agentid`) or for the contacts callback (`None`): GET
/// with `msg_signature,timestamp,nonce,echostr` where echostr is encrypted; the server must
/// answer the decrypted plaintext exactly.
pub async fn verify_url(
    sim: &Sim,
    corpid: &str,
    agentid: Option<i64>,
) -> Result<VerifyResult, SimError> {
    let cb = sim
        .with(|s| {
            let c = s.work.get(corpid)?;
            match agentid {
                Some(a) => c.cfg.app(a).map(|x| x.callback.clone()),
                None => Some(c.cfg.contacts_callback.clone()),
            }
        })
        .ok_or_else(|| SimError::not_found("no such corp or app"))?;
    let base = cb
        .url
        .clone()
        .ok_or_else(|| SimError::bad("no callback URL configured"))?;
    let crypt = MsgCrypt::new(&cb.token, &cb.encoding_aes_key, corpid)
        .map_err(|e| SimError::bad(e.to_string()))?;
    let plain = format!("{}", rand::random::<u64>() % 10_000_000_000_000_000_000);
    let echostr = crypt.encrypt(&plain);
    let ts = sim.now().to_string();
    let nonce = random_nonce();
    let q = [
        ("msg_signature", crypt.signature(&ts, &nonce, &echostr)),
        ("timestamp", ts),
        ("nonce", nonce),
        ("echostr", echostr),
    ];
    let url = url_with(&base, &q).map_err(SimError::bad)?;
    Ok(verify_get(sim, url, plain).await)
}
