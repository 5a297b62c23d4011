//! WeCom contacts (通讯录) of a WeCom app: the portal's mirror of departments, members and
//! tags, the full sync's progress, and the inputs of the CRUD routes with WeCom's field rules
//! (shared by the server and the SPA's inline validation).

use serde::{Deserialize, Serialize};

use crate::FieldIssue;
use crate::page::Page;
use crate::wecom_extattr::{ExtAttr, validate_extattrs};

/// Max departments a member belongs to (⚠️ unverified: WeCom documents "at most 100").
pub const MAX_MEMBER_DEPARTMENTS: usize = 100;
/// Max userids per `user/batchdelete` call.
pub const BATCH_DELETE_MAX: usize = 200;
/// Max characters of a department name (WeCom: 1–64, none of `\:*?"<>|`).
pub const DEPARTMENT_NAME_MAX_CHARS: usize = 64;
/// Max characters of a member's name.
pub const MEMBER_NAME_MAX_CHARS: usize = 64;
/// Max characters of a position.
pub const POSITION_MAX_CHARS: usize = 128;
/// Max characters of a tag name (WeCom: 32).
pub const TAG_NAME_MAX_CHARS: usize = 32;

/// A department as mirrored; the tree is built from `parent_id` (the root has 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDepartment"))]
pub struct Department {
    /// WeCom's id (1 is the root).
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub parent_id: i64,
    /// WeCom's order among siblings (larger first).
    pub order: i64,
    /// Members directly in this department.
    pub member_count: u64,
}

/// `GET /api/accounts/{id}/contacts/departments`: every mirrored department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDepartmentTree"))]
pub struct DepartmentTree {
    pub departments: Vec<Department>,
}

/// A member's status at WeCom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMemberStatus"))]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// 1: activated.
    Active,
    /// 2: disabled.
    Disabled,
    /// 4: not joined (invited, not yet activated).
    NotJoined,
    /// 5: quit.
    Quit,
}

impl MemberStatus {
    /// From WeCom's number (unknown numbers read as not joined).
    pub fn from_wecom(n: i64) -> MemberStatus {
        match n {
            1 => MemberStatus::Active,
            2 => MemberStatus::Disabled,
            5 => MemberStatus::Quit,
            _ => MemberStatus::NotJoined,
        }
    }

    /// WeCom's number.
    pub fn wecom(self) -> i32 {
        match self {
            MemberStatus::Active => 1,
            MemberStatus::Disabled => 2,
            MemberStatus::NotJoined => 4,
            MemberStatus::Quit => 5,
        }
    }
}

/// A member's place in one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMemberDepartment"))]
pub struct MemberDepartment {
    pub id: i64,
    #[serde(default)]
    pub is_leader: bool,
}

/// A member as mirrored. When `restricted` is true WeCom withheld mobile, email, gender and
/// telephone from the reading secret (apps created after 2022-06-20): they are unknown, not empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMember"))]
pub struct Member {
    pub userid: String,
    pub name: String,
    pub alias: String,
    pub position: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// "0" unknown, "1" male, "2" female.
    pub gender: Option<String>,
    pub telephone: Option<String>,
    pub restricted: bool,
    pub status: MemberStatus,
    pub enabled: bool,
    pub main_department: i64,
    pub departments: Vec<MemberDepartment>,
    /// Tags the member is in directly.
    pub tags: Vec<i64>,
    /// Extended attributes (扩展属性) as WeCom holds them.
    #[serde(default)]
    pub extattr: Vec<ExtAttr>,
    /// After a create or edit: attributes sent that WeCom ignored (their names are not added
    /// in its admin console).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extattr_ignored: Vec<String>,
    /// Last local change (RFC 3339).
    pub updated_at: String,
}

pub type MemberPage = Page<Member>;

