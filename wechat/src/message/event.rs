//! Events (`MsgType=event`): parsing and writing the fields after `Event`.

use super::{ContactChange, Fields, MessageError, float};
use crate::xml::Writer;

/// Scan-code menu events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    /// `scancode_push`.
    Push,
    /// `scancode_waitmsg`.
    WaitMsg,
}

/// Picture menu events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PicKind {
    /// `pic_sysphoto`.
    SysPhoto,
    /// `pic_photo_or_album`.
    PhotoOrAlbum,
    /// `pic_weixin`.
    Weixin,
}

/// Events (`MsgType=event`).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // values are short-lived; boxing would only hurt ergonomics
pub enum Event {
    /// `subscribe`; via a parametric QR code `event_key` = `qrscene_` + scene and a ticket.
    Subscribe {
        /// `EventKey`.
        event_key: Option<String>,
        /// `Ticket`.
        ticket: Option<String>,
    },
    /// `unsubscribe`.
    Unsubscribe,
    /// `SCAN` (an existing follower scanned a parametric QR code).
    Scan {
        /// `EventKey` (scene id/str, no prefix).
        event_key: String,
        /// `Ticket`.
        ticket: Option<String>,
    },
    /// `LOCATION` (reported location).
    Location {
        /// `Latitude`.
        latitude: f64,
        /// `Longitude`.
        longitude: f64,
        /// `Precision`.
        precision: Option<f64>,
    },
    /// `CLICK` (OA) / `click` (WeCom). Serialised upper-case without `AgentID`, lower-case with.
    Click {
        /// `EventKey`.
        event_key: String,
    },
    /// `VIEW` (OA) / `view` (WeCom).
    View {
        /// `EventKey` (the URL).
        event_key: String,
        /// `MenuId`.
        menu_id: Option<String>,
    },
    /// `scancode_push` / `scancode_waitmsg`.
    ScanCode {
        /// Which one.
        kind: ScanKind,
        /// `EventKey`.
        event_key: String,
        /// `ScanCodeInfo/ScanType`.
        scan_type: String,
        /// `ScanCodeInfo/ScanResult`.
        scan_result: String,
    },
    /// `pic_sysphoto` / `pic_photo_or_album` / `pic_weixin`.
    Pic {
        /// Which one.
        kind: PicKind,
        /// `EventKey`.
        event_key: String,
        /// `SendPicsInfo/PicList/item/PicMd5Sum`.
        pic_md5_sums: Vec<String>,
    },
    /// `location_select`.
    LocationSelect {
        /// `EventKey`.
        event_key: String,
        /// `Location_X`.
        location_x: f64,
        /// `Location_Y`.
        location_y: f64,
        /// `Scale`.
        scale: Option<i64>,
        /// `Label`.
        label: String,
        /// `Poiname`.
        poiname: Option<String>,
    },
    /// `TEMPLATESENDJOBFINISH`.
    TemplateSendJobFinish {
        /// `MsgID`.
        msg_id: String,
        /// `Status` (`success`, `failed:user block`, `failed: system failed`).
        status: String,
    },
    /// `MASSSENDJOBFINISH` (copyright-check details stay in `extra`).
    MassSendJobFinish {
        /// `MsgID`.
        msg_id: String,
        /// `Status`.
        status: String,
        /// `TotalCount`.
        total_count: Option<i64>,
        /// `FilterCount`.
        filter_count: Option<i64>,
        /// `SentCount`.
        sent_count: Option<i64>,
        /// `ErrorCount`.
        error_count: Option<i64>,
    },
    /// `PUBLISHJOBFINISH` (structure ⚠️ from memory of the docs, unverified).
    PublishJobFinish {
        /// `PublishEventInfo/publish_id`.
        publish_id: String,
        /// `PublishEventInfo/publish_status` (0 ok, 1 publishing, 2+ failed).
        publish_status: i64,
        /// `PublishEventInfo/article_id`.
        article_id: Option<String>,
        /// `PublishEventInfo/article_detail/item`: (idx, article_url).
        articles: Vec<(i64, String)>,
        /// `PublishEventInfo/fail_idx`.
        fail_idx: Vec<i64>,
    },
    /// WeCom `enter_agent`.
    EnterAgent {
        /// `EventKey`.
        event_key: Option<String>,
    },
    /// WeCom `batch_job_result`.
    BatchJobResult {
        /// `BatchJob/JobId`.
        job_id: String,
        /// `BatchJob/JobType`.
        job_type: String,
        /// `BatchJob/ErrCode`.
        err_code: i64,
        /// `BatchJob/ErrMsg`.
        err_msg: String,
    },
    /// WeCom `change_contact`.
    ChangeContact(ContactChange),
    /// Any other event; its fields are in [`InboundMessage::extra`](super::InboundMessage::extra).
    Unknown {
        /// `Event`.
        event: String,
    },
}

