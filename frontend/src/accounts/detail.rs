//! `/accounts/:id`: what WeChat needs (callback URL, Token, mode), settings and masked secrets.

use api::accounts::{Account, AccountSettings, SecretView, WechatEnv};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{callback_hint_key, identifier, kind_class, kind_key, mode_key, sign_type_str};
use crate::api_client;
use crate::app::NotFound;
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, CopyButton, EnvBadge, ErrorState, LoadingState, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api_client::get_account(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <A href="/accounts" attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::NavAccounts)}</span>
        </A>
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Ok(None)) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => {
                view! {
                    <div class="card">
                        <ErrorState
                            message=Signal::derive(move || e.message(i.lang()))
                            on_retry=move |_| reload(data)
                        />
                    </div>
                }
                    .into_any()
            }
            Some(Ok(Some(account))) => view! { <AccountDetail account=account /> }.into_any(),
        }}
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

#[component]
fn AccountDetail(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let can_delete = Memo::new(move |_| session.allows(Role::Admin));
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let id = account.id;
    let name = account.name.clone();
    let kind = account.kind;
    Effect::new({
        let name = name.clone();
        move |_| util::set_title(&format!("{name} · {} · wxportal", i.t(K::NavAccounts)))
    });

    let on_delete = Callback::new(move |()| {
        deleting.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api_client::delete_account(id).await {
                Ok(()) => {
                    confirm_open.set(false);
                    toasts.success(i.now(K::AccountDeleted));
                    navigate("/accounts", NavigateOptions::default());
                }
                Err(e) => {
                    deleting.set(false);
                    confirm_open.set(false);
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    });

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
    let callback = account.callback_url.clone().map(|url| {
        let url_for_copy = url.clone();
        let token_row = token.clone().map(|t| {
            let t_copy = t.clone();
            view! {
                <div class="kv">
                    <dt>{move || i.t(K::FieldToken)}</dt>
                    <dd class="copy-line">
                        <code class="copy-value" data-testid="account-token">{t}</code>
                        <CopyButton text=Signal::derive(move || t_copy.clone()) testid="copy-token" />
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
                                    {secret(a)}
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
    let ident = identifier(&account);
    let name_for_dialog = name.clone();

    view! {
        <div class="detail-header card">
            <div class="detail-title">
                <span class=format!("kind-icon {}", kind_class(kind))>{icons::accounts()}</span>
                <div>
                    <h1 data-testid="account-name">{name.clone()}</h1>
                    <div class="detail-meta">
                        <span class=kind_class(kind)>{move || i.t(kind_key(kind))}</span>
                        <EnvBadge env=account.environment />
                        <span class="mono muted">{ident}</span>
                    </div>
                </div>
            </div>
            <div class="page-actions">
                <Show when=move || can_edit.get()>
                    <A href=format!("/accounts/{id}/edit") attr:class="btn" attr:data-testid="account-edit">
                        {icons::edit()}
                        <span>{move || i.t(K::Edit)}</span>
                    </A>
                </Show>
                <Show when=move || can_delete.get()>
                    <button
                        type="button"
                        class="btn btn-danger-outline"
                        data-testid="account-delete"
                        on:click=move |_| confirm_open.set(true)
                    >
                        {icons::trash()}
                        <span>{move || i.t(K::Delete)}</span>
                    </button>
                </Show>
            </div>
        </div>
        {sandbox
            .then(|| {
                view! {
                    <div class="alert alert-sandbox">
                        {icons::flask()}
                        <span>{move || i.t(K::SandboxBanner)}</span>
                    </div>
                }
            })}
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
        <Show when=move || can_edit.get()>
            <div class="detail-grid sandbox-grid">
                <crate::sandbox::TestConnectionCard id=id />
                {sandbox_account.clone().map(|a| view! { <crate::sandbox::SimulatePanel account=a /> })}
            </div>
        </Show>
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || i.t(K::DeleteAccountTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DeleteAccountBody), "name", &name_for_dialog))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
