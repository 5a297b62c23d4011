//! The draft's articles in order: choose one to edit, move it up or down, remove it, add one
//! (at most `api::drafts::MAX_ARTICLES`). Plain buttons, so every action works from the
//! keyboard; the moved article stays selected.

use ::api::drafts::{Article, MAX_ARTICLES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::icons;
use crate::i18n::{K, fill, use_i18n};

/// Moves article `from` to `to` (both in range), keeping the selection on it.
fn move_article(
    articles: RwSignal<Vec<Article>>,
    selected: RwSignal<usize>,
    from: usize,
    to: usize,
) {
    articles.update(|v| {
        if from < v.len() && to < v.len() {
            let a = v.remove(from);
            v.insert(to, a);
        }
    });
    let s = selected.get_untracked();
    if s == from {
        selected.set(to);
    } else if s == to {
        selected.set(from);
    }
    // The keyboard follows the article it moved.
    let picked = document()
        .query_selector(&format!(
            ".article-row[data-index=\"{to}\"] [data-testid=\"article-pick\"]"
        ))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = picked {
        let _ = el.focus();
    }
}

#[component]
pub fn ArticleList(
    articles: RwSignal<Vec<Article>>,
    selected: RwSignal<usize>,
    /// Places (from 0) of articles with problems to fix.
    #[prop(into)]
    invalid: Signal<Vec<usize>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let count = Memo::new(move |_| articles.with(Vec::len));
    let add = move |_| {
        articles.update(|v| {
            if v.len() < MAX_ARTICLES {
                v.push(Article::default());
            }
        });
        selected.set(articles.with_untracked(Vec::len).saturating_sub(1));
    };
    let remove = move |idx: usize| {
        articles.update(|v| {
            if v.len() > 1 && idx < v.len() {
                v.remove(idx);
            }
        });
        let n = articles.with_untracked(Vec::len);
        let s = selected.get_untracked();
        if s >= n || s > idx {
            selected.set(s.saturating_sub(1).min(n.saturating_sub(1)));
        }
    };
    view! {
        <section class="card article-list" data-testid="article-list">
            <div class="card-head">
                <h3 class="section-title">{move || i.t(K::DraftArticles)}</h3>
                <span class="muted small" data-testid="article-count">{move || format!("{}/{}", count.get(), MAX_ARTICLES)}</span>
            </div>
            <ol class="article-rows">
                {move || {
                    let n = count.get();
                    (0..n).map(|idx| {
                        let title = move || articles.with(|v| v.get(idx).map(|a| a.title.trim().to_string()).unwrap_or_default());
                        let label = move || fill(i.t(K::DraftArticleN), "n", &(idx + 1).to_string());
                        let is_sel = move || selected.get() == idx;
                        let bad = move || invalid.with(|l| l.contains(&idx));
                        view! {
                            <li class="article-row" class:selected=is_sel class:has-error=bad data-testid="article-row" data-index=idx>
                                <button type="button" class="article-pick" data-testid="article-pick"
                                    aria-current=move || is_sel().then_some("true")
                                    on:click=move |_| selected.set(idx)>
                                    <span class="article-num muted small">{label}</span>
                                    <span class="article-title ellipsis" data-user-content="">
                                        {move || { let t = title(); if t.is_empty() { i.t(K::DraftUntitled).to_string() } else { t } }}
                                    </span>
                                    {move || bad().then(|| view! { <span class="badge badge-red">{move || i.t(K::DraftArticleHasErrors)}</span> })}
                                </button>
                                <div class="article-actions">
                                    <button type="button" class="btn btn-sm btn-icon" data-testid="article-up"
                                        aria-label=move || format!("{}：{}", i.t(K::DraftMoveUp), label())
                                        title=move || i.t(K::DraftMoveUp)
                                        prop:disabled=move || disabled.get() || idx == 0
                                        on:click=move |_| move_article(articles, selected, idx, idx - 1)>
                                        "↑"
                                    </button>
                                    <button type="button" class="btn btn-sm btn-icon" data-testid="article-down"
                                        aria-label=move || format!("{}：{}", i.t(K::DraftMoveDown), label())
                                        title=move || i.t(K::DraftMoveDown)
                                        prop:disabled=move || { let last = idx + 1 >= count.get(); disabled.get() || last }
                                        on:click=move |_| move_article(articles, selected, idx, idx + 1)>
                                        "↓"
                                    </button>
                                    <button type="button" class="btn btn-sm btn-icon" data-testid="article-remove"
                                        aria-label=move || format!("{}：{}", i.t(K::DraftRemoveArticle), label())
                                        title=move || i.t(K::DraftRemoveArticle)
                                        prop:disabled=move || disabled.get() || count.get() <= 1
                                        on:click=move |_| remove(idx)>
                                        {icons::trash()}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <button type="button" class="btn btn-sm" data-testid="article-add"
                prop:disabled=move || { let full = count.get() >= MAX_ARTICLES; disabled.get() || full }
                on:click=add>
                {icons::plus()}<span>{move || i.t(K::DraftAddArticle)}</span>
            </button>
            {move || (count.get() >= MAX_ARTICLES).then(|| view! { <p class="field-help">{move || i.t(K::DraftArticleLimit)}</p> })}
        </section>
    }
}
