//! `/accounts/:id/tags`: user tags and legacy groups (a bar chart of members, create, rename,
//! delete — each pushed to WeChat), and drift between WeChat and the portal, resolved per item.

use api::followers::{
    DriftItem, DriftKind, DriftReport, ResolveDriftRequest, TAG_NAME_MAX_BYTES, Tag, TagInput,
    Winner,
};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::accounts::section::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, FieldRow, Modal, SkeletonRows, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::followers::api as followers_api;
use crate::util;

#[component]
pub fn TagsPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Tags
            render=|account| view! { <Tags id=account.id /> }.into_any()
        />
    }
}

#[component]
fn Tags(id: i64) -> impl IntoView {
    let i = use_i18n();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::TagsTitle))));
    let data = LocalResource::new(move || followers_api::tags(id));
    let reload_all = Callback::new(move |()| reload(data));
    view! {
        <p class="muted section-intro">{move || i.t(K::TagsSubtitle)}</p>
        {move || match data.get() {
            None => view! { <div class="card"><SkeletonRows rows=4 cols=3 /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                </div>
            }.into_any(),
            Some(Ok(tg)) => view! {
                <div class="detail-grid">
                    <TagSection id=id group=false items=tg.tags on_change=reload_all />
                    <TagSection id=id group=true items=tg.groups on_change=reload_all />
                </div>
            }.into_any(),
        }}
        <DriftCard id=id on_change=reload_all />
    }
}

/// Validates a tag / group name like WeChat (≤ 30 bytes).
fn name_error(name: &str) -> Option<K> {
    let name = name.trim();
    if name.is_empty() {
        Some(K::TagNameRequired)
    } else if name.len() > TAG_NAME_MAX_BYTES {
        Some(K::TagNameTooLong)
    } else {
        None
    }
}

