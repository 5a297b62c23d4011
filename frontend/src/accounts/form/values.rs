//! The account form's values as text, and the requests (with their issues) built from them.

use api::accounts::{
    Account, AccountKind, AccountSettings, CreateAccountRequest, NewAccountSettings,
    NewOfficialAccount, NewPayMerchant, NewWorkApp, NewWorkSuite, SecretView, UpdateAccountRequest,
};
use api::validate::{Issues, Rule};
use leptos::prelude::*;

use crate::accounts::{env_str, mode_str, parse_env, parse_mode, parse_sign_type, sign_type_str};

/// Every input of the form, as text (enums by their JSON value).
#[derive(Debug, Clone, Copy)]
pub(super) struct Values {
    pub(super) name: RwSignal<String>,
    pub(super) environment: RwSignal<String>,
    pub(super) app_id: RwSignal<String>,
    pub(super) app_secret: RwSignal<String>,
    pub(super) token: RwSignal<String>,
    pub(super) encoding_aes_key: RwSignal<String>,
    pub(super) message_mode: RwSignal<String>,
    pub(super) original_id: RwSignal<String>,
    pub(super) corp_id: RwSignal<String>,
    pub(super) agent_id: RwSignal<String>,
    pub(super) secret: RwSignal<String>,
    pub(super) contacts_secret: RwSignal<String>,
    pub(super) mch_id: RwSignal<String>,
    pub(super) api_key: RwSignal<String>,
    pub(super) sign_type: RwSignal<String>,
    pub(super) client_cert_p12_base64: RwSignal<String>,
    pub(super) client_cert_password: RwSignal<String>,
    pub(super) cert_file_name: RwSignal<String>,
    pub(super) suite_id: RwSignal<String>,
    pub(super) suite_secret: RwSignal<String>,
    pub(super) provider_corp_id: RwSignal<String>,
    pub(super) provider_secret: RwSignal<String>,
}

pub(super) fn s(v: &str) -> RwSignal<String> {
    RwSignal::new(v.to_string())
}

impl Values {
    pub(super) fn empty() -> Values {
        Values {
            name: s(""),
            environment: s("production"),
            app_id: s(""),
            app_secret: s(""),
            token: s(""),
            encoding_aes_key: s(""),
            message_mode: s("safe"),
            original_id: s(""),
            corp_id: s(""),
            agent_id: s(""),
            secret: s(""),
            contacts_secret: s(""),
            mch_id: s(""),
            api_key: s(""),
            sign_type: s("MD5"),
            client_cert_p12_base64: s(""),
            client_cert_password: s(""),
            cert_file_name: s(""),
            suite_id: s(""),
            suite_secret: s(""),
            provider_corp_id: s(""),
            provider_secret: s(""),
        }
    }

    /// Non-secret values of an existing account; secrets stay empty (= keep).
    pub(super) fn of(account: &Account) -> Values {
        let v = Values::empty();
        v.name.set(account.name.clone());
        v.environment.set(env_str(account.environment).into());
        match &account.settings {
            AccountSettings::OfficialAccount(oa) => {
                v.app_id.set(oa.app_id.clone());
                v.message_mode.set(mode_str(oa.message_mode).into());
                v.original_id.set(oa.original_id.clone());
            }
            AccountSettings::WorkApp(app) => {
                v.corp_id.set(app.corp_id.clone());
                v.agent_id.set(app.agent_id.to_string());
            }
            AccountSettings::PayMerchant(m) => {
                v.mch_id.set(m.mch_id.clone());
                v.app_id.set(m.app_id.clone());
                v.sign_type.set(sign_type_str(m.sign_type).into());
            }
            AccountSettings::WorkSuite(su) => {
                v.suite_id.set(su.suite_id.clone());
                v.provider_corp_id
                    .set(su.provider_corp_id.clone().unwrap_or_default());
            }
        }
        v
    }

