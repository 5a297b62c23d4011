//! Accounts of four kinds: `GET|POST /api/accounts`, `GET|PATCH|DELETE /api/accounts/{id}`,
//! `GET /api/tools/credentials` (a random Token and EncodingAESKey, like WeChat's console).
//!
//! Secrets (`app_secret`, `secret`, `contacts_secret`, `api_key`, `encoding_aes_key`, `suite_secret`,
//! `provider_secret`, the client certificate) are write-only: responses carry a [`SecretView`].
//! In a PATCH a secret field that is absent or `null` keeps the stored value; a string replaces it.

use serde::{Deserialize, Serialize};

use crate::validate::{self, Issues};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    OfficialAccount,
    WorkApp,
    PayMerchant,
    WorkSuite,
}

impl AccountKind {
    pub const ALL: [AccountKind; 4] = [
        AccountKind::OfficialAccount,
        AccountKind::WorkApp,
        AccountKind::PayMerchant,
        AccountKind::WorkSuite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::OfficialAccount => "official_account",
            AccountKind::WorkApp => "work_app",
            AccountKind::PayMerchant => "pay_merchant",
            AccountKind::WorkSuite => "work_suite",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Kinds that receive WeChat callbacks at `{public_url}/wx/{id}`.
    pub fn has_callback(self) -> bool {
        !matches!(self, AccountKind::PayMerchant)
    }
}

/// Which WeChat an account talks to. Production accounts never reach the sandbox and vice versa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WechatEnv {
    #[default]
    Production,
    Sandbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageMode {
    /// 明文模式
    Plain,
    /// 兼容模式
    Compatible,
    /// 安全模式
    #[default]
    Safe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SignType {
    #[default]
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
}

/// How a stored secret is shown: never in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SecretView {
    pub set: bool,
    /// e.g. `ab••••••yz` (at most the first and last two characters), empty when unset.
    pub masked: String,
}

impl SecretView {
    pub fn unset() -> SecretView {
        SecretView {
            set: false,
            masked: String::new(),
        }
    }

