//! Official Account state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::proto::crypto::random_aes_key;
use crate::proto::sign::{random_alnum, random_hex, random_token};

/// How the account's server receives callbacks (protocol reference §1.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackMode {
    /// 明文: plaintext XML, `signature` only.
    #[default]
    Plain,
    /// 兼容: plaintext fields plus `<Encrypt>`.
    Compatible,
    /// 安全: `<Encrypt>` only.
    Safe,
}

/// Account type: what WeChat lets the account call (⚠️ the matrix in [`AccountType::allows`]
/// follows WeChat's public interface-permission table as far as it is known).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// 认证服务号: everything.
    #[default]
    ServiceVerified,
    /// 服务号 (not verified).
    Service,
    /// 认证订阅号.
    SubscriptionVerified,
    /// 订阅号 (not verified).
    Subscription,
    /// 测试号 (sandbox test account): everything.
    Test,
}

impl AccountType {
    /// Whether this account type may call the API at `path` (else 48001).
    pub fn allows(self, path: &str) -> bool {
        use AccountType::*;
        let verified = matches!(self, ServiceVerified | SubscriptionVerified | Test);
        let service_verified = matches!(self, ServiceVerified | Test);
        if path.contains("/qrcode/")
            || path.contains("/template/")
            || path.ends_with("/message/mass/send")
        {
            return service_verified;
        }
        if path.contains("/user/")
            || path.contains("/tags/")
            || path.contains("/groups/")
            || path.contains("/message/custom/")
            || path.ends_with("/message/mass/sendall")
            || path.ends_with("/menu/addconditional")
            || path.ends_with("/menu/trymatch")
        {
            return verified;
        }
        true
    }
}

/// Configuration of an Official Account (control API, seed file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OaConfig {
    /// AppID (`wx` + 16 hex); generated when empty.
    #[serde(default)]
    pub appid: String,
    /// AppSecret (32 hex); generated when empty.
    #[serde(default)]
    pub secret: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Original id (`gh_` + 12 hex), the `ToUserName` of callbacks; generated when empty.
    #[serde(default)]
    pub original_id: String,
    /// Callback Token; generated when empty.
    #[serde(default)]
    pub token: String,
    /// EncodingAESKey (43 chars); generated when empty.
    #[serde(default)]
    pub encoding_aes_key: String,
    /// Callback mode.
    #[serde(default)]
    pub mode: CallbackMode,
    /// Account type (default: verified service account).
    #[serde(default)]
    pub account_type: AccountType,
    /// The developer's server URL (none: callbacks are recorded as undeliverable).
    #[serde(default)]
    pub callback_url: Option<String>,
}

impl OaConfig {
    /// Fills every empty field with a WeChat-shaped random value.
    pub fn fill(mut self) -> Self {
        if self.appid.is_empty() {
            self.appid = format!("wx{}", random_hex(16));
        }
        if self.secret.is_empty() {
            self.secret = random_hex(32);
        }
        if self.name.is_empty() {
            self.name = format!("Account {}", crate::proto::sign::tail(&self.appid, 4));
        }
        if self.original_id.is_empty() {
            self.original_id = format!("gh_{}", random_hex(12));
        }
        if self.token.is_empty() {
            self.token = random_alnum(16);
        }
        if self.encoding_aes_key.is_empty() {
            self.encoding_aes_key = random_aes_key();
        }
        self
    }
}

/// One message or card the follower saw in their chat with the account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InboxItem {
    /// When (unix seconds, emulated).
    pub at: i64,
    /// `passive_reply`, `custom`, `template`, `mass`, or `system` (WeChat's own notice, e.g.
    /// "该公众号暂时无法提供服务，请稍后再试").
    pub source: String,
    /// `text`, `image`, `news`, … as in the reply or API call.
    pub msg_type: String,
    /// The content: for passive replies the parsed reply fields, for API sends the JSON body.
    pub content: Value,
    /// The callback delivery that produced it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_id: Option<u64>,
    /// Customer-service messages sent as a customer-service account
    /// (`customservice.kf_account`): the follower sees that worker as the sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kf_account: Option<String>,
}

fn yes() -> bool {
    true
}
fn zh_cn() -> String {
    "zh_CN".into()
}
fn scene_others() -> String {
    "ADD_SCENE_OTHERS".into()
}