impl Event {
    /// For `subscribe` via a parametric QR code: the scene without the `qrscene_` prefix.
    /// For `SCAN`: the scene.
    pub fn qr_scene(&self) -> Option<&str> {
        match self {
            Event::Subscribe {
                event_key: Some(k), ..
            } => k.strip_prefix("qrscene_"),
            Event::Scan { event_key, .. } => Some(event_key),
            _ => None,
        }
    }

    /// The `Event` value. WeCom apps (`wecom`) spell the menu events in lower case.
    pub(super) fn name(&self, wecom: bool) -> &str {
        match self {
            Event::Subscribe { .. } => "subscribe",
            Event::Unsubscribe => "unsubscribe",
            Event::Scan { .. } => "SCAN",
            Event::Location { .. } => "LOCATION",
            Event::Click { .. } => {
                if wecom {
                    "click"
                } else {
                    "CLICK"
                }
            }
            Event::View { .. } => {
                if wecom {
                    "view"
                } else {
                    "VIEW"
                }
            }
            Event::ScanCode {
                kind: ScanKind::Push,
                ..
            } => "scancode_push",
            Event::ScanCode {
                kind: ScanKind::WaitMsg,
                ..
            } => "scancode_waitmsg",
            Event::Pic {
                kind: PicKind::SysPhoto,
                ..
            } => "pic_sysphoto",
            Event::Pic {
                kind: PicKind::PhotoOrAlbum,
                ..
            } => "pic_photo_or_album",
            Event::Pic {
                kind: PicKind::Weixin,
                ..
            } => "pic_weixin",
            Event::LocationSelect { .. } => "location_select",
            Event::TemplateSendJobFinish { .. } => "TEMPLATESENDJOBFINISH",
            Event::MassSendJobFinish { .. } => "MASSSENDJOBFINISH",
            Event::PublishJobFinish { .. } => "PUBLISHJOBFINISH",
            Event::EnterAgent { .. } => "enter_agent",
            Event::BatchJobResult { .. } => "batch_job_result",
            Event::ChangeContact(_) => "change_contact",
            Event::Unknown { event } => event,
        }
    }

