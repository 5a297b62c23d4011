//! `/accounts/:id/materials`: quotas, upload (checked against WeChat's limits before sending),
//! the list with previews served through the portal, download, delete, sync; and
//! [`MaterialPicker`], the reusable "choose a material" field.

pub mod api;

use ::api::Page;
use ::api::accounts::Account;
use ::api::materials::{self, Material, MaterialCounts};
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::AccountPage;
use crate::accounts::AccountTab;
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, Modal, Pager, SkeletonRows, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::materials::api as materials_api;
use crate::util;

const PER_PAGE: u64 = 20;

pub fn kind_key(kind: &str) -> K {
    match kind {
        "voice" => K::KindVoice,
        "video" => K::KindVideo,
        "thumb" => K::KindThumb,
        _ => K::KindImage,
    }
}

fn limit_key(kind: &str) -> K {
    match kind {
        "voice" => K::LimitVoice,
        "video" => K::LimitVideo,
        "thumb" => K::LimitThumb,
        _ => K::LimitImage,
    }
}

/// `1.2 MB`, `35 KB`.
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// Hours left of a temporary medium.
fn hours_left(expires_at: &str) -> Option<i64> {
    let end = js_sys::Date::parse(expires_at);
    if end.is_nan() {
        return None;
    }
    Some(((end - js_sys::Date::now()) / 3_600_000.0).ceil() as i64)
}

/// A thumbnail (images), a player (voice, video) or a type icon.
fn preview(account: i64, m: &Material) -> AnyView {
    match m.kind.as_str() {
        "image" | "thumb" if !m.expired => view! {
            <img class="mat-thumb" loading="lazy" alt=m.name.clone() src=materials_api::content_url(account, m) />
        }
        .into_any(),
        "voice" if !m.expired => view! {
            <audio class="mat-audio" controls preload="none" src=materials_api::content_url(account, m)></audio>
        }
        .into_any(),
        "video" if !m.expired => view! {
            <video class="mat-video" controls preload="none" src=materials_api::content_url(account, m)></video>
        }
        .into_any(),
        _ => view! { <span class="mat-thumb mat-thumb-icon">{icons::inbox()}</span> }.into_any(),
    }
}

#[component]
pub fn MaterialsPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Materials render=|a: Account| view! { <Materials account=a /> }.into_any() /> }
}

