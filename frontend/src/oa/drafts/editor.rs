//! The draft editor (`…/drafts/new`, `…/drafts/:draft_id`): the articles in order
//! ([`ArticleList`]), the chosen article's fields ([`ArticleForm`]), the phone preview
//! ([`PhonePreview`]); save, publish (what is on screen is saved first) and the publishing
//! state with the published links.

use ::api::accounts::Account;
use ::api::drafts::{Article, Draft, DraftInput, DraftStatus, validate_draft};
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::article_form::ArticleForm;
use super::article_list::ArticleList;
use super::phone_preview::PhonePreview;
use super::status_badge;
use crate::auth::use_session;
use crate::components::{ConfirmDialog, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::drafts::api as drafts_api;
use crate::util;

/// The place of the article a field name (`articles.{i}.…`) is about.
fn article_of(field: &str) -> Option<usize> {
    field
        .strip_prefix("articles.")?
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[component]
pub fn DraftEditor(account: Account, draft: Option<Draft>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let saved: RwSignal<Option<Draft>> = RwSignal::new(draft.clone());
    let articles: RwSignal<Vec<Article>> = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.articles.clone())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| vec![Article::default()]),
    );
    let selected = RwSignal::new(0usize);
    let touched = RwSignal::new(false);
    let server_errors: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let input = move || DraftInput {
        articles: articles.get(),
    };
    let issues = Memo::new(move |_| validate_draft(&input()));
    let err = Callback::new(move |f: String| -> Option<String> {
        if let Some((_, msg)) = server_errors.with(|l| l.iter().find(|(x, _)| *x == f).cloned()) {
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
    });
    let invalid = Signal::derive(move || {
        let mut out: Vec<usize> = Vec::new();
        if touched.get() {
            issues.with(|l| out.extend(l.iter().filter_map(|(f, _)| article_of(f))));
        }
        server_errors.with(|l| out.extend(l.iter().filter_map(|(f, _)| article_of(f))));
        out
    });
    let draft_error = move || err.run("articles".to_string());
    // Editing a field clears what the server said about the last save.
    Effect::new(move |_| {
        articles.track();
        server_errors.set(Vec::new());
    });
    // After a refused save, show the first article with a problem.
    let show_first_problem = move || {
        if let Some(first) = invalid.get_untracked().into_iter().min() {
            selected.set(first);
        }
        util::focus_first_error();
    };

    let saving = RwSignal::new(false);
    let save_click = {
        let navigate = navigate.clone();
        move |_| {
            touched.set(true);
            if !issues.with_untracked(Vec::is_empty) {
                show_first_problem();
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
                        let fields = e.field_messages(i.lang_now());
                        let any = !fields.is_empty();
                        server_errors.set(fields);
                        toasts.error(e.message(i.lang_now()));
                        if any {
                            show_first_problem();
                        }
                    }
                }
            });
        }
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
                    server_errors.set(e.field_messages(i.lang_now()));
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
    let publishing_now = move || {
        saved.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|d| d.status == DraftStatus::Publishing)
        })
    };
    Effect::new(move |_| {
        saved.track();
        if !publishing_now() {
            return;
        }
        set_timeout(
            move || {
                let Some(d) = saved.get_untracked().filter(|_| publishing_now()) else {
                    return;
                };
                spawn_local(async move {
                    match drafts_api::get_one(id, d.id).await {
                        Ok(n) if n.status != DraftStatus::Publishing => saved.set(Some(n)),
                        // Nudge the effect to schedule the next look.
                        _ => saved.update(|_| {}),
                    }
                });
            },
            std::time::Duration::from_secs(3),
        );
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
    // A removed article re-makes the form too (another article may now have its place).
    let len = Memo::new(move |_| articles.with(Vec::len));
    let lead_title =
        move || articles.with(|v| v.first().map(|a| a.title.clone()).unwrap_or_default());

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
                            <ol class="draft-links" data-testid="draft-links">
                                {d.article_urls.iter().map(|u| view! { <li><a href=u.clone() target="_blank" rel="noopener noreferrer">{u.clone()}</a></li> }).collect_view()}
                            </ol>
                        </div>
                    })}
                </section>
            }
        })}
        <div class="draft-layout">
            <div class="draft-main">
                <ArticleList articles=articles selected=selected invalid=invalid disabled=Signal::derive(move || !can_edit.get()) />
                {move || draft_error().map(|m| view! { <p class="field-error" role="alert" data-testid="error-articles">{m}</p> })}
                <form class="card form-card draft-form" on:submit=move |ev| ev.prevent_default()>
                    // One form per article: re-made when another article is chosen or moved.
                    {move || {
                        len.track();
                        let idx = selected.get();
                        view! { <ArticleForm account=id articles=articles idx=idx can_edit=can_edit err=err /> }
                    }}
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
            </div>
            <PhonePreview account=id articles=articles selected=selected account_name=account.name.clone() />
        </div>
        <ConfirmDialog
            open=publish_open
            title=Signal::derive(move || i.t(K::DraftPublishTitle).to_string())
            body=Signal::derive(move || {
                let n = articles.with(Vec::len).to_string();
                fill(&fill(i.t(K::DraftPublishBody), "name", &lead_title()), "n", &n)
            })
            confirm_label=K::DraftPublish
            busy_label=K::MenuPublishing
            busy=publishing
            on_confirm=on_publish
        />
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::DeleteDraftTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DeleteDraftBody), "name", &lead_title()))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