    /// Mask a secret for display: first two and last two chars of long values, nothing of short ones.
    pub fn of(secret: &str) -> SecretView {
        let chars: Vec<char> = secret.chars().collect();
        let masked = if chars.len() >= 12 {
            let head: String = chars[..2].iter().collect();
            let tail: String = chars[chars.len() - 2..].iter().collect();
            format!("{head}••••••{tail}")
        } else {
            "••••••".to_string()
        };
        SecretView { set: true, masked }
    }
}

// ---------- create ----------

/// `POST /api/accounts`: `{"kind":"official_account","name":…, …fields of that kind}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateAccountRequest {
    pub name: String,
    #[serde(default)]
    pub environment: WechatEnv,
    #[serde(flatten)]
    pub settings: NewAccountSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewAccountSettings {
    OfficialAccount(NewOfficialAccount),
    WorkApp(NewWorkApp),
    PayMerchant(NewPayMerchant),
    WorkSuite(NewWorkSuite),
}

impl NewAccountSettings {
    pub fn kind(&self) -> AccountKind {
        match self {
            NewAccountSettings::OfficialAccount(_) => AccountKind::OfficialAccount,
            NewAccountSettings::WorkApp(_) => AccountKind::WorkApp,
            NewAccountSettings::PayMerchant(_) => AccountKind::PayMerchant,
            NewAccountSettings::WorkSuite(_) => AccountKind::WorkSuite,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewOfficialAccount {
    pub app_id: String,
    pub app_secret: String,
    pub token: String,
    /// Required unless `message_mode` is `plain`.
    #[serde(default)]
    pub encoding_aes_key: Option<String>,
    #[serde(default)]
    pub message_mode: MessageMode,
    /// `gh_…`
    pub original_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewWorkApp {
    pub corp_id: String,
    pub agent_id: i64,
    pub secret: String,
    #[serde(default)]
    pub contacts_secret: Option<String>,
    pub token: String,
    pub encoding_aes_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewPayMerchant {
    pub mch_id: String,
    /// The app id the merchant is bound to (an OA's `app_id`).
    pub app_id: String,
    pub api_key: String,
    #[serde(default)]
    pub sign_type: SignType,
    /// PKCS#12 client certificate (apiclient_cert.p12), base64; needed for refunds.
    #[serde(default)]
    pub client_cert_p12_base64: Option<String>,
    /// Password of the .p12; defaults to `mch_id`, as WeChat issues it.
    #[serde(default)]
    pub client_cert_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewWorkSuite {
    pub suite_id: String,
    pub suite_secret: String,
    pub token: String,
    pub encoding_aes_key: String,
    #[serde(default)]
    pub provider_corp_id: Option<String>,
    #[serde(default)]
    pub provider_secret: Option<String>,
}

// ---------- update ----------

/// `PATCH /api/accounts/{id}`: only the fields present change. The kind never changes.
/// Fields that do not belong to the account's kind are rejected with a validation error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateAccountRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<WechatEnv>,
    // official_account
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_mode: Option<MessageMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_id: Option<String>,
    // shared by OA, work_app, work_suite
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_aes_key: Option<String>,
    // work_app
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corp_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts_secret: Option<String>,
    // pay_merchant
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mch_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_type: Option<SignType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert_p12_base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert_password: Option<String>,
    // work_suite
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_corp_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_secret: Option<String>,
}

// ---------- read ----------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub kind: AccountKind,
    pub environment: WechatEnv,
    /// `{public_url}/wx/{id}` for kinds with callbacks; `None` for pay merchants.
    pub callback_url: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    pub settings: AccountSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountSettings {
    OfficialAccount(OfficialAccountView),
    WorkApp(WorkAppView),
    PayMerchant(PayMerchantView),
    WorkSuite(WorkSuiteView),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfficialAccountView {
    pub app_id: String,
    pub app_secret: SecretView,
    /// Sealed like the other secrets: whoever holds it can forge plain-mode pushes. Admins
    /// reveal it on demand (`POST /api/accounts/{id}/reveal`) to paste it into WeChat's console.
    pub token: SecretView,
    pub encoding_aes_key: SecretView,
    pub message_mode: MessageMode,
    pub original_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkAppView {
    pub corp_id: String,
    pub agent_id: i64,
    pub secret: SecretView,
    pub contacts_secret: SecretView,
    pub token: SecretView,
    pub encoding_aes_key: SecretView,
    /// Set when the account operates a corp that authorised a suite: no secret of its own, its
    /// credentials are the suite's and the corp's permanent code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_corp: Option<crate::wecom_managed::SuiteCorpLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PayMerchantView {
    pub mch_id: String,
    pub app_id: String,
    pub api_key: SecretView,
    pub sign_type: SignType,
    pub client_cert: SecretView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkSuiteView {
    pub suite_id: String,
    pub suite_secret: SecretView,
    pub token: SecretView,
    pub encoding_aes_key: SecretView,
    pub provider_corp_id: Option<String>,
    pub provider_secret: SecretView,
}

/// The secrets an admin may reveal: what must be pasted into WeChat's console. Secrets that
/// come from WeChat (AppSecret, API key, …) are never shown again.
pub const REVEALABLE_SECRETS: &[&str] = &["token", "encoding_aes_key"];

/// `POST /api/accounts/{id}/reveal`: one sealed value, for an admin (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RevealSecretRequest {
    /// `token` or `encoding_aes_key`.
    pub field: String,
}

/// The revealed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RevealedSecret {
    pub field: String,
    pub value: String,
}

/// `GET /api/tools/credentials`: fresh random values in WeChat's formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GeneratedCredentials {
    /// 32 alphanumerics.
    pub token: String,
    /// 43 alphanumerics.
    pub encoding_aes_key: String,
}

impl CreateAccountRequest {
    /// Every rule the server applies before storing, in the order fields appear in the form.
    pub fn validate(&self) -> Issues {
        let mut issues = Issues::default();
        issues.check("name", validate::account_name(&self.name));
        match &self.settings {
            NewAccountSettings::OfficialAccount(oa) => {
                issues.check("app_id", validate::app_id(&oa.app_id));
                issues.check("app_secret", validate::app_secret(&oa.app_secret));
                issues.check("token", validate::token(&oa.token));
                match (&oa.encoding_aes_key, oa.message_mode) {
                    (Some(key), _) if !key.is_empty() => {
                        issues.check("encoding_aes_key", validate::encoding_aes_key(key))
                    }
                    (_, MessageMode::Plain) => {}
                    _ => issues.check("encoding_aes_key", Err(validate::Rule::Required)),
                }
                issues.check("original_id", validate::original_id(&oa.original_id));
            }
            NewAccountSettings::WorkApp(app) => {
                issues.check("corp_id", validate::corp_id(&app.corp_id));
                issues.check("agent_id", validate::agent_id(app.agent_id));
                issues.check("secret", validate::corp_secret(&app.secret));
                if let Some(s) = app.contacts_secret.as_deref().filter(|s| !s.is_empty()) {
                    issues.check("contacts_secret", validate::corp_secret(s));
                }
                issues.check("token", validate::token(&app.token));
                issues.check(
                    "encoding_aes_key",
                    validate::encoding_aes_key(&app.encoding_aes_key),
                );
            }
            NewAccountSettings::PayMerchant(m) => {
                issues.check("mch_id", validate::mch_id(&m.mch_id));
                issues.check("app_id", validate::app_id(&m.app_id));
                issues.check("api_key", validate::pay_api_key(&m.api_key));
                if let Some(b64) = m
                    .client_cert_p12_base64
                    .as_deref()
                    .filter(|s| !s.is_empty())
                {
                    issues.check(
                        "client_cert_p12_base64",
                        validate::base64_blob(b64, 64 * 1024),
                    );
                }
            }
            NewAccountSettings::WorkSuite(s) => {
                issues.check("suite_id", validate::suite_id(&s.suite_id));
                issues.check("suite_secret", validate::corp_secret(&s.suite_secret));
                issues.check("token", validate::token(&s.token));
                issues.check(
                    "encoding_aes_key",
                    validate::encoding_aes_key(&s.encoding_aes_key),
                );
                if let Some(c) = s.provider_corp_id.as_deref().filter(|s| !s.is_empty()) {
                    issues.check("provider_corp_id", validate::corp_id(c));
                }
                if let Some(p) = s.provider_secret.as_deref().filter(|s| !s.is_empty()) {
                    issues.check("provider_secret", validate::corp_secret(p));
                }
            }
        }
        issues
    }
}

impl UpdateAccountRequest {
    /// Format rules for the fields present, and which fields do not belong to `kind`.
    pub fn validate(&self, kind: AccountKind) -> Issues {
        use AccountKind::*;
        let mut issues = Issues::default();
        let allowed = |field: &str| -> bool {
            match field {
                "app_id" => matches!(kind, OfficialAccount | PayMerchant),
                "app_secret" | "message_mode" | "original_id" => kind == OfficialAccount,
                "token" | "encoding_aes_key" => kind != PayMerchant,
                "corp_id" | "agent_id" | "secret" | "contacts_secret" => kind == WorkApp,
                "mch_id"
                | "api_key"
                | "sign_type"
                | "client_cert_p12_base64"
                | "client_cert_password" => kind == PayMerchant,
                "suite_id" | "suite_secret" | "provider_corp_id" | "provider_secret" => {
                    kind == WorkSuite
                }
                _ => true,
            }
        };
        let mut field = |name: &str, present: bool, rule: Result<(), validate::Rule>| {
            if !present {
                return;
            }
            if !allowed(name) {
                issues.check(name, Err(validate::Rule::NotForKind));
            } else {
                issues.check(name, rule);
            }
        };
        let ok = Ok(());
        field(
            "name",
            self.name.is_some(),
            self.name.as_deref().map_or(Ok(()), validate::account_name),
        );
        field(
            "app_id",
            self.app_id.is_some(),
            self.app_id.as_deref().map_or(Ok(()), validate::app_id),
        );
        field(
            "app_secret",
            self.app_secret.is_some(),
            self.app_secret
                .as_deref()
                .map_or(Ok(()), validate::app_secret),
        );
        field("message_mode", self.message_mode.is_some(), ok);
        field(
            "original_id",
            self.original_id.is_some(),
            self.original_id
                .as_deref()
                .map_or(Ok(()), validate::original_id),
        );
        field(
            "token",
            self.token.is_some(),
            self.token.as_deref().map_or(Ok(()), validate::token),
        );
        field(
            "encoding_aes_key",
            self.encoding_aes_key.is_some(),
            self.encoding_aes_key
                .as_deref()
                .map_or(Ok(()), validate::encoding_aes_key),
        );
        field(
            "corp_id",
            self.corp_id.is_some(),
            self.corp_id.as_deref().map_or(Ok(()), validate::corp_id),
        );
        field(
            "agent_id",
            self.agent_id.is_some(),
            self.agent_id.map_or(Ok(()), validate::agent_id),
        );
        field(
            "secret",
            self.secret.is_some(),
            self.secret.as_deref().map_or(Ok(()), validate::corp_secret),
        );
        field(
            "contacts_secret",
            self.contacts_secret.is_some(),
            self.contacts_secret
                .as_deref()
                .map_or(Ok(()), validate::corp_secret),
        );
        field(
            "mch_id",
            self.mch_id.is_some(),
            self.mch_id.as_deref().map_or(Ok(()), validate::mch_id),
        );
        field(
            "api_key",
            self.api_key.is_some(),
            self.api_key
                .as_deref()
                .map_or(Ok(()), validate::pay_api_key),
        );
        field("sign_type", self.sign_type.is_some(), ok);
        field(
            "client_cert_p12_base64",
            self.client_cert_p12_base64.is_some(),
            self.client_cert_p12_base64
                .as_deref()
                .map_or(Ok(()), |b| validate::base64_blob(b, 64 * 1024)),
        );
        field(
            "client_cert_password",
            self.client_cert_password.is_some(),
            ok,
        );
        field(
            "suite_id",
            self.suite_id.is_some(),
            self.suite_id.as_deref().map_or(Ok(()), validate::suite_id),
        );
        field(
            "suite_secret",
            self.suite_secret.is_some(),
            self.suite_secret
                .as_deref()
                .map_or(Ok(()), validate::corp_secret),
        );
        field(
            "provider_corp_id",
            self.provider_corp_id.is_some(),
            self.provider_corp_id
                .as_deref()
                .map_or(Ok(()), validate::corp_id),
        );
        field(
            "provider_secret",
            self.provider_secret.is_some(),
            self.provider_secret
                .as_deref()
                .map_or(Ok(()), validate::corp_secret),
        );
        issues
    }
}
