//! The account form's inputs (the shared form-input set bound to the form's state), the
//! certificate upload, and the fields of each kind.

use api::accounts::{AccountKind, SecretView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{Form, Gen};
use super::values::SECRETS;
use crate::accounts::api as accounts_api;
use crate::components::form::{SelectInput, TextInput};
use crate::components::{CopyButton, FieldRow, SysInfo, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// A text input bound to one field of the form: secrets are write-only (the stored value masked
/// as placeholder, locked for non-admins), errors show once the field was left or submitted.
#[component]
pub(super) fn TextField(
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
    let placeholder = Signal::derive(move || {
        if editing && is_secret {
            return form
                .secret_view(name)
                .filter(|v| v.set)
                .map(|v| v.masked)
                .unwrap_or_default();
        }
        placeholder.map(|p| i.t(p).to_string()).unwrap_or_default()
    });
    let generate_button = generate.map(|g| {
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
    });
    view! {
        <TextInput
            name=name
            label=label
            value=form.values.get(name)
            on_input=move |v| form.set(name, v)
            on_blur=move |()| form.touch(name)
            error=error
            help=help_text
            placeholder=placeholder
            disabled=Signal::derive(move || form.locked(name))
            required=required
            mono=name != "name"
            numeric=numeric
            secret=is_secret
        >
            {generate_button}
        </TextInput>
    }
}

/// A select bound to one field of the form; choosing counts as touching it.
#[component]
pub(super) fn SelectField(
    form: Form,
    name: &'static str,
    label: K,
    options: Vec<(&'static str, K)>,
    #[prop(optional, into)] help: Option<Signal<String>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <SelectInput
            name=name
            label=label
            options=options
            value=form.values.get(name)
            on_change=move |v| {
                form.touch(name);
                form.set(name, v);
            }
            error=Signal::derive(move || form.error(name, i.lang()))
            help=help.unwrap_or_default()
            required=true
        />
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
pub(super) fn KindFields(form: Form, kind: AccountKind) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let generating = RwSignal::new(false);
    let on_generate = Callback::new(move |g: Gen| {
        generating.set(true);
        spawn_local(async move {
            match accounts_api::generate_credentials().await {
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
                <TextField
                    form=form
                    name="token"
                    label=K::FieldToken
                    help=K::FieldTokenHelp
                    required=true
                    generate=Gen::Token
                    generating=generating
                    on_generate=on_generate
                />
                <TextField
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
                            <SelectField
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
                <TextField form=form name="app_id" label=K::FieldAppId help=K::FieldAppIdHelp required=true />
                <TextField form=form name="app_secret" label=K::FieldAppSecret required=true />
                <TextField form=form name="original_id" label=K::FieldOriginalId help=K::FieldOriginalIdHelp required=true />
            </section>
            {server_section(true)}
        }
        .into_any(),
        // A corp operated through a suite: its access is the suite's, nothing to enter here.
        AccountKind::WorkApp if form.managed() => view! {
            <section class="card form-card" data-testid="managed-form-credentials">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <p class="muted small">{move || i.t(K::SuManagedCredentials)}</p>
            </section>
        }
        .into_any(),
        AccountKind::WorkApp => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextField form=form name="corp_id" label=K::FieldCorpId help=K::FieldCorpIdHelp required=true />
                <TextField form=form name="agent_id" label=K::FieldAgentId required=true numeric=true />
                <TextField form=form name="secret" label=K::FieldSecret required=true />
                <TextField form=form name="contacts_secret" label=K::FieldContactsSecret help=K::Optional />
            </section>
            {server_section(false)}
        }
        .into_any(),
        AccountKind::PayMerchant => view! {
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <TextField form=form name="mch_id" label=K::FieldMchId required=true numeric=true />
                <TextField form=form name="app_id" label=K::FieldPayAppId help=K::FieldPayAppIdHelp required=true />
                <TextField form=form name="api_key" label=K::FieldApiKey help=K::FieldApiKeyHelp required=true />
                <SelectField
                    form=form
                    name="sign_type"
                    label=K::FieldSignType
                    options=vec![("MD5", K::SignMd5), ("HMAC-SHA256", K::SignHmacSha256)]
                />
            </section>
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionCert)}</h2>
                <CertInput form=form />
                <TextField
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
                <TextField form=form name="suite_id" label=K::FieldSuiteId required=true />
                <TextField form=form name="suite_secret" label=K::FieldSuiteSecret required=true />
            </section>
            {server_section(false)}
            <section class="card form-card">
                <h2 class="section-title">{move || i.t(K::SectionProvider)}</h2>
                <TextField form=form name="provider_corp_id" label=K::FieldProviderCorpId help=K::Optional />
                <TextField form=form name="provider_secret" label=K::FieldProviderSecret help=K::Optional />
            </section>
        }
        .into_any(),
    }
}
