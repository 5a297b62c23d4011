//! Inbound messages, events and WeCom suite instructions: typed parsing **and**
//! serialisation back to WeChat's XML (the emulator builds its pushes with it).
//!
//! * [`InboundMessage::parse`] handles OA and WeCom app messages/events (root `<xml>` with
//!   `MsgType`). Unknown `MsgType`s and `Event`s parse into `Unknown` variants; every field
//!   the typed variant does not cover is kept in [`InboundMessage::extra`] (in order), so
//!   nothing is lost and serialisation round-trips.
//! * [`SuiteInstruction::parse`] handles WeCom suite instruction callbacks (`InfoType`).
//! * [`Callback::parse`] picks one of the two.
//!
//! CDATA and bare text are accepted everywhere.
//!
//! ```
//! use wechat::message::{InboundMessage, MessageKind, Event};
//! let m = InboundMessage::parse("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName>\
//!     <CreateTime>1</CreateTime><MsgType>event</MsgType><Event>subscribe</Event>\
//!     <EventKey>qrscene_42</EventKey><Ticket>T</Ticket></xml>").unwrap();
//! match &m.kind {
//!     MessageKind::Event(e @ Event::Subscribe { .. }) => assert_eq!(e.qr_scene(), Some("42")),
//!     _ => unreachable!(),
//! }
//! assert_eq!(InboundMessage::parse(&m.to_xml()).unwrap(), m);
//! ```

use crate::xml::{self, Element, Writer};

/// A message parse error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// The XML is unsafe or malformed.
    #[error(transparent)]
    Xml(#[from] xml::XmlError),
    /// A required field is missing.
    #[error("missing field {0}")]
    Missing(&'static str),
    /// A field is malformed.
    #[error("field {field}: invalid value {value:?}")]
    Invalid {
        /// Field name.
        field: &'static str,
        /// The value.
        value: String,
    },
}

/// Consumes children by name; leftovers become `extra`.
struct Fields {
    children: Vec<Option<Element>>,
}

impl Fields {
    fn new(e: Element) -> Self {
        Fields {
            children: e.children.into_iter().map(Some).collect(),
        }
    }
    fn take_el(&mut self, name: &str) -> Option<Element> {
        self.children
            .iter_mut()
            .find(|c| c.as_ref().is_some_and(|c| c.name == name))
            .and_then(Option::take)
    }
    fn opt(&mut self, name: &str) -> Option<String> {
        self.take_el(name).map(|e| e.text)
    }
    fn req(&mut self, name: &'static str) -> Result<String, MessageError> {
        self.opt(name).ok_or(MessageError::Missing(name))
    }
    fn string(&mut self, name: &str) -> String {
        self.opt(name).unwrap_or_default()
    }
    fn num<T: std::str::FromStr>(&mut self, name: &'static str) -> Result<Option<T>, MessageError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| MessageError::Invalid {
                    field: name,
                    value: v,
                }),
        }
    }
    fn req_num<T: std::str::FromStr>(&mut self, name: &'static str) -> Result<T, MessageError> {
        self.num(name)?.ok_or(MessageError::Missing(name))
    }
    fn rest(self) -> Vec<Element> {
        self.children.into_iter().flatten().collect()
    }
}

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
    /// Any other event; its fields are in [`InboundMessage::extra`].
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
}

/// A WeCom contact change (`change_contact`), from an app callback or a suite instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // values are short-lived; boxing would only hurt ergonomics
pub enum ContactChange {
    /// `create_user`.
    CreateUser(UserChange),
    /// `update_user`.
    UpdateUser(UserChange),
    /// `delete_user`.
    DeleteUser {
        /// `UserID`.
        user_id: String,
    },
    /// `create_party`.
    CreateParty(PartyChange),
    /// `update_party`.
    UpdateParty(PartyChange),
    /// `delete_party`.
    DeleteParty {
        /// `Id`.
        id: i64,
    },
    /// `update_tag`.
    UpdateTag(TagChange),
    /// Any other `ChangeType`; fields are in `extra`.
    Unknown {
        /// `ChangeType`.
        change_type: String,
    },
}

/// User fields of `create_user` / `update_user` (absent fields are `None`; `ExtAttr` stays in `extra`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserChange {
    /// `UserID`.
    pub user_id: String,
    /// `NewUserID` (update).
    pub new_user_id: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `Department` ("1,2,3").
    pub department: Option<Vec<i64>>,
    /// `MainDepartment`.
    pub main_department: Option<i64>,
    /// `IsLeaderInDept` ("1,0").
    pub is_leader_in_dept: Option<Vec<i64>>,
    /// `Position`.
    pub position: Option<String>,
    /// `Mobile`.
    pub mobile: Option<String>,
    /// `Gender`.
    pub gender: Option<String>,
    /// `Email`.
    pub email: Option<String>,
    /// `Status`.
    pub status: Option<String>,
    /// `Avatar`.
    pub avatar: Option<String>,
    /// `Alias`.
    pub alias: Option<String>,
    /// `Telephone`.
    pub telephone: Option<String>,
    /// `Address`.
    pub address: Option<String>,
}

