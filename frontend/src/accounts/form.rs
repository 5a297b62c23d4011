//! `/accounts/new` and `/accounts/:id/edit`: one form, fields per kind, inline validation with the
//! shared rules from `api`, server field errors under their fields.

use api::accounts::{
    Account, AccountKind, AccountSettings, CreateAccountRequest, NewAccountSettings,
    NewOfficialAccount, NewPayMerchant, NewWorkApp, NewWorkSuite, SecretView, UpdateAccountRequest,
};
use api::staff::Role;
use api::validate::{Issues, Rule};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::{
    env_str, kind_desc_key, kind_key, mode_str, parse_env, parse_mode, parse_sign_type,
    sign_type_str,
};
use crate::api_client;
use crate::app::{NoPermission, NotFound, PageHeader, SysInfo};
use crate::auth::use_session;
use crate::components::{CopyButton, FieldRow, LoadingState, error_card, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// Every input of the form, as text (enums by their JSON value).
#[derive(Debug, Clone, Copy)]
struct Values {
    name: RwSignal<String>,
    environment: RwSignal<String>,
    app_id: RwSignal<String>,
    app_secret: RwSignal<String>,
    token: RwSignal<String>,
    encoding_aes_key: RwSignal<String>,
    message_mode: RwSignal<String>,
    original_id: RwSignal<String>,
    corp_id: RwSignal<String>,
    agent_id: RwSignal<String>,
    secret: RwSignal<String>,
    contacts_secret: RwSignal<String>,
    mch_id: RwSignal<String>,
    api_key: RwSignal<String>,
    sign_type: RwSignal<String>,
    client_cert_p12_base64: RwSignal<String>,
    client_cert_password: RwSignal<String>,
    cert_file_name: RwSignal<String>,
    suite_id: RwSignal<String>,
    suite_secret: RwSignal<String>,
    provider_corp_id: RwSignal<String>,
    provider_secret: RwSignal<String>,
}

fn s(v: &str) -> RwSignal<String> {
    RwSignal::new(v.to_string())
}

impl Values {
    fn empty() -> Values {
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
    fn of(account: &Account) -> Values {
        let v = Values::empty();
        v.name.set(account.name.clone());
        v.environment.set(env_str(account.environment).into());
        match &account.settings {
            AccountSettings::OfficialAccount(oa) => {
                v.app_id.set(oa.app_id.clone());
                v.token.set(oa.token.clone());
                v.message_mode.set(mode_str(oa.message_mode).into());
                v.original_id.set(oa.original_id.clone());
            }
            AccountSettings::WorkApp(app) => {
                v.corp_id.set(app.corp_id.clone());
                v.agent_id.set(app.agent_id.to_string());
                v.token.set(app.token.clone());
            }
            AccountSettings::PayMerchant(m) => {
                v.mch_id.set(m.mch_id.clone());
                v.app_id.set(m.app_id.clone());
                v.sign_type.set(sign_type_str(m.sign_type).into());
            }
            AccountSettings::WorkSuite(su) => {
                v.suite_id.set(su.suite_id.clone());
                v.token.set(su.token.clone());
                v.provider_corp_id
                    .set(su.provider_corp_id.clone().unwrap_or_default());
            }
        }
        v
    }

    fn get(self, name: &str) -> RwSignal<String> {
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

    fn text(self, name: &str) -> String {
        self.get(name).get().trim().to_string()
    }

    fn opt(self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }
}

/// Secret fields: write-only, shown masked when editing.
const SECRETS: &[&str] = &[
    "app_secret",
    "secret",
    "contacts_secret",
    "api_key",
    "encoding_aes_key",
    "suite_secret",
    "provider_secret",
    "client_cert_p12_base64",
];

fn agent_id_issue(text: &str) -> Result<i64, Rule> {
    if text.is_empty() {
        return Err(Rule::Required);
    }
    text.parse::<i64>().map_err(|_| Rule::AgentIdFormat)
}

/// Puts our own agent_id verdict in place of the one made on a parsed placeholder.
fn fix_agent_id(issues: &mut Issues, verdict: Result<i64, Rule>) {
    if let Err(rule) = verdict {
        issues.list.retain(|(f, _)| f != "agent_id");
        issues.list.push(("agent_id".into(), rule));
    }
}

fn build_create(kind: AccountKind, v: Values) -> (CreateAccountRequest, Issues) {
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
fn build_update(original: &Account, v: Values) -> (UpdateAccountRequest, Issues) {
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
            req.token = changed(v.text("token"), &oa.token);
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
            req.token = changed(v.text("token"), &app.token);
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
            req.token = changed(v.text("token"), &su.token);
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

fn original_secret(account: &Account, name: &str) -> SecretView {
    let found = match (&account.settings, name) {
        (AccountSettings::OfficialAccount(oa), "app_secret") => Some(&oa.app_secret),
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

/// Shared state of the form.
#[derive(Clone, Copy)]
struct Form {
    values: Values,
    original: StoredValue<Option<Account>>,
    touched: RwSignal<Vec<&'static str>>,
    submitted: RwSignal<bool>,
    server_errors: RwSignal<Vec<(String, String)>>,
    issues: Memo<Issues>,
    /// May replace secrets (admins).
    can_secrets: Memo<bool>,
}

impl Form {
    fn editing(self) -> bool {
        self.original.with_value(|o| o.is_some())
    }

    fn touch(self, name: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&name)) {
            self.touched.update(|t| t.push(name));
        }
    }

    fn set(self, name: &'static str, value: String) {
        self.server_errors.update(|e| e.retain(|(f, _)| f != name));
        self.values.get(name).set(value);
    }

    /// The message to show under `name`, if any (tracked).
    fn error(self, name: &'static str, lang: api::Lang) -> Option<String> {
        if let Some(msg) = self
            .server_errors
            .with(|e| e.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone()))
        {
            return Some(msg);
        }
        if !(self.submitted.get() || self.touched.with(|t| t.contains(&name))) {
            return None;
        }
        self.issues
            .with(|issues| issues.for_field(name))
            .map(|rule| rule.message(lang))
    }

    fn secret_view(self, name: &str) -> Option<SecretView> {
        self.original
            .with_value(|o| o.as_ref().map(|a| original_secret(a, name)))
    }

    /// Secret inputs are locked when editing without the right to replace secrets.
    fn locked(self, name: &str) -> bool {
        self.editing() && SECRETS.contains(&name) && !self.can_secrets.get()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gen {
    Token,
    AesKey,
}

/// A text input bound to one field, with label, help and inline error.
#[component]
fn TextInput(
    form: Form,
    name: &'static str,
    label: K,
    #[prop(optional)] help: Option<K>,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: Option<K>,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] generate: Option<Gen>,
    #[prop(optional)] generating: Option<RwSignal<bool>>,
    #[prop(optional)] on_generate: Option<Callback<Gen>>,
) -> impl IntoView {
    let i = use_i18n();
    let is_secret = SECRETS.contains(&name);
    let editing = form.editing();
    let required = required && !(editing && is_secret);
    let error = Signal::derive(move || form.error(name, i.lang()));
    let help_text = Signal::derive(move || {
        if editing && is_secret {
            let view = form.secret_view(name).unwrap_or_else(SecretView::unset);
            let template = if form.locked(name) {
                i.t(K::SecretAdminOnly)
            } else if view.set {
                i.t(K::SecretKeepHint)
            } else {
                i.t(K::SecretUnsetHint)
            };
            let masked = if view.set {
                view.masked
            } else {
                i.t(K::NotSet).to_string()
            };
            return fill(template, "masked", &masked);
        }
        if name == "encoding_aes_key" && form.values.message_mode.get() == "plain" {
            return i.t(K::FieldAesKeyPlainHelp).to_string();
        }
        help.map(|h| i.t(h).to_string()).unwrap_or_default()
    });
    let placeholder = move || {
        if editing && is_secret {
            return form
                .secret_view(name)
                .filter(|v| v.set)
                .map(|v| v.masked)
                .unwrap_or_default();
        }
        placeholder.map(|p| i.t(p).to_string()).unwrap_or_default()
    };
    let value = form.values.get(name);
    view! {
        <FieldRow name=name label=label required=required error=error help=help_text>
            <div class="input-group">
                <input
                    id=format!("f-{name}")
                    class="input"
                    class:mono=name != "name"
                    class:is-secret=is_secret
                    data-testid=format!("field-{name}")
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    inputmode=numeric.then_some("numeric")
                    placeholder=placeholder
                    disabled=move || form.locked(name)
                    aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                    prop:value=move || value.get()
                    on:input=move |ev| form.set(name, event_target_value(&ev))
                    on:blur=move |_| form.touch(name)
                />
                {generate
                    .map(|g| {
                        let testid = match g {
                            Gen::Token => "generate-token",
                            Gen::AesKey => "generate-aes-key",
                        };
                        let busy = generating.unwrap_or_else(|| RwSignal::new(false));
                        view! {
                            <button
                                type="button"
                                class="btn"
                                data-testid=testid
                                disabled=move || busy.get() || form.locked(name)
                                on:click=move |_| {
                                    if let Some(cb) = on_generate {
                                        cb.run(g);
                                    }
                                }
                            >
                                {icons::refresh()}
                                <span>{move || i.t(K::GenerateRandom)}</span>
                            </button>
                        }
                    })}
            </div>
        </FieldRow>
    }
}

#[component]
fn SelectInput(
    form: Form,
    name: &'static str,
    label: K,
    options: Vec<(&'static str, K)>,
    #[prop(optional, into)] help: Option<Signal<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let value = form.values.get(name);
    let error = Signal::derive(move || form.error(name, i.lang()));
    view! {
        <FieldRow name=name label=label required=true error=error help=help.unwrap_or_default()>
            <select
                id=format!("f-{name}")
                class="select"
                data-testid=format!("field-{name}")
                on:change=move |ev| {
                    form.touch(name);
                    form.set(name, event_target_value(&ev));
                }
            >
                {options
                    .into_iter()
                    .map(|(v, k)| {
                        view! {
                            <option value=v prop:selected=move || value.get() == v>
                                {move || i.t(k)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FieldRow>
    }
}

/// The .p12 upload: read in the browser, sent as base64.
#[component]
fn CertInput(form: Form) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let name = "client_cert_p12_base64";
    let error = Signal::derive(move || form.error(name, i.lang()));
    let editing = form.editing();
    let help = Signal::derive(move || {
        if editing {
            let view = form.secret_view(name).unwrap_or_else(SecretView::unset);
            let status = if view.set {
                i.t(K::Uploaded)
            } else {
                i.t(K::NotUploaded)
            };
            if form.locked(name) {
                format!(
                    "{status} · {}",
                    fill(i.t(K::SecretAdminOnly), "masked", status)
                )
            } else {
                format!("{status} · {}", i.t(K::FieldClientCertHelp))
            }
        } else {
            i.t(K::FieldClientCertHelp).to_string()
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let file_name = file.name();
        form.touch(name);
        spawn_local(async move {
            match util::read_file(file).await {
                Some(bytes) => {
                    form.set(name, util::base64_encode(&bytes));
                    form.values.cert_file_name.set(file_name);
                }
                None => toasts.error(i.now(K::FileReadFailed)),
            }
        });
    };
    view! {
        <FieldRow name=name label=K::FieldClientCert error=error help=help>
            <div class="file-input" class:disabled=move || form.locked(name)>
                <label class="btn">
                    {icons::upload()}
                    <span>{move || i.t(K::ChooseFile)}</span>
                    <input
                        id=format!("f-{name}")
                        type="file"
                        class="visually-hidden"
                        accept=".p12,.pfx,application/x-pkcs12"
                        data-testid=format!("field-{name}")
                        disabled=move || form.locked(name)
                        on:change=on_change
                    />
                </label>
                <span class="file-name">
                    {move || {
                        let n = form.values.cert_file_name.get();
                        if n.is_empty() { i.t(K::NoFileChosen).to_string() } else { n }
                    }}
                </span>
            </div>
        </FieldRow>
    }
}

/// The fields of one kind, in the order WeChat's consoles show them.
#[component]
fn KindFields(form: Form, kind: AccountKind) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let generating = RwSignal::new(false);
    let on_generate = Callback::new(move |g: Gen| {
        generating.set(true);
        spawn_local(async move {
            match api_client::generate_credentials().await {
                Ok(c) => match g {
                    Gen::Token => {
                        form.set("token", c.token);
                        form.touch("token");
                    }
                    Gen::AesKey => {
                        form.set("encoding_aes_key", c.encoding_aes_key);
                        form.touch("encoding_aes_key");
                    }
                },
                Err(e) => toasts.error(format!(
                    "{}: {}",
                    i.now(K::CredentialsFailed),
                    e.message(i.lang_now())
                )),
            }
            generating.set(false);
        });
    });
    let server_section = move |with_mode: bool| {
        let callback_url = form
            .original
            .with_value(|o| o.as_ref().and_then(|a| a.callback_url.clone()));
        view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionServer)}</h2>
                {match callback_url {
                    Some(url) => {
                        let shown = url.clone();
                        view! {
                            <div class="field">
                                <span class="field-label">{move || i.t(K::CallbackUrl)}</span>
                                <div class="copy-line">
                                    <code class="copy-value">{shown}</code>
                                    <CopyButton text=Signal::derive(move || url.clone()) />
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                    None => {
                        let preview = move || {
                            use_context::<SysInfo>().and_then(|info| {
                                info.0.with(|v| v.as_ref().map(|v| format!("{}/wx/…", v.public_url)))
                            })
                        };
                        view! {
                            <div class="alert alert-info">
                                {icons::info()}
                                <span>
                                    {move || i.t(K::CallbackAfterCreate)}
                                    {move || preview().map(|p| view! { <code class="callback-preview">{p}</code> })}
                                </span>
                            </div>
                        }
                            .into_any()
                    }
                }}
                <TextInput
                    form=form
                    name="token"
                    label=K::FieldToken
                    help=K::FieldTokenHelp
                    required=true
                    generate=Gen::Token
                    generating=generating
                    on_generate=on_generate
                />
                <TextInput
                    form=form
                    name="encoding_aes_key"
                    label=K::FieldAesKey
                    help=K::FieldAesKeyHelp
                    required=true
                    generate=Gen::AesKey
                    generating=generating
                    on_generate=on_generate
                />
                {with_mode
                    .then(|| {
                        view! {
                            <SelectInput
                                form=form
                                name="message_mode"
                                label=K::FieldMessageMode
                                options=vec![
                                    ("plain", K::ModePlain),
                                    ("compatible", K::ModeCompatible),
                                    ("safe", K::ModeSafe),
                                ]
                            />
                        }
                    })}
            </section>
        }
    };

    match kind {
        AccountKind::OfficialAccount => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextInput form=form name="app_id" label=K::FieldAppId help=K::FieldAppIdHelp required=true />
                <TextInput form=form name="app_secret" label=K::FieldAppSecret required=true />
                <TextInput form=form name="original_id" label=K::FieldOriginalId help=K::FieldOriginalIdHelp required=true />
            </section>
            {server_section(true)}
        }
        .into_any(),
        AccountKind::WorkApp => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextInput form=form name="corp_id" label=K::FieldCorpId help=K::FieldCorpIdHelp required=true />
                <TextInput form=form name="agent_id" label=K::FieldAgentId required=true numeric=true />
                <TextInput form=form name="secret" label=K::FieldSecret required=true />
                <TextInput form=form name="contacts_secret" label=K::FieldContactsSecret help=K::Optional />
            </section>
            {server_section(false)}
        }
        .into_any(),
        AccountKind::PayMerchant => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextInput form=form name="mch_id" label=K::FieldMchId required=true numeric=true />
                <TextInput form=form name="app_id" label=K::FieldPayAppId help=K::FieldPayAppIdHelp required=true />
                <TextInput form=form name="api_key" label=K::FieldApiKey help=K::FieldApiKeyHelp required=true />
                <SelectInput
                    form=form
                    name="sign_type"
                    label=K::FieldSignType
                    options=vec![("MD5", K::SignMd5), ("HMAC-SHA256", K::SignHmacSha256)]
                />
            </section>
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCert)}</h2>
                <CertInput form=form />
                <TextInput
                    form=form
                    name="client_cert_password"
                    label=K::FieldClientCertPassword
                    placeholder=K::FieldClientCertPasswordPlaceholder
                />
            </section>
        }
        .into_any(),
        AccountKind::WorkSuite => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextInput form=form name="suite_id" label=K::FieldSuiteId required=true />
                <TextInput form=form name="suite_secret" label=K::FieldSuiteSecret required=true />
            </section>
            {server_section(false)}
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionProvider)}</h2>
                <TextInput form=form name="provider_corp_id" label=K::FieldProviderCorpId help=K::Optional />
                <TextInput form=form name="provider_secret" label=K::FieldProviderSecret help=K::Optional />
            </section>
        }
        .into_any(),
    }
}

#[component]
fn AccountForm(
    #[prop(optional)] original: Option<Account>,
    initial_kind: AccountKind,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let values = original
        .as_ref()
        .map(Values::of)
        .unwrap_or_else(Values::empty);
    let kind = RwSignal::new(original.as_ref().map(|a| a.kind).unwrap_or(initial_kind));
    let original = StoredValue::new(original);
    let issues = Memo::new(move |_| {
        let k = kind.get();
        original.with_value(|o| match o {
            Some(acc) => build_update(acc, values).1,
            None => build_create(k, values).1,
        })
    });
    let form = Form {
        values,
        original,
        touched: RwSignal::new(Vec::new()),
        submitted: RwSignal::new(false),
        server_errors: RwSignal::new(Vec::new()),
        issues,
        can_secrets: Memo::new(move |_| session.allows(Role::Admin)),
    };
    let editing = form.editing();
    // New accounts start in the server's default environment (the sandbox when it runs one).
    if !editing && let Some(info) = use_context::<SysInfo>() {
        Effect::new(move |_| {
            let default = info.0.with(|v| v.as_ref().map(|v| v.default_environment));
            if let Some(env) = default
                && !form.touched.with_untracked(|t| t.contains(&"environment"))
            {
                values.environment.set(env_str(env).to_string());
            }
        });
    }
    let saving = RwSignal::new(false);
    let form_error = RwSignal::new(None::<String>);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        form.submitted.set(true);
        form.server_errors.set(Vec::new());
        let lang = i.lang_now();
        let navigate = navigate.clone();
        let handle_error = move |e: api_client::ClientError| {
            saving.set(false);
            let fields = e.field_messages(lang);
            if !fields.is_empty() {
                form.server_errors.set(fields);
            }
            let msg = match e.code() {
                "conflict" => i.now(K::AccountConflict).to_string(),
                _ => e.message(lang),
            };
            form_error.set(Some(msg));
        };
        match original.get_value() {
            None => {
                let (req, issues) = build_create(kind.get_untracked(), values);
                if !issues.is_empty() {
                    form_error.set(Some(i.now(K::FixFieldErrors).to_string()));
                    util::focus_first_error();
                    return;
                }
                form_error.set(None);
                saving.set(true);
                spawn_local(async move {
                    match api_client::create_account(&req).await {
                        Ok(acc) => {
                            toasts.success(i.now(K::AccountCreated));
                            navigate(&format!("/accounts/{}", acc.id), NavigateOptions::default());
                        }
                        Err(e) => handle_error(e),
                    }
                });
            }
            Some(acc) => {
                let (req, issues) = build_update(&acc, values);
                if !issues.is_empty() {
                    form_error.set(Some(i.now(K::FixFieldErrors).to_string()));
                    util::focus_first_error();
                    return;
                }
                form_error.set(None);
                if req == UpdateAccountRequest::default() {
                    toasts.info(i.now(K::NothingChanged));
                    navigate(&format!("/accounts/{}", acc.id), NavigateOptions::default());
                    return;
                }
                saving.set(true);
                let id = acc.id;
                spawn_local(async move {
                    match api_client::update_account(id, &req).await {
                        Ok(_) => {
                            toasts.success(i.now(K::AccountSaved));
                            navigate(&format!("/accounts/{id}"), NavigateOptions::default());
                        }
                        Err(e) => handle_error(e),
                    }
                });
            }
        }
    };

    let cancel_href = original.with_value(|o| match o {
        Some(a) => format!("/accounts/{}", a.id),
        None => "/accounts".to_string(),
    });
    let env_help = Signal::derive(move || {
        if form.values.environment.get() == "sandbox" {
            i.t(K::EnvSandboxDesc).to_string()
        } else {
            i.t(K::EnvProductionDesc).to_string()
        }
    });
    let kind_help = Signal::derive(move || i.t(kind_desc_key(kind.get())).to_string());
    let no_error = Signal::derive(|| None::<String>);

    view! {
        <form class="form-layout" on:submit=on_submit novalidate>
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionBasic)}</h2>
                {if editing {
                    view! {
                        <FieldRow name="kind" label=K::FieldKind error=no_error>
                            <div class="static-value">
                                <span class=move || super::kind_class(kind.get())>
                                    {move || i.t(kind_key(kind.get()))}
                                </span>
                            </div>
                        </FieldRow>
                    }
                        .into_any()
                } else {
                    view! {
                        <FieldRow name="kind" label=K::FieldKind required=true error=no_error help=kind_help>
                            <select
                                id="f-kind"
                                class="select"
                                data-testid="field-kind"
                                on:change=move |ev| {
                                    if let Some(k) = AccountKind::parse(&event_target_value(&ev)) {
                                        form.server_errors.set(Vec::new());
                                        form.submitted.set(false);
                                        form_error.set(None);
                                        kind.set(k);
                                    }
                                }
                            >
                                {AccountKind::ALL
                                    .into_iter()
                                    .map(|k| {
                                        view! {
                                            <option value=k.as_str() prop:selected=move || kind.get() == k>
                                                {move || i.t(kind_key(k))}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </FieldRow>
                    }
                        .into_any()
                }}
                <TextInput form=form name="name" label=K::FieldName help=K::FieldNameHelp required=true />
                <SelectInput
                    form=form
                    name="environment"
                    label=K::FieldEnvironment
                    options=vec![("production", K::EnvProduction), ("sandbox", K::EnvSandbox)]
                    help=env_help
                />
                <Show when=move || form.values.environment.get() == "sandbox">
                    <div class="alert alert-sandbox">
                        {icons::flask()}
                        <span>{move || i.t(K::SandboxBanner)}</span>
                    </div>
                </Show>
            </section>
            {move || {
                let k = kind.get();
                view! { <KindFields form=form kind=k /> }
            }}
            {move || {
                form_error
                    .get()
                    .map(|msg| {
                        view! {
                            <div class="alert alert-error" data-testid="form-error" role="alert">
                                {icons::alert()}
                                <span>{msg}</span>
                            </div>
                        }
                    })
            }}
            <div class="form-actions">
                <A href=cancel_href attr:class="btn">
                    {move || i.t(K::Cancel)}
                </A>
                <button
                    type="submit"
                    class="btn btn-primary"
                    data-testid="account-save"
                    disabled=move || saving.get()
                >
                    {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn AccountCreatePage() -> impl IntoView {
    let session = use_session();
    let i = use_i18n();
    let query = use_query_map();
    let initial = query
        .get_untracked()
        .get("kind")
        .and_then(|k| AccountKind::parse(&k))
        .unwrap_or(AccountKind::OfficialAccount);
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    view! {
        <A href="/accounts" attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::NavAccounts)}</span>
        </A>
        <PageHeader title=K::AccountCreateTitle subtitle=K::AccountCreateSubtitle />
        <Show when=move || can_edit.get() fallback=|| view! { <NoPermission /> }>
            <AccountForm initial_kind=initial />
        </Show>
    }
}

#[component]
pub fn AccountEditPage() -> impl IntoView {
    let session = use_session();
    let i = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api_client::get_account(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let back = move || {
        id.get()
            .map(|id| format!("/accounts/{id}"))
            .unwrap_or_else(|| "/accounts".into())
    };
    view! {
        <A href=back attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::Back)}</span>
        </A>
        <PageHeader title=K::AccountEditTitle />
        {move || {
            if !can_edit.get() {
                return view! { <NoPermission /> }.into_any();
            }
            match data.get() {
                None => view! { <div class="card"><LoadingState /></div> }.into_any(),
                Some(Ok(None)) => view! { <NotFound /> }.into_any(),
                Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
                Some(Err(e)) => error_card(e, data),
                Some(Ok(Some(acc))) => {
                    let kind = acc.kind;
                    view! { <AccountForm original=acc initial_kind=kind /> }.into_any()
                }
            }
        }}
    }
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
        assert!(!SECRETS.contains(&"token"));
        let _ = MessageMode::Safe;
    }
}
