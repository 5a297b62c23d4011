//! WeCom suite instruction callbacks (`InfoType`).

use super::{ContactChange, Fields, MessageError};
use crate::xml::{self, Element, Writer};

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
