//! `/accounts/:id/drafts`: article drafts (search, status filter, paging) and the editor
//! (`…/drafts/new`, `…/drafts/:draft_id`): fields checked inline, cover picked from materials,
//! inline images through `uploadimg`, a sandboxed preview, publish and the publishing state.

pub mod api;

use ::api::accounts::Account;
use ::api::drafts::{Draft, DraftInput, DraftStatus, validate_draft};
use ::api::materials as m;
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::AccountPage;
use super::materials::{MaterialPicker, chosen_file};
use crate::accounts::AccountTab;
use crate::auth::use_session;
use crate::components::form::TextAreaInput;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, LoadingState, Pager, SkeletonRows, icons, reload,
    use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::drafts::api as drafts_api;
use crate::oa::materials::api as materials_api;
use crate::util;

const PER_PAGE: u64 = 20;

fn status_badge(s: DraftStatus) -> (K, &'static str) {
    match s {
        DraftStatus::Draft => (K::DraftStatusDraft, "badge"),
        DraftStatus::Publishing => (K::DraftStatusPublishing, "badge badge-blue"),
        DraftStatus::Published => (K::DraftStatusPublished, "badge badge-green"),
        DraftStatus::Failed => (K::DraftStatusFailed, "badge badge-red"),
    }
}

#[component]
pub fn DraftsPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Drafts render=|a: Account| view! { <DraftList account=a /> }.into_any() /> }
}

#[component]
pub fn DraftNewPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Drafts render=|a: Account| view! { <DraftEditor account=a draft=None /> }.into_any() /> }
}

#[component]
pub fn DraftEditPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::Drafts render=|a: Account| view! { <DraftLoader account=a /> }.into_any() /> }
}