    pub(super) fn get(self, name: &str) -> RwSignal<String> {
        match name {
            "name" => self.name,
            "environment" => self.environment,
            "app_id" => self.app_id,
            "app_secret" => self.app_secret,
            "token" => self.token,
            "encoding_aes_key" => self.encoding_aes_key,
            "message_mode" => self.message_mode,
            "original_id" => self.original_id,
            "corp_id" => self.corp_id,
            "agent_id" => self.agent_id,
            "secret" => self.secret,
            "contacts_secret" => self.contacts_secret,
            "mch_id" => self.mch_id,
            "api_key" => self.api_key,
            "sign_type" => self.sign_type,
            "client_cert_p12_base64" => self.client_cert_p12_base64,
            "client_cert_password" => self.client_cert_password,
            "suite_id" => self.suite_id,
            "suite_secret" => self.suite_secret,
            "provider_corp_id" => self.provider_corp_id,
            _ => self.provider_secret,
        }
    }

    pub(super) fn text(self, name: &str) -> String {
        self.get(name).get().trim().to_string()
    }

    pub(super) fn opt(self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }
}

/// Secret fields: write-only, shown masked when editing.
pub(super) const SECRETS: &[&str] = &[
    "app_secret",
    "token",
    "secret",
    "contacts_secret",
    "api_key",
    "encoding_aes_key",
    "suite_secret",
    "provider_secret",
    "client_cert_p12_base64",
];

pub(super) fn agent_id_issue(text: &str) -> Result<i64, Rule> {
    if text.is_empty() {
        return Err(Rule::Required);
    }
    text.parse::<i64>().map_err(|_| Rule::AgentIdFormat)
}

/// Puts our own agent_id verdict in place of the one made on a parsed placeholder.
pub(super) fn fix_agent_id(issues: &mut Issues, verdict: Result<i64, Rule>) {
    if let Err(rule) = verdict {
        issues.list.retain(|(f, _)| f != "agent_id");
        issues.list.push(("agent_id".into(), rule));
    }
}

pub(super) fn build_create(kind: AccountKind, v: Values) -> (CreateAccountRequest, Issues) {
    let agent = agent_id_issue(&v.text("agent_id"));
    let settings = match kind {
        AccountKind::OfficialAccount => NewAccountSettings::OfficialAccount(NewOfficialAccount {
            app_id: v.text("app_id"),
            app_secret: v.text("app_secret"),
            token: v.text("token"),
            encoding_aes_key: v.opt("encoding_aes_key"),
            message_mode: parse_mode(&v.text("message_mode")),
            original_id: v.text("original_id"),
        }),
        AccountKind::WorkApp => NewAccountSettings::WorkApp(NewWorkApp {
            corp_id: v.text("corp_id"),
            agent_id: agent.unwrap_or(0),
            secret: v.text("secret"),
            contacts_secret: v.opt("contacts_secret"),
            token: v.text("token"),
            encoding_aes_key: v.text("encoding_aes_key"),
        }),
        AccountKind::PayMerchant => NewAccountSettings::PayMerchant(NewPayMerchant {
            mch_id: v.text("mch_id"),
            app_id: v.text("app_id"),
            api_key: v.text("api_key"),
            sign_type: parse_sign_type(&v.text("sign_type")),
            client_cert_p12_base64: v.opt("client_cert_p12_base64"),
            client_cert_password: v
                .opt("client_cert_p12_base64")
                .and_then(|_| v.opt("client_cert_password")),
        }),
        AccountKind::WorkSuite => NewAccountSettings::WorkSuite(NewWorkSuite {
            suite_id: v.text("suite_id"),
            suite_secret: v.text("suite_secret"),
            token: v.text("token"),
            encoding_aes_key: v.text("encoding_aes_key"),
            provider_corp_id: v.opt("provider_corp_id"),
            provider_secret: v.opt("provider_secret"),
        }),
    };
    let req = CreateAccountRequest {
        name: v.text("name"),
        environment: parse_env(&v.text("environment")),
        settings,
    };
    let mut issues = req.validate();
    if kind == AccountKind::WorkApp {
        fix_agent_id(&mut issues, agent);
    }
    (req, issues)
}

