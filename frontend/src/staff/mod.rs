//! `/staff` (admins): list, create, change role, disable/enable, reset password, delete.

pub mod api;

use ::api::staff::{CreateStaffRequest, Role, StaffUser, UpdateStaffRequest};
use ::api::validate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::password::StrengthMeter;
use crate::auth::use_session;
use crate::components::badge::{role_desc_key, role_key};
use crate::components::{
    ConfirmDialog, CopyButton, EmptyState, FieldRow, FilterOption, FilterSelect, Modal,
    NoPermission, PageHeader, Pager, RoleBadge, SearchBox, SkeletonRows, error_card, icons,
    paginate, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::staff::api as staff_api;
use crate::util;

const PER_PAGE: u64 = 20;

#[component]
pub fn StaffPage() -> impl IntoView {
    let session = use_session();
    let is_admin = Memo::new(move |_| session.allows(Role::Admin));
    view! {
        <Show when=move || is_admin.get() fallback=|| view! {
            <PageHeader title=K::StaffTitle />
            <NoPermission />
        }>
            <StaffAdmin />
        </Show>
    }
}

#[component]
fn StaffAdmin() -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(staff_api::list);
    let create_open = RwSignal::new(false);
    let refresh = Callback::new(move |()| data.refetch());
    // Kept here so a reload after an action keeps the user's search and page.
    let filters = Filters {
        search: RwSignal::new(String::new()),
        role: RwSignal::new(None),
        page: RwSignal::new(1),
    };

    view! {
        <PageHeader title=K::StaffTitle subtitle=K::StaffSubtitle>
            <button
                type="button"
                class="btn btn-primary"
                data-testid="staff-new"
                on:click=move |_| create_open.set(true)
            >
                {icons::plus()}
                <span>{move || i.t(K::StaffNew)}</span>
            </button>
        </PageHeader>
        {move || match data.get() {
            None => view! { <div class="card"><SkeletonRows rows=4 cols=5 /></div> }.into_any(),
            Some(Err(e)) => error_card(e, data),
            Some(Ok(list)) => view! { <StaffTable list=list refresh=refresh filters=filters /> }.into_any(),
        }}
        <Modal open=create_open title=Signal::derive(move || i.t(K::StaffCreateTitle).to_string())>
            <CreateStaffForm
                on_done=move |()| {
                    create_open.set(false);
                    data.refetch();
                }
                on_cancel=move |()| create_open.set(false)
            />
        </Modal>
    }
}

#[derive(Debug, Clone, Copy)]
struct Filters {
    search: RwSignal<String>,
    role: RwSignal<Option<Role>>,
    page: RwSignal<u64>,
}

