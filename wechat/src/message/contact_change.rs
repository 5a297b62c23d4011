//! WeCom contact changes (`change_contact`), shared by app callbacks and suite instructions.

use super::{Fields, MessageError};
use crate::xml::Writer;

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

impl ContactChange {
    pub(super) fn parse(change_type: &str, f: &mut Fields) -> Result<Self, MessageError> {
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

    pub(super) fn write(&self, w: &mut Writer) {
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