    /// Parses the fields of an event (the header and `MsgType` are already taken).
    pub(super) fn parse(f: &mut Fields) -> Result<Event, MessageError> {
        let event = f.req("Event")?;
        Ok(match event.as_str() {
            "subscribe" => Event::Subscribe {
                event_key: f.opt("EventKey").filter(|k| !k.is_empty()),
                ticket: f.opt("Ticket"),
            },
            "unsubscribe" => Event::Unsubscribe,
            "SCAN" => Event::Scan {
                event_key: f.string("EventKey"),
                ticket: f.opt("Ticket"),
            },
            "LOCATION" => Event::Location {
                latitude: float(f, "Latitude")?,
                longitude: float(f, "Longitude")?,
                precision: f.num::<f64>("Precision")?.filter(|p| p.is_finite()),
            },
            "CLICK" | "click" => Event::Click {
                event_key: f.string("EventKey"),
            },
            "VIEW" | "view" => Event::View {
                event_key: f.string("EventKey"),
                menu_id: f.opt("MenuId"),
            },
            "scancode_push" | "scancode_waitmsg" => {
                let info = f.take_el("ScanCodeInfo").unwrap_or_default();
                Event::ScanCode {
                    kind: if event == "scancode_push" {
                        ScanKind::Push
                    } else {
                        ScanKind::WaitMsg
                    },
                    event_key: f.string("EventKey"),
                    scan_type: info.child_text("ScanType").unwrap_or_default().to_owned(),
                    scan_result: info.child_text("ScanResult").unwrap_or_default().to_owned(),
                }
            }
            "pic_sysphoto" | "pic_photo_or_album" | "pic_weixin" => {
                let info = f.take_el("SendPicsInfo").unwrap_or_default();
                let pics = info
                    .child("PicList")
                    .map(|l| {
                        l.children
                            .iter()
                            .filter_map(|i| i.child_text("PicMd5Sum").map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                Event::Pic {
                    kind: match event.as_str() {
                        "pic_sysphoto" => PicKind::SysPhoto,
                        "pic_photo_or_album" => PicKind::PhotoOrAlbum,
                        _ => PicKind::Weixin,
                    },
                    event_key: f.string("EventKey"),
                    pic_md5_sums: pics,
                }
            }
            "location_select" => {
                let info = f.take_el("SendLocationInfo").unwrap_or_default();
                let mut i = Fields::new(info);
                Event::LocationSelect {
                    event_key: f.string("EventKey"),
                    location_x: float(&mut i, "Location_X")?,
                    location_y: float(&mut i, "Location_Y")?,
                    scale: i.num("Scale")?,
                    label: i.string("Label"),
                    poiname: i.opt("Poiname"),
                }
            }
            "TEMPLATESENDJOBFINISH" => Event::TemplateSendJobFinish {
                msg_id: f.req("MsgID")?,
                status: f.string("Status"),
            },
            "MASSSENDJOBFINISH" => Event::MassSendJobFinish {
                msg_id: f.req("MsgID")?,
                status: f.string("Status"),
                total_count: f.num("TotalCount")?,
                filter_count: f.num("FilterCount")?,
                sent_count: f.num("SentCount")?,
                error_count: f.num("ErrorCount")?,
            },
            "PUBLISHJOBFINISH" => {
                let info = f
                    .take_el("PublishEventInfo")
                    .ok_or(MessageError::Missing("PublishEventInfo"))?;
                let articles = info
                    .child("article_detail")
                    .map(|d| {
                        d.children
                            .iter()
                            .filter(|c| c.name == "item")
                            .map(|i| {
                                (
                                    i.child_text("idx")
                                        .and_then(|v| v.trim().parse().ok())
                                        .unwrap_or(0),
                                    i.child_text("article_url").unwrap_or_default().to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let fail_idx = info
                    .children
                    .iter()
                    .filter(|c| c.name == "fail_idx")
                    .filter_map(|c| c.text.trim().parse().ok())
                    .collect();
                let mut i = Fields::new(info);
                Event::PublishJobFinish {
                    publish_id: i.req("publish_id")?,
                    publish_status: i.req_num("publish_status")?,
                    article_id: i.opt("article_id").filter(|s| !s.is_empty()),
                    articles,
                    fail_idx,
                }
            }
            "enter_agent" => Event::EnterAgent {
                event_key: f.opt("EventKey"),
            },
            "batch_job_result" => {
                let job = f
                    .take_el("BatchJob")
                    .ok_or(MessageError::Missing("BatchJob"))?;
                let mut j = Fields::new(job);
                Event::BatchJobResult {
                    job_id: j.string("JobId"),
                    job_type: j.string("JobType"),
                    err_code: j.num("ErrCode")?.unwrap_or(0),
                    err_msg: j.string("ErrMsg"),
                }
            }
            "change_contact" => {
                let ct = f.req("ChangeType")?;
                Event::ChangeContact(ContactChange::parse(&ct, f)?)
            }
            other => Event::Unknown {
                event: other.to_owned(),
            },
        })
    }

    /// Writes the fields after `Event`.
    pub(super) fn write(&self, w: &mut Writer) {
        match self {
            Event::Subscribe { event_key, ticket } => {
                if let Some(k) = event_key {
                    w.cdata("EventKey", k);
                }
                if let Some(t) = ticket {
                    w.cdata("Ticket", t);
                }
            }
            Event::Unsubscribe => {}
            Event::Scan { event_key, ticket } => {
                w.cdata("EventKey", event_key);
                if let Some(t) = ticket {
                    w.cdata("Ticket", t);
                }
            }
            Event::Location {
                latitude,
                longitude,
                precision,
            } => {
                w.number("Latitude", latitude);
                w.number("Longitude", longitude);
                if let Some(p) = precision {
                    w.number("Precision", p);
                }
            }
            Event::Click { event_key } => w.cdata("EventKey", event_key),
            Event::View { event_key, menu_id } => {
                w.cdata("EventKey", event_key);
                if let Some(m) = menu_id {
                    w.auto("MenuId", m);
                }
            }
            Event::ScanCode {
                event_key,
                scan_type,
                scan_result,
                ..
            } => {
                w.cdata("EventKey", event_key);
                w.open("ScanCodeInfo");
                w.cdata("ScanType", scan_type);
                w.cdata("ScanResult", scan_result);
                w.close("ScanCodeInfo");
            }
            Event::Pic {
                event_key,
                pic_md5_sums,
                ..
            } => {
                w.cdata("EventKey", event_key);
                w.open("SendPicsInfo");
                w.number("Count", pic_md5_sums.len());
                w.open("PicList");
                for p in pic_md5_sums {
                    w.open("item");
                    w.cdata("PicMd5Sum", p);
                    w.close("item");
                }
                w.close("PicList");
                w.close("SendPicsInfo");
            }
            Event::LocationSelect {
                event_key,
                location_x,
                location_y,
                scale,
                label,
                poiname,
            } => {
                w.cdata("EventKey", event_key);
                w.open("SendLocationInfo");
                w.cdata("Location_X", &location_x.to_string());
                w.cdata("Location_Y", &location_y.to_string());
                if let Some(s) = scale {
                    w.cdata("Scale", &s.to_string());
                }
                w.cdata("Label", label);
                if let Some(p) = poiname {
                    w.cdata("Poiname", p);
                }
                w.close("SendLocationInfo");
            }
            Event::TemplateSendJobFinish { msg_id, status } => {
                w.auto("MsgID", msg_id);
                w.cdata("Status", status);
            }
            Event::MassSendJobFinish {
                msg_id,
                status,
                total_count,
                filter_count,
                sent_count,
                error_count,
            } => {
                w.auto("MsgID", msg_id);
                w.cdata("Status", status);
                for (n, v) in [
                    ("TotalCount", total_count),
                    ("FilterCount", filter_count),
                    ("SentCount", sent_count),
                    ("ErrorCount", error_count),
                ] {
                    if let Some(v) = v {
                        w.number(n, v);
                    }
                }
            }
            Event::PublishJobFinish {
                publish_id,
                publish_status,
                article_id,
                articles,
                fail_idx,
            } => {
                w.open("PublishEventInfo");
                w.auto("publish_id", publish_id);
                w.number("publish_status", publish_status);
                if let Some(a) = article_id {
                    w.cdata("article_id", a);
                }
                if !articles.is_empty() {
                    w.open("article_detail");
                    w.number("count", articles.len());
                    for (idx, url) in articles {
                        w.open("item");
                        w.number("idx", idx);
                        w.cdata("article_url", url);
                        w.close("item");
                    }
                    w.close("article_detail");
                }
                for i in fail_idx {
                    w.number("fail_idx", i);
                }
                w.close("PublishEventInfo");
            }
            Event::EnterAgent { event_key } => {
                if let Some(k) = event_key {
                    w.cdata("EventKey", k);
                }
            }
            Event::BatchJobResult {
                job_id,
                job_type,
                err_code,
                err_msg,
            } => {
                w.open("BatchJob");
                w.cdata("JobId", job_id);
                w.cdata("JobType", job_type);
                w.number("ErrCode", err_code);
                w.cdata("ErrMsg", err_msg);
                w.close("BatchJob");
            }
            Event::ChangeContact(c) => c.write(w),
            Event::Unknown { .. } => {}
        }
    }
}
