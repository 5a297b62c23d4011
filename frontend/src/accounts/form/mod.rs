//! `/accounts/new` and `/accounts/:id/edit`: one form, fields per kind, inline validation with the
//! shared rules from `api`, server field errors under their fields.

mod fields;
mod state;
mod values;

use api::accounts::{Account, AccountKind, UpdateAccountRequest};
use api::staff::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::{env_str, kind_desc_key, kind_key};
use crate::accounts::api as accounts_api;
use crate::api_client;
use crate::auth::use_session;
use crate::components::{
    FieldRow, LoadingState, NoPermission, NotFound, PageHeader, SysInfo, error_card, icons,
    use_toasts,
};
use crate::i18n::{K, use_i18n};
use crate::util;
use fields::{KindFields, SelectField, TextField};
use state::Form;
use values::{Values, build_create, build_update};

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
                    match accounts_api::create(&req).await {
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
                    match accounts_api::update(id, &req).await {
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
                <TextField form=form name="name" label=K::FieldName help=K::FieldNameHelp required=true />
                <SelectField
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
                Some(id) => accounts_api::get_one(id).await.map(Some),
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
