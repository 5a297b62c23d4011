//! `/accounts/:id/kf`: customer-service accounts (客服帐号) as WeChat holds them — add, invite a
//! WeChat user to bind, nickname, avatar, delete — with their binding and online state.

pub mod api;

use ::api::accounts::Account;
use ::api::kf::{
    self, CreateKfAccount, InviteKfWorker, KfAccount, UpdateKfAccount, check_account,
    check_nickname, check_wechat_id,
};
use ::api::staff::Role;
use ::api::validate::Rule;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::AccountPage;
use crate::accounts::AccountTab;
use crate::auth::use_session;
use crate::components::form::TextInput;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, Modal, SearchBox, SkeletonRows, icons, reload,
    use_toasts,
};
use crate::i18n::{I18n, K, fill, use_i18n};
use crate::oa::kf::api as kf_api;
use crate::oa::materials::chosen_file;
use crate::util;

#[component]
pub fn KfPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Kf render=|a: Account| view! { <KfAccounts account=a /> }.into_any() /> }
}

/// What a dialog is doing to which account.
#[derive(Clone, Debug, PartialEq)]
enum Dialog {
    Create,
    Rename(String),
    Invite(String),
}

fn binding(i: I18n, k: &KfAccount) -> AnyView {
    if let Some(wx) = k.bound_wx.clone() {
        let shown = wx.clone();
        return view! { <span class="badge badge-green" title=wx>{move || fill(i.t(K::KfBoundTo), "wx", &shown)}</span> }.into_any();
    }
    match (k.invite_wx.clone(), k.invite_status.as_deref()) {
        (Some(wx), Some("waiting") | None) => {
            let until = k
                .invite_expires_at
                .clone()
                .map(|t| util::format_time(&t))
                .unwrap_or_default();
            view! {
                <span class="badge badge-orange" title=until>{move || fill(i.t(K::KfInvitePending), "wx", &wx)}</span>
            }
            .into_any()
        }
        (Some(_), Some("rejected")) => {
            view! { <span class="badge badge-red">{move || i.t(K::KfInviteRejected)}</span> }
                .into_any()
        }
        (Some(_), Some(_)) => {
            view! { <span class="badge">{move || i.t(K::KfInviteExpired)}</span> }.into_any()
        }
        (None, _) => view! { <span class="badge">{move || i.t(K::KfUnbound)}</span> }.into_any(),
    }
}

