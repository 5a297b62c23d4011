//! OA / WeCom app messages: the common header and the non-event kinds.

use super::{Event, Fields, MessageError, float};
use crate::xml::{self, Element, Writer};

/// Common header of OA/WeCom messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// `ToUserName`: OA original id (`gh_…`) or WeCom CorpID.
    pub to_user_name: String,
    /// `FromUserName`: OpenID or WeCom UserID (`sys` for contact changes).
    pub from_user_name: String,
    /// `CreateTime` (Unix seconds).
    pub create_time: i64,
    /// `AgentID` (WeCom apps only).
    pub agent_id: Option<i64>,
}

/// An inbound OA / WeCom message or event.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// The header.
    pub header: Header,
    /// The typed body.
    pub kind: MessageKind,
    /// Every child element not covered by the typed fields, in document order.
    pub extra: Vec<Element>,
}

/// The typed body of a message.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // values are short-lived; boxing would only hurt ergonomics
pub enum MessageKind {
    /// `text`.
    Text {
        /// `Content`.
        content: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `image`.
    Image {
        /// `PicUrl`.
        pic_url: String,
        /// `MediaId`.
        media_id: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `voice`.
    Voice {
        /// `MediaId`.
        media_id: String,
        /// `Format` (amr, speex).
        format: String,
        /// `Recognition` (when speech recognition is on).
        recognition: Option<String>,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `video`.
    Video {
        /// `MediaId`.
        media_id: String,
        /// `ThumbMediaId`.
        thumb_media_id: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `shortvideo`.
    ShortVideo {
        /// `MediaId`.
        media_id: String,
        /// `ThumbMediaId`.
        thumb_media_id: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `location`.
    Location {
        /// `Location_X` (latitude).
        location_x: f64,
        /// `Location_Y` (longitude).
        location_y: f64,
        /// `Scale`.
        scale: Option<i64>,
        /// `Label`.
        label: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `link`.
    Link {
        /// `Title`.
        title: String,
        /// `Description`.
        description: String,
        /// `Url`.
        url: String,
        /// `MsgId`.
        msg_id: Option<String>,
    },
    /// `event`.
    Event(Event),
    /// Any other `MsgType`; all its fields are in [`InboundMessage::extra`].
    Unknown {
        /// `MsgType`.
        msg_type: String,
    },
}

impl InboundMessage {
    /// Parses a decrypted (or plain-mode) OA/WeCom message body.
    pub fn parse(body: &str) -> Result<Self, MessageError> {
        let root = xml::parse_root(body, "xml")?;
        Self::from_element(root)
    }

    /// Parses from an already parsed element.
    pub fn from_element(root: Element) -> Result<Self, MessageError> {
        let mut f = Fields::new(root);
        let header = Header {
            to_user_name: f.req("ToUserName")?,
            from_user_name: f.req("FromUserName")?,
            create_time: f.req_num("CreateTime")?,
            agent_id: f.num("AgentID")?,
        };
        let msg_type = f.req("MsgType")?;
        let kind = match msg_type.as_str() {
            "text" => MessageKind::Text {
                content: f.string("Content"),
                msg_id: f.opt("MsgId"),
            },
            "image" => MessageKind::Image {
                pic_url: f.string("PicUrl"),
                media_id: f.string("MediaId"),
                msg_id: f.opt("MsgId"),
            },
            "voice" => MessageKind::Voice {
                media_id: f.string("MediaId"),
                format: f.string("Format"),
                recognition: f.opt("Recognition"),
                msg_id: f.opt("MsgId"),
            },
            "video" => MessageKind::Video {
                media_id: f.string("MediaId"),
                thumb_media_id: f.string("ThumbMediaId"),
                msg_id: f.opt("MsgId"),
            },
            "shortvideo" => MessageKind::ShortVideo {
                media_id: f.string("MediaId"),
                thumb_media_id: f.string("ThumbMediaId"),
                msg_id: f.opt("MsgId"),
            },
            "location" => MessageKind::Location {
                location_x: float(&mut f, "Location_X")?,
                location_y: float(&mut f, "Location_Y")?,
                scale: f.num("Scale")?,
                label: f.string("Label"),
                msg_id: f.opt("MsgId"),
            },
            "link" => MessageKind::Link {
                title: f.string("Title"),
                description: f.string("Description"),
                url: f.string("Url"),
                msg_id: f.opt("MsgId"),
            },
            "event" => MessageKind::Event(Event::parse(&mut f)?),
            other => MessageKind::Unknown {
                msg_type: other.to_owned(),
            },
        };
        Ok(InboundMessage {
            header,
            kind,
            extra: f.rest(),
        })
    }

    /// The `MsgType` value.
    pub fn msg_type(&self) -> &str {
        match &self.kind {
            MessageKind::Text { .. } => "text",
            MessageKind::Image { .. } => "image",
            MessageKind::Voice { .. } => "voice",
            MessageKind::Video { .. } => "video",
            MessageKind::ShortVideo { .. } => "shortvideo",
            MessageKind::Location { .. } => "location",
            MessageKind::Link { .. } => "link",
            MessageKind::Event(_) => "event",
            MessageKind::Unknown { msg_type } => msg_type,
        }
    }

    /// The `Event` value for events.
    pub fn event_name(&self) -> Option<&str> {
        let MessageKind::Event(e) = &self.kind else {
            return None;
        };
        Some(e.name(self.header.agent_id.is_some()))
    }

    /// A de-duplication key: `MsgId` for messages; for events
    /// `FromUserName|CreateTime|Event|EventKey|…` (WeChat retries 3× within ~15 s).
    pub fn dedup_key(&self) -> String {
        let msg_id = match &self.kind {
            MessageKind::Text { msg_id, .. }
            | MessageKind::Image { msg_id, .. }
            | MessageKind::Voice { msg_id, .. }
            | MessageKind::Video { msg_id, .. }
            | MessageKind::ShortVideo { msg_id, .. }
            | MessageKind::Location { msg_id, .. }
            | MessageKind::Link { msg_id, .. } => msg_id.clone(),
            _ => None,
        };
        if let Some(id) = msg_id {
            return format!("msg:{}:{}", self.header.to_user_name, id);
        }
        // Events: include everything (serialised body) so distinct same-second events differ.
        let mut h = sha1::Sha1::default();
        sha1::Digest::update(&mut h, self.to_xml().as_bytes());
        format!(
            "evt:{}:{}:{}:{}",
            self.header.to_user_name,
            self.header.from_user_name,
            self.header.create_time,
            hex::encode(sha1::Digest::finalize(h))
        )
    }

    /// Serialises to WeChat's XML (strings in CDATA, numbers bare).
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("xml");
        w.cdata("ToUserName", &self.header.to_user_name);
        w.cdata("FromUserName", &self.header.from_user_name);
        w.number("CreateTime", self.header.create_time);
        w.cdata("MsgType", self.msg_type());
        let o = |w: &mut Writer, n: &str, v: &Option<String>| {
            if let Some(v) = v {
                w.cdata(n, v);
            }
        };
        let id = |w: &mut Writer, v: &Option<String>| {
            if let Some(v) = v {
                w.auto("MsgId", v);
            }
        };
        match &self.kind {
            MessageKind::Text { content, msg_id } => {
                w.cdata("Content", content);
                id(&mut w, msg_id);
            }
            MessageKind::Image {
                pic_url,
                media_id,
                msg_id,
            } => {
                w.cdata("PicUrl", pic_url);
                w.cdata("MediaId", media_id);
                id(&mut w, msg_id);
            }
            MessageKind::Voice {
                media_id,
                format,
                recognition,
                msg_id,
            } => {
                w.cdata("MediaId", media_id);
                w.cdata("Format", format);
                o(&mut w, "Recognition", recognition);
                id(&mut w, msg_id);
            }
            MessageKind::Video {
                media_id,
                thumb_media_id,
                msg_id,
            }
            | MessageKind::ShortVideo {
                media_id,
                thumb_media_id,
                msg_id,
            } => {
                w.cdata("MediaId", media_id);
                w.cdata("ThumbMediaId", thumb_media_id);
                id(&mut w, msg_id);
            }
            MessageKind::Location {
                location_x,
                location_y,
                scale,
                label,
                msg_id,
            } => {
                w.number("Location_X", location_x);
                w.number("Location_Y", location_y);
                if let Some(s) = scale {
                    w.number("Scale", s);
                }
                w.cdata("Label", label);
                id(&mut w, msg_id);
            }
            MessageKind::Link {
                title,
                description,
                url,
                msg_id,
            } => {
                w.cdata("Title", title);
                w.cdata("Description", description);
                w.cdata("Url", url);
                id(&mut w, msg_id);
            }
            MessageKind::Event(e) => {
                w.cdata("Event", self.event_name().unwrap_or_default());
                e.write(&mut w);
            }
            MessageKind::Unknown { .. } => {}
        }
        if let Some(a) = self.header.agent_id {
            w.number("AgentID", a);
        }
        for e in &self.extra {
            e.write_to(&mut w);
        }
        w.close("xml");
        w.finish()
    }
}
