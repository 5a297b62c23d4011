//! Followers, user tags and legacy groups of an Official Account: the list and detail, full
//! sync progress, tagging, and drift between WeChat and the portal.

use serde::{Deserialize, Serialize};

use crate::page::Page;

/// Max openids per `tags/members/batch(un)tagging` and `groups/members/batchupdate` call.
pub const TAGGING_BATCH: usize = 50;
/// Max length of a remark (characters; WeChat: "less than 30").
pub const REMARK_MAX_CHARS: usize = 30;
/// Max length of a tag or group name in bytes (UTF-8; ⚠️ WeChat's doc says 30 characters, its
/// error text says bytes).
pub const TAG_NAME_MAX_BYTES: usize = 30;

/// A tag (or group) as referenced from a follower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagRef {
    /// WeChat's id.
    pub id: i64,
    pub name: String,
}

/// One follower as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Follower {
    pub openid: String,
    pub subscribed: bool,
    pub nickname: Option<String>,
    pub remark: Option<String>,
    pub language: Option<String>,
    pub unionid: Option<String>,
    /// RFC 3339.
    pub subscribe_time: Option<String>,
    /// `ADD_SCENE_SEARCH`, `ADD_SCENE_QR_CODE`, …
    pub subscribe_scene: Option<String>,
    pub qr_scene: Option<String>,
    pub tags: Vec<TagRef>,
    pub group: Option<TagRef>,
    /// When a full sync last stored this follower (RFC 3339).
    pub synced_at: Option<String>,
    /// Last local change (callback, edit or sync).
    pub updated_at: String,
}

pub type FollowerPage = Page<Follower>;

/// `GET /api/accounts/{id}/followers`: filters (all optional) and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowerQuery {
    /// Openid (exact), remark or nickname (contains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// WeChat tag id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<i64>,
    /// WeChat group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    /// The parametric QR code scene (`qr_scene`, exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_scene: Option<String>,
    /// First day (`YYYY-MM-DD`, UTC) of `subscribe_time`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`, UTC) of `subscribe_time`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The order of the list (default [`FollowerSort::Newest`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<FollowerSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// How the follower list is ordered. Followers without the sorted value (no subscribe time, no
/// remark, no nickname) come last in every order; ties are broken newest stored first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FollowerSort {
    /// Most recently stored first.
    #[default]
    Newest,
    /// Latest subscribe time first.
    SubscribedDesc,
    /// Earliest subscribe time first.
    SubscribedAsc,
    /// By remark (A→Z in the database's collation).
    Remark,
    /// By nickname (A→Z in the database's collation).
    Nickname,
}

impl FollowerSort {
    pub const ALL: [FollowerSort; 5] = [
        FollowerSort::Newest,
        FollowerSort::SubscribedDesc,
        FollowerSort::SubscribedAsc,
        FollowerSort::Remark,
        FollowerSort::Nickname,
    ];

    /// The query-string value.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowerSort::Newest => "newest",
            FollowerSort::SubscribedDesc => "subscribed_desc",
            FollowerSort::SubscribedAsc => "subscribed_asc",
            FollowerSort::Remark => "remark",
            FollowerSort::Nickname => "nickname",
        }
    }

    pub fn parse(s: &str) -> Option<FollowerSort> {
        FollowerSort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// `PATCH /api/accounts/{id}/followers/{openid}`: the remark, pushed to WeChat first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateFollowerRequest {
    pub remark: String,
}

/// Status of a full sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    Running,
    Done,
    Failed,
}

/// A full follower sync with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncJob {
    pub id: i64,
    pub status: SyncStatus,
    /// `tags`, `groups`, `followers`, `finishing`, `done`.
    pub phase: String,
    pub started_by: String,
    /// Followers WeChat reports (`user/get` `total`).
    pub total: i64,
    /// Followers stored so far.
    pub stored: i64,
    /// WeChat API calls made.
    pub calls: i64,
    /// Calls retried after `-1` / 45009.
    pub retries: i64,
    /// Followers already stored when this run resumed from its checkpoint.
    pub resumed_from: i64,
    /// Followers stored per second in this run.
    pub rate_per_sec: f64,
    pub error: Option<String>,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