#[component]
fn KfAccounts(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let data = LocalResource::new(move || async move { kf_api::list(id).await });
    let q_input = RwSignal::new(String::new());
    let dialog: RwSignal<Option<Dialog>> = RwSignal::new(None);
    let to_delete: RwSignal<Option<String>> = RwSignal::new(None);
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        let Some(kf) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let r = kf_api::remove(id, &kf).await;
            deleting.set(false);
            confirm_open.set(false);
            match r {
                Ok(()) => {
                    toasts.success(i.now(K::KfDeleted));
                    reload(data);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    let upload_avatar = move |kf: String, ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        if file.size() as usize > 1 << 20 {
            toasts.error(Rule::FileTooLarge { max_bytes: 1 << 20 }.message(i.lang_now()));
            return;
        }
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_blob_and_filename("file", &file, &file.name());
        spawn_local(async move {
            match kf_api::avatar(id, &kf, &form).await {
                Ok(_) => {
                    toasts.success(i.now(K::KfAvatarUploaded));
                    reload(data);
                }
                Err(e) => {
                    let msg = e
                        .field_messages(i.lang_now())
                        .into_iter()
                        .next()
                        .map(|(_, m)| m);
                    toasts.error(msg.unwrap_or_else(|| e.message(i.lang_now())));
                }
            }
        });
    };

    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::KfTitle)}</h2>
                <p class="muted">{move || i.t(K::KfSubtitle)}</p>
            </div>
            <div class="page-actions">
                <button type="button" class="btn" data-testid="kf-refresh" on:click=move |_| reload(data)>
                    {icons::refresh()}<span>{move || i.t(K::KfRefresh)}</span>
                </button>
                <Show when=move || can_edit.get()>
                    <button type="button" class="btn btn-primary" data-testid="kf-new" on:click=move |_| dialog.set(Some(Dialog::Create))>
                        {icons::plus()}<span>{move || i.t(K::KfNew)}</span>
                    </button>
                </Show>
            </div>
        </div>
        <div class="card table-card">
            <div class="toolbar">
                <SearchBox placeholder=K::KfSearch value=q_input on_input=Callback::new(move |v| q_input.set(v)) testid="kf-search" />
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=3 cols=4 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <EmptyState title=K::KfEmpty body=K::KfEmptyBody testid="kf-empty" /> }.into_any(),
                Some(Ok(list)) => {
                    let needle = q_input.get().trim().to_lowercase();
                    let rows: Vec<KfAccount> = list
                        .into_iter()
                        .filter(|k| needle.is_empty() || k.kf_account.to_lowercase().contains(&needle) || k.nickname.to_lowercase().contains(&needle))
                        .collect();
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="kf-table">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::KfAccountCol)}</th>
                                        <th>{move || i.t(K::KfBinding)}</th>
                                        <th>{move || i.t(K::KfOnline)}</th>
                                        <th>{move || i.t(K::Actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|k| {
                                        let account = k.kf_account.clone();
                                        let (a_rename, a_invite, a_delete, a_avatar) = (account.clone(), account.clone(), account.clone(), account.clone());
                                        let bound = k.bound_wx.is_some();
                                        let online = k.online;
                                        let cases = k.accepted_case;
                                        let initial: String = k.nickname.chars().next().map(String::from).unwrap_or_default();
                                        view! {
                                            <tr data-testid="kf-row" data-kf=account.clone()>
                                                <td>
                                                    <div class="kf-cell">
                                                        <span class="kf-avatar" title=move || i.t(if k.has_avatar { K::KfHasAvatar } else { K::KfNoAvatar })>{initial}</span>
                                                        <div class="mat-text">
                                                            <div class="mat-name" data-testid="kf-nickname">{k.nickname.clone()}</div>
                                                            <div class="mono muted small ellipsis">{account.clone()}</div>
                                                        </div>
                                                    </div>
                                                </td>
                                                <td data-testid="kf-binding">{binding(i, &k)}</td>
                                                <td data-testid="kf-online">
                                                    {if online {
                                                        view! { <span class="badge badge-green">{move || fill(i.t(K::KfOnlineCases), "n", &cases.to_string())}</span> }.into_any()
                                                    } else {
                                                        view! { <span class="badge">{move || i.t(K::KfOffline)}</span> }.into_any()
                                                    }}
                                                </td>
                                                <td class="row-actions">
                                                    <Show when=move || can_edit.get()>
                                                        {
                                                            let (a_rename, a_invite, a_delete, a_avatar) = (a_rename.clone(), a_invite.clone(), a_delete.clone(), a_avatar.clone());
                                                            view! {
                                                                {(!bound).then(|| {
                                                                    let a_invite = a_invite.clone();
                                                                    view! { <button type="button" class="btn btn-sm" data-testid="kf-invite" on:click=move |_| dialog.set(Some(Dialog::Invite(a_invite.clone())))>{move || i.t(K::KfInvite)}</button> }
                                                                })}
                                                                <button type="button" class="btn btn-sm btn-ghost" data-testid="kf-rename" on:click=move |_| dialog.set(Some(Dialog::Rename(a_rename.clone())))>{move || i.t(K::KfRename)}</button>
                                                                <label class="btn btn-sm btn-ghost upload-inline">
                                                                    {move || i.t(K::KfAvatar)}
                                                                    <input type="file" accept="image/jpeg,image/png" class="visually-hidden" data-testid="kf-avatar" on:change=move |ev| upload_avatar(a_avatar.clone(), ev) />
                                                                </label>
                                                                <button type="button" class="btn btn-sm btn-danger-outline" data-testid="kf-delete" on:click=move |_| { to_delete.set(Some(a_delete.clone())); confirm_open.set(true); }>{move || i.t(K::Delete)}</button>
                                                            }
                                                        }
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </div>
        <KfDialog account=id dialog=dialog on_done=Callback::new(move |()| reload(data)) />
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || i.t(K::KfDeleteTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::KfDeleteBody), "kf", &to_delete.get().unwrap_or_default()))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}

/// One dialog for add / rename / invite: the fields it needs, checked with `api::kf`'s rules.
#[component]
fn KfDialog(
    account: i64,
    dialog: RwSignal<Option<Dialog>>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let open = RwSignal::new(false);
    let kf_account = RwSignal::new(String::new());
    let nickname = RwSignal::new(String::new());
    let invite_wx = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    Effect::new(move |_| {
        let d = dialog.get();
        if open.get_untracked() != d.is_some() {
            open.set(d.is_some());
        }
        touched.set(false);
        kf_account.set(String::new());
        nickname.set(String::new());
        invite_wx.set(String::new());
    });
    // Closing the dialog (Esc, backdrop, cancel) forgets what it was doing. Only a change is
    // written: each write wakes the effect above, which writes `open` again, and two effects
    // writing each other's signals unconditionally never stop (the page froze).
    Effect::new(move |_| {
        if !open.get() && dialog.get_untracked().is_some() {
            dialog.set(None);
        }
    });
    let msg = move |r: Result<(), Rule>| r.err().map(|r| r.message(i.lang()));
    let account_error = Signal::derive(move || {
        touched
            .get()
            .then(|| msg(check_account(&kf_account.get())))
            .flatten()
    });
    let nickname_error = Signal::derive(move || {
        touched
            .get()
            .then(|| msg(check_nickname(&nickname.get())))
            .flatten()
    });
    let wx_error = Signal::derive(move || {
        touched
            .get()
            .then(|| msg(check_wechat_id(&invite_wx.get())))
            .flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Some(d) = dialog.get_untracked() else {
            return;
        };
        let bad = match &d {
            Dialog::Create => {
                account_error.get_untracked().is_some() || nickname_error.get_untracked().is_some()
            }
            Dialog::Rename(_) => nickname_error.get_untracked().is_some(),
            Dialog::Invite(_) => wx_error.get_untracked().is_some(),
        };
        if bad {
            util::focus_first_error();
            return;
        }
        saving.set(true);
        spawn_local(async move {
            let r = match &d {
                Dialog::Create => {
                    kf_api::create(
                        account,
                        &CreateKfAccount {
                            kf_account: kf_account.get_untracked().trim().to_string(),
                            nickname: nickname.get_untracked(),
                        },
                    )
                    .await
                }
                Dialog::Rename(kf) => {
                    kf_api::update(
                        account,
                        kf,
                        &UpdateKfAccount {
                            nickname: nickname.get_untracked(),
                        },
                    )
                    .await
                }
                Dialog::Invite(kf) => {
                    kf_api::invite(
                        account,
                        kf,
                        &InviteKfWorker {
                            invite_wx: invite_wx.get_untracked().trim().to_string(),
                        },
                    )
                    .await
                }
            };
            saving.set(false);
            match r {
                Ok(_) => {
                    toasts.success(i.now(match d {
                        Dialog::Create => K::KfCreated,
                        Dialog::Rename(_) => K::KfRenamed,
                        Dialog::Invite(_) => K::KfInvited,
                    }));
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => {
                    let msg = e
                        .field_messages(i.lang_now())
                        .into_iter()
                        .next()
                        .map(|(_, m)| m);
                    toasts.error(msg.unwrap_or_else(|| e.message(i.lang_now())));
                }
            }
        });
    };
    let title = Signal::derive(move || match dialog.get() {
        Some(Dialog::Create) | None => i.t(K::KfNew).to_string(),
        Some(Dialog::Rename(kf)) => fill(i.t(K::KfRenameTitle), "kf", &kf),
        Some(Dialog::Invite(kf)) => fill(i.t(K::KfInviteTitle), "kf", &kf),
    });
    let is = move |f: fn(&Dialog) -> bool| move || dialog.get().as_ref().is_some_and(f);
    view! {
        <Modal open=open title=title>
            <form on:submit=submit novalidate data-testid="kf-form">
                <div class="modal-body">
                    <Show when=is(|d| *d == Dialog::Create)>
                        <TextInput name="kf_account" label=K::KfAccountCol required=true mono=true value=kf_account on_input=move |v| kf_account.set(v) error=account_error
                            help=Signal::derive(move || fill(i.t(K::KfAccountHelp), "n", &kf::MAX_PREFIX.to_string())) testid="kf-account-input" />
                    </Show>
                    <Show when=is(|d| !matches!(d, Dialog::Invite(_)))>
                        <TextInput name="nickname" label=K::KfNickname required=true value=nickname on_input=move |v| nickname.set(v) error=nickname_error testid="kf-nickname-input" />
                    </Show>
                    <Show when=is(|d| matches!(d, Dialog::Invite(_)))>
                        <TextInput name="invite_wx" label=K::KfInviteWx required=true mono=true value=invite_wx on_input=move |v| invite_wx.set(v) error=wx_error
                            help=Signal::derive(move || i.t(K::KfInviteHelp).to_string()) testid="kf-invite-input" />
                    </Show>
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="kf-save" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
