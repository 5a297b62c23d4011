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
//!
//! Layout: `inbound` (messages and their header), `event` (the `MsgType=event` kinds),
//! `contact_change` (WeCom `change_contact`, shared by app callbacks and suite
//! instructions) and `suite` (suite instructions). Everything is re-exported here.

mod contact_change;
mod event;
mod inbound;
mod suite;

pub use contact_change::{ContactChange, PartyChange, TagChange, UserChange};
pub use event::{Event, PicKind, ScanKind};
pub use inbound::{Header, InboundMessage, MessageKind};
pub use suite::{SuiteInfo, SuiteInstruction};

use crate::xml::{self, Element};

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