#[component]
fn StaffTable(list: Vec<StaffUser>, refresh: Callback<()>, filters: Filters) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let list = StoredValue::new(list);
    let Filters {
        search,
        role: role_filter,
        page,
    } = filters;
    let busy_id = RwSignal::new(None::<i64>);
    let reset_target = RwSignal::new(None::<StaffUser>);
    let reset_open = RwSignal::new(false);
    let delete_target = RwSignal::new(None::<StaffUser>);
    let delete_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let me_id = Memo::new(move |_| session.user_id());

    let filtered = Memo::new(move |_| {
        let q = search.get().trim().to_lowercase();
        let role = role_filter.get();
        list.with_value(|all| {
            all.iter()
                .filter(|u| role.is_none_or(|r| u.role == r))
                .filter(|u| q.is_empty() || u.username.contains(&q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // A filter change starts again from the first page (not the first run: reloads keep the page).
    Effect::new(move |first: Option<()>| {
        search.track();
        role_filter.track();
        if first.is_some() {
            page.set(1);
        }
    });
    let total = Signal::derive(move || filtered.with(|f| f.len() as u64));
    // Stay on a page that still exists after a delete.
    Effect::new(move |_| {
        let last = crate::components::pager::page_count(total.get(), PER_PAGE);
        if page.get_untracked() > last {
            page.set(last);
        }
    });
    let rows = Memo::new(move |_| filtered.with(|f| paginate(f, page.get(), PER_PAGE)));
    let counts = list.with_value(|all| {
        Role::ALL
            .into_iter()
            .map(|r| (r, all.iter().filter(|u| u.role == r).count()))
            .collect::<Vec<_>>()
    });

    let patch = move |user: StaffUser, req: UpdateStaffRequest, done: K| {
        busy_id.set(Some(user.id));
        spawn_local(async move {
            match staff_api::update(user.id, &req).await {
                Ok(_) => {
                    toasts.success(i.now(done));
                    refresh.run(());
                }
                Err(e) => {
                    toasts.error(e.message(i.lang_now()));
                    refresh.run(());
                }
            }
            let _ = busy_id.try_set(None);
        });
    };

    let on_delete = Callback::new(move |()| {
        let Some(user) = delete_target.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            match staff_api::remove(user.id).await {
                Ok(()) => toasts.success(i.now(K::StaffDeleted)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            deleting.set(false);
            delete_open.set(false);
            refresh.run(());
        });
    });

    view! {
        <div class="chips">
            {counts
                .into_iter()
                .map(|(r, n)| {
                    view! {
                        <button
                            type="button"
                            class="chip"
                            class:active=move || role_filter.get() == Some(r)
                            on:click=move |_| role_filter.update(|f| *f = if *f == Some(r) { None } else { Some(r) })
                        >
                            {move || i.t(role_key(r))}
                            <b>{n}</b>
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div class="card table-card">
            <div class="toolbar">
                <SearchBox
                    placeholder=K::StaffSearchPlaceholder
                    value=search
                    on_input=move |v| search.set(v)
                    testid="staff-search"
                />
                <FilterSelect
                    label=K::ColRole
                    value=Signal::derive(move || role_filter.get().map(|r| r.as_str().to_string()).unwrap_or_default())
                    on_change=move |v: String| role_filter.set(Role::parse(&v))
                    options={Role::ALL.into_iter().map(|r| FilterOption::key(r.as_str(), role_key(r))).collect::<Vec<_>>()}
                />
            </div>
            <Show
                when=move || { total.get() > 0 }
                fallback=|| view! { <EmptyState title=K::StaffEmptyTitle body=K::AccountsNoMatchBody /> }
            >
                <div class="table-wrap">
                    <table class="table table-cards">
                        <thead>
                            <tr>
                                <th>{move || i.t(K::ColUsername)}</th>
                                <th>{move || i.t(K::ColRole)}</th>
                                <th>{move || i.t(K::ColStatus)}</th>
                                <th class="hide-md">{move || i.t(K::ColLastLogin)}</th>
                                <th class="hide-md">{move || i.t(K::CreatedAt)}</th>
                                <th class="col-actions">{move || i.t(K::Actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|u| (u.id, u.role, u.disabled, u.must_change_password, u.last_login_at.clone())
                                children=move |u: StaffUser| {
                                    let is_me = me_id.get_untracked() == Some(u.id);
                                    let row_busy = move || busy_id.get() == Some(u.id);
                                    let user = StoredValue::new(u.clone());
                                    let role = u.role;
                                    view! {
                                        <tr data-testid="staff-row" class:row-disabled=u.disabled>
                                            <td class="cell-main" data-label=move || i.t(K::ColUsername)>
                                                <span class="avatar avatar-sm" aria-hidden="true">
                                                    {u.username.chars().next().unwrap_or('?').to_uppercase().to_string()}
                                                </span>
                                                <span class="row-title">{u.username.clone()}</span>
                                                {is_me.then(|| view! { <span class="badge badge-blue">{move || i.t(K::You)}</span> })}
                                            </td>
                                            <td data-label=move || i.t(K::ColRole)>
                                                {if is_me {
                                                    view! { <RoleBadge role=role /> }.into_any()
                                                } else {
                                                    view! {
                                                        <select
                                                            class="select select-sm"
                                                            data-testid="staff-role"
                                                            aria-label=move || i.t(K::ColRole)
                                                            disabled=row_busy
                                                            on:change=move |ev| {
                                                                if let Some(r) = Role::parse(&event_target_value(&ev)) {
                                                                    patch(
                                                                        user.get_value(),
                                                                        UpdateStaffRequest { role: Some(r), ..Default::default() },
                                                                        K::StaffRoleChanged,
                                                                    );
                                                                }
                                                            }
                                                        >
                                                            {Role::ALL
                                                                .into_iter()
                                                                .map(|r| {
                                                                    view! {
                                                                        <option value=r.as_str() selected=r == role>
                                                                            {move || i.t(role_key(r))}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                    }
                                                        .into_any()
                                                }}
                                            </td>
                                            <td data-label=move || i.t(K::ColStatus)>
                                                <span class="status-stack">
                                                    {if u.disabled {
                                                        view! { <span class="badge badge-red">{move || i.t(K::StatusDisabled)}</span> }.into_any()
                                                    } else {
                                                        view! { <span class="badge badge-green">{move || i.t(K::StatusActive)}</span> }.into_any()
                                                    }}
                                                    {u.must_change_password.then(|| view! {
                                                        <span class="badge badge-orange">{move || i.t(K::StatusMustChange)}</span>
                                                    })}
                                                </span>
                                            </td>
                                            <td class="hide-md nowrap muted" data-label=move || i.t(K::ColLastLogin)>
                                                {match u.last_login_at.clone() {
                                                    Some(t) => util::format_time(&t).into_any(),
                                                    None => view! { <span>{move || i.t(K::Never)}</span> }.into_any(),
                                                }}
                                            </td>
                                            <td class="hide-md nowrap muted" data-label=move || i.t(K::CreatedAt)>
                                                {util::format_time(&u.created_at)}
                                            </td>
                                            <td class="col-actions" data-label=move || i.t(K::Actions)>
                                                <div class="row-actions">
                                                    <button
                                                        type="button"
                                                        class="btn btn-sm"
                                                        data-testid="staff-toggle"
                                                        disabled=move || is_me || row_busy()
                                                        title=move || if is_me { i.t(K::CannotChangeSelf) } else { "" }
                                                        on:click=move |_| {
                                                            let user = user.get_value();
                                                            let disable = !user.disabled;
                                                            patch(
                                                                user,
                                                                UpdateStaffRequest { disabled: Some(disable), ..Default::default() },
                                                                if disable { K::StaffDisabledToast } else { K::StaffEnabledToast },
                                                            );
                                                        }
                                                    >
                                                        {move || if u.disabled { i.t(K::Enable) } else { i.t(K::Disable) }}
                                                    </button>
                                                    <button
                                                        type="button"
                                                        class="btn btn-sm"
                                                        data-testid="staff-reset-password"
                                                        disabled=row_busy
                                                        on:click=move |_| {
                                                            reset_target.set(Some(user.get_value()));
                                                            reset_open.set(true);
                                                        }
                                                    >
                                                        {icons::key()}
                                                        <span>{move || i.t(K::ResetPassword)}</span>
                                                    </button>
                                                    <button
                                                        type="button"
                                                        class="btn btn-sm btn-danger-outline"
                                                        data-testid="staff-delete"
                                                        disabled=move || is_me || row_busy()
                                                        title=move || i.t(K::Delete)
                                                        aria-label=move || i.t(K::Delete)
                                                        on:click=move |_| {
                                                            delete_target.set(Some(user.get_value()));
                                                            delete_open.set(true);
                                                        }
                                                    >
                                                        {icons::trash()}
                                                    </button>
                                                </div>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
                <Pager page=page total=total per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
            </Show>
        </div>
        <Modal
            open=reset_open
            title=Signal::derive(move || {
                fill(
                    i.t(K::ResetPasswordTitle),
                    "name",
                    &reset_target.with(|t| t.as_ref().map(|u| u.username.clone()).unwrap_or_default()),
                )
            })
        >
            <ResetPasswordForm
                target=reset_target
                on_done=move |()| {
                    reset_open.set(false);
                    refresh.run(());
                }
                on_cancel=move |()| reset_open.set(false)
            />
        </Modal>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::DeleteStaffTitle).to_string())
            body=Signal::derive(move || {
                fill(
                    i.t(K::DeleteStaffBody),
                    "name",
                    &delete_target.with(|t| t.as_ref().map(|u| u.username.clone()).unwrap_or_default()),
                )
            })
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}

/// A password input with "generate" and "copy", for temporary passwords handed to someone.
#[component]
fn TempPasswordInput(
    value: RwSignal<String>,
    testid: &'static str,
    on_input: Callback<()>,
    on_blur: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="input-group">
            <input
                id="f-password"
                class="input mono"
                type="text"
                autocomplete="new-password"
                spellcheck="false"
                data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    on_input.run(());
                }
                on:blur=move |_| on_blur.run(())
            />
            <button
                type="button"
                class="btn"
                data-testid="generate-password"
                on:click=move |_| {
                    value.set(util::random_password());
                    on_input.run(());
                    on_blur.run(());
                }
            >
                {icons::refresh()}
                <span>{move || i.t(K::GenerateRandom)}</span>
            </button>
            <Show when=move || !value.with(|v| v.is_empty())>
                <CopyButton text=value />
            </Show>
        </div>
        <StrengthMeter password=value />
    }
}

#[component]
fn CreateStaffForm(
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator);
    let touched_user = RwSignal::new(false);
    let touched_pw = RwSignal::new(false);
    let submitted = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let form_error = RwSignal::new(None::<String>);
    let server_user = RwSignal::new(None::<String>);
    let server_pw = RwSignal::new(None::<String>);

    let user_error = Signal::derive(move || {
        if let Some(e) = server_user.get() {
            return Some(e);
        }
        if !(touched_user.get() || submitted.get()) {
            return None;
        }
        validate::username(username.get().trim())
            .err()
            .map(|r| r.message(i.lang()))
    });
    let pw_error = Signal::derive(move || {
        if let Some(e) = server_pw.get() {
            return Some(e);
        }
        if !(touched_pw.get() || submitted.get()) {
            return None;
        }
        validate::password(&password.get(), username.get().trim())
            .err()
            .map(|r| r.message(i.lang()))
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        submitted.set(true);
        if user_error.get_untracked().is_some() || pw_error.get_untracked().is_some() {
            form_error.set(None);
            util::focus_first_error();
            return;
        }
        form_error.set(None);
        saving.set(true);
        let req = CreateStaffRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            role: role.get_untracked(),
        };
        spawn_local(async move {
            match staff_api::create(&req).await {
                Ok(_) => {
                    toasts.success(i.now(K::StaffCreated));
                    on_done.run(());
                }
                Err(e) => {
                    saving.set(false);
                    let lang = i.lang_now();
                    if e.code() == "conflict" {
                        server_user.set(Some(i.now(K::UsernameTaken).to_string()));
                    }
                    for (field, msg) in e.field_messages(lang) {
                        match field.as_str() {
                            "password" => server_pw.set(Some(msg)),
                            _ => server_user.set(Some(msg)),
                        }
                    }
                    form_error.set(Some(match e.code() {
                        "conflict" => i.now(K::UsernameTaken).to_string(),
                        _ => e.message(lang),
                    }));
                }
            }
        });
    };

    view! {
        <form on:submit=on_submit novalidate>
            <div class="modal-body">
                <FieldRow
                    name="username"
                    label=K::FieldUsername
                    required=true
                    error=user_error
                    help=Signal::derive(move || i.t(K::FieldUsernameHelp).to_string())
                >
                    <input
                        id="f-username"
                        class="input"
                        data-testid="field-username"
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        prop:value=move || username.get()
                        on:input=move |ev| {
                            server_user.set(None);
                            username.set(event_target_value(&ev));
                        }
                        on:blur=move |_| touched_user.set(true)
                    />
                </FieldRow>
                <FieldRow
                    name="password"
                    label=K::FieldInitialPassword
                    required=true
                    error=pw_error
                    help=Signal::derive(move || i.t(K::FieldInitialPasswordHelp).to_string())
                >
                    <TempPasswordInput
                        value=password
                        testid="field-password"
                        on_input=Callback::new(move |()| server_pw.set(None))
                        on_blur=Callback::new(move |()| touched_pw.set(true))
                    />
                </FieldRow>
                <FieldRow
                    name="role"
                    label=K::FieldRole
                    required=true
                    error=Signal::derive(|| None::<String>)
                    help=Signal::derive(move || i.t(role_desc_key(role.get())).to_string())
                >
                    <select
                        id="f-role"
                        class="select"
                        data-testid="field-role"
                        on:change=move |ev| {
                            if let Some(r) = Role::parse(&event_target_value(&ev)) {
                                role.set(r);
                            }
                        }
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() prop:selected=move || role.get() == r>
                                        {move || i.t(role_key(r))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </FieldRow>
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
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
                <button type="submit" class="btn btn-primary" data-testid="staff-save" disabled=move || saving.get()>
                    {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn ResetPasswordForm(
    target: RwSignal<Option<StaffUser>>,
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let password = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let username =
        move || target.with(|t| t.as_ref().map(|u| u.username.clone()).unwrap_or_default());
    let error = Signal::derive(move || {
        if let Some(e) = server_error.get() {
            return Some(e);
        }
        if !touched.get() {
            return None;
        }
        validate::password(&password.get(), &username())
            .err()
            .map(|r| r.message(i.lang()))
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if saving.get_untracked() || error.get_untracked().is_some() {
            return;
        }
        let Some(user) = target.get_untracked() else {
            return;
        };
        saving.set(true);
        let req = UpdateStaffRequest {
            password: Some(password.get_untracked()),
            ..Default::default()
        };
        spawn_local(async move {
            match staff_api::update(user.id, &req).await {
                Ok(_) => {
                    toasts.success(i.now(K::StaffPasswordReset));
                    on_done.run(());
                }
                Err(e) => {
                    saving.set(false);
                    let lang = i.lang_now();
                    let fields = e.field_messages(lang);
                    server_error.set(Some(
                        fields
                            .into_iter()
                            .next()
                            .map(|(_, m)| m)
                            .unwrap_or_else(|| e.message(lang)),
                    ));
                }
            }
        });
    };
    view! {
        <form on:submit=on_submit novalidate>
            <div class="modal-body">
                <p class="muted">{move || i.t(K::ResetPasswordBody)}</p>
                <FieldRow
                    name="password"
                    label=K::FieldTemporaryPassword
                    required=true
                    error=error
                    help=Signal::derive(move || i.t(K::PwPolicy).to_string())
                >
                    <TempPasswordInput
                        value=password
                        testid="reset-password-input"
                        on_input=Callback::new(move |()| server_error.set(None))
                        on_blur=Callback::new(move |()| touched.set(true))
                    />
                </FieldRow>
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
                <button
                    type="submit"
                    class="btn btn-primary"
                    data-testid="reset-password-save"
                    disabled=move || saving.get()
                >
                    {move || if saving.get() { i.t(K::Saving) } else { i.t(K::ResetPassword) }}
                </button>
            </div>
        </form>
    }
}
