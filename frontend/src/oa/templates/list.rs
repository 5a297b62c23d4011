//! The private templates as last synced: title, industries, the content with its
//! `{{key.DATA}}` fields shown as chips, WeChat's example; add one from WeChat's library by
//! its short id, sync from WeChat, delete; "send" picks the template in the send form.

use api::staff::Role;
use api::templates::{AddTemplateInput, Template};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as tpl_api;
use super::{Piece, pieces};
use crate::api_client::ClientError;
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, CopyButton, EmptyState, SearchBox, icons, table_states, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};

/// WeChat keeps at most this many private templates per account.
const TEMPLATES_MAX: usize = 25;

/// A library short id: `TM` or `OPENTM` and digits.
fn valid_short_id(s: &str) -> bool {
    s.strip_prefix("OPENTM")
        .or_else(|| s.strip_prefix("TM"))
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The content with its fields as chips (the list's field preview).
#[component]
pub fn FieldPreview(content: String) -> impl IntoView {
    view! {
        <div class="tpl-content" data-testid="tpl-fields">
            {pieces(&content).into_iter().map(|line| view! {
                <div class="tpl-line">
                    {line.into_iter().map(|p| match p {
                        Piece::Text(t) => view! { <span>{t}</span> }.into_any(),
                        Piece::Field(k) => view! { <code class="tpl-field">{k}</code> }.into_any(),
                    }).collect_view()}
                </div>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn TemplateList(
    id: i64,
    templates: LocalResource<Result<Vec<Template>, ClientError>>,
    version: RwSignal<u32>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_manage = Memo::new(move |_| session.allows(Role::Operator));
    let search = RwSignal::new(String::new());

    // Add from the library.
    let short_id = RwSignal::new(String::new());
    let add_touched = RwSignal::new(false);
    let add_error = RwSignal::new(None::<String>);
    let adding = RwSignal::new(false);
    let short_error = Signal::derive(move || {
        if let Some(e) = add_error.get() {
            return Some(e);
        }
        if !add_touched.get() {
            return None;
        }
        let s = short_id.with(|s| s.trim().to_string());
        if s.is_empty() {
            Some(i.t(K::TplShortIdRequired).to_string())
        } else if !valid_short_id(&s) {
            Some(i.t(K::TplShortIdInvalid).to_string())
        } else {
            None
        }
    });
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add_touched.set(true);
        add_error.set(None);
        if short_error.get_untracked().is_some() {
            return;
        }
        let req = AddTemplateInput {
            template_id_short: short_id.get_untracked().trim().to_string(),
        };
        adding.set(true);
        spawn_local(async move {
            match tpl_api::add(id, &req).await {
                Ok(_) => {
                    toasts.success(i.now(K::TplAdded));
                    short_id.set(String::new());
                    add_touched.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => add_error.set(Some(e.message(i.lang_now()))),
            }
            let _ = adding.try_set(false);
        });
    };

    let syncing = RwSignal::new(false);
    let on_sync = move |_| {
        syncing.set(true);
        spawn_local(async move {
            match tpl_api::sync(id).await {
                Ok(list) => {
                    toasts.success(fill(i.now(K::TplSynced), "n", &list.len().to_string()));
                    version.update(|v| *v += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = syncing.try_set(false);
        });
    };

    // Delete, confirmed.
    let to_delete = RwSignal::new(None::<Template>);
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        let Some(t) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            match tpl_api::remove(id, &t.template_id).await {
                Ok(()) => {
                    toasts.success(i.now(K::TplDeleted));
                    if chosen.get_untracked() == t.template_id {
                        chosen.set(String::new());
                    }
                    version.update(|v| *v += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = deleting.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    let row = move |t: Template| {
        let tid = t.template_id.clone();
        let pick = t.template_id.clone();
        let del = t.clone();
        let industries = [t.primary_industry.clone(), t.deputy_industry.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <tr data-testid="tpl-row" data-id=t.template_id.clone()>
                <td data-label=move || i.t(K::TplColTitle)>
                    <div class="tpl-title" data-testid="tpl-title">{t.title.clone()}</div>
                    <span class="muted small">{industries}</span>
                </td>
                <td data-label=move || i.t(K::TplColFields)>
                    <FieldPreview content=t.content.clone() />
                    {(!t.example.is_empty()).then(|| view! {
                        <details class="tpl-example">
                            <summary class="small">{move || i.t(K::TplExample)}</summary>
                            <pre class="small">{t.example.clone()}</pre>
                        </details>
                    })}
                </td>
                <td data-label=move || i.t(K::TplColId)>
                    <div class="tpl-id">
                        <span class="mono small" data-testid="tpl-id">{tid.clone()}</span>
                        <CopyButton text=tid.clone() />
                    </div>
                </td>
                <td class="row-actions">
                    <Show when=move || can_manage.get()>
                        <button type="button" class="btn btn-sm btn-primary" data-testid="tpl-use" on:click={
                            let pick = pick.clone();
                            move |_| {
                                chosen.set(pick.clone());
                                // Bring the form into view (on a phone it is far below).
                                if let Some(el) = document().get_element_by_id("tpl-send") {
                                    el.scroll_into_view();
                                }
                            }
                        }>
                            <span>{move || i.t(K::TplUse)}</span>
                        </button>
                        <button type="button" class="btn btn-sm btn-danger-outline" data-testid="tpl-delete"
                            title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete)
                            on:click={
                                let del = del.clone();
                                move |_| { to_delete.set(Some(del.clone())); confirm_open.set(true); }
                            }>
                            {icons::trash()}
                        </button>
                    </Show>
                </td>
            </tr>
        }
    };

    let count = move || {
        templates
            .get()
            .and_then(|r| r.ok())
            .map(|l| l.len())
            .unwrap_or(0)
    };
    view! {
        <section class="card" data-testid="tpl-list">
            <div class="card-head">
                <h2 class="section-title">
                    {move || i.t(K::TplListTitle)}
                    <span class="muted small">" "{move || format!("{} / {TEMPLATES_MAX}", count())}</span>
                </h2>
                <Show when=move || can_manage.get()>
                    <button type="button" class="btn btn-sm" data-testid="tpl-sync" disabled=move || syncing.get() on:click=on_sync>
                        {icons::refresh()}
                        <span>{move || i.t(if syncing.get() { K::TplSyncing } else { K::TplSync })}</span>
                    </button>
                </Show>
            </div>
            <Show when=move || can_manage.get()>
                <form class="tpl-add" on:submit=on_add novalidate>
                    <div class="field" class:has-error=move || short_error.with(|e| e.is_some())>
                        <label class="field-label" for="f-template_id_short">{move || i.t(K::TplShortId)}</label>
                        <div class="tpl-add-row">
                            <input id="f-template_id_short" class="input mono" data-testid="tpl-short-id" autocomplete="off"
                                placeholder="OPENTM207498902"
                                aria-invalid=move || short_error.with(|e| e.is_some()).then_some("true")
                                prop:value=move || short_id.get()
                                on:input=move |ev| { add_error.set(None); short_id.set(event_target_value(&ev)); } />
                            <button type="submit" class="btn btn-primary" data-testid="tpl-add" disabled=move || adding.get()>
                                {icons::plus()}
                                <span>{move || i.t(if adding.get() { K::TplAdding } else { K::TplAdd })}</span>
                            </button>
                        </div>
                        {move || match short_error.get() {
                            Some(e) => view! { <p class="field-error" role="alert" data-testid="error-template_id_short">{e}</p> }.into_any(),
                            None => view! { <p class="field-help">{move || i.t(K::TplShortIdHelp)}</p> }.into_any(),
                        }}
                    </div>
                </form>
            </Show>
            <div class="toolbar">
                <SearchBox placeholder=K::TplSearch value=search on_input=Callback::new(move |v| search.set(v)) testid="tpl-search" />
            </div>
            {table_states(
                templates,
                (3, 4),
                |l: &Vec<Template>| l.is_empty().then(|| view! {
                    <EmptyState title=K::TplEmpty body=K::TplEmptyBody testid="tpl-empty" />
                }.into_any()),
                move |l: Vec<Template>| {
                    let needle = search.get().trim().to_lowercase();
                    let shown: Vec<Template> = l.into_iter().filter(|t| needle.is_empty()
                        || t.title.to_lowercase().contains(&needle)
                        || t.template_id.to_lowercase().contains(&needle)
                        || t.content.to_lowercase().contains(&needle)).collect();
                    if shown.is_empty() {
                        return view! { <p class="muted empty-line">{move || i.t(K::TplNoMatch)}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::TplColTitle)}</th>
                                        <th>{move || i.t(K::TplColFields)}</th>
                                        <th>{move || i.t(K::TplColId)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>{shown.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any()
                },
            )}
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || i.t(K::TplDeleteTitle).to_string())
                body=Signal::derive(move || {
                    let title = to_delete.with(|t| t.as_ref().map(|t| t.title.clone()).unwrap_or_default());
                    fill(i.t(K::TplDeleteBody), "title", &title)
                })
                confirm_label=K::Delete
                busy_label=K::Deleting
                busy=deleting
                on_confirm=on_delete
            />
        </section>
    }
}