/// Only what changed; secrets only when a new value was typed.
pub(super) fn build_update(original: &Account, v: Values) -> (UpdateAccountRequest, Issues) {
    let mut req = UpdateAccountRequest::default();
    let changed = |new: String, old: &str| (new != old).then_some(new);
    let secret = |name: &str| v.opt(name);
    req.name = changed(v.text("name"), &original.name);
    let env = parse_env(&v.text("environment"));
    req.environment = (env != original.environment).then_some(env);
    let mut agent_verdict = Ok(0);
    match &original.settings {
        AccountSettings::OfficialAccount(oa) => {
            req.app_id = changed(v.text("app_id"), &oa.app_id);
            req.app_secret = secret("app_secret");
            req.token = secret("token");
            req.encoding_aes_key = secret("encoding_aes_key");
            let mode = parse_mode(&v.text("message_mode"));
            req.message_mode = (mode != oa.message_mode).then_some(mode);
            req.original_id = changed(v.text("original_id"), &oa.original_id);
        }
        AccountSettings::WorkApp(app) => {
            req.corp_id = changed(v.text("corp_id"), &app.corp_id);
            let text = v.text("agent_id");
            if text != app.agent_id.to_string() {
                agent_verdict = agent_id_issue(&text);
                req.agent_id = Some(*agent_verdict.as_ref().unwrap_or(&0));
            }
            req.secret = secret("secret");
            req.contacts_secret = secret("contacts_secret");
            req.token = secret("token");
            req.encoding_aes_key = secret("encoding_aes_key");
        }
        AccountSettings::PayMerchant(m) => {
            req.mch_id = changed(v.text("mch_id"), &m.mch_id);
            req.app_id = changed(v.text("app_id"), &m.app_id);
            req.api_key = secret("api_key");
            let sign = parse_sign_type(&v.text("sign_type"));
            req.sign_type = (sign != m.sign_type).then_some(sign);
            req.client_cert_p12_base64 = secret("client_cert_p12_base64");
            if req.client_cert_p12_base64.is_some() {
                req.client_cert_password = v.opt("client_cert_password");
            }
        }
        AccountSettings::WorkSuite(su) => {
            req.suite_id = changed(v.text("suite_id"), &su.suite_id);
            req.suite_secret = secret("suite_secret");
            req.token = secret("token");
            req.encoding_aes_key = secret("encoding_aes_key");
            req.provider_corp_id = changed(
                v.text("provider_corp_id"),
                su.provider_corp_id.as_deref().unwrap_or(""),
            );
            req.provider_secret = secret("provider_secret");
        }
    }
    let mut issues = req.validate(original.kind);
    fix_agent_id(&mut issues, agent_verdict);
    (req, issues)
}

pub(super) fn original_secret(account: &Account, name: &str) -> SecretView {
    let found = match (&account.settings, name) {
        (AccountSettings::OfficialAccount(oa), "app_secret") => Some(&oa.app_secret),
        (AccountSettings::OfficialAccount(oa), "token") => Some(&oa.token),
        (AccountSettings::WorkApp(app), "token") => Some(&app.token),
        (AccountSettings::WorkSuite(su), "token") => Some(&su.token),
        (AccountSettings::OfficialAccount(oa), "encoding_aes_key") => Some(&oa.encoding_aes_key),
        (AccountSettings::WorkApp(app), "secret") => Some(&app.secret),
        (AccountSettings::WorkApp(app), "contacts_secret") => Some(&app.contacts_secret),
        (AccountSettings::WorkApp(app), "encoding_aes_key") => Some(&app.encoding_aes_key),
        (AccountSettings::PayMerchant(m), "api_key") => Some(&m.api_key),
        (AccountSettings::PayMerchant(m), "client_cert_p12_base64") => Some(&m.client_cert),
        (AccountSettings::WorkSuite(su), "suite_secret") => Some(&su.suite_secret),
        (AccountSettings::WorkSuite(su), "encoding_aes_key") => Some(&su.encoding_aes_key),
        (AccountSettings::WorkSuite(su), "provider_secret") => Some(&su.provider_secret),
        _ => None,
    };
    found.cloned().unwrap_or_else(SecretView::unset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::accounts::MessageMode;
    use api::validate;

    #[test]
    fn agent_id_needs_a_number() {
        assert_eq!(agent_id_issue(""), Err(Rule::Required));
        assert_eq!(agent_id_issue("abc"), Err(Rule::AgentIdFormat));
        assert_eq!(agent_id_issue("1000002"), Ok(1_000_002));
        let _ = validate::agent_id(1);
    }

    #[test]
    fn secrets_are_known_fields() {
        for s in SECRETS {
            assert!(!s.is_empty());
        }
        // The Token is sealed like a secret (it forges plain-mode pushes).
        assert!(SECRETS.contains(&"token"));
        let _ = MessageMode::Safe;
    }
}
