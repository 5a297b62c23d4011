//! The WeCom app menu editor: the shared phone and button form with WeCom's button types,
//! WeCom's rules checked as staff type, save draft, publish to the app's agentid, read the live
//! menu back (46003: none published), delete, and the shared versions with rollback.

use api::menus::{self, MenuOverview, MenuVersion, PublishMenuInput, UnmatchedKey};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::use_session;
use crate::components::{ConfirmDialog, Modal, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::menus::Pos;
use crate::oa::menus::api as menus_api;
use crate::oa::menus::button_form::ButtonForm;
use crate::oa::menus::phone::Phone;
use crate::oa::menus::versions::Versions;

#[component]
pub(super) fn WecomMenuEditor(
    id: i64,
    agent_id: Option<i64>,
    overview: MenuOverview,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let start = overview
        .draft
        .clone()
        .or_else(|| overview.current.as_ref().map(|c| c.buttons.clone()))
        .unwrap_or_default();
    let buttons = RwSignal::new(start);
    let selected: RwSignal<Option<Pos>> = RwSignal::new(None);
    let current: RwSignal<Option<MenuVersion>> = RwSignal::new(overview.current.clone());
    let unmatched: RwSignal<Vec<UnmatchedKey>> = RwSignal::new(overview.unmatched_keys.clone());
    let versions_tick = RwSignal::new(0u32);

    // WeCom's rules, the same code the server runs before calling WeCom.
    let issues = Memo::new(move |_| buttons.with(|b| menus::validate_work_menu(b)));
    // Click keys no reply rule answers (latest answer wins).
    let seq = StoredValue::new(0u64);
    Effect::new(move |_| {
        let list = buttons.get();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        spawn_local(async move {
            if let Ok(c) = menus_api::validate(id, list).await
                && seq.try_get_value() == Some(mine)
            {
                let _ = unmatched.try_set(c.unmatched_keys);
            }
        });
    });

    let saving = RwSignal::new(false);
    let save_draft = move |_| {
        saving.set(true);
        let list = buttons.get_untracked();
        spawn_local(async move {
            let r = menus_api::save_draft(id, list).await;
            let _ = saving.try_set(false);
            match r {
                Ok(_) => toasts.success(i.now(K::MenuDraftSaved)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };

    let publish_open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let publishing = RwSignal::new(false);
    let server_issues: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let publish = move |_| {
        publishing.set(true);
        let req = PublishMenuInput {
            buttons: buttons.get_untracked(),
            note: note.get_untracked(),
        };
        spawn_local(async move {
            let r = menus_api::publish(id, &req).await;
            let _ = publishing.try_set(false);
            match r {
                Ok(v) => {
                    publish_open.set(false);
                    note.set(String::new());
                    server_issues.set(Vec::new());
                    toasts.success(fill(i.now(K::MenuPublished), "n", &v.number.to_string()));
                    buttons.set(v.buttons.clone());
                    current.set(Some(v));
                    versions_tick.update(|t| *t += 1);
                }
                Err(e) => {
                    server_issues.set(e.field_messages(i.lang_now()));
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    };

    let importing = RwSignal::new(false);
    let import = move |_| {
        importing.set(true);
        spawn_local(async move {
            let r = menus_api::import(id).await;
            let _ = importing.try_set(false);
            match r {
                Ok(v) => {
                    toasts.success(fill(i.now(K::MenuImported), "n", &v.number.to_string()));
                    buttons.set(v.buttons.clone());
                    selected.set(None);
                    current.set(Some(v));
                    versions_tick.update(|t| *t += 1);
                }
                // WeCom's 46003: the app has no menu yet.
                Err(e) if e.status() == Some(409) && e.code() == "conflict" => {
                    toasts.error(i.now(K::WcmNoMenu))
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };

    let delete_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        deleting.set(true);
        spawn_local(async move {
            let r = menus_api::remove(id).await;
            let _ = deleting.try_set(false);
            let _ = delete_open.try_set(false);
            match r {
                Ok(()) => {
                    toasts.success(i.now(K::MenuDeleted));
                    current.set(None);
                    versions_tick.update(|t| *t += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });

    let issue_count = Signal::derive(move || issues.with(Vec::len));
    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::WcmTitle)}</h2>
                <p class="muted">{move || i.t(K::WcmSubtitle)}</p>
                {agent_id.map(|a| view! { <p class="muted small" data-testid="wcm-agent">{move || fill(i.t(K::WcmAgent), "id", &a.to_string())}</p> })}
            </div>
            <Show when=move || can_edit.get()>
                <div class="page-actions">
                    <button type="button" class="btn" data-testid="menu-import" prop:disabled=move || importing.get() on:click=import>
                        {icons::refresh()}
                        <span>{move || i.t(K::WcmImport)}</span>
                    </button>
                    <button type="button" class="btn btn-danger-outline" data-testid="menu-delete" on:click=move |_| delete_open.set(true)>
                        {icons::trash()}
                        <span>{move || i.t(K::MenuDelete)}</span>
                    </button>
                </div>
            </Show>
        </div>
        <div class="menu-layout">
            <section class="card menu-phone-card">
                <h3 class="section-title">{move || i.t(K::MenuPreview)}</h3>
                <Phone buttons=buttons selected=selected issues=issues editable=can_edit />
                <p class="muted small">{move || i.t(K::MenuDragHint)}</p>
            </section>
            <section class="card menu-form-card">
                <ButtonForm account=id buttons=buttons selected=selected issues=issues unmatched=unmatched editable=can_edit types=menus::WORK_TYPES />
                <p class="muted small">{move || i.t(K::WcmTypesNote)}</p>
                <div class="menu-status">
                    <Show when=move || { issue_count.get() > 0 }>
                        <p class="field-error" data-testid="menu-issue-count">
                            {move || fill(i.t(K::MenuIssues), "n", &issue_count.get().to_string())}
                        </p>
                    </Show>
                    <Show when=move || !unmatched.with(Vec::is_empty)>
                        <p class="warn-text" data-testid="menu-unmatched">
                            {icons::alert()}
                            {move || fill(i.t(K::MenuUnmatchedCount), "n", &unmatched.with(Vec::len).to_string())}
                        </p>
                    </Show>
                    {move || {
                        let list = server_issues.get();
                        (!list.is_empty()).then(|| view! {
                            <ul class="field-error">
                                {list.into_iter().map(|(f, m)| view! { <li><span class="mono">{f}</span>": "{m}</li> }).collect_view()}
                            </ul>
                        })
                    }}
                    <p class="muted small" data-testid="wcm-current">
                        {move || i.t(K::MenuCurrent)}": "
                        {move || match current.get() {
                            Some(v) => fill(i.t(K::MenuVersionN), "n", &v.number.to_string()),
                            None => i.t(K::WcmNoMenu).to_string(),
                        }}
                    </p>
                </div>
                <Show when=move || can_edit.get()>
                    <div class="form-actions">
                        <button type="button" class="btn" data-testid="menu-save-draft" prop:disabled=move || saving.get() on:click=save_draft>
                            {move || if saving.get() { i.t(K::Saving) } else { i.t(K::MenuSaveDraft) }}
                        </button>
                        <button type="button" class="btn btn-primary" data-testid="menu-publish"
                            prop:disabled=move || { issue_count.get() > 0 }
                            on:click=move |_| publish_open.set(true)>
                            {move || i.t(K::WcmPublish)}
                        </button>
                    </div>
                </Show>
            </section>
        </div>
        <Versions id=id buttons=buttons current=current tick=versions_tick can_edit=can_edit />
        <Modal open=publish_open title=Signal::derive(move || i.t(K::WcmPublishTitle).to_string())>
            <div class="modal-body">
                <div class="alert alert-warn" data-testid="menu-publish-warning">
                    {icons::alert()}
                    <span>{move || i.t(K::WcmPublishWarn)}</span>
                </div>
                <label class="field">
                    <span class="field-label">{move || i.t(K::MenuNote)}</span>
                    <input type="text" class="input" data-testid="menu-note" maxlength="500" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                </label>
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| publish_open.set(false)>{move || i.t(K::Cancel)}</button>
                <button type="button" class="btn btn-primary" data-testid="menu-publish-confirm" prop:disabled=move || publishing.get() on:click=publish>
                    {move || if publishing.get() { i.t(K::MenuPublishing) } else { i.t(K::WcmPublish) }}
                </button>
            </div>
        </Modal>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::MenuDelete).to_string())
            body=Signal::derive(move || i.t(K::WcmDeleteBody).to_string())
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
