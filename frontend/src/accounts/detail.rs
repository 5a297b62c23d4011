//! `/accounts/:id`: what WeChat needs (callback URL, Token, mode), settings and masked secrets.

use api::accounts::{Account, AccountKind, AccountSettings, SecretView, WechatEnv};
use api::staff::Role;
use leptos::prelude::*;

use super::section::{AccountSection, AccountTab};
use super::{callback_hint_key, mode_key, sign_type_str};
use crate::accounts::api as accounts_api;
use crate::auth::use_session;
use crate::components::{CopyButton, icons, use_toasts};
use crate::i18n::{K, use_i18n};
use crate::util;
use leptos::task::spawn_local;

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Overview
            render=|account: Account| view! { <AccountDetail account=account /> }.into_any()
        />
    }
}

/// One label/value row.
fn kv(label: K, value: AnyView) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="kv">
            <dt>{move || i.t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

fn mono(text: String) -> AnyView {
    view! { <span class="mono">{text}</span> }.into_any()
}

fn secret(view: SecretView) -> AnyView {
    let i = use_i18n();
    if view.set {
        view! {
            <span class="secret">
                {icons::lock()}
                <span class="mono">{view.masked}</span>
            </span>
        }
        .into_any()
    } else {
        view! { <span class="muted">{move || i.t(K::NotSet)}</span> }.into_any()
    }
}

/// A sealed value: masked for everyone; an admin may reveal it (the server audits each reveal)
/// to copy it into WeChat's console.
#[component]
fn RevealableSecret(
    id: i64,
    field: &'static str,
    masked: SecretView,
    testid: &'static str,
    copy_testid: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_reveal = Memo::new(move |_| session.allows(Role::Admin));
    let shown = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let set = masked.set;
    let reveal = move |_| {
        busy.set(true);
        spawn_local(async move {
            match accounts_api::reveal(id, field).await {
                Ok(r) => shown.set(Some(r.value)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div class="copy-line" data-testid=testid>
            {move || match shown.get() {
                Some(value) => {
                    let copy = value.clone();
                    view! {
                        <code class="copy-value" data-testid=format!("{testid}-value")>{value}</code>
                        <CopyButton text=Signal::derive(move || copy.clone()) testid=copy_testid />
                        <button type="button" class="btn btn-sm" on:click=move |_| shown.set(None)>
                            {move || i.t(K::HideSecret)}
                        </button>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        {secret(masked.clone())}
                        <Show when=move || set && can_reveal.get()>
                            <button
                                type="button"
                                class="btn btn-sm"
                                data-testid=format!("{testid}-reveal")
                                title=move || i.t(K::RevealSecretHint)
                                disabled=move || busy.get()
                                on:click=reveal
                            >
                                {move || i.t(K::RevealSecret)}
                            </button>
                        </Show>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn AccountDetail(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let kind = account.kind;

    // The values to paste into WeChat's console.
    let (token, aes, mode) = match &account.settings {
        AccountSettings::OfficialAccount(oa) => (
            Some(oa.token.clone()),
            Some(oa.encoding_aes_key.clone()),
            Some(oa.message_mode),
        ),
        AccountSettings::WorkApp(app) => (
            Some(app.token.clone()),
            Some(app.encoding_aes_key.clone()),
            None,
        ),
        AccountSettings::WorkSuite(su) => (
            Some(su.token.clone()),
            Some(su.encoding_aes_key.clone()),
            None,
        ),
        AccountSettings::PayMerchant(_) => (None, None, None),
    };
    // A managed suite corp has no callback URL nor secret of its own: its messages arrive at
    // the suite's data URL, its token comes through the suite.
    let managed = match &account.settings {
        AccountSettings::WorkApp(app) => app.suite_corp,
        _ => None,
    };
    let callback = account.callback_url.clone().filter(|_| managed.is_none()).map(|url| {
        let url_for_copy = url.clone();
        let token_row = token.clone().map(|t| {
            view! {
                <div class="kv">
                    <dt>{move || i.t(K::FieldToken)}</dt>
                    <dd>
                        <RevealableSecret id=id field="token" masked=t testid="account-token" copy_testid="copy-token" />
                    </dd>
                </div>
            }
        });
        view! {
            <section class="card callback-card">
                <div class="card-head">
                    <h2 class="section-title">{move || i.t(K::SectionServer)}</h2>
                </div>
                <p class="muted small">{move || i.t(callback_hint_key(kind))}</p>
                <dl class="kvs">
                    <div class="kv">
                        <dt>{move || i.t(K::CallbackUrl)}</dt>
                        <dd class="copy-line">
                            <code class="copy-value" data-testid="callback-url">{url}</code>
                            <CopyButton text=Signal::derive(move || url_for_copy.clone()) testid="copy-callback-url" />
                        </dd>
                    </div>
                    {token_row}
                    {aes.clone().map(|a| {
                        view! {
                            <div class="kv">
                                <dt>{move || i.t(K::FieldAesKey)}</dt>
                                <dd>
                                    <RevealableSecret id=id field="encoding_aes_key" masked=a testid="account-aes-key" copy_testid="copy-aes-key" />
                                    <p class="muted small">{move || i.t(K::AesKeyMaskedNote)}</p>
                                </dd>
                            </div>
                        }
                    })}
                    {mode.map(|m| kv(K::FieldMessageMode, view! { <span>{move || i.t(mode_key(m))}</span> }.into_any()))}
                </dl>
            </section>
        }
    });

    let settings_rows = match &account.settings {
        AccountSettings::OfficialAccount(oa) => view! {
            {kv(K::FieldAppId, mono(oa.app_id.clone()))}
            {kv(K::FieldOriginalId, mono(oa.original_id.clone()))}
        }
        .into_any(),
        AccountSettings::WorkApp(app) => view! {
            {kv(K::FieldCorpId, mono(app.corp_id.clone()))}
            {kv(K::FieldAgentId, mono(app.agent_id.to_string()))}
        }
        .into_any(),
        AccountSettings::PayMerchant(m) => view! {
            {kv(K::FieldMchId, mono(m.mch_id.clone()))}
            {kv(K::FieldPayAppId, mono(m.app_id.clone()))}
            {kv(K::FieldSignType, mono(sign_type_str(m.sign_type).to_string()))}
        }
        .into_any(),
        AccountSettings::WorkSuite(su) => view! {
            {kv(K::FieldSuiteId, mono(su.suite_id.clone()))}
            {kv(
                K::FieldProviderCorpId,
                match su.provider_corp_id.clone() {
                    Some(c) => mono(c),
                    None => view! { <span class="muted">{move || i.t(K::NotSet)}</span> }.into_any(),
                },
            )}
        }
        .into_any(),
    };
    let secret_rows = match &account.settings {
        AccountSettings::OfficialAccount(oa) => view! {
            {kv(K::FieldAppSecret, secret(oa.app_secret.clone()))}
        }
        .into_any(),
        AccountSettings::WorkApp(_) if managed.is_some() => view! {
            <p class="muted small" data-testid="managed-credentials">{move || i.t(K::SuManagedCredentials)}</p>
        }
        .into_any(),
        AccountSettings::WorkApp(app) => view! {
            {kv(K::FieldSecret, secret(app.secret.clone()))}
            {kv(K::FieldContactsSecret, secret(app.contacts_secret.clone()))}
        }
        .into_any(),
        AccountSettings::PayMerchant(m) => {
            let cert = m.client_cert.clone();
            view! {
                {kv(K::FieldApiKey, secret(m.api_key.clone()))}
                {kv(
                    K::ClientCert,
                    if cert.set {
                        view! { <span class="badge badge-green">{move || i.t(K::Uploaded)}</span> }.into_any()
                    } else {
                        view! { <span class="badge">{move || i.t(K::NotUploaded)}</span> }.into_any()
                    },
                )}
            }
            .into_any()
        }
        AccountSettings::WorkSuite(su) => view! {
            {kv(K::FieldSuiteSecret, secret(su.suite_secret.clone()))}
            {kv(K::FieldProviderSecret, secret(su.provider_secret.clone()))}
        }
        .into_any(),
    };
    let sandbox = account.environment == WechatEnv::Sandbox;
    let sandbox_account = sandbox.then(|| account.clone());

    let wecom = (kind == AccountKind::WorkApp)
        .then(|| view! { <crate::wecom::overview::WecomOverviewPanel id=id /> });

    view! {
        {wecom}
        <div class="detail-grid">
            {callback}
            <section class="card">
                <h2 class="section-title">{move || i.t(K::SectionCredentials)}</h2>
                <dl class="kvs">
                    {settings_rows}
                    {kv(K::AccountId, mono(id.to_string()))}
                    {kv(K::CreatedAt, view! { <span>{util::format_time(&account.created_at)}</span> }.into_any())}
                    {kv(K::UpdatedAt, view! { <span>{util::format_time(&account.updated_at)}</span> }.into_any())}
                </dl>
            </section>
            <section class="card">
                <h2 class="section-title">{move || i.t(K::SectionSecrets)}</h2>
                <p class="muted small">{move || i.t(K::SecretsNote)}</p>
                <dl class="kvs">{secret_rows}</dl>
            </section>
        </div>
        {matches!(kind, AccountKind::OfficialAccount | AccountKind::WorkApp)
            .then(|| view! { <crate::accounts::activity::ActivityCharts id=id kind=kind /> })}
        <Show when=move || can_edit.get()>
            <div class="detail-grid sandbox-grid">
                <crate::sandbox::TestConnectionCard id=id />
                {sandbox_account.clone().map(|a| view! { <crate::sandbox::SimulatePanel account=a /> })}
            </div>
        </Show>
    }
}
