//! Accounts: list, create/edit form, detail.

pub mod activity;
pub mod api;
pub mod detail;
pub mod form;
pub mod list;
pub mod section;

use ::api::accounts::{Account, AccountKind, AccountSettings, MessageMode, SignType, WechatEnv};

use crate::i18n::K;

pub use detail::AccountDetailPage;
pub use form::{AccountCreatePage, AccountEditPage};
pub use list::AccountsPage;
pub use section::{AccountSection, AccountTab, use_account_id};

pub fn kind_key(kind: AccountKind) -> K {
    match kind {
        AccountKind::OfficialAccount => K::KindOfficialAccount,
        AccountKind::WorkApp => K::KindWorkApp,
        AccountKind::PayMerchant => K::KindPayMerchant,
        AccountKind::WorkSuite => K::KindWorkSuite,
    }
}

pub fn kind_desc_key(kind: AccountKind) -> K {
    match kind {
        AccountKind::OfficialAccount => K::KindDescOfficialAccount,
        AccountKind::WorkApp => K::KindDescWorkApp,
        AccountKind::PayMerchant => K::KindDescPayMerchant,
        AccountKind::WorkSuite => K::KindDescWorkSuite,
    }
}

/// A short CSS modifier per kind, for colours.
pub fn kind_class(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::OfficialAccount => "kind kind-oa",
        AccountKind::WorkApp => "kind kind-work",
        AccountKind::PayMerchant => "kind kind-pay",
        AccountKind::WorkSuite => "kind kind-suite",
    }
}

pub fn callback_hint_key(kind: AccountKind) -> K {
    match kind {
        AccountKind::WorkApp => K::CallbackHintWorkApp,
        AccountKind::WorkSuite => K::CallbackHintWorkSuite,
        _ => K::CallbackHintOfficialAccount,
    }
}

pub fn env_key(env: WechatEnv) -> K {
    match env {
        WechatEnv::Production => K::EnvProduction,
        WechatEnv::Sandbox => K::EnvSandbox,
    }
}

pub fn mode_key(mode: MessageMode) -> K {
    match mode {
        MessageMode::Plain => K::ModePlain,
        MessageMode::Compatible => K::ModeCompatible,
        MessageMode::Safe => K::ModeSafeShort,
    }
}

pub fn mode_str(mode: MessageMode) -> &'static str {
    match mode {
        MessageMode::Plain => "plain",
        MessageMode::Compatible => "compatible",
        MessageMode::Safe => "safe",
    }
}

pub fn parse_mode(s: &str) -> MessageMode {
    match s {
        "plain" => MessageMode::Plain,
        "compatible" => MessageMode::Compatible,
        _ => MessageMode::Safe,
    }
}

pub fn sign_type_str(t: SignType) -> &'static str {
    match t {
        SignType::Md5 => "MD5",
        SignType::HmacSha256 => "HMAC-SHA256",
    }
}

pub fn parse_sign_type(s: &str) -> SignType {
    match s {
        "HMAC-SHA256" => SignType::HmacSha256,
        _ => SignType::Md5,
    }
}

pub fn env_str(env: WechatEnv) -> &'static str {
    match env {
        WechatEnv::Production => "production",
        WechatEnv::Sandbox => "sandbox",
    }
}

pub fn parse_env(s: &str) -> WechatEnv {
    match s {
        "sandbox" => WechatEnv::Sandbox,
        _ => WechatEnv::Production,
    }
}

/// The id WeChat knows the account by: AppID, CorpID/AgentId, merchant ID or SuiteID.
pub fn identifier(account: &Account) -> String {
    match &account.settings {
        AccountSettings::OfficialAccount(oa) => oa.app_id.clone(),
        AccountSettings::WorkApp(app) => format!("{} / {}", app.corp_id, app.agent_id),
        AccountSettings::PayMerchant(m) => m.mch_id.clone(),
        AccountSettings::WorkSuite(s) => s.suite_id.clone(),
    }
}

/// Whether `account` matches a free-text search (name, identifiers, id).
pub fn matches_search(account: &Account, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return true;
    }
    let mut hay = vec![account.name.to_lowercase(), account.id.to_string()];
    match &account.settings {
        AccountSettings::OfficialAccount(oa) => {
            hay.push(oa.app_id.to_lowercase());
            hay.push(oa.original_id.to_lowercase());
        }
        AccountSettings::WorkApp(app) => {
            hay.push(app.corp_id.to_lowercase());
            hay.push(app.agent_id.to_string());
        }
        AccountSettings::PayMerchant(m) => {
            hay.push(m.mch_id.clone());
            hay.push(m.app_id.to_lowercase());
        }
        AccountSettings::WorkSuite(s) => hay.push(s.suite_id.to_lowercase()),
    }
    hay.iter().any(|h| h.contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::api::accounts::{OfficialAccountView, SecretView};

    fn oa() -> Account {
        Account {
            id: 7,
            name: "官方服务号".into(),
            kind: AccountKind::OfficialAccount,
            environment: WechatEnv::Sandbox,
            callback_url: Some("http://x/wx/7".into()),
            created_at: String::new(),
            updated_at: String::new(),
            settings: AccountSettings::OfficialAccount(OfficialAccountView {
                app_id: "wxb11529c136998cb6".into(),
                app_secret: SecretView::unset(),
                token: SecretView::unset(),
                encoding_aes_key: SecretView::unset(),
                message_mode: MessageMode::Safe,
                original_id: "gh_7f083739789a".into(),
            }),
        }
    }

    #[test]
    fn search_looks_at_name_and_ids() {
        let a = oa();
        assert!(matches_search(&a, ""));
        assert!(matches_search(&a, "服务号"));
        assert!(matches_search(&a, "WXB115"));
        assert!(matches_search(&a, "gh_7f"));
        assert!(!matches_search(&a, "no-such-account-xyz"));
    }

    #[test]
    fn enum_strings_round_trip() {
        for m in [
            MessageMode::Plain,
            MessageMode::Compatible,
            MessageMode::Safe,
        ] {
            assert_eq!(parse_mode(mode_str(m)), m);
            assert_eq!(serde_json::to_value(m).unwrap(), mode_str(m));
        }
        for t in [SignType::Md5, SignType::HmacSha256] {
            assert_eq!(parse_sign_type(sign_type_str(t)), t);
            assert_eq!(serde_json::to_value(t).unwrap(), sign_type_str(t));
        }
        for e in [WechatEnv::Production, WechatEnv::Sandbox] {
            assert_eq!(parse_env(env_str(e)), e);
            assert_eq!(serde_json::to_value(e).unwrap(), env_str(e));
        }
    }
}