/// Department fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartyChange {
    /// `Id`.
    pub id: i64,
    /// `Name`.
    pub name: Option<String>,
    /// `ParentId`.
    pub parent_id: Option<i64>,
    /// `Order`.
    pub order: Option<i64>,
}

/// Tag member change fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagChange {
    /// `TagId`.
    pub tag_id: i64,
    /// `AddUserItems`.
    pub add_user_items: Option<Vec<String>>,
    /// `DelUserItems`.
    pub del_user_items: Option<Vec<String>>,
    /// `AddPartyItems`.
    pub add_party_items: Option<Vec<i64>>,
    /// `DelPartyItems`.
    pub del_party_items: Option<Vec<i64>>,
}

fn split_list<T: std::str::FromStr>(
    field: &'static str,
    v: Option<String>,
) -> Result<Option<Vec<T>>, MessageError> {
    match v {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(Some(Vec::new())),
        Some(s) => s
            .split(',')
            .map(|p| {
                p.trim().parse().map_err(|_| MessageError::Invalid {
                    field,
                    value: s.clone(),
                })
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some),
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn float(f: &mut Fields, name: &'static str) -> Result<f64, MessageError> {
    let v: Option<f64> = f.num(name)?;
    match v {
        Some(x) if x.is_finite() => Ok(x),
        Some(_) => Err(MessageError::Invalid {
            field: name,
            value: "non-finite".into(),
        }),
        None => Err(MessageError::Missing(name)),
    }
}

impl ContactChange {
    fn parse(change_type: &str, f: &mut Fields) -> Result<Self, MessageError> {
        let user = |f: &mut Fields| -> Result<UserChange, MessageError> {
            Ok(UserChange {
                user_id: f.req("UserID")?,
                new_user_id: f.opt("NewUserID"),
                name: f.opt("Name"),
                department: split_list("Department", f.opt("Department"))?,
                main_department: f.num("MainDepartment")?,
                is_leader_in_dept: split_list("IsLeaderInDept", f.opt("IsLeaderInDept"))?,
                position: f.opt("Position"),
                mobile: f.opt("Mobile"),
                gender: f.opt("Gender"),
                email: f.opt("Email"),
                status: f.opt("Status"),
                avatar: f.opt("Avatar"),
                alias: f.opt("Alias"),
                telephone: f.opt("Telephone"),
                address: f.opt("Address"),
            })
        };
        let party = |f: &mut Fields| -> Result<PartyChange, MessageError> {
            Ok(PartyChange {
                id: f.req_num("Id")?,
                name: f.opt("Name"),
                parent_id: f.num("ParentId")?,
                order: f.num("Order")?,
            })
        };
        Ok(match change_type {
            "create_user" => ContactChange::CreateUser(user(f)?),
            "update_user" => ContactChange::UpdateUser(user(f)?),
            "delete_user" => ContactChange::DeleteUser {
                user_id: f.req("UserID")?,
            },
            "create_party" => ContactChange::CreateParty(party(f)?),
            "update_party" => ContactChange::UpdateParty(party(f)?),
            "delete_party" => ContactChange::DeleteParty {
                id: f.req_num("Id")?,
            },
            "update_tag" => ContactChange::UpdateTag(TagChange {
                tag_id: f.req_num("TagId")?,
                add_user_items: split_list("AddUserItems", f.opt("AddUserItems"))?,
                del_user_items: split_list("DelUserItems", f.opt("DelUserItems"))?,
                add_party_items: split_list("AddPartyItems", f.opt("AddPartyItems"))?,
                del_party_items: split_list("DelPartyItems", f.opt("DelPartyItems"))?,
            }),
            other => ContactChange::Unknown {
                change_type: other.to_owned(),
            },
        })
    }

    /// The `ChangeType` value.
    pub fn change_type(&self) -> &str {
        match self {
            ContactChange::CreateUser(_) => "create_user",
            ContactChange::UpdateUser(_) => "update_user",
            ContactChange::DeleteUser { .. } => "delete_user",
            ContactChange::CreateParty(_) => "create_party",
            ContactChange::UpdateParty(_) => "update_party",
            ContactChange::DeleteParty { .. } => "delete_party",
            ContactChange::UpdateTag(_) => "update_tag",
            ContactChange::Unknown { change_type } => change_type,
        }
    }

    fn write(&self, w: &mut Writer) {
        w.cdata("ChangeType", self.change_type());
        let user = |w: &mut Writer, u: &UserChange| {
            w.cdata("UserID", &u.user_id);
            let o = |w: &mut Writer, n: &str, v: &Option<String>| {
                if let Some(v) = v {
                    w.cdata(n, v);
                }
            };
            o(w, "NewUserID", &u.new_user_id);
            o(w, "Name", &u.name);
            if let Some(d) = &u.department {
                w.cdata("Department", &join(d));
            }
            if let Some(d) = u.main_department {
                w.number("MainDepartment", d);
            }
            if let Some(d) = &u.is_leader_in_dept {
                w.cdata("IsLeaderInDept", &join(d));
            }
            o(w, "Position", &u.position);
            o(w, "Mobile", &u.mobile);
            o(w, "Gender", &u.gender);
            o(w, "Email", &u.email);
            o(w, "Status", &u.status);
            o(w, "Avatar", &u.avatar);
            o(w, "Alias", &u.alias);
            o(w, "Telephone", &u.telephone);
            o(w, "Address", &u.address);
        };
        let party = |w: &mut Writer, p: &PartyChange| {
            w.number("Id", p.id);
            if let Some(n) = &p.name {
                w.cdata("Name", n);
            }
            if let Some(v) = p.parent_id {
                w.number("ParentId", v);
            }
            if let Some(v) = p.order {
                w.number("Order", v);
            }
        };
        match self {
            ContactChange::CreateUser(u) | ContactChange::UpdateUser(u) => user(w, u),
            ContactChange::DeleteUser { user_id } => w.cdata("UserID", user_id),
            ContactChange::CreateParty(p) | ContactChange::UpdateParty(p) => party(w, p),
            ContactChange::DeleteParty { id } => w.number("Id", id),
            ContactChange::UpdateTag(t) => {
                w.number("TagId", t.tag_id);
                if let Some(v) = &t.add_user_items {
                    w.cdata("AddUserItems", &v.join(","));
                }
                if let Some(v) = &t.del_user_items {
                    w.cdata("DelUserItems", &v.join(","));
                }
                if let Some(v) = &t.add_party_items {
                    w.cdata("AddPartyItems", &join(v));
                }
                if let Some(v) = &t.del_party_items {
                    w.cdata("DelPartyItems", &join(v));
                }
            }
            ContactChange::Unknown { .. } => {}
        }
    }
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
            "event" => MessageKind::Event(Self::parse_event(&mut f)?),
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

    fn parse_event(f: &mut Fields) -> Result<Event, MessageError> {
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
        let wecom = self.header.agent_id.is_some();
        let MessageKind::Event(e) = &self.kind else {
            return None;
        };
        Some(match e {
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
        })
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
                Self::write_event(&mut w, e);
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

    fn write_event(w: &mut Writer, e: &Event) {
        match e {
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

/// A WeCom suite instruction callback (`InfoType`; no `MsgType`). Reply `success`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteInstruction {
    /// `SuiteId`.
    pub suite_id: String,
    /// `TimeStamp`.
    pub timestamp: i64,
    /// The typed body.
    pub info: SuiteInfo,
    /// Fields not covered by the typed body.
    pub extra: Vec<Element>,
}

/// Suite instruction kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // values are short-lived; boxing would only hurt ergonomics
pub enum SuiteInfo {
    /// `suite_ticket` (pushed every 10 min, valid 30 min).
    SuiteTicket {
        /// `SuiteTicket`.
        suite_ticket: String,
    },
    /// `create_auth`.
    CreateAuth {
        /// `AuthCode` (exchange for the permanent code).
        auth_code: String,
        /// `State`.
        state: Option<String>,
    },
    /// `change_auth`.
    ChangeAuth {
        /// `AuthCorpId`.
        auth_corp_id: String,
        /// `State`.
        state: Option<String>,
    },
    /// `cancel_auth`.
    CancelAuth {
        /// `AuthCorpId`.
        auth_corp_id: String,
    },
    /// `reset_permanent_code`.
    ResetPermanentCode {
        /// `AuthCode`.
        auth_code: String,
    },
    /// `change_contact`.
    ChangeContact {
        /// `AuthCorpId`.
        auth_corp_id: String,
        /// The change.
        change: ContactChange,
    },
    /// Any other `InfoType`; fields are in `extra`.
    Unknown {
        /// `InfoType`.
        info_type: String,
    },
}

impl SuiteInstruction {
    /// Parses a decrypted suite instruction body.
    pub fn parse(body: &str) -> Result<Self, MessageError> {
        Self::from_element(xml::parse_root(body, "xml")?)
    }

    /// Parses from an already parsed element.
    pub fn from_element(root: Element) -> Result<Self, MessageError> {
        let mut f = Fields::new(root);
        let suite_id = f.req("SuiteId")?;
        let info_type = f.req("InfoType")?;
        let timestamp = f.req_num("TimeStamp")?;
        let info = match info_type.as_str() {
            "suite_ticket" => SuiteInfo::SuiteTicket {
                suite_ticket: f.req("SuiteTicket")?,
            },
            "create_auth" => SuiteInfo::CreateAuth {
                auth_code: f.req("AuthCode")?,
                state: f.opt("State"),
            },
            "change_auth" => SuiteInfo::ChangeAuth {
                auth_corp_id: f.req("AuthCorpId")?,
                state: f.opt("State"),
            },
            "cancel_auth" => SuiteInfo::CancelAuth {
                auth_corp_id: f.req("AuthCorpId")?,
            },
            "reset_permanent_code" => SuiteInfo::ResetPermanentCode {
                auth_code: f.req("AuthCode")?,
            },
            "change_contact" => {
                let auth_corp_id = f.req("AuthCorpId")?;
                let ct = f.req("ChangeType")?;
                SuiteInfo::ChangeContact {
                    auth_corp_id,
                    change: ContactChange::parse(&ct, &mut f)?,
                }
            }
            other => SuiteInfo::Unknown {
                info_type: other.to_owned(),
            },
        };
        Ok(SuiteInstruction {
            suite_id,
            timestamp,
            info,
            extra: f.rest(),
        })
    }

    /// The `InfoType` value.
    pub fn info_type(&self) -> &str {
        match &self.info {
            SuiteInfo::SuiteTicket { .. } => "suite_ticket",
            SuiteInfo::CreateAuth { .. } => "create_auth",
            SuiteInfo::ChangeAuth { .. } => "change_auth",
            SuiteInfo::CancelAuth { .. } => "cancel_auth",
            SuiteInfo::ResetPermanentCode { .. } => "reset_permanent_code",
            SuiteInfo::ChangeContact { .. } => "change_contact",
            SuiteInfo::Unknown { info_type } => info_type,
        }
    }

    /// Serialises to WeChat's XML.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("xml");
        w.cdata("SuiteId", &self.suite_id);
        w.cdata("InfoType", self.info_type());
        w.number("TimeStamp", self.timestamp);
        match &self.info {
            SuiteInfo::SuiteTicket { suite_ticket } => w.cdata("SuiteTicket", suite_ticket),
            SuiteInfo::CreateAuth { auth_code, state } => {
                w.cdata("AuthCode", auth_code);
                if let Some(s) = state {
                    w.cdata("State", s);
                }
            }
            SuiteInfo::ChangeAuth {
                auth_corp_id,
                state,
            } => {
                w.cdata("AuthCorpId", auth_corp_id);
                if let Some(s) = state {
                    w.cdata("State", s);
                }
            }
            SuiteInfo::CancelAuth { auth_corp_id } => w.cdata("AuthCorpId", auth_corp_id),
            SuiteInfo::ResetPermanentCode { auth_code } => w.cdata("AuthCode", auth_code),
            SuiteInfo::ChangeContact {
                auth_corp_id,
                change,
            } => {
                w.cdata("AuthCorpId", auth_corp_id);
                change.write(&mut w);
            }
            SuiteInfo::Unknown { .. } => {}
        }
        for e in &self.extra {
            e.write_to(&mut w);
        }
        w.close("xml");
        w.finish()
    }
}

/// Either kind of callback body.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// OA / WeCom app message or event.
    Message(InboundMessage),
    /// WeCom suite instruction.
    Suite(SuiteInstruction),
    /// Anything else (e.g. open-platform component pushes with `AppId` + `InfoType`): the
    /// raw element, nothing dropped.
    Other(Element),
}

impl Callback {
    /// Parses a decrypted body: `MsgType` ⇒ message/event; `SuiteId` + `InfoType` ⇒ suite
    /// instruction; anything else ⇒ [`Callback::Other`].
    pub fn parse(body: &str) -> Result<Self, MessageError> {
        let root = xml::parse_root(body, "xml")?;
        if root.child("MsgType").is_some() {
            InboundMessage::from_element(root).map(Callback::Message)
        } else if root.child("SuiteId").is_some() && root.child("InfoType").is_some() {
            SuiteInstruction::from_element(root).map(Callback::Suite)
        } else {
            Ok(Callback::Other(root))
        }
    }
}

#[cfg(test)]
mod tests;
