//! The fields of one article of the draft: title, author, digest, cover (a material picker that
//! shows the image through the portal), the body (the rich-text editor), the original URL and
//! the comment settings. Each edit goes straight into the draft's list of articles.

use ::api::drafts::{Article, article_field};
use leptos::prelude::*;

use super::rich_text::RichTextEditor;
use crate::components::form::TextAreaInput;
use crate::i18n::{K, fill, use_i18n};
use crate::oa::materials::MaterialPicker;

#[component]
pub fn ArticleForm(
    account: i64,
    articles: RwSignal<Vec<Article>>,
    /// The article's place in the draft.
    idx: usize,
    #[prop(into)] can_edit: Signal<bool>,
    /// The message for a field of the draft (`articles.{i}.{field}`), if it has a problem.
    err: Callback<String, Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let initial = articles.with_untracked(|v| v.get(idx).cloned().unwrap_or_default());
    let set = move |f: fn(&mut Article, String), value: String| {
        articles.update(|v| {
            if let Some(a) = v.get_mut(idx) {
                f(a, value);
            }
        });
    };
    let get = move |f: fn(&Article) -> String| {
        move || articles.with(|v| v.get(idx).map(f).unwrap_or_default())
    };
    let e = move |name: &'static str| err.run(article_field(idx, name));
    // The picker works on a signal of its own: copied into the article when it changes.
    let thumb = RwSignal::new(initial.thumb_media_id.clone());
    Effect::new(move |_| {
        let t = thumb.get();
        set(|a, v| a.thumb_media_id = v, t);
    });
    let comment =
        Memo::new(move |_| articles.with(|v| v.get(idx).is_some_and(|a| a.need_open_comment)));
    let fans_only =
        Memo::new(move |_| articles.with(|v| v.get(idx).is_some_and(|a| a.only_fans_can_comment)));

    let text_row = move |label: K,
                         name: &'static str,
                         value: fn(&Article) -> String,
                         put: fn(&mut Article, String),
                         required: bool| {
        view! {
            <div class="field" class:has-error=move || e(name).is_some()>
                <label class="field-label" for=format!("f-{name}")>
                    {move || i.t(label)}
                    {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
                </label>
                <div class="field-control">
                    <input id=format!("f-{name}") type="text" class="input" data-testid=format!("draft-{name}")
                        aria-invalid=move || e(name).is_some().then_some("true")
                        prop:value=get(value) prop:disabled=move || !can_edit.get()
                        on:input=move |ev| set(put, event_target_value(&ev)) />
                </div>
                {move || e(name).map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{name}")>{m}</p> })}
            </div>
        }
    };

    view! {
        <div class="article-form" data-testid="article-form" data-index=idx>
            <h3 class="section-title">{move || fill(i.t(K::DraftArticleN), "n", &(idx + 1).to_string())}</h3>
            {text_row(K::DraftTitle, "title", |a| a.title.clone(), |a, v| a.title = v, true)}
            {text_row(K::DraftAuthor, "author", |a| a.author.clone(), |a, v| a.author = v, false)}
            <TextAreaInput
                name="digest"
                label=K::DraftDigest
                value=Signal::derive(get(|a| a.digest.clone()))
                on_input=move |v| set(|a, v| a.digest = v, v)
                error=Signal::derive(move || e("digest"))
                disabled=Signal::derive(move || !can_edit.get())
                rows=2
                testid="draft-digest"
            />
            <div class="field" class:has-error=move || e("thumb_media_id").is_some()>
                <span class="field-label">{move || i.t(K::DraftCover)}<span class="req" aria-hidden="true">"*"</span></span>
                <div class="field-control">
                    <MaterialPicker account=account kinds=&["image", "thumb"] value=thumb testid="draft-cover" show_image=true />
                </div>
                {move || e("thumb_media_id").map(|m| view! { <p class="field-error" data-testid="error-thumb_media_id">{m}</p> })}
            </div>
            <div class="field" class:has-error=move || e("content").is_some()>
                <span class="field-label" id="f-content-label">{move || i.t(K::DraftBody)}<span class="req" aria-hidden="true">"*"</span></span>
                <div class="field-control">
                    <RichTextEditor
                        account=account
                        initial=initial.content.clone()
                        on_change=move |html: String| set(|a, v| a.content = v, html)
                        disabled=Signal::derive(move || !can_edit.get())
                        invalid=Signal::derive(move || e("content").is_some())
                    />
                </div>
                {move || e("content").map(|m| view! { <p class="field-error" data-testid="error-content">{m}</p> })}
            </div>
            {text_row(K::DraftSourceUrl, "content_source_url", |a| a.content_source_url.clone(), |a, v| a.content_source_url = v, false)}
            <label class="check">
                <input type="checkbox" data-testid="draft-comment" prop:checked=move || comment.get()
                    prop:disabled=move || !can_edit.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        articles.update(|v| if let Some(a) = v.get_mut(idx) {
                            a.need_open_comment = on;
                            if !on { a.only_fans_can_comment = false; }
                        });
                    } />
                <span>{move || i.t(K::DraftOpenComment)}</span>
            </label>
            <Show when=move || comment.get()>
                <label class="check">
                    <input type="checkbox" data-testid="draft-fans-only" prop:checked=move || fans_only.get()
                        prop:disabled=move || !can_edit.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            articles.update(|v| if let Some(a) = v.get_mut(idx) { a.only_fans_can_comment = on; });
                        } />
                    <span>{move || i.t(K::DraftFansOnly)}</span>
                </label>
            </Show>
        </div>
    }
}