/// `POST /api/accounts/{id}/followers/sync?fresh=true`: abandon an interrupted or failed
/// sync and start over, instead of resuming it from its checkpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncStartQuery {
    #[serde(default)]
    pub fresh: bool,
}

/// `GET /api/accounts/{id}/followers/sync`: the latest sync (none yet: `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncState {
    pub job: Option<SyncJob>,
    /// Followers stored for the account (subscribed ones).
    pub subscribed: u64,
}

/// A user tag or legacy group with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tag {
    /// WeChat's id.
    pub id: i64,
    pub name: String,
    /// Members stored in the portal.
    pub count: u64,
    /// WeChat's count at the last sync.
    pub wx_count: Option<i64>,
    pub synced_at: Option<String>,
}

/// Tags and legacy groups of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagsAndGroups {
    pub tags: Vec<Tag>,
    pub groups: Vec<Tag>,
}

/// Create or rename a tag / group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagInput {
    pub name: String,
}

/// Which followers a bulk action applies to: the given openids, or everyone matching a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum Selection {
    Openids { openids: Vec<String> },
    Filter { filter: FollowerQuery },
}

/// `POST /api/accounts/{id}/followers/tagging`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TaggingRequest {
    pub tag_id: i64,
    /// `true`: untag.
    #[serde(default)]
    pub remove: bool,
    pub selection: Selection,
}

/// `POST /api/accounts/{id}/followers/move-group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MoveGroupRequest {
    pub group_id: i64,
    pub selection: Selection,
}

/// What a bulk job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkKind {
    Tag,
    Untag,
    MoveGroup,
}

impl BulkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkKind::Tag => "tag",
            BulkKind::Untag => "untag",
            BulkKind::MoveGroup => "move_group",
        }
    }

    /// The kind stored as [`BulkKind::as_str`] (an unknown value reads as tagging).
    pub fn parse(s: &str) -> BulkKind {
        match s {
            "untag" => BulkKind::Untag,
            "move_group" => BulkKind::MoveGroup,
            _ => BulkKind::Tag,
        }
    }
}

/// A bulk tag / untag / group move running in the background (`202 Accepted` from
/// `POST …/followers/tagging` and `…/move-group`), with its progress. Statuses as a sync's; a
/// job whose server stopped while it ran reads as `failed` ("interrupted").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BulkJob {
    pub id: i64,
    pub kind: BulkKind,
    /// WeChat's tag id (`tag`, `untag`) or group id (`move_group`).
    pub target_id: i64,
    pub status: SyncStatus,
    /// Followers selected (subscribed ones only: WeChat refuses the others).
    pub total: u64,
    /// Followers processed so far (accepted by WeChat and stored).
    pub done: u64,
    /// WeChat calls made (batches of 50).
    pub calls: u64,
    pub error: Option<String>,
    pub started_by: String,
    /// RFC 3339.
    pub started_at: String,
    pub finished_at: Option<String>,
}

/// `GET /api/accounts/{id}/followers/bulk-jobs`: the latest jobs, newest first.
pub type BulkJobList = Vec<BulkJob>;

/// What differs between WeChat and the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A tag exists on one side only, or its name differs.
    Tag,
    /// A legacy group exists on one side only, or its name differs.
    Group,
    /// A follower carries a tag on one side only.
    Member,
    /// A follower's remark differs.
    Remark,
}

/// One difference. `ours` / `theirs`: the value on each side (`None`: absent there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DriftItem {
    pub kind: DriftKind,
    /// Tag / group id (WeChat's).
    pub id: Option<i64>,
    pub openid: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

/// `GET /api/accounts/{id}/followers/drift`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DriftReport {
    pub items: Vec<DriftItem>,
    /// Followers whose remark was compared (those with a remark in the portal).
    pub remarks_checked: u64,
    pub checked_at: String,
}

/// Which side wins a drift item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Winner {
    /// Push the portal's value to WeChat.
    Ours,
    /// Accept WeChat's value into the portal.
    Theirs,
}

/// `POST /api/accounts/{id}/followers/drift/resolve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResolveDriftRequest {
    pub item: DriftItem,
    pub winner: Winner,
}
