//! WeCom state: corps, their apps (agents), departments, members, tags, menus and media.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::oa::model::InboxItem;
use crate::proto::crypto::random_aes_key;
use crate::proto::sign::{random_alnum, random_hex};

/// Callback settings of an app or of the contacts-sync "app".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CallbackConfig {
    /// Receiving URL (none: events are recorded as undeliverable).
    #[serde(default)]
    pub url: Option<String>,
    /// Token; generated when empty.
    #[serde(default)]
    pub token: String,
    /// EncodingAESKey; generated when empty.
    #[serde(default)]
    pub encoding_aes_key: String,
}

impl CallbackConfig {
    fn fill(mut self) -> Self {
        if self.token.is_empty() {
            self.token = random_alnum(15);
        }
        if self.encoding_aes_key.is_empty() {
            self.encoding_aes_key = random_aes_key();
        }
        self
    }
}

/// A self-built app.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AgentConfig {
    /// AgentId; assigned from 1000002 when 0.
    #[serde(default)]
    pub agentid: i64,
    /// Secret (43 characters); generated when empty.
    #[serde(default)]
    pub secret: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Message callback.
    #[serde(default)]
    pub callback: CallbackConfig,
}

/// A corp (control API, seed file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorpConfig {
    /// CorpID (`ww` + 16 hex); generated when empty.
    #[serde(default)]
    pub corpid: String,
    /// Name (also the root department's name).
    #[serde(default)]
    pub name: String,
    /// The contacts-sync secret; generated when empty.
    #[serde(default)]
    pub contacts_secret: String,
    /// Where `change_contact` events go.
    #[serde(default)]
    pub contacts_callback: CallbackConfig,
    /// WeCom's post-2022 rules apply: its apps were created after 2022-06-20 (app tokens get no
    /// mobile/email/avatar/gender from `user/get`/`user/list`) and its contacts-sync trusted IPs
    /// were added after 2022-08-15 (the contacts secret cannot call `user/list`,
    /// `user/simplelist`, `department/list`).
    #[serde(default)]
    pub created_after_2022: bool,
    /// Apps.
    #[serde(default)]
    pub apps: Vec<AgentConfig>,
    /// Extended attributes (扩展属性) added in the admin console: `user/create|update` set
    /// only these and ignore other names, as WeCom does.
    #[serde(default)]
    pub extattr_fields: Vec<ExtAttrField>,
}

/// An extended attribute added in the admin console.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtAttrField {
    /// Its name.
    pub name: String,
    /// 0 text, 1 web, 2 mini-program.
    #[serde(default, rename = "type")]
    pub kind: i64,
}

impl CorpConfig {
    /// Fills empty fields.
    pub fn fill(mut self) -> Self {
        if self.corpid.is_empty() {
            self.corpid = format!("ww{}", random_hex(16));
        }
        if self.name.is_empty() {
            self.name = format!("Corp {}", crate::proto::sign::tail(&self.corpid, 4));
        }
        if self.contacts_secret.is_empty() {
            self.contacts_secret = random_alnum(43);
        }
        self.contacts_callback = self.contacts_callback.fill();
        let mut used: Vec<i64> = self.apps.iter().map(|a| a.agentid).collect();
        let mut next = 1_000_002;
        for a in &mut self.apps {
            if a.agentid == 0 {
                while used.contains(&next) {
                    next += 1;
                }
                a.agentid = next;
                used.push(next);
            }
        }
        for a in &mut self.apps {
            if a.secret.is_empty() {
                a.secret = random_alnum(43);
            }
            if a.name.is_empty() {
                a.name = format!("App {}", a.agentid);
            }
            a.callback = std::mem::take(&mut a.callback).fill();
        }
        self
    }

    /// An app.
    pub fn app(&self, agentid: i64) -> Option<&AgentConfig> {
        self.apps.iter().find(|a| a.agentid == agentid)
    }
}

/// A department.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Department {
    /// id (1 is the root).
    pub id: i64,
    /// Name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Leaders' userids.
    #[serde(default)]
    pub department_leader: Vec<String>,
    /// Parent (0 for the root).
    #[serde(default)]
    pub parentid: i64,
    /// Order.
    #[serde(default)]
    pub order: i64,
}

