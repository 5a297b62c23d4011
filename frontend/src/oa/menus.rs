//! `/accounts/:id/menus`: the menu editor (phone-style preview, 3×5 buttons, drag or arrow
//! buttons to reorder, per-type fields checked inline with WeChat's rules), publish with the
//! console warning, versions with diff and rollback, conditional menus and "preview as
//! follower".

use api::accounts::Account;
use api::menus::{
    self, ConditionalMenu, ConditionalMenuInput, MatchRule, MenuButton, MenuChange, MenuCheck,
    MenuOverview, MenuRule, MenuVersion, PublishMenuInput, TryMatchResult, UnmatchedKey,
    VersionSource,
};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::AccountPage;
use super::materials::MaterialPicker;
use crate::accounts::AccountTab;
use crate::api_client::{self, ClientError};
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, LoadingState, Modal, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// Where a button sits: top index and optional sub index.
type Pos = (usize, Option<usize>);

fn type_key(t: &str) -> K {
    match t {
        "view" => K::TypeView,
        "scancode_push" => K::TypeScanPush,
        "scancode_waitmsg" => K::TypeScanWait,
        "pic_sysphoto" => K::TypePicSys,
        "pic_photo_or_album" => K::TypePicAlbum,
        "pic_weixin" => K::TypePicWeixin,
        "location_select" => K::TypeLocation,
        "media_id" => K::TypeMedia,
        "article_id" => K::TypeArticle,
        "article_view_limited" => K::TypeArticleLimited,
        "miniprogram" => K::TypeMiniprogram,
        _ => K::TypeClick,
    }
}

fn source_key(s: VersionSource) -> (K, &'static str) {
    match s {
        VersionSource::Published => (K::SourcePublished, "badge badge-green"),
        VersionSource::Imported => (K::SourceImported, "badge badge-blue"),
        VersionSource::Rollback => (K::SourceRollback, "badge badge-orange"),
        VersionSource::Deleted => (K::SourceDeleted, "badge badge-red"),
    }
}

fn path_of(pos: Pos) -> String {
    menus::button_path(pos.0, pos.1)
}

fn get_button(list: &[MenuButton], pos: Pos) -> Option<MenuButton> {
    let top = list.get(pos.0)?;
    match pos.1 {
        None => Some(top.clone()),
        Some(s) => top.sub_button.get(s).cloned(),
    }
}

fn with_button(list: &mut [MenuButton], pos: Pos, f: impl FnOnce(&mut MenuButton)) {
    if let Some(top) = list.get_mut(pos.0) {
        match pos.1 {
            None => f(top),
            Some(s) => {
                if let Some(b) = top.sub_button.get_mut(s) {
                    f(b)
                }
            }
        }
    }
}

/// Moves the button at `from` to `to` (same level; sub-buttons within their parent).
fn move_button(list: &mut Vec<MenuButton>, from: Pos, to: Pos) {
    match (from, to) {
        ((a, None), (b, None)) if a < list.len() && b < list.len() => {
            let x = list.remove(a);
            list.insert(b, x);
        }
        ((p, Some(a)), (q, Some(b))) if p == q && p < list.len() => {
            let subs = &mut list[p].sub_button;
            if a < subs.len() && b < subs.len() {
                let x = subs.remove(a);
                subs.insert(b, x);
            }
        }
        _ => {}
    }
}

#[component]
pub fn MenusPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Menus render=|a: Account| view! { <MenusLoader account=a /> }.into_any() /> }
}

#[component]
fn MenusLoader(account: Account) -> impl IntoView {
    let i = use_i18n();
    let id = account.id;
    let data = LocalResource::new(move || async move {
        api_client::get::<MenuOverview>(&format!("/api/accounts/{id}/menu")).await
    });
    view! {
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card"><ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /></div>
            }
                .into_any(),
            Some(Ok(o)) => view! { <MenuEditor id=id overview=o /> }.into_any(),
        }}
    }
}