/// A follower (or former follower) of an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Follower {
    /// openid (generated when empty in a seed).
    #[serde(default)]
    pub openid: String,
    /// unionid, if the account is bound to an open platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
    /// Currently following.
    #[serde(default = "yes")]
    pub subscribed: bool,
    /// Last subscribe time (unix seconds).
    #[serde(default)]
    pub subscribe_time: i64,
    /// `ADD_SCENE_SEARCH`, `ADD_SCENE_QR_CODE`, `ADD_SCENE_OTHERS`, …
    #[serde(default = "scene_others")]
    pub subscribe_scene: String,
    /// QR scene id when subscribed by scanning.
    #[serde(default)]
    pub qr_scene: i64,
    /// QR scene string when subscribed by scanning.
    #[serde(default)]
    pub qr_scene_str: String,
    /// Remark set by the account.
    #[serde(default)]
    pub remark: String,
    /// Tags.
    #[serde(default)]
    pub tagid_list: Vec<i64>,
    /// Legacy group (0 = 未分组).
    #[serde(default)]
    pub groupid: i64,
    /// Language.
    #[serde(default = "zh_cn")]
    pub language: String,
    /// Nickname (only shown through OAuth `sns/userinfo`).
    #[serde(default)]
    pub nickname: String,
    /// Sex (OAuth userinfo; 0 unknown).
    #[serde(default)]
    pub sex: u8,
    /// City (OAuth userinfo; also used by conditional menus).
    #[serde(default)]
    pub city: String,
    /// Province.
    #[serde(default)]
    pub province: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// Client platform for conditional menus (1 iOS, 2 Android, 3 others).
    #[serde(default)]
    pub client_platform_type: u8,
    /// Last time the follower messaged or acted (opens the 48-hour custom-message window).
    #[serde(default)]
    pub last_active: Option<i64>,
    /// The follower refused the account's template messages (TEMPLATESENDJOBFINISH then says
    /// `failed:user block`).
    #[serde(default)]
    pub blocks_templates: bool,
    /// What the follower saw.
    #[serde(default)]
    pub inbox: Vec<InboxItem>,
}

impl Follower {
    /// A new follower with defaults.
    pub fn new(openid: String, now: i64) -> Self {
        Follower {
            openid,
            unionid: None,
            subscribed: true,
            subscribe_time: now,
            subscribe_scene: scene_others(),
            qr_scene: 0,
            qr_scene_str: String::new(),
            remark: String::new(),
            tagid_list: Vec::new(),
            groupid: 0,
            language: zh_cn(),
            nickname: String::new(),
            sex: 0,
            city: String::new(),
            province: String::new(),
            country: String::new(),
            client_platform_type: 0,
            last_active: None,
            blocks_templates: false,
            inbox: Vec::new(),
        }
    }
}

/// A fresh openid: 28 characters starting with `o`.
pub fn new_openid() -> String {
    format!("o{}", random_token(27))
}

/// A user tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tag {
    /// id (0–2 are system tags; user tags start at 100).
    pub id: i64,
    /// name.
    pub name: String,
}

/// A conditional menu.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CondMenu {
    /// menuid.
    pub menuid: i64,
    /// Buttons, normalised as `menu/get` shows them.
    pub button: Value,
    /// Match rule as given.
    pub matchrule: Value,
}

/// An Official Account.
#[derive(Debug, Clone, Serialize)]
pub struct OaApp {
    /// Configuration.
    #[serde(flatten)]
    pub cfg: OaConfig,
    /// Followers by openid (`user/get` lists them in this order).
    pub followers: BTreeMap<String, Follower>,
    /// How many of them are subscribed, once counted (`user/get`'s `total`, asked on every
    /// page of a listing); `None` after anything that adds followers or (un)subscribes one.
    #[serde(skip)]
    pub subscribed_total: Option<usize>,
    /// Tags by id.
    pub tags: BTreeMap<i64, Tag>,
    /// Legacy groups by id.
    pub groups: BTreeMap<i64, Tag>,
    /// Default menu `(menuid, buttons)`.
    pub menu: Option<(i64, Value)>,
    /// Conditional menus, oldest first.
    pub conditional_menus: Vec<CondMenu>,
    /// Last user tag id handed out (ids are never reused).
    #[serde(skip)]
    pub last_tag_id: i64,
    /// Last `stable_token` force refresh.
    #[serde(skip)]
    pub last_force_refresh: Option<i64>,
    /// `cgi-bin/token` calls per CST day (yyyyMMdd → count), for the daily quota.
    #[serde(skip)]
    pub token_calls: BTreeMap<String, u32>,
    /// OAuth codes.
    #[serde(skip)]
    pub oauth_codes: BTreeMap<String, OAuthGrant>,
    /// OAuth refresh tokens.
    #[serde(skip)]
    pub refresh_tokens: BTreeMap<String, OAuthGrant>,
    /// JS-SDK tickets by type: (ticket, expires).
    #[serde(skip)]
    pub tickets: BTreeMap<String, (String, i64)>,
    /// Temporary media and permanent materials by media_id.
    pub media: BTreeMap<String, StoredMedia>,
    /// Drafts by media_id.
    pub drafts: BTreeMap<String, Draft>,
    /// Publish jobs by publish_id.
    pub publishes: BTreeMap<String, Publish>,
    /// Industries set with `template/api_set_industry`.
    pub industry: Option<(i64, i64)>,
    /// Private templates.
    pub templates: Vec<Value>,
    /// Mass sends by msg_id.
    pub mass: BTreeMap<i64, MassSend>,
    /// `message/mass/speed/set` level (0 fastest … 4), 0 until set.
    pub mass_speed: i64,
    /// Template sends with a `client_msg_id`, by `openid` + `\n` + `client_msg_id`:
    /// (msgid, when).
    pub template_sends: BTreeMap<String, (i64, i64)>,
    /// Customer-service accounts, oldest first.
    pub kf_accounts: Vec<super::kf::KfAccount>,
    /// Last `kf_id` handed out (minus 1000).
    #[serde(skip)]
    pub last_kf_id: i64,
}