#[component]
fn Quotas(counts: MaterialCounts) -> impl IntoView {
    let i = use_i18n();
    let rows = [
        (K::KindImage, counts.image, counts.image_quota),
        (K::KindVoice, counts.voice, counts.voice_quota),
        (K::KindVideo, counts.video, counts.video_quota),
    ];
    view! {
        <div class="card stat-card stat-wide" data-testid="material-quotas">
            <div class="stat-label">{move || i.t(K::QuotaUsage)}</div>
            <div class="bars">
                {rows
                    .into_iter()
                    .map(|(label, n, quota)| {
                        let pct = if quota > 0 { (n as f64 * 100.0 / quota as f64).min(100.0) } else { 0.0 };
                        view! {
                            <div class="bar-row">
                                <span class="bar-label">{move || i.t(label)}</span>
                                <span class="bar-track">
                                    <span class="bar-fill kind-oa" style=format!("width:{:.2}%", pct.max(if n > 0 { 1.0 } else { 0.0 }))></span>
                                </span>
                                <span class="bar-value">{format!("{n} / {quota}")}</span>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}

#[component]
fn Materials(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let kind = RwSignal::new(String::new());
    let lifetime = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let data = LocalResource::new(move || {
        let (k, l, q, p) = (kind.get(), lifetime.get(), search.get(), page.get());
        async move { materials_api::list(id, &k, &l, &q, p, PER_PAGE).await }
    });
    let counts = LocalResource::new(move || async move { materials_api::counts(id).await });
    let syncing = RwSignal::new(false);
    let sync = move |_| {
        syncing.set(true);
        spawn_local(async move {
            let r = materials_api::sync(id).await;
            syncing.set(false);
            match r {
                Ok(s) => {
                    toasts.success(format!(
                        "{}: +{} · {} · −{}",
                        i.now(K::SyncDone),
                        s.added,
                        s.updated,
                        s.removed
                    ));
                    reload(data);
                    reload(counts);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    let to_delete: RwSignal<Option<Material>> = RwSignal::new(None);
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        let Some(m) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let r = materials_api::remove(id, m.id).await;
            deleting.set(false);
            confirm_open.set(false);
            match r {
                Ok(()) => {
                    toasts.success(i.now(K::MaterialDeleted));
                    reload(data);
                    reload(counts);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    let on_uploaded = Callback::new(move |_m: Material| {
        page.set(1);
        reload(data);
        reload(counts);
    });

    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::MaterialsTitle)}</h2>
                <p class="muted">{move || i.t(K::MaterialsSubtitle)}</p>
            </div>
            <div class="page-actions">
                <Show when=move || can_edit.get()>
                    <button type="button" class="btn" data-testid="materials-sync" prop:disabled=move || syncing.get() on:click=sync>
                        {icons::refresh()}
                        <span>{move || if syncing.get() { i.t(K::Syncing) } else { i.t(K::SyncFromWechat) }}</span>
                    </button>
                </Show>
            </div>
        </div>
        <div class="oa-stats">
            {move || counts.get().and_then(|r| r.ok()).map(|c| view! { <Quotas counts=c /> })}
            <Show when=move || can_edit.get()>
                <UploadCard account=id on_uploaded=on_uploaded />
            </Show>
        </div>
        <div class="card table-card">
            <div class="toolbar">
                <label class="search">
                    {icons::search()}
                    <input
                        type="search"
                        class="input"
                        data-testid="materials-search"
                        placeholder=move || i.t(K::SearchMaterials)
                        on:input=move |ev| {
                            search.set(event_target_value(&ev));
                            page.set(1);
                        }
                    />
                </label>
                <select class="input select" data-testid="materials-kind" on:change=move |ev| { kind.set(event_target_value(&ev)); page.set(1); }>
                    <option value="">{move || i.t(K::AllKinds)}</option>
                    {materials::KINDS.iter().map(|k| view! { <option value=*k>{move || i.t(kind_key(k))}</option> }).collect_view()}
                </select>
                <select class="input select" data-testid="materials-lifetime" on:change=move |ev| { lifetime.set(event_target_value(&ev)); page.set(1); }>
                    <option value="">{move || i.t(K::AllLifetimes)}</option>
                    <option value="permanent">{move || i.t(K::Permanent)}</option>
                    <option value="temporary">{move || i.t(K::Temporary)}</option>
                </select>
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=5 cols=5 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <EmptyState title=K::MaterialsEmpty body=K::MaterialsEmptyBody testid="materials-empty" />
                }
                    .into_any(),
                Some(Ok(p)) => {
                    let total = p.total;
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards" data-testid="materials-table">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::MatName)}</th>
                                        <th>{move || i.t(K::MatKind)}</th>
                                        <th class="hide-sm">{move || i.t(K::MatSize)}</th>
                                        <th>{move || i.t(K::MatLifetime)}</th>
                                        <th class="hide-sm">{move || i.t(K::MatCreated)}</th>
                                        <th>{move || i.t(K::MatActions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items
                                        .into_iter()
                                        .map(|m| {
                                            let lifetime = if m.temporary {
                                                match (m.expired, m.expires_at.as_deref().and_then(hours_left)) {
                                                    (true, _) => view! { <span class="badge badge-red">{move || i.t(K::MatExpired)}</span> }.into_any(),
                                                    (false, Some(h)) => view! {
                                                        <span class="badge badge-orange" title=m.expires_at.clone().map(|e| util::format_time(&e))>
                                                            {move || fill(i.t(K::MatExpiresIn), "n", &h.max(0).to_string())}
                                                        </span>
                                                    }
                                                        .into_any(),
                                                    (false, None) => view! { <span class="badge badge-orange">{move || i.t(K::Temporary)}</span> }.into_any(),
                                                }
                                            } else {
                                                view! { <span class="badge badge-green">{move || i.t(K::Permanent)}</span> }.into_any()
                                            };
                                            let kind = m.kind.clone();
                                            let download = format!("{}?download=1", materials_api::content_url(id, &m));
                                            let m_del = m.clone();
                                            view! {
                                                <tr data-testid="material-row" data-media-id=m.media_id.clone()>
                                                    <td class="cell-main">
                                                        <div class="mat-cell">
                                                            {preview(id, &m)}
                                                            <div class="mat-text">
                                                                <div class="mat-name">{m.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| m.name.clone())}</div>
                                                                <div class="mono muted small id-wrap" title=m.media_id.clone()>{m.media_id.clone()}</div>
                                                            </div>
                                                        </div>
                                                    </td>
                                                    <td data-label=move || i.t(K::MatKind)>{move || i.t(kind_key(&kind))}</td>
                                                    <td class="hide-sm" data-label=move || i.t(K::MatSize)>{m.size.map(human_size).unwrap_or_else(|| "—".into())}</td>
                                                    <td data-label=move || i.t(K::MatLifetime)>{lifetime}</td>
                                                    <td class="hide-sm" data-label=move || i.t(K::MatCreated)>{util::format_time(&m.created_at)}</td>
                                                    <td class="row-actions" data-label=move || i.t(K::MatActions)>
                                                        {(!m.expired).then(|| view! {
                                                            <a class="btn btn-sm btn-ghost" href=download.clone() download="">{move || i.t(K::Download)}</a>
                                                        })}
                                                        <Show when=move || can_edit.get()>
                                                            {
                                                                let m_del = m_del.clone();
                                                                view! {
                                                                    <button
                                                                        type="button"
                                                                        class="btn btn-sm btn-danger-outline"
                                                                        data-testid="material-delete"
                                                                        on:click=move |_| {
                                                                            to_delete.set(Some(m_del.clone()));
                                                                            confirm_open.set(true);
                                                                        }
                                                                    >
                                                                        {move || i.t(K::Delete)}
                                                                    </button>
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
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
                    }
                        .into_any()
                }
            }}
        </div>
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || i.t(K::DeleteMaterialTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DeleteMaterialBody), "name", &to_delete.get().map(|m| m.name).unwrap_or_default()))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}

/// The file chosen in an `<input type=file>`.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .get(0)
}

/// Upload form: kind, temporary, video title/description, the file; WeChat's limits are checked
/// here first (the same rules as the server's).
#[component]
fn UploadCard(account: i64, #[prop(into)] on_uploaded: Callback<Material>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let kind = RwSignal::new("image".to_string());
    let temporary = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let intro = RwSignal::new(String::new());
    let file: RwSignal<Option<web_sys::File>, LocalStorage> = RwSignal::new_local(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let check = move || -> Option<String> {
        let f = file.get()?;
        materials::check_file(&kind.get(), &f.name(), f.size() as usize)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(f) = file.get_untracked() else {
            error.set(Some(i.now(K::ChooseFile).to_string()));
            return;
        };
        if let Some(msg) = check() {
            error.set(Some(msg));
            return;
        }
        let video = kind.get_untracked() == "video" && !temporary.get_untracked();
        if video && title.get_untracked().trim().is_empty() {
            error.set(Some(format!(
                "{}: {}",
                i.now(K::VideoTitle),
                ::api::validate::Rule::Required.message(i.lang_now())
            )));
            return;
        }
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_str("kind", &kind.get_untracked());
        let _ = form.append_with_str(
            "temporary",
            if temporary.get_untracked() {
                "true"
            } else {
                "false"
            },
        );
        let _ = form.append_with_str("title", &title.get_untracked());
        let _ = form.append_with_str("introduction", &intro.get_untracked());
        let _ = form.append_with_blob_and_filename("file", &f, &f.name());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let r = materials_api::upload_material(account, &form).await;
            busy.set(false);
            match r {
                Ok(m) => {
                    toasts.success(i.now(K::MaterialUploaded));
                    file.set(None);
                    title.set(String::new());
                    intro.set(String::new());
                    if let Some(input) = input_ref.get_untracked() {
                        input.set_value("");
                    }
                    on_uploaded.run(m);
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    error.set(Some(match fields.first() {
                        Some((_, msg)) => msg.clone(),
                        None => e.message(i.lang_now()),
                    }));
                }
            }
        });
    };
    view! {
        <form class="card stat-card stat-wide upload-card" data-testid="material-upload" on:submit=submit>
            <div class="stat-label">{move || i.t(K::UploadMaterial)}</div>
            <div class="upload-row">
                <select class="input select" data-testid="upload-kind" on:change=move |ev| { kind.set(event_target_value(&ev)); error.set(check()); }>
                    {materials::KINDS.iter().map(|k| view! { <option value=*k>{move || i.t(kind_key(k))}</option> }).collect_view()}
                </select>
                // A styled picker: the browser's own says "Choose File" in its language.
                <div class="file-input">
                    <label class="btn">
                        {icons::upload()}
                        <span>{move || i.t(K::ChooseFile)}</span>
                        <input
                            type="file"
                            class="visually-hidden"
                            data-testid="upload-file"
                            node_ref=input_ref
                            on:change=move |ev| {
                                file.set(chosen_file(&ev));
                                error.set(check());
                            }
                        />
                    </label>
                    <span class="file-name" data-testid="upload-file-name">
                        {move || file.with(|f| f.as_ref().map(|f| f.name())).unwrap_or_else(|| i.t(K::NoFileChosen).to_string())}
                    </span>
                </div>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="upload-temporary" prop:checked=move || temporary.get() on:change=move |ev| temporary.set(event_target_checked(&ev)) />
                <span>{move || i.t(K::UploadAsTemporary)}</span>
            </label>
            <Show when=move || kind.get() == "video" && !temporary.get()>
                <input type="text" class="input" placeholder=move || i.t(K::VideoTitle) prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <input type="text" class="input" placeholder=move || i.t(K::VideoIntro) prop:value=move || intro.get() on:input=move |ev| intro.set(event_target_value(&ev)) />
            </Show>
            <p class="muted small">{move || i.t(limit_key(&kind.get()))}</p>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="upload-error">{e}</p> })}
            <button type="submit" class="btn btn-primary" data-testid="upload-submit" prop:disabled=move || busy.get()>
                {icons::upload()}
                <span>{move || if busy.get() { i.t(K::Uploading) } else { i.t(K::UploadMaterial) }}</span>
            </button>
        </form>
    }
}

/// "Choose a material": shows the chosen media_id and opens a picker of the account's
/// permanent materials of `kinds`. Reusable wherever a media id is needed. With `button_only`
/// the chosen id is not shown (for fields where a text input beside it already shows and edits
/// the same value).
#[component]
pub fn MaterialPicker(
    account: i64,
    kinds: &'static [&'static str],
    value: RwSignal<String>,
    #[prop(optional)] testid: &'static str,
    #[prop(optional)] button_only: bool,
    /// Show the chosen image itself (fetched through the portal), not its media id.
    #[prop(optional)]
    show_image: bool,
) -> impl IntoView {
    let i = use_i18n();
    let open = RwSignal::new(false);
    // The chosen material, looked up by its media id (the library search matches it exactly).
    let chosen = LocalResource::new(move || {
        let v = value.get();
        async move {
            if !show_image || v.is_empty() {
                return None;
            }
            materials_api::list(account, "", "permanent", &v, 1, 1)
                .await
                .ok()
                .and_then(|p| p.items.into_iter().find(|m| m.media_id == v))
        }
    });
    let kind = RwSignal::new(kinds.first().copied().unwrap_or("image").to_string());
    let search = RwSignal::new(String::new());
    let data = LocalResource::new(move || {
        let (o, k, q) = (open.get(), kind.get(), search.get());
        async move {
            if !o {
                return Ok(Page {
                    items: Vec::new(),
                    total: 0,
                    page: 1,
                    per_page: 50,
                });
            }
            materials_api::list(account, &k, "permanent", &q, 1, 50).await
        }
    });
    let testid = if testid.is_empty() {
        "material-picker"
    } else {
        testid
    };
    view! {
        <div class="picker" class:picker-with-preview=show_image data-testid=testid>
            {show_image.then(|| view! {
                <div class="picker-preview" data-testid=format!("{testid}-preview")>
                    {move || {
                        let v = value.get();
                        match chosen.get().flatten() {
                            _ if v.is_empty() => view! {
                                <span class="picker-preview-empty muted small">{move || i.t(K::NoneSelected)}</span>
                            }.into_any(),
                            Some(m) => view! {
                                <img class="picker-preview-img" alt=m.name.clone() title=m.name.clone()
                                    data-testid=format!("{testid}-image") src=materials_api::content_url(account, &m) />
                            }.into_any(),
                            // Not in the library (synced later, or deleted in WeChat): say so.
                            None => view! {
                                <span class="picker-preview-empty muted small" data-testid=format!("{testid}-missing")>
                                    {move || i.t(K::CoverNotInLibrary)}
                                </span>
                            }.into_any(),
                        }
                    }}
                </div>
            })}
            {(!button_only && !show_image).then(|| view! {
                <span class="mono picker-value" class:muted=move || value.get().is_empty()>
                    {move || {
                        let v = value.get();
                        if v.is_empty() { i.t(K::NoneSelected).to_string() } else { v }
                    }}
                </span>
            })}
            <button type="button" class="btn btn-sm" data-testid=format!("{testid}-open") on:click=move |_| open.set(true)>
                {move || i.t(if button_only { K::ChooseFromMaterials } else { K::PickMaterial })}
            </button>
            <Modal open=open title=Signal::derive(move || i.t(K::PickMaterial).to_string())>
                <div class="modal-body">
                    <div class="toolbar">
                        {(kinds.len() > 1).then(|| view! {
                            <select class="input select" on:change=move |ev| kind.set(event_target_value(&ev))>
                                {kinds.iter().map(|k| view! { <option value=*k>{move || i.t(kind_key(k))}</option> }).collect_view()}
                            </select>
                        })}
                        <label class="search">
                            {icons::search()}
                            <input type="search" class="input" placeholder=move || i.t(K::SearchMaterials) on:input=move |ev| search.set(event_target_value(&ev))
                                // The picker sits inside other forms (rule editor, reply box): Enter searches, it does not submit them.
                                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() } />
                        </label>
                    </div>
                    {move || match data.get() {
                        None => view! { <SkeletonRows rows=3 cols=3 /> }.into_any(),
                        Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                        Some(Ok(p)) if p.items.is_empty() => view! { <EmptyState title=K::MaterialsEmpty body=K::MaterialsEmptyBody /> }.into_any(),
                        Some(Ok(p)) => view! {
                            <div class="picker-grid">
                                {p.items
                                    .into_iter()
                                    .map(|m| {
                                        let media_id = m.media_id.clone();
                                        let chosen = media_id.clone();
                                        view! {
                                            <button
                                                type="button"
                                                class="picker-item"
                                                class:active=move || value.get() == chosen
                                                data-testid="picker-item"
                                                data-media-id=media_id.clone()
                                                on:click=move |_| {
                                                    value.set(media_id.clone());
                                                    open.set(false);
                                                }
                                            >
                                                {preview(account, &m)}
                                                <span class="ellipsis small">{m.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| m.name.clone())}</span>
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any(),
                    }}
                </div>
            </Modal>
        </div>
    }
}