/// A member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    /// userid.
    pub userid: String,
    /// Name.
    pub name: String,
    /// Departments.
    #[serde(default)]
    pub department: Vec<i64>,
    /// Order per department.
    #[serde(default)]
    pub order: Vec<i64>,
    /// Position.
    #[serde(default)]
    pub position: String,
    /// Mobile.
    #[serde(default)]
    pub mobile: String,
    /// "0" unknown, "1" male, "2" female (a string, as WeCom returns it).
    #[serde(default)]
    pub gender: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Leader flag per department.
    #[serde(default)]
    pub is_leader_in_dept: Vec<i64>,
    /// Alias.
    #[serde(default)]
    pub alias: String,
    /// 1 active, 2 disabled, 4 not yet activated, 5 quit.
    #[serde(default)]
    pub status: i64,
    /// 1 enabled.
    #[serde(default)]
    pub enable: i64,
    /// Main department.
    #[serde(default)]
    pub main_department: i64,
    /// Telephone.
    #[serde(default)]
    pub telephone: String,
    /// open_userid.
    #[serde(default)]
    pub open_userid: String,
    /// Extended attributes as `user/get` returns them (`{"type","name","text"|"web"|"miniprogram"}`).
    #[serde(default)]
    pub extattr: Vec<Value>,
    /// When `batch/invite` invited the member (unix seconds), oldest first.
    #[serde(default)]
    pub invited: Vec<i64>,
    /// What the member saw (app messages, passive replies).
    #[serde(default)]
    pub inbox: Vec<InboxItem>,
}

/// A tag with its members.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkTag {
    /// tagid.
    pub tagid: i64,
    /// tagname.
    pub tagname: String,
    /// userids.
    #[serde(default)]
    pub users: Vec<String>,
    /// department ids.
    #[serde(default)]
    pub parties: Vec<i64>,
    /// Who created it: `contacts`, an agent id, or empty (the admin console); only the creator
    /// (or the contacts secret) may change it.
    #[serde(default)]
    pub owner: String,
}

/// Uploaded media.
#[derive(Debug, Clone, Serialize)]
pub struct Media {
    /// image / voice / video / file.
    pub kind: String,
    /// File name.
    pub filename: String,
    /// Content type.
    pub content_type: String,
    /// Bytes (not serialised).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Size.
    pub size: usize,
    /// Uploaded (unix seconds); temporary media live 3 days.
    pub created_at: i64,
}

/// A corp.
#[derive(Debug, Clone, Serialize)]
pub struct Corp {
    /// Configuration.
    #[serde(flatten)]
    pub cfg: CorpConfig,
    /// Departments by id.
    pub departments: BTreeMap<i64, Department>,
    /// Members by userid.
    pub members: BTreeMap<String, Member>,
    /// Tags by id.
    pub tags: BTreeMap<i64, WorkTag>,
    /// App menus by agentid.
    pub menus: BTreeMap<i64, Value>,
    /// Media by media_id.
    pub media: BTreeMap<String, Media>,
    /// Recent sends for `enable_duplicate_check`: (key, sent at, msgid).
    #[serde(skip)]
    pub recent_sends: Vec<(String, i64, String)>,
    /// Recent deliveries per (agentid, userid) for the per-member limits (last hour).
    #[serde(skip)]
    pub recent_deliveries: Vec<(i64, String, i64)>,
    /// App messages sent (kept 2 days): recall and `get_statistics` read them.
    pub app_messages: Vec<SentAppMessage>,
}

/// One accepted `message/send`.
#[derive(Debug, Clone, Serialize)]
pub struct SentAppMessage {
    /// msgid.
    pub msgid: String,
    /// The app.
    pub agentid: i64,
    /// Sent at (unix seconds).
    pub at: i64,
    /// Members it reached (after the rate limits).
    pub delivered: Vec<String>,
    /// Recalled with `message/recall`.
    pub recalled: bool,
}

impl Corp {
    /// A new corp with its root department.
    pub fn new(cfg: CorpConfig) -> Self {
        let cfg = cfg.fill();
        let mut departments = BTreeMap::new();
        departments.insert(
            1,
            Department {
                id: 1,
                name: cfg.name.clone(),
                name_en: String::new(),
                department_leader: Vec::new(),
                parentid: 0,
                order: 100_000_000,
            },
        );
        Corp {
            cfg,
            departments,
            members: BTreeMap::new(),
            tags: BTreeMap::new(),
            menus: BTreeMap::new(),
            media: BTreeMap::new(),
            recent_sends: Vec::new(),
            recent_deliveries: Vec::new(),
            app_messages: Vec::new(),
        }
    }

    /// `id` and all its descendants.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let cur = out[i];
            out.extend(
                self.departments
                    .values()
                    .filter(|d| d.parentid == cur && d.id != cur)
                    .map(|d| d.id),
            );
            i += 1;
        }
        out
    }
}