#[component]
fn DraftList(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let data = LocalResource::new(move || {
        let (q, s, p) = (search.get(), status.get(), page.get());
        async move { drafts_api::list(id, &q, &s, p, PER_PAGE).await }
    });
    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::DraftsTitle)}</h2>
                <p class="muted">{move || i.t(K::DraftsSubtitle)}</p>
            </div>
            <Show when=move || can_edit.get()>
                <div class="page-actions">
                    <A href=format!("/accounts/{id}/drafts/new") attr:class="btn btn-primary" attr:data-testid="draft-new">
                        {icons::plus()}
                        <span>{move || i.t(K::DraftNew)}</span>
                    </A>
                </div>
            </Show>
        </div>
        <div class="card table-card">
            <div class="toolbar">
                <label class="search">
                    {icons::search()}
                    <input type="search" class="input" data-testid="drafts-search" placeholder=move || i.t(K::SearchDrafts)
                        on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
                </label>
                <select class="input select" data-testid="drafts-status" on:change=move |ev| { status.set(event_target_value(&ev)); page.set(1); }>
                    <option value="">{move || i.t(K::AllStatuses)}</option>
                    {[DraftStatus::Draft, DraftStatus::Publishing, DraftStatus::Published, DraftStatus::Failed]
                        .into_iter()
                        .map(|s| {
                            let (k, _) = status_badge(s);
                            view! { <option value=s.as_str()>{move || i.t(k)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=4 cols=4 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <EmptyState title=K::DraftsEmpty body=K::DraftsEmptyBody testid="drafts-empty" /> }.into_any(),
                Some(Ok(p)) => {
                    let total = p.total;
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="drafts-table">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::DraftTitle)}</th>
                                        <th>{move || i.t(K::ColStatus)}</th>
                                        <th class="hide-sm">{move || i.t(K::DraftAuthor)}</th>
                                        <th class="hide-sm">{move || i.t(K::DraftUpdated)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items
                                        .into_iter()
                                        .map(|d| {
                                            let (k, class) = status_badge(d.status);
                                            view! {
                                                <tr data-testid="draft-row">
                                                    <td>
                                                        <A href=format!("/accounts/{id}/drafts/{}", d.id)>{d.title.clone()}</A>
                                                        {d.article_urls.first().map(|u| view! {
                                                            <div class="small ellipsis"><a href=u.clone() target="_blank" rel="noopener noreferrer">{u.clone()}</a></div>
                                                        })}
                                                    </td>
                                                    <td><span class=class data-testid="draft-status" data-status=d.status.as_str()>{move || i.t(k)}</span></td>
                                                    <td class="hide-sm">{d.author.clone()}</td>
                                                    <td class="hide-sm">{util::format_time(&d.updated_at)}</td>
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
    }
}

#[component]
fn DraftLoader(account: Account) -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let id = account.id;
    let draft_id =
        Memo::new(move |_| params.with(|p| p.get("draft_id").and_then(|s| s.parse::<i64>().ok())));
    let data = LocalResource::new(move || {
        let d = draft_id.get();
        async move {
            match d {
                Some(d) => drafts_api::get_one(id, d).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Ok(None)) => view! { <crate::components::NotFound /> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <crate::components::NotFound /> }.into_any(),
            Some(Err(e)) => view! { <div class="card"><ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /></div> }.into_any(),
            Some(Ok(Some(d))) => view! { <DraftEditor account=account.clone() draft=Some(d) /> }.into_any(),
        }}
    }
}

/// The sandboxed preview document of the article's HTML (no scripts, no same-origin access).
fn preview_doc(title: &str, content: &str) -> String {
    let esc = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>\
         <style>body{{font:15px/1.7 -apple-system,'PingFang SC',sans-serif;margin:16px;color:#222}}\
         img{{max-width:100%}}h1{{font-size:20px}}</style><h1>{esc}</h1>{content}"
    )
}

#[component]
fn DraftEditor(account: Account, draft: Option<Draft>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let saved: RwSignal<Option<Draft>> = RwSignal::new(draft.clone());
    let d = draft.clone();
    let field = |f: fn(&Draft) -> String| RwSignal::new(d.as_ref().map(f).unwrap_or_default());
    let title = field(|d| d.title.clone());
    let author = field(|d| d.author.clone());
    let digest = field(|d| d.digest.clone());
    let content = field(|d| d.content.clone());
    let source = field(|d| d.content_source_url.clone());
    let thumb = field(|d| d.thumb_media_id.clone());
    let comment = RwSignal::new(d.as_ref().is_some_and(|d| d.need_open_comment));
    let fans_only = RwSignal::new(d.as_ref().is_some_and(|d| d.only_fans_can_comment));
    let touched = RwSignal::new(false);
    let server_errors: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let input = move || DraftInput {
        title: title.get(),
        author: author.get(),
        digest: digest.get(),
        content: content.get(),
        content_source_url: source.get(),
        thumb_media_id: thumb.get(),
        need_open_comment: comment.get(),
        only_fans_can_comment: fans_only.get(),
    };
    let issues = Memo::new(move |_| validate_draft(&input()));
    let err = move |f: &'static str| -> Option<String> {
        if let Some((_, msg)) = server_errors.with(|l| l.iter().find(|(x, _)| x == f).cloned()) {
            return Some(msg);
        }
        if !touched.get() {
            return None;
        }
        issues.with(|l| {
            l.iter()
                .find(|(x, _)| *x == f)
                .map(|(_, r)| r.message(i.lang()))
        })
    };
    let saving = RwSignal::new(false);
    let save_click = {
        let navigate = navigate.clone();
        move |_| {
            touched.set(true);
            if !issues.with_untracked(Vec::is_empty) {
                util::focus_first_error();
                return;
            }
            let body = input();
            let existing = saved.get_untracked().map(|d| d.id);
            saving.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let r = drafts_api::save(id, existing, &body).await;
                saving.set(false);
                match r {
                    Ok(d) => {
                        server_errors.set(Vec::new());
                        let did = d.id;
                        saved.set(Some(d));
                        toasts.success(i.now(K::DraftSaved));
                        if existing.is_none() {
                            navigate(
                                &format!("/accounts/{id}/drafts/{did}"),
                                NavigateOptions::default(),
                            );
                        }
                    }
                    Err(e) => {
                        server_errors.set(e.field_messages(i.lang_now()));
                        toasts.error(e.message(i.lang_now()));
                    }
                }
            });
        }
    };

    // Inline images: uploaded through uploadimg, appended to the content as <img>.
    let uploading = RwSignal::new(false);
    let insert_image = move |ev: leptos::ev::Event| {
        let Some(f) = chosen_file(&ev) else { return };
        let ext = m::extension(&f.name());
        if !m::UPLOADIMG_EXTS.contains(&ext.as_str()) || f.size() as usize > m::UPLOADIMG_MAX_BYTES
        {
            toasts.error(format!("{} (jpg/png ≤ 1 MB)", i.now(K::DraftInsertImage)));
            return;
        }
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_blob_and_filename("file", &f, &f.name());
        uploading.set(true);
        spawn_local(async move {
            let r = materials_api::upload_article_image(id, &form).await;
            uploading.set(false);
            match r {
                Ok(u) => {
                    content.update(|c| c.push_str(&format!("<p><img src=\"{}\" /></p>", u.url)));
                    toasts.success(i.now(K::DraftImageInserted));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };

    // Publishing: why the button is off, when it is.
    let publish_blocked = move || -> Option<K> {
        saved.with(|d| match d {
            None => Some(K::DraftPublishNeedsSave),
            Some(d) => match d.status {
                DraftStatus::Draft | DraftStatus::Failed => None,
                DraftStatus::Publishing => Some(K::DraftPublishBusy),
                DraftStatus::Published => Some(K::DraftPublishDone),
            },
        })
    };
    let publish_open = RwSignal::new(false);
    let publishing = RwSignal::new(false);
    let on_publish = Callback::new(move |()| {
        let Some(d) = saved.get_untracked() else {
            return;
        };
        let body = input();
        publishing.set(true);
        spawn_local(async move {
            // What is on screen is what gets published: save it first.
            let r = match drafts_api::save(id, Some(d.id), &body).await {
                Ok(_) => drafts_api::publish(id, d.id).await,
                Err(e) => Err(e),
            };
            publishing.set(false);
            publish_open.set(false);
            match r {
                Ok(d) => {
                    saved.set(Some(d));
                    toasts.info(i.now(K::DraftSubmitted));
                }
                Err(e) => {
                    toasts.error(e.message(i.lang_now()));
                    if let Ok(d) = drafts_api::get_one(id, d.id).await {
                        saved.set(Some(d));
                    }
                }
            }
        });
    });
    let refreshing = RwSignal::new(false);
    let refresh = move || {
        let Some(d) = saved.get_untracked() else {
            return;
        };
        refreshing.set(true);
        spawn_local(async move {
            let r = drafts_api::refresh(id, d.id).await;
            refreshing.set(false);
            if let Ok(d) = r {
                saved.set(Some(d));
            }
        });
    };
    // While WeChat publishes, look again every few seconds (the event usually arrives first).
    Effect::new(move |_| {
        if saved.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.status == DraftStatus::Publishing)
        }) {
            set_timeout(
                move || {
                    if saved.with_untracked(|d| {
                        d.as_ref()
                            .is_some_and(|d| d.status == DraftStatus::Publishing)
                    }) {
                        let Some(d) = saved.get_untracked() else {
                            return;
                        };
                        spawn_local(async move {
                            if let Ok(n) = drafts_api::get_one(id, d.id).await
                                && n.status != DraftStatus::Publishing
                            {
                                saved.set(Some(n));
                            } else {
                                // Nudge the effect to schedule the next look.
                                saved.update(|_| {});
                            }
                        });
                    }
                },
                std::time::Duration::from_secs(3),
            );
        }
    });

    let delete_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = {
        let navigate = navigate.clone();
        Callback::new(move |()| {
            let Some(d) = saved.get_untracked() else {
                return;
            };
            deleting.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let r = drafts_api::remove(id, d.id).await;
                deleting.set(false);
                delete_open.set(false);
                match r {
                    Ok(()) => {
                        toasts.success(i.now(K::DraftDeleted));
                        navigate(
                            &format!("/accounts/{id}/drafts"),
                            NavigateOptions::default(),
                        );
                    }
                    Err(e) => toasts.error(e.message(i.lang_now())),
                }
            });
        })
    };

    let text_row = move |label: K, name: &'static str, sig: RwSignal<String>, required: bool| {
        view! {
            <div class="field" class:has-error=move || err(name).is_some()>
                <label class="field-label" for=format!("f-{name}")>
                    {move || i.t(label)}
                    {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
                </label>
                <div class="field-control">
                    <input id=format!("f-{name}") type="text" class="input" data-testid=format!("draft-{name}")
                        prop:value=move || sig.get() prop:disabled=move || !can_edit.get()
                        on:input=move |ev| sig.set(event_target_value(&ev)) />
                </div>
                {move || err(name).map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{name}")>{m}</p> })}
            </div>
        }
    };

    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(if saved.with(Option::is_some) { K::DraftEditTitle } else { K::DraftNew })}</h2>
            </div>
        </div>
        {move || saved.get().map(|d| {
            let (k, class) = status_badge(d.status);
            let busy = d.status == DraftStatus::Publishing;
            view! {
                <section class="card draft-status" data-testid="draft-state" data-status=d.status.as_str()>
                    <div class="card-head">
                        <span class=class data-testid="draft-status">{move || i.t(k)}</span>
                        {busy.then(|| view! { <span class="spinner"></span> })}
                        <div class="page-actions">
                            {busy.then(|| view! {
                                <button type="button" class="btn btn-sm" data-testid="draft-refresh" prop:disabled=move || refreshing.get() on:click=move |_| refresh()>
                                    {icons::refresh()}<span>{move || i.t(K::DraftRefresh)}</span>
                                </button>
                            })}
                        </div>
                    </div>
                    {d.publish_error.clone().map(|e| view! { <p class="field-error" data-testid="draft-error">{e}</p> })}
                    {(!d.article_urls.is_empty()).then(|| view! {
                        <div>
                            <h4>{move || i.t(K::DraftLinks)}</h4>
                            <ul class="draft-links" data-testid="draft-links">
                                {d.article_urls.iter().map(|u| view! { <li><a href=u.clone() target="_blank" rel="noopener noreferrer">{u.clone()}</a></li> }).collect_view()}
                            </ul>
                        </div>
                    })}
                </section>
            }
        })}
        <div class="draft-layout">
            <form class="card form-card draft-form" on:submit=move |ev| ev.prevent_default()>
                {text_row(K::DraftTitle, "title", title, true)}
                {text_row(K::DraftAuthor, "author", author, false)}
                <TextAreaInput
                    name="digest"
                    label=K::DraftDigest
                    value=digest
                    on_input=move |v| digest.set(v)
                    error=Signal::derive(move || err("digest"))
                    disabled=Signal::derive(move || !can_edit.get())
                    rows=2
                    testid="draft-digest"
                />
                <div class="field" class:has-error=move || err("thumb_media_id").is_some()>
                    <span class="field-label">{move || i.t(K::DraftCover)}<span class="req" aria-hidden="true">"*"</span></span>
                    <div class="field-control">
                        <MaterialPicker account=id kinds=&["image", "thumb"] value=thumb testid="draft-cover" show_image=true />
                    </div>
                    {move || err("thumb_media_id").map(|m| view! { <p class="field-error" data-testid="error-thumb_media_id">{m}</p> })}
                </div>
                <div class="field" class:has-error=move || err("content").is_some()>
                    <label class="field-label" for="f-content">{move || i.t(K::DraftContent)}<span class="req" aria-hidden="true">"*"</span></label>
                    <div class="field-control">
                        <textarea id="f-content" class="input mono" rows="12" data-testid="draft-content" prop:value=move || content.get()
                            prop:disabled=move || !can_edit.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
                        <Show when=move || can_edit.get()>
                            <label class="btn btn-sm upload-inline">
                                {icons::upload()}
                                <span>{move || if uploading.get() { i.t(K::Uploading) } else { i.t(K::DraftInsertImage) }}</span>
                                <input type="file" accept=".jpg,.jpeg,.png" class="visually-hidden" data-testid="draft-insert-image" on:change=insert_image />
                            </label>
                        </Show>
                    </div>
                    {move || err("content").map(|m| view! { <p class="field-error" data-testid="error-content">{m}</p> })}
                </div>
                {text_row(K::DraftSourceUrl, "content_source_url", source, false)}
                <label class="check">
                    <input type="checkbox" data-testid="draft-comment" prop:checked=move || comment.get() on:change=move |ev| comment.set(event_target_checked(&ev)) />
                    <span>{move || i.t(K::DraftOpenComment)}</span>
                </label>
                <Show when=move || comment.get()>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || fans_only.get() on:change=move |ev| fans_only.set(event_target_checked(&ev)) />
                        <span>{move || i.t(K::DraftFansOnly)}</span>
                    </label>
                </Show>
                <Show when=move || can_edit.get()>
                    <div class="form-actions draft-actions">
                        // Why 发布 is off, beside it (the bar stays in view while the form scrolls).
                        {move || publish_blocked().map(|k| view! {
                            <p class="field-help publish-why" id="draft-publish-why" data-testid="draft-publish-why">
                                {icons::info()}<span>{move || i.t(k)}</span>
                            </p>
                        })}
                        <Show when=move || saved.with(Option::is_some)>
                            <button type="button" class="btn btn-danger-outline" data-testid="draft-delete" on:click=move |_| delete_open.set(true)>
                                {move || i.t(K::Delete)}
                            </button>
                        </Show>
                        <button type="button" class="btn" data-testid="draft-save" prop:disabled=move || saving.get() on:click=save_click.clone()>
                            {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                        </button>
                        <button
                            type="button"
                            class="btn btn-primary"
                            data-testid="draft-publish"
                            aria-describedby="draft-publish-why"
                            prop:disabled=move || publish_blocked().is_some()
                            on:click=move |_| publish_open.set(true)
                        >
                            {move || i.t(K::DraftPublish)}
                        </button>
                    </div>

                </Show>
            </form>
            <section class="card draft-preview">
                <h3 class="section-title">{move || i.t(K::DraftPreview)}</h3>
                <iframe class="draft-frame" sandbox="" title=move || i.t(K::DraftPreview) data-testid="draft-preview"
                    srcdoc=move || preview_doc(&title.get(), &content.get())></iframe>
            </section>
        </div>
        <ConfirmDialog
            open=publish_open
            title=Signal::derive(move || i.t(K::DraftPublishTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DraftPublishBody), "name", &title.get()))
            confirm_label=K::DraftPublish
            busy_label=K::MenuPublishing
            busy=publishing
            on_confirm=on_publish
        />
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::DeleteDraftTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DeleteDraftBody), "name", &title.get()))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