#[component]
fn TagSection(id: i64, group: bool, items: Vec<Tag>, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let kind = if group { "groups" } else { "tags" };
    let testid = if group { "group" } else { "tag" };
    let max = items
        .iter()
        .map(|t| t.count.max(t.wx_count.unwrap_or(0).max(0) as u64))
        .max()
        .unwrap_or(1)
        .max(1);
    // Create / rename dialog: `editing` is the tag being renamed (None: a new one).
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Tag>);
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let error = Signal::derive(move || {
        if let Some(e) = server_error.get() {
            return Some(e);
        }
        if !touched.get() {
            return None;
        }
        name_error(&name.get()).map(|k| i.t(k).to_string())
    });
    let open_new = move |_| {
        editing.set(None);
        name.set(String::new());
        touched.set(false);
        server_error.set(None);
        open.set(true);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if error.get_untracked().is_some() {
            util::focus_first_error();
            return;
        }
        saving.set(true);
        let req = TagInput {
            name: name.get_untracked().trim().to_string(),
        };
        let target = editing.get_untracked();
        spawn_local(async move {
            let r = match &target {
                Some(t) => followers_api::rename_tag(id, kind, t.id, &req).await,
                None => followers_api::create_tag(id, kind, &req).await.map(|_| ()),
            };
            match r {
                Ok(()) => {
                    toasts.success(i.now(if target.is_some() {
                        K::TagRenamed
                    } else {
                        K::TagCreated
                    }));
                    open.set(false);
                    on_change.run(());
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    match fields.into_iter().find(|(k, _)| k == "name") {
                        Some((_, m)) => server_error.set(Some(m)),
                        None => server_error.set(Some(e.message(i.lang_now()))),
                    }
                }
            }
            let _ = saving.try_set(false);
        });
    };
    // Delete confirmation.
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let to_delete = RwSignal::new(None::<Tag>);
    let on_delete = Callback::new(move |()| {
        let Some(t) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            match followers_api::delete_tag(id, kind, t.id).await {
                Ok(()) => {
                    toasts.success(i.now(K::TagDeleted));
                    on_change.run(());
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = deleting.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });
    let empty = items.is_empty();
    let rows = items.clone();
    view! {
        <section class="card" data-testid=format!("{testid}-section")>
            <div class="card-head">
                <h2 class="section-title">{move || i.t(if group { K::GroupsHeading } else { K::TagsHeading })}</h2>
                <Show when=move || can_edit.get()>
                    <button type="button" class="btn btn-sm" data-testid=format!("{testid}-new") on:click=open_new>
                        {icons::plus()}
                        <span>{move || i.t(if group { K::GroupNew } else { K::TagNew })}</span>
                    </button>
                </Show>
            </div>
            {if empty {
                view! { <p class="muted">{move || i.t(if group { K::GroupsEmpty } else { K::TagsEmpty })}</p> }.into_any()
            } else {
                view! {
                    <p class="muted small">{move || i.t(K::ColMembers)}</p>
                    <div class="bars tag-bars" role="img" aria-label=move || i.t(K::TagChartTitle)>
                        {rows.into_iter().map(|t| {
                            let width = t.count as f64 * 100.0 / max as f64;
                            let wx_width = t.wx_count.unwrap_or(0).max(0) as f64 * 100.0 / max as f64;
                            let href = if group {
                                format!("/accounts/{id}/followers?group={}", t.id)
                            } else {
                                format!("/accounts/{id}/followers?tag={}", t.id)
                            };
                            let edit_t = t.clone();
                            let del_t = t.clone();
                            let system = t.id <= 2;
                            view! {
                                <div class="tag-row" data-testid=format!("{testid}-row") data-id=t.id.to_string()>
                                    <A href=href attr:class="bar-label" attr:title=move || i.t(K::ViewMembers)>{t.name.clone()}</A>
                                    <span class="bar-track tag-track">
                                        <span class="bar-fill tag-fill" style=format!("width:{width:.1}%")></span>
                                        <span class="tag-wx-mark" style=format!("left:{wx_width:.1}%")></span>
                                    </span>
                                    <span class="bar-value nowrap">
                                        {t.count}
                                        <span class="muted">" / "{t.wx_count.map(|n| n.to_string()).unwrap_or_else(|| "–".into())}</span>
                                    </span>
                                    <span class="row-actions">
                                        <Show when=move || can_edit.get() && !system>
                                            <button type="button" class="icon-btn" title=move || i.t(K::Rename) data-testid=format!("{testid}-rename") on:click={
                                                let t = edit_t.clone();
                                                move |_| {
                                                    name.set(t.name.clone());
                                                    editing.set(Some(t.clone()));
                                                    touched.set(false);
                                                    server_error.set(None);
                                                    open.set(true);
                                                }
                                            }>
                                                {icons::edit()}
                                            </button>
                                            <button type="button" class="icon-btn" title=move || i.t(K::Delete) data-testid=format!("{testid}-delete") on:click={
                                                let t = del_t.clone();
                                                move |_| {
                                                    to_delete.set(Some(t.clone()));
                                                    confirm_open.set(true);
                                                }
                                            }>
                                                {icons::trash()}
                                            </button>
                                        </Show>
                                    </span>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
            <Modal
                open=open
                title=Signal::derive(move || {
                    i.t(match (group, editing.get().is_some()) {
                        (_, true) => K::Rename,
                        (true, false) => K::GroupNew,
                        (false, false) => K::TagNew,
                    })
                    .to_string()
                })
            >
                <form on:submit=on_submit novalidate>
                    <div class="modal-body">
                        <FieldRowName name=name touched=touched server_error=server_error error=error />
                    </div>
                    <div class="modal-foot">
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                        <button type="submit" class="btn btn-primary" data-testid="tag-save" disabled=move || saving.get()>
                            {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                        </button>
                    </div>
                </form>
            </Modal>
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || fill(i.t(K::TagDeleteTitle), "name", &to_delete.get().map(|t| t.name).unwrap_or_default()))
                body=Signal::derive(move || i.t(if group { K::GroupDeleteBody } else { K::TagDeleteBody }).to_string())
                confirm_label=K::Delete
                busy_label=K::Deleting
                busy=deleting
                on_confirm=on_delete
            />
        </section>
    }
}

#[component]
fn FieldRowName(
    name: RwSignal<String>,
    touched: RwSignal<bool>,
    server_error: RwSignal<Option<String>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <FieldRow
            name="name"
            label=K::TagName
            required=true
            error=error
            help=Signal::derive(move || i.t(K::TagNameHelp).to_string())
        >
            <input
                id="f-name"
                class="input"
                data-testid="field-name"
                autocomplete="off"
                prop:value=move || name.get()
                on:input=move |ev| {
                    server_error.set(None);
                    name.set(event_target_value(&ev));
                }
                on:blur=move |_| touched.set(true)
            />
        </FieldRow>
    }
}

fn drift_kind_key(k: DriftKind) -> K {
    match k {
        DriftKind::Tag => K::DriftKindTag,
        DriftKind::Group => K::DriftKindGroup,
        DriftKind::Member => K::DriftKindMember,
        DriftKind::Remark => K::DriftKindRemark,
    }
}

#[component]
fn DriftCard(id: i64, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_resolve = Memo::new(move |_| session.allows(Role::Operator));
    let report = RwSignal::new(None::<DriftReport>);
    let checking = RwSignal::new(false);
    let check = move || {
        checking.set(true);
        spawn_local(async move {
            match followers_api::drift(id).await {
                Ok(r) => {
                    let _ = report.try_set(Some(r));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = checking.try_set(false);
        });
    };
    let resolve = move |item: DriftItem, winner: Winner| {
        spawn_local(async move {
            let req = ResolveDriftRequest {
                item: item.clone(),
                winner,
            };
            match followers_api::resolve_drift(id, &req).await {
                Ok(()) => {
                    toasts.success(i.now(K::DriftResolved));
                    report.update(|r| {
                        if let Some(r) = r {
                            r.items.retain(|x| *x != item);
                        }
                    });
                    on_change.run(());
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    let side = move |v: Option<String>| match v {
        Some(v) => view! { <span>{v}</span> }.into_any(),
        None => view! { <span class="muted">{move || i.t(K::DriftAbsent)}</span> }.into_any(),
    };
    view! {
        <section class="card" data-testid="drift-card">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::DriftTitle)}</h2>
                <Show when=move || can_resolve.get()>
                    <button type="button" class="btn" data-testid="drift-check" disabled=move || checking.get() on:click=move |_| check()>
                        {icons::refresh()}
                        <span>{move || if checking.get() { i.t(K::DriftChecking) } else { i.t(K::DriftCheck) }}</span>
                    </button>
                </Show>
            </div>
            <p class="muted small">{move || i.t(K::DriftHint)}</p>
            {move || report.get().map(|r| {
                let meta = fill(&fill(i.t(K::DriftCheckedAt), "at", &util::format_time(&r.checked_at)), "n", &r.remarks_checked.to_string());
                if r.items.is_empty() {
                    view! {
                        <EmptyState title=K::DriftNone body=K::DriftHint testid="drift-none" />
                        <p class="muted small">{meta}</p>
                    }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::ColKind)}</th>
                                        <th>{move || i.t(K::DriftColItem)}</th>
                                        <th>{move || i.t(K::DriftOurs)}</th>
                                        <th>{move || i.t(K::DriftTheirs)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r.items.into_iter().map(|item| {
                                        let (a, b) = (item.clone(), item.clone());
                                        let ident = match (&item.id, &item.openid) {
                                            (Some(id), Some(o)) => format!("{id} · {o}"),
                                            (Some(id), None) => id.to_string(),
                                            (None, Some(o)) => o.clone(),
                                            (None, None) => String::new(),
                                        };
                                        let kind = item.kind;
                                        view! {
                                            <tr data-testid="drift-item" data-kind=format!("{kind:?}").to_lowercase()>
                                                <td data-label=move || i.t(K::ColKind)>{move || i.t(drift_kind_key(kind))}</td>
                                                <td class="mono small" data-label=move || i.t(K::DriftColItem)>{ident}</td>
                                                <td data-label=move || i.t(K::DriftOurs)>{side(item.ours.clone())}</td>
                                                <td data-label=move || i.t(K::DriftTheirs)>{side(item.theirs.clone())}</td>
                                                <td class="row-actions">
                                                    <Show when=move || can_resolve.get()>
                                                        <button type="button" class="btn btn-sm" data-testid="drift-ours" on:click={
                                                            let a = a.clone();
                                                            move |_| resolve(a.clone(), Winner::Ours)
                                                        }>{move || i.t(K::DriftKeepOurs)}</button>
                                                        <button type="button" class="btn btn-sm btn-primary" data-testid="drift-theirs" on:click={
                                                            let b = b.clone();
                                                            move |_| resolve(b.clone(), Winner::Theirs)
                                                        }>{move || i.t(K::DriftAcceptTheirs)}</button>
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="muted small">{meta}</p>
                    }.into_any()
                }
            })}
        </section>
    }
}