/// Uploaded media (temporary) or a permanent material.
#[derive(Debug, Clone, Serialize)]
pub struct StoredMedia {
    /// `image`, `voice`, `video`, `thumb`.
    pub kind: String,
    /// Permanent material (else temporary: expires after 3 days).
    pub permanent: bool,
    /// File name.
    pub filename: String,
    /// Content type.
    pub content_type: String,
    /// Size.
    pub size: usize,
    /// Bytes (not serialised).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Uploaded (unix seconds).
    pub created_at: i64,
    /// URL (permanent images).
    pub url: Option<String>,
    /// Video title/introduction.
    pub description: Option<Value>,
}

/// A draft.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// Articles as stored (`draft/get` shape).
    pub articles: Vec<Value>,
    /// Last update.
    pub update_time: i64,
}

/// A freepublish job.
#[derive(Debug, Clone, Serialize)]
pub struct Publish {
    /// Draft media_id.
    pub media_id: String,
    /// 0 success, 1 publishing.
    pub status: i64,
    /// article_id once published.
    pub article_id: String,
    /// Article URLs once published.
    pub urls: Vec<String>,
    /// Deleted with `freepublish/delete`.
    pub deleted: bool,
}

/// A mass send.
#[derive(Debug, Clone, Serialize)]
pub struct MassSend {
    /// `SENDING`, `SEND_SUCCESS`, `DELETE`.
    pub status: String,
    /// Receivers.
    pub openids: Vec<String>,
    /// msgtype.
    pub msgtype: String,
    /// Payload.
    pub content: Value,
    /// msg_data_id (mpnews).
    pub msg_data_id: Option<i64>,
    /// clientmsgid.
    pub clientmsgid: Option<String>,
    /// Submitted at.
    pub created: i64,
}

/// An OAuth code or refresh token.
#[derive(Debug, Clone, Serialize)]
pub struct OAuthGrant {
    /// The user.
    pub openid: String,
    /// `snsapi_base` or `snsapi_userinfo`.
    pub scope: String,
    /// Expiry.
    pub expires: i64,
    /// Codes are single-use.
    pub used: bool,
}

impl OaApp {
    /// A new account with WeChat's built-in tag (2 星标组) and groups (0, 1, 2).
    pub fn new(cfg: OaConfig) -> Self {
        let mut tags = BTreeMap::new();
        tags.insert(
            2,
            Tag {
                id: 2,
                name: "星标组".into(),
            },
        );
        let mut groups = BTreeMap::new();
        for (id, name) in [(0, "未分组"), (1, "黑名单"), (2, "星标组")] {
            groups.insert(
                id,
                Tag {
                    id,
                    name: name.into(),
                },
            );
        }
        OaApp {
            cfg: cfg.fill(),
            followers: BTreeMap::new(),
            subscribed_total: None,
            tags,
            groups,
            menu: None,
            conditional_menus: Vec::new(),
            last_tag_id: 99,
            last_force_refresh: None,
            token_calls: BTreeMap::new(),
            oauth_codes: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            tickets: BTreeMap::new(),
            media: BTreeMap::new(),
            drafts: BTreeMap::new(),
            publishes: BTreeMap::new(),
            industry: None,
            templates: Vec::new(),
            mass: BTreeMap::new(),
            mass_speed: 0,
            template_sends: BTreeMap::new(),
            kf_accounts: Vec::new(),
            last_kf_id: 0,
        }
    }

    /// A subscribed follower.
    pub fn subscribed(&self, openid: &str) -> Option<&Follower> {
        self.followers.get(openid).filter(|f| f.subscribed)
    }
}

/// A QR code ticket created by `qrcode/create`.
#[derive(Debug, Clone, Serialize)]
pub struct QrTicket {
    /// The ticket itself.
    pub ticket: String,
    /// The account.
    pub appid: String,
    /// `QR_SCENE`, `QR_STR_SCENE`, `QR_LIMIT_SCENE`, `QR_LIMIT_STR_SCENE`.
    pub action_name: String,
    /// Numeric scene.
    pub scene_id: Option<i64>,
    /// String scene.
    pub scene_str: Option<String>,
    /// Expiry (temporary codes).
    pub expires: Option<i64>,
    /// The URL encoded in the image (`http://weixin.qq.com/q/…`).
    pub url: String,
}

impl QrTicket {
    /// The scene value as it appears in `EventKey`.
    pub fn scene(&self) -> String {
        match (&self.scene_id, &self.scene_str) {
            (Some(id), _) => id.to_string(),
            (None, Some(s)) => s.clone(),
            _ => String::new(),
        }
    }
}