/// `GET /api/accounts/{id}/contacts/members`: filters (all optional) and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMemberQuery"))]
pub struct MemberQuery {
    /// Name, userid, mobile or email (contains, case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Members of this department and its descendants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<i64>,
    /// Members of this tag (directly tagged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MemberStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// A tag with its member counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTag"))]
pub struct Tag {
    pub id: i64,
    pub name: String,
    /// Created through the portal (WeCom lets only a tag's creator change it: 81011).
    pub created_here: bool,
    pub user_count: u64,
    pub department_count: u64,
}

/// `GET /api/accounts/{id}/contacts/tags`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTagList"))]
pub struct TagList {
    pub tags: Vec<Tag>,
}

/// A member as listed in a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMemberRef"))]
pub struct MemberRef {
    pub userid: String,
    pub name: String,
}

/// `GET /api/accounts/{id}/contacts/tags/{tag_id}`: the tag and its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTagDetail"))]
pub struct TagDetail {
    pub tag: Tag,
    pub users: Vec<MemberRef>,
    pub departments: Vec<i64>,
}

/// How a full sync ended (or that it runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomContactSyncStatus"))]
#[serde(rename_all = "snake_case")]
pub enum ContactSyncStatus {
    Running,
    /// Everything was read.
    Succeeded,
    /// Finished, but some items could not be read: see `failures`.
    Partial,
    /// Stopped (WeChat refused a listing, or the run was interrupted).
    Failed,
}

/// One item a sync could not read, with WeChat's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomSyncFailure"))]
pub struct SyncFailure {
    /// `member`, `department` or `tag`.
    pub kind: String,
    pub id: String,
    pub reason: String,
}

/// A full contacts sync with its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomContactSyncJob"))]
pub struct ContactSyncJob {
    pub id: i64,
    pub status: ContactSyncStatus,
    /// `departments`, `members`, `details`, `tags`, `done`.
    pub phase: String,
    pub started_by: String,
    pub departments: i64,
    pub members_total: i64,
    pub members_done: i64,
    pub tags: i64,
    pub failed: i64,
    pub calls: i64,
    pub failures: Vec<SyncFailure>,
    pub error: Option<String>,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

/// `GET /api/accounts/{id}/contacts/sync`: the latest sync and what the mirror holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomContactSyncState"))]
pub struct ContactSyncState {
    pub job: Option<ContactSyncJob>,
    pub departments: u64,
    pub members: u64,
    pub tags: u64,
    /// Whether the account has a contacts-sync secret (writes need it).
    pub has_contacts_secret: bool,
    /// Operated through a suite's corp token: no contacts secret there; reads and writes
    /// follow the privileges the corp granted.
    #[serde(default)]
    pub managed_corp: bool,
}

/// `POST …/contacts/departments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDepartmentInput"))]
pub struct DepartmentInput {
    pub name: String,
    pub parent_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}

/// `PATCH …/contacts/departments/{dept_id}`: rename, move (new parent), reorder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDepartmentUpdate"))]
pub struct DepartmentUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}

/// `POST …/contacts/members` (create) and `PUT …/contacts/members/{userid}` (edit; `userid`
/// must be the member's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMemberInput"))]
pub struct MemberInput {
    pub userid: String,
    pub name: String,
    #[serde(default)]
    pub alias: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub position: String,
    /// "0" unknown, "1" male, "2" female.
    #[serde(default)]
    pub gender: String,
    pub departments: Vec<MemberDepartment>,
    pub main_department: i64,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Extended attributes; `None` leaves WeCom's as they are, a list sets exactly these (an
    /// attribute the member had and the list lacks is cleared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extattr: Option<Vec<ExtAttr>>,
}

fn yes() -> bool {
    true
}

/// `POST …/contacts/members/{userid}/enabled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomEnableInput"))]
pub struct EnableInput {
    pub enabled: bool,
}

/// `POST …/contacts/members/batch-delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomBatchDeleteInput"))]
pub struct BatchDeleteInput {
    pub userids: Vec<String>,
}

/// `POST …/contacts/tags` and `PATCH …/contacts/tags/{tag_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTagInput"))]
pub struct TagInput {
    pub name: String,
}

/// `POST …/contacts/tags/{tag_id}/members` (add) and `…/members/remove`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTagMembersInput"))]
pub struct TagMembersInput {
    #[serde(default)]
    pub userids: Vec<String>,
    #[serde(default)]
    pub department_ids: Vec<i64>,
}

/// WeCom's partial-failure answer: the members and departments it refused (`invalidlist`,
/// `invalidparty`); the rest were applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomTagMembersResult"))]
pub struct TagMembersResult {
    pub invalid_userids: Vec<String>,
    pub invalid_department_ids: Vec<i64>,
}

fn issue(field: &str, code: &str, message: &str) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// WeCom's userid rule: 1–64 letters, digits and `_-.@`.
pub fn valid_userid(u: &str) -> bool {
    !u.is_empty()
        && u.len() <= 64
        && u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.@".contains(&b))
}

/// A department name: 1–64 characters, none of `\:*?"<>|`.
pub fn validate_department_name(name: &str) -> Option<FieldIssue> {
    let n = name.trim();
    if n.is_empty() {
        Some(issue("name", "required", "is required"))
    } else if n.chars().count() > DEPARTMENT_NAME_MAX_CHARS {
        Some(issue("name", "too_long", "must be at most 64 characters"))
    } else if n.contains(['\\', ':', '*', '?', '"', '<', '>', '|']) {
        Some(issue(
            "name",
            "department_name_chars",
            "must not contain \\ : * ? \" < > |",
        ))
    } else {
        None
    }
}

/// A tag name: 1–32 characters.
pub fn validate_tag_name(name: &str) -> Option<FieldIssue> {
    let n = name.trim();
    if n.is_empty() {
        Some(issue("name", "required", "is required"))
    } else if n.chars().count() > TAG_NAME_MAX_CHARS {
        Some(issue("name", "too_long", "must be at most 32 characters"))
    } else {
        None
    }
}

/// WeCom's rules for a member: userid format, name, at least one of mobile / email (the
/// API's rule when no invitation by other means is used), their formats, position length,
/// 1–100 departments, the main department among them, gender 0/1/2.
pub fn validate_member(m: &MemberInput) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    if !valid_userid(&m.userid) {
        out.push(issue(
            "userid",
            "userid_format",
            "must be 1-64 letters, digits, or _ - . @",
        ));
    }
    let name = m.name.trim();
    if name.is_empty() {
        out.push(issue("name", "required", "is required"));
    } else if name.chars().count() > MEMBER_NAME_MAX_CHARS {
        out.push(issue("name", "too_long", "must be at most 64 characters"));
    }
    let mobile = m.mobile.trim();
    let email = m.email.trim();
    if mobile.is_empty() && email.is_empty() {
        out.push(issue(
            "mobile",
            "mobile_or_email",
            "a mobile number or an email is required",
        ));
    }
    let mobile_ok = mobile.len() <= 32
        && mobile
            .trim_start_matches('+')
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-');
    if !mobile.is_empty() && !mobile_ok {
        out.push(issue("mobile", "mobile_format", "must be digits, + or -"));
    }
    let email_ok = email.len() <= 64 && email.contains('@') && !email.contains(' ');
    if !email.is_empty() && !email_ok {
        out.push(issue("email", "email_format", "is not an email address"));
    }
    if m.position.chars().count() > POSITION_MAX_CHARS {
        out.push(issue(
            "position",
            "too_long",
            "must be at most 128 characters",
        ));
    }
    if !["", "0", "1", "2"].contains(&m.gender.as_str()) {
        out.push(issue("gender", "gender", "must be 0, 1 or 2"));
    }
    if m.departments.is_empty() {
        out.push(issue(
            "departments",
            "required",
            "choose at least one department",
        ));
    } else if m.departments.len() > MAX_MEMBER_DEPARTMENTS {
        out.push(issue("departments", "too_many", "at most 100 departments"));
    } else if !m.departments.iter().any(|d| d.id == m.main_department) {
        out.push(issue(
            "main_department",
            "main_department",
            "must be one of the member's departments",
        ));
    }
    if let Some(attrs) = &m.extattr {
        out.extend(validate_extattrs(attrs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> MemberInput {
        MemberInput {
            userid: "zhang.san".into(),
            name: "张三".into(),
            mobile: "13800000000".into(),
            departments: vec![MemberDepartment {
                id: 2,
                is_leader: true,
            }],
            main_department: 2,
            enabled: true,
            ..Default::default()
        }
    }

    #[test]
    fn member_rules() {
        assert!(validate_member(&member()).is_empty());
        let codes = |m: MemberInput| -> Vec<String> {
            validate_member(&m).into_iter().map(|i| i.code).collect()
        };
        let mut m = member();
        m.userid = "张三".into();
        m.mobile.clear();
        m.main_department = 9;
        assert_eq!(
            codes(m),
            vec!["userid_format", "mobile_or_email", "main_department"]
        );
        let mut m = member();
        m.email = "nope".into();
        m.gender = "3".into();
        assert_eq!(codes(m), vec!["email_format", "gender"]);
    }

    #[test]
    fn department_and_tag_names() {
        assert!(validate_department_name("研发").is_none());
        assert_eq!(
            validate_department_name("a|b").map(|i| i.code),
            Some("department_name_chars".into())
        );
        assert_eq!(
            validate_tag_name(&"x".repeat(33)).map(|i| i.code),
            Some("too_long".into())
        );
    }
}

/// What differs between the mirror and WeCom for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftIssue"))]
#[serde(rename_all = "snake_case")]
pub enum DriftIssue {
    /// WeCom has it, the mirror does not.
    MissingHere,
    /// The mirror has it, WeCom does not any more.
    MissingThere,
    /// Both have it, with different departments / parent / order / name / members.
    Differs,
}

/// One difference; `kind` is `department`, `member` or `tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftItem"))]
pub struct DriftItem {
    pub kind: String,
    /// Department or tag id, or userid.
    pub id: String,
    /// A name to show, from whichever side has one.
    pub name: String,
    pub issue: DriftIssue,
    /// The mirror's side (none when missing here).
    pub ours: Option<DriftSide>,
    /// WeCom's side (none when missing there).
    pub theirs: Option<DriftSide>,
}

/// What was compared of one item (the fields of its kind).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftSide"))]
pub struct DriftSide {
    /// Departments: the parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    /// Departments: the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// Tags: the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Members: their departments; tags: their departments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<i64>,
    /// Tags: their members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
}

/// `GET /api/accounts/{id}/contacts/drift`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftReport"))]
pub struct DriftReport {
    pub checked_at: String,
    pub departments: u64,
    pub members: u64,
    pub tags: u64,
    pub items: Vec<DriftItem>,
}

/// The state of a nightly reconcile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftRunState"))]
#[serde(rename_all = "snake_case")]
pub enum DriftRunState {
    Running,
    Done,
    Failed,
}

impl DriftRunState {
    pub fn as_str(self) -> &'static str {
        match self {
            DriftRunState::Running => "running",
            DriftRunState::Done => "done",
            DriftRunState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<DriftRunState> {
        [
            DriftRunState::Running,
            DriftRunState::Done,
            DriftRunState::Failed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A nightly reconcile (夜间核对): the drift check run once a night per app, nothing repaired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftRun"))]
pub struct DriftRun {
    /// The Beijing date of the night.
    pub day: String,
    pub state: DriftRunState,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub differences: u64,
    /// What it found (with the overview: absent, only the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<DriftReport>,
    /// Why it failed (WeChat's refusal, in English).
    pub error: Option<String>,
}

/// `GET /api/accounts/{id}/contacts/drift/last`: the last nightly reconcile, if any ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomLastDriftRun"))]
pub struct LastDriftRun {
    pub run: Option<DriftRun>,
}

/// `POST /api/accounts/{id}/contacts/drift/repair`: re-read one item from WeCom into the mirror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDriftRepair"))]
pub struct DriftRepairInput {
    pub kind: String,
    pub id: String,
}