#[component]
fn MenuEditor(id: i64, overview: MenuOverview) -> impl IntoView {
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
    let draft_by = overview.draft_updated_by.clone();

    // WeChat's rules, checked as the staff member types (the same code the server runs).
    let issues = Memo::new(move |_| buttons.with(|b| menus::validate_menu(b)));
    // Unanswered click keys need the reply rules: ask the server (latest answer wins).
    let seq = StoredValue::new(0u64);
    Effect::new(move |_| {
        let list = buttons.get();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        spawn_local(async move {
            let r: Result<MenuCheck, _> = api_client::send(
                "POST",
                &format!("/api/accounts/{id}/menu/validate"),
                &serde_json::json!({ "buttons": list }),
            )
            .await;
            if let Ok(c) = r
                && seq.get_value() == mine
            {
                unmatched.set(c.unmatched_keys);
            }
        });
    });

    let saving = RwSignal::new(false);
    let save_draft = move |_| {
        saving.set(true);
        let list = buttons.get_untracked();
        spawn_local(async move {
            let r: Result<MenuCheck, _> = api_client::send(
                "PUT",
                &format!("/api/accounts/{id}/menu/draft"),
                &serde_json::json!({ "buttons": list }),
            )
            .await;
            saving.set(false);
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
            let r: Result<MenuVersion, ClientError> =
                api_client::send("POST", &format!("/api/accounts/{id}/menu/publish"), &req).await;
            publishing.set(false);
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
            let r: Result<MenuVersion, _> = api_client::send(
                "POST",
                &format!("/api/accounts/{id}/menu/import"),
                &serde_json::json!({}),
            )
            .await;
            importing.set(false);
            match r {
                Ok(v) => {
                    toasts.success(fill(i.now(K::MenuImported), "n", &v.number.to_string()));
                    buttons.set(v.buttons.clone());
                    selected.set(None);
                    current.set(Some(v));
                    versions_tick.update(|t| *t += 1);
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
            let r = api_client::delete(&format!("/api/accounts/{id}/menu")).await;
            deleting.set(false);
            delete_open.set(false);
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
                <h2 class="section-title">{move || i.t(K::MenusTitle)}</h2>
                <p class="muted">{move || i.t(K::MenusSubtitle)}</p>
                {draft_by.map(|n| view! { <p class="muted small">{move || fill(i.t(K::MenuDraftFrom), "name", &n)}</p> })}
            </div>
            <Show when=move || can_edit.get()>
                <div class="page-actions">
                    <button type="button" class="btn" data-testid="menu-import" prop:disabled=move || importing.get() on:click=import>
                        {icons::refresh()}
                        <span>{move || i.t(K::MenuImport)}</span>
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
                <ButtonForm account=id buttons=buttons selected=selected issues=issues unmatched=unmatched editable=can_edit />
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
                    <p class="muted small">
                        {move || i.t(K::MenuCurrent)}": "
                        {move || match current.get() {
                            Some(v) => fill(i.t(K::MenuVersionN), "n", &v.number.to_string()),
                            None => i.t(K::MenuNoVersion).to_string(),
                        }}
                    </p>
                </div>
                <Show when=move || can_edit.get()>
                    <div class="form-actions">
                        <button type="button" class="btn" data-testid="menu-save-draft" prop:disabled=move || saving.get() on:click=save_draft>
                            {move || if saving.get() { i.t(K::Saving) } else { i.t(K::MenuSaveDraft) }}
                        </button>
                        <button
                            type="button"
                            class="btn btn-primary"
                            data-testid="menu-publish"
                            prop:disabled=move || { issue_count.get() > 0 }
                            on:click=move |_| publish_open.set(true)
                        >
                            {move || i.t(K::MenuPublish)}
                        </button>
                    </div>
                </Show>
            </section>
        </div>
        <Versions id=id buttons=buttons current=current tick=versions_tick can_edit=can_edit />
        <Conditional id=id buttons=buttons can_edit=can_edit />
        <TryMatch id=id />
        <Modal open=publish_open title=Signal::derive(move || i.t(K::MenuPublishTitle).to_string())>
            <div class="modal-body">
                <div class="alert alert-warn" data-testid="menu-publish-warning">
                    {icons::alert()}
                    <span>{move || i.t(K::MenuPublishWarn)}</span>
                </div>
                <label class="field">
                    <span class="field-label">{move || i.t(K::MenuNote)}</span>
                    <input type="text" class="input" data-testid="menu-note" maxlength="500" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                </label>
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| publish_open.set(false)>{move || i.t(K::Cancel)}</button>
                <button type="button" class="btn btn-primary" data-testid="menu-publish-confirm" prop:disabled=move || publishing.get() on:click=publish>
                    {move || if publishing.get() { i.t(K::MenuPublishing) } else { i.t(K::MenuPublish) }}
                </button>
            </div>
        </Modal>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::MenuDelete).to_string())
            body=Signal::derive(move || i.t(K::MenuDeleteBody).to_string())
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}

/// The phone: a chat area and the menu bar; sub-buttons pop up above the selected top button.
#[component]
fn Phone(
    buttons: RwSignal<Vec<MenuButton>>,
    selected: RwSignal<Option<Pos>>,
    issues: Memo<Vec<(String, MenuRule)>>,
    editable: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let dragging: RwSignal<Option<Pos>> = RwSignal::new(None);
    let has_issue = move |pos: Pos| {
        let p = path_of(pos);
        issues.with(|l| {
            l.iter().any(|(f, _)| {
                f == &p
                    || (f.starts_with(&format!("{p}."))
                        && !f[p.len() + 1..].starts_with("sub_button["))
            })
        })
    };
    let drop_on = move |to: Pos| {
        if let Some(from) = dragging.get_untracked() {
            buttons.update(|l| move_button(l, from, to));
            selected.set(Some(to));
        }
        dragging.set(None);
    };
    let add_top = move |_| {
        buttons.update(|l| {
            if l.len() < menus::MAX_TOP {
                l.push(MenuButton {
                    name: format!("菜单{}", l.len() + 1),
                    kind: Some("click".into()),
                    key: Some(format!("MENU_{}", l.len() + 1)),
                    ..Default::default()
                });
            }
        });
        selected.set(Some((buttons.with_untracked(Vec::len) - 1, None)));
    };
    let add_sub = move |top: usize| {
        buttons.update(|l| {
            if let Some(t) = l.get_mut(top)
                && t.sub_button.len() < menus::MAX_SUB
            {
                let n = t.sub_button.len() + 1;
                if t.sub_button.is_empty() {
                    // The parent keeps only its name.
                    t.kind = None;
                    t.key = None;
                    t.url = None;
                    t.media_id = None;
                    t.article_id = None;
                    t.appid = None;
                    t.pagepath = None;
                }
                t.sub_button.push(MenuButton {
                    name: format!("子菜单{n}"),
                    kind: Some("click".into()),
                    key: Some(format!("MENU_{}_{n}", top + 1)),
                    ..Default::default()
                });
            }
        });
        let n = buttons.with_untracked(|l| l.get(top).map_or(0, |t| t.sub_button.len()));
        if n > 0 {
            selected.set(Some((top, Some(n - 1))));
        }
    };
    view! {
        <div class="phone" data-testid="menu-phone">
            <div class="phone-top">
                <span>"9:41"</span>
            </div>
            <div class="phone-chat"></div>
            <div class="phone-bar">
                <span class="phone-kbd" aria-hidden="true">"⌨"</span>
                {move || {
                    let list = buttons.get();
                    let n = list.len();
                    let open_top = selected.get().map(|(t, _)| t);
                    let tops = list
                        .into_iter()
                        .enumerate()
                        .map(|(t, b)| {
                            let subs = b.sub_button.clone();
                            let sub_count = subs.len();
                            let popup = (open_top == Some(t)).then(|| view! {
                                <div class="phone-subs" data-testid=format!("menu-subs-{t}")>
                                    {subs
                                        .into_iter()
                                        .enumerate()
                                        .map(|(s, sb)| {
                                            let pos = (t, Some(s));
                                            view! {
                                                <button
                                                    type="button"
                                                    class="phone-sub"
                                                    class:selected=move || selected.get() == Some(pos)
                                                    class:invalid=move || has_issue(pos)
                                                    draggable=move || if editable.get() { "true" } else { "false" }
                                                    data-testid=format!("menu-btn-{t}-{s}")
                                                    on:click=move |_| selected.set(Some(pos))
                                                    on:dragstart=move |_| dragging.set(Some(pos))
                                                    on:dragover=move |ev| ev.prevent_default()
                                                    on:drop=move |ev| {
                                                        ev.prevent_default();
                                                        drop_on(pos);
                                                    }
                                                >
                                                    {if sb.name.is_empty() { "—".to_string() } else { sb.name.clone() }}
                                                </button>
                                            }
                                        })
                                        .collect_view()}
                                    {(sub_count < menus::MAX_SUB).then(|| view! {
                                        <Show when=move || editable.get()>
                                            <button
                                                type="button"
                                                class="phone-sub phone-add"
                                                data-testid=format!("menu-add-sub-{t}")
                                                title=move || i.t(K::MenuAddSub)
                                                on:click=move |_| add_sub(t)
                                            >
                                                "+"
                                            </button>
                                        </Show>
                                    })}
                                </div>
                            });
                            let pos = (t, None);
                            view! {
                                <div class="phone-top-btn">
                                    {popup}
                                    <button
                                        type="button"
                                        class="phone-btn"
                                        class:selected=move || selected.get() == Some(pos)
                                        class:invalid=move || has_issue(pos)
                                        draggable=move || if editable.get() { "true" } else { "false" }
                                        data-testid=format!("menu-btn-{t}")
                                        on:click=move |_| selected.set(Some(pos))
                                        on:dragstart=move |_| dragging.set(Some(pos))
                                        on:dragover=move |ev| ev.prevent_default()
                                        on:drop=move |ev| {
                                            ev.prevent_default();
                                            drop_on(pos);
                                        }
                                    >
                                        {(sub_count > 0).then(|| view! { <span class="phone-burger">"≡ "</span> })}
                                        {if b.name.is_empty() { "—".to_string() } else { b.name.clone() }}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        {tops}
                        {(n < menus::MAX_TOP).then(|| view! {
                            <Show when=move || editable.get()>
                                <button type="button" class="phone-btn phone-add" data-testid="menu-add-top" title=move || i.t(K::MenuAddTop) on:click=add_top>
                                    "+"
                                </button>
                            </Show>
                        })}
                    }
                }}
            </div>
            <Show when=move || buttons.with(Vec::is_empty)>
                <p class="phone-empty muted small">{move || i.t(K::MenuEmpty)}</p>
            </Show>
        </div>
    }
}

/// The fields of the selected button, with WeChat's rules shown inline.
#[component]
fn ButtonForm(
    account: i64,
    buttons: RwSignal<Vec<MenuButton>>,
    selected: RwSignal<Option<Pos>>,
    issues: Memo<Vec<(String, MenuRule)>>,
    unmatched: RwSignal<Vec<UnmatchedKey>>,
    editable: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let err = move |pos: Pos, field: &'static str| {
        let p = format!("{}.{field}", path_of(pos));
        issues.with(|l| {
            l.iter()
                .find(|(f, _)| *f == p)
                .map(|(_, r)| r.message(i.lang()))
        })
    };
    let set = move |pos: Pos, f: fn(&mut MenuButton, String), v: String| {
        buttons.update(|l| with_button(l, pos, |b| f(b, v)));
    };
    view! {
        {move || {
            let Some(pos) = selected.get() else {
                return view! { <p class="muted" data-testid="menu-select-hint">{move || i.t(K::MenuSelectHint)}</p> }.into_any();
            };
            let Some(b) = buttons.with_untracked(|l| get_button(l, pos)) else {
                return view! { <p class="muted">{move || i.t(K::MenuSelectHint)}</p> }.into_any();
            };
            let parent = pos.1.is_none() && !b.sub_button.is_empty();
            let max = if pos.1.is_none() { menus::NAME_MAX_BYTES } else { menus::SUB_NAME_MAX_BYTES };
            let media = RwSignal::new(b.media_id.clone().unwrap_or_default());
            Effect::new(move |prev: Option<()>| {
                let v = media.get();
                if prev.is_some() {
                    set(pos, |b, v| b.media_id = Some(v), v);
                }
            });
            let (count, last) = buttons.with_untracked(|l| match pos.1 {
                None => (l.len(), l.len().saturating_sub(1)),
                Some(_) => {
                    let n = l.get(pos.0).map_or(0, |t| t.sub_button.len());
                    (n, n.saturating_sub(1))
                }
            });
            let idx = pos.1.unwrap_or(pos.0);
            let to = move |j: usize| match pos.1 {
                None => (j, None),
                Some(_) => (pos.0, Some(j)),
            };
            let text_field = move |label: K, field: &'static str, value: Option<String>, setter: fn(&mut MenuButton, String)| {
                view! {
                    <div class="field" class:has-error=move || err(pos, field).is_some()>
                        <label class="field-label" for=format!("menu-{field}")>{move || i.t(label)}</label>
                        <input
                            id=format!("menu-{field}")
                            type="text"
                            class="input"
                            data-testid=format!("menu-field-{field}")
                            prop:value=value.unwrap_or_default()
                            prop:disabled=move || !editable.get()
                            on:input=move |ev| set(pos, setter, event_target_value(&ev))
                        />
                        {move || err(pos, field).map(|m| view! { <p class="field-error" data-testid=format!("error-menu-{field}")>{m}</p> })}
                    </div>
                }
            };
            let kind = b.kind.clone().unwrap_or_default();
            let key_types = menus::KEY_TYPES.contains(&kind.as_str());
            let path = path_of(pos);
            let unmatched_here = move || unmatched.with(|u| u.iter().any(|x| x.path == path));
            view! {
                <div class="menu-form" data-testid="menu-form">
                    <div class="field" class:has-error=move || err(pos, "name").is_some()>
                        <label class="field-label" for="menu-name">{move || i.t(K::MenuButtonName)}</label>
                        <input
                            id="menu-name"
                            type="text"
                            class="input"
                            data-testid="menu-field-name"
                            prop:value=b.name.clone()
                            prop:disabled=move || !editable.get()
                            on:input=move |ev| set(pos, |b, v| b.name = v, event_target_value(&ev))
                        />
                        <p class="field-help">
                            {move || {
                                let used = buttons.with(|l| get_button(l, pos).map_or(0, |b| b.name.trim().len()));
                                format!("{} / {max}", fill(i.t(K::MenuBytesUsed), "n", &used.to_string()))
                            }}
                        </p>
                        {move || err(pos, "name").map(|m| view! { <p class="field-error" data-testid="error-menu-name">{m}</p> })}
                    </div>
                    {if parent {
                        view! { <p class="muted small">{move || i.t(K::MenuParentHint)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="field" class:has-error=move || err(pos, "type").is_some()>
                                <label class="field-label" for="menu-type">{move || i.t(K::MenuButtonType)}</label>
                                <select
                                    id="menu-type"
                                    class="input"
                                    data-testid="menu-field-type"
                                    prop:disabled=move || !editable.get()
                                    on:change=move |ev| {
                                        set(pos, |b, v| b.kind = Some(v), event_target_value(&ev));
                                        // Re-render the per-type fields.
                                        selected.set(Some(pos));
                                    }
                                >
                                    {menus::TYPES
                                        .iter()
                                        .map(|t| view! { <option value=*t prop:selected=*t == kind.as_str()>{move || i.t(type_key(t))}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            {key_types.then(|| view! {
                                {text_field(K::MenuKey, "key", b.key.clone(), |b, v| b.key = Some(v))}
                                <Show when=unmatched_here.clone()>
                                    <p class="warn-text small" data-testid="menu-key-unmatched">{icons::alert()}{move || i.t(K::MenuUnmatchedKey)}</p>
                                </Show>
                            })}
                            {(kind == "view" || kind == "miniprogram").then(|| text_field(K::MenuUrl, "url", b.url.clone(), |b, v| b.url = Some(v)))}
                            {(kind == "miniprogram").then(|| view! {
                                {text_field(K::MenuAppId, "appid", b.appid.clone(), |b, v| b.appid = Some(v))}
                                {text_field(K::MenuPagePath, "pagepath", b.pagepath.clone(), |b, v| b.pagepath = Some(v))}
                            })}
                            {(kind == "article_id" || kind == "article_view_limited").then(|| text_field(K::MenuArticleId, "article_id", b.article_id.clone(), |b, v| b.article_id = Some(v)))}
                            {(kind == "media_id").then(|| view! {
                                <div class="field" class:has-error=move || err(pos, "media_id").is_some()>
                                    <span class="field-label">{move || i.t(K::MenuMedia)}</span>
                                    <MaterialPicker account=account kinds=&["image", "voice", "video"] value=media testid="menu-media-picker" />
                                    {move || err(pos, "media_id").map(|m| view! { <p class="field-error" data-testid="error-menu-media_id">{m}</p> })}
                                </div>
                            })}
                        }
                            .into_any()
                    }}
                    <Show when=move || editable.get()>
                        <div class="menu-move">
                            <button type="button" class="btn btn-sm" data-testid="menu-move-prev" prop:disabled={idx == 0}
                                title=move || i.t(if pos.1.is_none() { K::MenuMoveLeft } else { K::MenuMoveUp })
                                on:click=move |_| { buttons.update(|l| move_button(l, pos, to(idx.saturating_sub(1)))); selected.set(Some(to(idx.saturating_sub(1)))); }>
                                {move || if pos.1.is_none() { "←" } else { "↑" }}" "{move || i.t(if pos.1.is_none() { K::MenuMoveLeft } else { K::MenuMoveUp })}
                            </button>
                            <button type="button" class="btn btn-sm" data-testid="menu-move-next" prop:disabled={idx >= last || count < 2}
                                title=move || i.t(if pos.1.is_none() { K::MenuMoveRight } else { K::MenuMoveDown })
                                on:click=move |_| { buttons.update(|l| move_button(l, pos, to(idx + 1))); selected.set(Some(to(idx + 1))); }>
                                {move || if pos.1.is_none() { "→" } else { "↓" }}" "{move || i.t(if pos.1.is_none() { K::MenuMoveRight } else { K::MenuMoveDown })}
                            </button>
                            <button type="button" class="btn btn-sm btn-danger-outline" data-testid="menu-remove"
                                on:click=move |_| {
                                    buttons.update(|l| match pos.1 {
                                        None => { if pos.0 < l.len() { l.remove(pos.0); } }
                                        Some(s) => {
                                            if let Some(t) = l.get_mut(pos.0) && s < t.sub_button.len() {
                                                t.sub_button.remove(s);
                                                if t.sub_button.is_empty() {
                                                    t.kind = Some("click".into());
                                                }
                                            }
                                        }
                                    });
                                    selected.set(None);
                                }>
                                {icons::trash()}<span>{move || i.t(K::MenuRemove)}</span>
                            </button>
                        </div>
                    </Show>
                </div>
            }
                .into_any()
        }}
    }
}

fn change_key(c: &str) -> (K, &'static str) {
    match c {
        "added" => (K::ChangeAdded, "badge badge-green"),
        "removed" => (K::ChangeRemoved, "badge badge-red"),
        _ => (K::ChangeChanged, "badge badge-orange"),
    }
}

fn describe(b: &MenuButton) -> String {
    let mut s = b.name.clone();
    if let Some(k) = &b.kind {
        s.push_str(&format!(" · {k}"));
    }
    for v in [
        &b.key,
        &b.url,
        &b.media_id,
        &b.article_id,
        &b.appid,
        &b.pagepath,
    ]
    .into_iter()
    .flatten()
    {
        s.push_str(&format!(" · {v}"));
    }
    s
}

fn diff_view(changes: Vec<MenuChange>) -> AnyView {
    let i = use_i18n();
    if changes.is_empty() {
        return view! { <p class="muted small">{move || i.t(K::MenuNoChanges)}</p> }.into_any();
    }
    view! {
        <ul class="diff" data-testid="menu-diff">
            {changes
                .into_iter()
                .map(|c| {
                    let (k, class) = change_key(&c.change);
                    view! {
                        <li class=format!("diff-{}", c.change)>
                            <span class=class>{move || i.t(k)}</span>
                            <span class="mono small">{c.path.clone()}</span>
                            {c.before.as_ref().map(|b| view! { <del>{describe(b)}</del> })}
                            {c.after.as_ref().map(|b| view! { <ins>{describe(b)}</ins> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Versions(
    id: i64,
    buttons: RwSignal<Vec<MenuButton>>,
    current: RwSignal<Option<MenuVersion>>,
    tick: RwSignal<u32>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let data = LocalResource::new(move || {
        tick.get();
        async move {
            api_client::get::<Vec<MenuVersion>>(&format!("/api/accounts/{id}/menu/versions")).await
        }
    });
    let open_diff: RwSignal<Option<i64>> = RwSignal::new(None);
    let target: RwSignal<Option<MenuVersion>> = RwSignal::new(None);
    let confirm = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_rollback = Callback::new(move |()| {
        let Some(v) = target.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r: Result<MenuVersion, _> = api_client::send(
                "POST",
                &format!("/api/accounts/{id}/menu/versions/{}/rollback", v.id),
                &serde_json::json!({}),
            )
            .await;
            busy.set(false);
            confirm.set(false);
            match r {
                Ok(n) => {
                    toasts.success(fill(i.now(K::MenuRolledBack), "n", &n.number.to_string()));
                    buttons.set(n.buttons.clone());
                    current.set(Some(n));
                    tick.update(|t| *t += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    view! {
        <section class="card" data-testid="menu-versions">
            <h3 class="section-title">{move || i.t(K::MenuVersions)}</h3>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || i.t(K::MenuVersionsEmpty)}</p> }.into_any(),
                Some(Ok(list)) => {
                    let all = list.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <tbody>
                                    {list
                                        .into_iter()
                                        .enumerate()
                                        .map(|(n, v)| {
                                            let (k, class) = source_key(v.source);
                                            let previous = all.get(n + 1).map(|p| p.buttons.clone());
                                            let changes = previous.map(|p| menus::diff(&p, &v.buttons));
                                            let vid = v.id;
                                            let load = v.buttons.clone();
                                            let rollback = v.clone();
                                            let can_roll = !v.buttons.is_empty() && n > 0;
                                            let number = v.number.to_string();
                                            view! {
                                                <tr data-testid="menu-version" data-number=v.number.to_string()>
                                                    <td>
                                                        <strong>{move || fill(i.t(K::MenuVersionN), "n", &number)}</strong>
                                                        " "
                                                        <span class=class>{move || i.t(k)}</span>
                                                        <div class="muted small">{v.note.clone()}</div>
                                                        {move || (open_diff.get() == Some(vid)).then(|| changes.clone().map(diff_view))}
                                                    </td>
                                                    <td class="hide-sm muted small">{v.created_by.clone()}<br />{util::format_time(&v.created_at)}</td>
                                                    <td class="row-actions">
                                                        {(n + 1 < all.len()).then(|| view! {
                                                            <button type="button" class="btn btn-sm btn-ghost" data-testid="menu-version-compare"
                                                                on:click=move |_| open_diff.update(|o| *o = if *o == Some(vid) { None } else { Some(vid) })>
                                                                {move || i.t(K::MenuCompare)}
                                                            </button>
                                                        })}
                                                        <Show when=move || can_edit.get()>
                                                            {
                                                                let load = load.clone();
                                                                let rollback = rollback.clone();
                                                                view! {
                                                                    <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| buttons.set(load.clone())>
                                                                        {move || i.t(K::MenuLoadVersion)}
                                                                    </button>
                                                                    {can_roll.then(|| view! {
                                                                        <button type="button" class="btn btn-sm" data-testid="menu-version-rollback"
                                                                            on:click=move |_| { target.set(Some(rollback.clone())); confirm.set(true); }>
                                                                            {move || i.t(K::MenuRollback)}
                                                                        </button>
                                                                    })}
                                                                }
                                                            }
                                                        </Show>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
            <ConfirmDialog
                open=confirm
                title=Signal::derive(move || i.t(K::MenuRollbackTitle).to_string())
                body=Signal::derive(move || format!(
                    "{} {}",
                    fill(i.t(K::MenuRollbackBody), "n", &target.get().map(|v| v.number.to_string()).unwrap_or_default()),
                    i.t(K::MenuPublishWarn)
                ))
                confirm_label=K::MenuRollback
                busy_label=K::MenuPublishing
                busy=busy
                on_confirm=on_rollback
            />
        </section>
    }
}

fn rule_summary(r: &MatchRule) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("tag_id", &r.tag_id),
        ("sex", &r.sex),
        ("client_platform_type", &r.client_platform_type),
        ("language", &r.language),
        ("country", &r.country),
        ("province", &r.province),
        ("city", &r.city),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join(" · ")
}

#[component]
fn Conditional(id: i64, buttons: RwSignal<Vec<MenuButton>>, can_edit: Memo<bool>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let tick = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        tick.get();
        async move {
            api_client::get::<Vec<ConditionalMenu>>(&format!("/api/accounts/{id}/menu/conditional"))
                .await
        }
    });
    let rule = RwSignal::new(MatchRule::default());
    let errors: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let create = move |_| {
        let req = ConditionalMenuInput {
            buttons: buttons.get_untracked(),
            matchrule: rule.get_untracked(),
            note: String::new(),
        };
        let local: Vec<(String, String)> = menus::validate_rule(&req.matchrule)
            .into_iter()
            .map(|(f, r)| (f, r.message(i.lang_now())))
            .collect();
        if !local.is_empty() {
            errors.set(local);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r: Result<ConditionalMenu, ClientError> = api_client::send(
                "POST",
                &format!("/api/accounts/{id}/menu/conditional"),
                &req,
            )
            .await;
            busy.set(false);
            match r {
                Ok(_) => {
                    errors.set(Vec::new());
                    toasts.success(i.now(K::CondCreated));
                    tick.update(|t| *t += 1);
                }
                Err(e) => {
                    errors.set(e.field_messages(i.lang_now()));
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    };
    let remove = move |cid: i64| {
        spawn_local(async move {
            match api_client::delete(&format!("/api/accounts/{id}/menu/conditional/{cid}")).await {
                Ok(()) => {
                    toasts.success(i.now(K::CondDeleted));
                    tick.update(|t| *t += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    let setter = move |f: fn(&mut MatchRule, Option<String>)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            rule.update(|r| f(r, (!v.trim().is_empty()).then(|| v.trim().to_string())));
        }
    };
    view! {
        <section class="card" data-testid="menu-conditional">
            <h3 class="section-title">{move || i.t(K::CondMenus)}</h3>
            <p class="muted small">{move || i.t(K::CondHint)}</p>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || i.t(K::CondEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cond-list">
                        {list
                            .into_iter()
                            .map(|c| {
                                let cid = c.id;
                                let names = c.buttons.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join(" | ");
                                view! {
                                    <li class="cond-item" data-testid="cond-item">
                                        <div>
                                            <div class="mono small">{format!("menuid {}", c.menuid)}</div>
                                            <div>{rule_summary(&c.matchrule)}</div>
                                            <div class="muted small">{names}</div>
                                        </div>
                                        <Show when=move || can_edit.get()>
                                            <button type="button" class="btn btn-sm btn-danger-outline" on:click=move |_| remove(cid)>
                                                {move || i.t(K::Delete)}
                                            </button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any(),
            }}
            <Show when=move || can_edit.get()>
                <div class="cond-form">
                    <label class="field"><span class="field-label">{move || i.t(K::CondTag)}</span>
                        <input type="text" class="input" inputmode="numeric" data-testid="cond-tag" on:input=setter(|r, v| r.tag_id = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondSex)}</span>
                        <select class="input" data-testid="cond-sex" on:change=setter(|r, v| r.sex = v)>
                            <option value="">{move || i.t(K::CondAny)}</option>
                            <option value="1">{move || i.t(K::SexMale)}</option>
                            <option value="2">{move || i.t(K::SexFemale)}</option>
                        </select></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondPlatform)}</span>
                        <select class="input" on:change=setter(|r, v| r.client_platform_type = v)>
                            <option value="">{move || i.t(K::CondAny)}</option>
                            <option value="1">{move || i.t(K::PlatformIos)}</option>
                            <option value="2">{move || i.t(K::PlatformAndroid)}</option>
                            <option value="3">{move || i.t(K::PlatformOther)}</option>
                        </select></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondLanguage)}</span>
                        <input type="text" class="input" placeholder="zh_CN" on:input=setter(|r, v| r.language = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondCountry)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.country = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondProvince)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.province = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondCity)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.city = v) /></label>
                    {move || {
                        let list = errors.get();
                        (!list.is_empty()).then(|| view! {
                            <ul class="field-error" data-testid="cond-errors">
                                {list.into_iter().map(|(f, m)| view! { <li><span class="mono">{f}</span>": "{m}</li> }).collect_view()}
                            </ul>
                        })
                    }}
                    <button type="button" class="btn btn-primary" data-testid="cond-create" prop:disabled=move || busy.get() on:click=create>
                        {icons::plus()}<span>{move || i.t(K::CondCreate)}</span>
                    </button>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn TryMatch(id: i64) -> impl IntoView {
    let i = use_i18n();
    let user = RwSignal::new(String::new());
    let result: RwSignal<Option<Result<TryMatchResult, String>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let user_id = user.get_untracked();
        spawn_local(async move {
            let r: Result<TryMatchResult, ClientError> = api_client::send(
                "POST",
                &format!("/api/accounts/{id}/menu/trymatch"),
                &serde_json::json!({ "user_id": user_id }),
            )
            .await;
            busy.set(false);
            result.set(Some(r.map_err(|e| e.message(i.lang_now()))));
        });
    };
    view! {
        <section class="card" data-testid="menu-trymatch">
            <h3 class="section-title">{move || i.t(K::TryMatch)}</h3>
            <form class="toolbar" on:submit=run>
                <input type="text" class="input" data-testid="trymatch-user" placeholder=move || i.t(K::TryMatchPlaceholder)
                    prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
                <button type="submit" class="btn" data-testid="trymatch-run" prop:disabled=move || busy.get()>{move || i.t(K::TryMatchRun)}</button>
            </form>
            {move || result.get().map(|r| match r {
                Err(m) => view! { <p class="field-error">{m}</p> }.into_any(),
                Ok(t) if t.buttons.is_empty() => view! { <EmptyState title=K::MenuEmpty body=K::MenuNoVersion /> }.into_any(),
                Ok(t) => view! {
                    <div class="phone-bar phone-bar-static" data-testid="trymatch-result">
                        {t.buttons.into_iter().map(|b| {
                            let subs = b.sub_button.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(" / ");
                            view! { <span class="phone-btn" title=subs>{b.name.clone()}</span> }
                        }).collect_view()}
                    </div>
                }
                    .into_any(),
            })}
        </section>
    }
}
