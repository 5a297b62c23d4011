//! The draft on a phone frame, as WeChat shows it: the message card in the chat (the first
//! article with its big cover and title over it, the others as rows with a small cover) and
//! one article's page (title, author, body; 阅读原文 when it has an original URL). Covers and
//! body images come through the portal; the body is the cleaned HTML.

use ::api::drafts::Article;
use leptos::prelude::*;

use super::rich_text::for_display;
use crate::i18n::{K, use_i18n};
use crate::oa::materials::api as materials_api;

/// A cover, looked up by media id in the account's materials and served by the portal.
#[component]
fn Cover(
    account: i64,
    #[prop(into)] media_id: Signal<String>,
    class: &'static str,
) -> impl IntoView {
    let found = LocalResource::new(move || {
        let v = media_id.get();
        async move {
            if v.is_empty() {
                return None;
            }
            materials_api::list(account, "", "permanent", &v, 1, 1)
                .await
                .ok()
                .and_then(|p| p.items.into_iter().find(|m| m.media_id == v))
        }
    });
    view! {
        {move || match found.get().flatten() {
            Some(m) => view! { <img class=class alt="" src=materials_api::content_url(account, &m) /> }.into_any(),
            None => view! { <span class=format!("{class} dp-cover-empty") aria-hidden="true"></span> }.into_any(),
        }}
    }
}

#[component]
pub fn PhonePreview(
    account: i64,
    #[prop(into)] articles: Signal<Vec<Article>>,
    selected: RwSignal<usize>,
    /// The account's name, shown as the chat's title.
    account_name: String,
) -> impl IntoView {
    let i = use_i18n();
    // false: the chat card; true: the selected article's page.
    let page = RwSignal::new(false);
    let count = Memo::new(move |_| articles.with(Vec::len));
    let field = move |idx: usize, f: fn(&Article) -> String| {
        Signal::derive(move || articles.with(|v| v.get(idx).map(f).unwrap_or_default()))
    };
    let open = move |idx: usize| {
        selected.set(idx);
        page.set(true);
    };
    let card = move || {
        let n = count.get();
        let lead_title = field(0, |a| a.title.clone());
        view! {
            <div class="dp-card" data-testid="phone-card">
                <button type="button" class="dp-lead" data-testid="phone-article" data-index="0" on:click=move |_| open(0)>
                    <Cover account=account media_id=field(0, |a| a.thumb_media_id.clone()) class="dp-lead-cover" />
                    <span class="dp-lead-title" data-user-content="">{move || lead_title.get()}</span>
                </button>
                {(1..n).map(|idx| {
                    let title = field(idx, |a| a.title.clone());
                    view! {
                        <button type="button" class="dp-row" data-testid="phone-article" data-index=idx on:click=move |_| open(idx)>
                            <span class="dp-row-title" data-user-content="">{move || title.get()}</span>
                            <Cover account=account media_id=field(idx, |a| a.thumb_media_id.clone()) class="dp-row-cover" />
                        </button>
                    }
                }).collect_view()}
            </div>
        }
    };
    let article_page = move || {
        let idx = selected.get().min(count.get().saturating_sub(1));
        let a = articles.with(|v| v.get(idx).cloned()).unwrap_or_default();
        let body = for_display(account, &a.content);
        let source = (!a.content_source_url.is_empty()).then(|| a.content_source_url.clone());
        view! {
            <article class="dp-page" data-testid="phone-page" data-index=idx>
                <h1 class="dp-page-title" data-user-content="">{a.title.clone()}</h1>
                <p class="dp-page-meta muted small" data-user-content="">{a.author.clone()}</p>
                <div class="article-body dp-page-body" data-user-content="" inner_html=body></div>
                {source.map(|u| view! {
                    <a class="dp-page-source small" href=u target="_blank" rel="noopener noreferrer">{move || i.t(K::PreviewReadOriginal)}</a>
                })}
            </article>
        }
    };
    view! {
        <section class="card draft-preview" data-testid="draft-preview">
            <div class="card-head">
                <h3 class="section-title">{move || i.t(K::DraftPhonePreview)}</h3>
                <div class="segmented" role="group" aria-label=move || i.t(K::DraftPhonePreview)>
                    <button type="button" class="btn btn-sm" data-testid="preview-card"
                        aria-pressed=move || (!page.get()).to_string() on:click=move |_| page.set(false)>
                        {move || i.t(K::PreviewCard)}
                    </button>
                    <button type="button" class="btn btn-sm" data-testid="preview-page"
                        aria-pressed=move || page.get().to_string() on:click=move |_| page.set(true)>
                        {move || i.t(K::PreviewPage)}
                    </button>
                </div>
            </div>
            <div class="dp-frame" data-testid="phone-frame">
                <div class="dp-bar" data-user-content="">{account_name}</div>
                <div class="dp-screen">
                    {move || if page.get() { article_page().into_any() } else { card().into_any() }}
                </div>
            </div>
        </section>
    }
}
