//! `/accounts/:id/drafts`: article drafts (search, status filter, paging, import from WeChat)
//! and the editor (`…/drafts/new`, `…/drafts/:draft_id`, see [`editor`]): 1 to 8 articles,
//! each with its cover, body (rich text, images through `uploadimg`), original URL and comment
//! settings, a phone preview, publish and the publishing state.

pub mod api;
mod article_form;
mod article_list;
mod editor;
mod phone_preview;
mod rich_text;

use ::api::accounts::Account;
use ::api::drafts::{DraftOrigin, DraftStatus};
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use self::editor::DraftEditor;
use super::AccountPage;
use crate::accounts::AccountTab;
use crate::auth::use_session;
use crate::components::{
    EmptyState, ErrorState, LoadingState, Pager, SkeletonRows, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::drafts::api as drafts_api;
use crate::util;

const PER_PAGE: u64 = 20;

pub(crate) fn status_badge(s: DraftStatus) -> (K, &'static str) {
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
    let toasts = use_toasts();
    let importing = RwSignal::new(false);
    let import = move |_| {
        importing.set(true);
        spawn_local(async move {
            let r = drafts_api::import(id).await;
            importing.set(false);
            match r {
                Ok(r) => {
                    let text = fill(
                        &fill(
                            &fill(
                                i.now(K::DraftImported),
                                "drafts",
                                &r.drafts_added.to_string(),
                            ),
                            "published",
                            &r.published_added.to_string(),
                        ),
                        "same",
                        &r.unchanged.to_string(),
                    );
                    toasts.success(text);
                    reload(data);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::DraftsTitle)}</h2>
                <p class="muted">{move || i.t(K::DraftsSubtitle)}</p>
            </div>
            <Show when=move || can_edit.get()>
                <div class="page-actions">
                    <button type="button" class="btn" data-testid="drafts-import" prop:disabled=move || importing.get() on:click=import>
                        {icons::refresh()}
                        <span>{move || if importing.get() { i.t(K::DraftImporting) } else { i.t(K::DraftImport) }}</span>
                    </button>
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
                                        <th class="hide-sm">{move || i.t(K::DraftArticles)}</th>
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
                                            let origin = match d.origin {
                                                DraftOrigin::Portal => None,
                                                DraftOrigin::WechatDraft => Some(K::DraftOriginWechatDraft),
                                                DraftOrigin::WechatPublished => Some(K::DraftOriginWechatPublished),
                                            };
                                            let n = d.articles.len().to_string();
                                            view! {
                                                <tr data-testid="draft-row">
                                                    <td>
                                                        <A href=format!("/accounts/{id}/drafts/{}", d.id) attr:data-user-content="">{d.title.clone()}</A>
                                                        {origin.map(|k| view! { <span class="badge small">{move || i.t(k)}</span> })}
                                                        {d.article_urls.first().map(|u| view! {
                                                            <div class="small ellipsis"><a href=u.clone() target="_blank" rel="noopener noreferrer">{u.clone()}</a></div>
                                                        })}
                                                    </td>
                                                    <td class="hide-sm" data-testid="draft-article-count">{move || fill(i.t(K::DraftArticleCount), "n", &n)}</td>
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
