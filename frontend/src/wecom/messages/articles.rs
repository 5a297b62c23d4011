//! The articles of a news (图文) or mpnews message: 1 to 8, each with WeChat's fields; an
//! mpnews article's cover is uploaded as a temporary image.

use api::wecom_messages::{MpnewsItem, NewsItem, limits};
use leptos::prelude::*;

use super::draft::Draft;
use super::media_field::MediaField;
use super::{bytes_help, issue_of};
use crate::components::icons;
use crate::i18n::{K, fill, use_i18n};

#[component]
pub(super) fn Articles(
    id: i64,
    draft: RwSignal<Draft>,
    #[prop(into)] issues: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i = use_i18n();
    let mp = Memo::new(move |_| draft.with(|d| d.msgtype == "mpnews"));
    let count = Memo::new(move |_| {
        draft.with(|d| {
            if d.msgtype == "mpnews" {
                d.mpnews.len()
            } else {
                d.news.len()
            }
        })
    });
    let add = move |_: leptos::ev::MouseEvent| {
        draft.update(|d| {
            if d.msgtype == "mpnews" && d.mpnews.len() < limits::ARTICLES {
                d.mpnews.push(MpnewsItem::default());
            } else if d.msgtype == "news" && d.news.len() < limits::ARTICLES {
                d.news.push(NewsItem::default());
            }
        })
    };
    let err = move |f: String| issues.with(|l| issue_of(l, &f));
    // One text input of article `n`, read and written through `get` / `set`.
    let input = move |n: usize,
                      label: K,
                      field: &'static str,
                      multiline: bool,
                      required: bool,
                      max: usize,
                      get: fn(&Draft, usize) -> Option<String>,
                      set: fn(&mut Draft, usize, String)| {
        let path = format!("content.articles.{n}.{field}");
        let p2 = path.clone();
        let id_attr = format!("f-{path}");
        let testid = format!("wm-article-{n}-{field}");
        let value = move || draft.with(|d| get(d, n).unwrap_or_default());
        let on_input =
            move |ev: leptos::ev::Event| draft.update(|d| set(d, n, event_target_value(&ev)));
        view! {
            <div class="field" class:has-error={ let p = path.clone(); move || err(p.clone()).is_some() }>
                <label class="field-label" for=id_attr.clone()>
                    {move || i.t(label)}
                    {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
                </label>
                {if multiline {
                    view! { <textarea id=id_attr class="input" rows="3" data-testid=testid prop:value=value on:input=on_input></textarea> }.into_any()
                } else {
                    view! { <input id=id_attr class="input" data-testid=testid prop:value=value on:input=on_input /> }.into_any()
                }}
                {(max > 0).then(|| view! { <p class="field-help">{move || draft.with(|d| bytes_help(&get(d, n).unwrap_or_default(), max, i.lang()))}</p> })}
                {move || err(p2.clone()).map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{p2}")>{m}</p> })}
            </div>
        }
    };
    view! {
        <div class="wm-articles" data-testid="wm-articles">
            {move || {
                let n = count.get();
                let is_mp = mp.get();
                (0..n).map(|k| {
                    let remove = move |_| draft.update(|d| {
                        if d.msgtype == "mpnews" && d.mpnews.len() > 1 { d.mpnews.remove(k); }
                        else if d.msgtype == "news" && d.news.len() > 1 { d.news.remove(k); }
                    });
                    let head = fill(i.t(K::WmArticleN), "n", &(k + 1).to_string());
                    let body = if is_mp {
                        view! {
                            {input(k, K::WmTitle, "title", false, true, limits::TITLE, |d, n| d.mpnews.get(n).map(|a| a.title.clone()), |d, n, v| if let Some(a) = d.mpnews.get_mut(n) { a.title = v })}
                            <div class="field">
                                <span class="field-label">{move || i.t(K::WmThumb)}<span class="req" aria-hidden="true">"*"</span></span>
                                <MediaField id=id kind="image" testid="wm-thumb"
                                    value=Signal::derive(move || draft.with(|d| d.mpnews.get(k).map(|a| (a.thumb_media_id.clone(), a.thumb_media_id.clone())).unwrap_or_default()))
                                    on_uploaded=Callback::new(move |(m, _): (String, String)| draft.update(|d| if let Some(a) = d.mpnews.get_mut(k) { a.thumb_media_id = m }))
                                    error=Signal::derive(move || err(format!("content.articles.{k}.thumb_media_id"))) />
                            </div>
                            {input(k, K::WmAuthor, "author", false, false, limits::AUTHOR, |d, n| d.mpnews.get(n).map(|a| a.author.clone()), |d, n, v| if let Some(a) = d.mpnews.get_mut(n) { a.author = v })}
                            {input(k, K::WmContent, "content", true, true, 0, |d, n| d.mpnews.get(n).map(|a| a.content.clone()), |d, n, v| if let Some(a) = d.mpnews.get_mut(n) { a.content = v })}
                            {input(k, K::WmDigest, "digest", true, false, limits::DIGEST, |d, n| d.mpnews.get(n).map(|a| a.digest.clone()), |d, n, v| if let Some(a) = d.mpnews.get_mut(n) { a.digest = v })}
                            {input(k, K::WmSourceUrl, "content_source_url", false, false, 0, |d, n| d.mpnews.get(n).map(|a| a.content_source_url.clone()), |d, n, v| if let Some(a) = d.mpnews.get_mut(n) { a.content_source_url = v })}
                        }.into_any()
                    } else {
                        view! {
                            {input(k, K::WmTitle, "title", false, true, limits::TITLE, |d, n| d.news.get(n).map(|a| a.title.clone()), |d, n, v| if let Some(a) = d.news.get_mut(n) { a.title = v })}
                            {input(k, K::WmDescription, "description", true, false, limits::DESCRIPTION, |d, n| d.news.get(n).map(|a| a.description.clone()), |d, n, v| if let Some(a) = d.news.get_mut(n) { a.description = v })}
                            {input(k, K::WmUrl, "url", false, true, 0, |d, n| d.news.get(n).map(|a| a.url.clone()), |d, n, v| if let Some(a) = d.news.get_mut(n) { a.url = v })}
                            {input(k, K::WmPicUrl, "picurl", false, false, 0, |d, n| d.news.get(n).map(|a| a.picurl.clone()), |d, n, v| if let Some(a) = d.news.get_mut(n) { a.picurl = v })}
                        }.into_any()
                    };
                    view! {
                        <fieldset class="wm-article" data-testid="wm-article">
                            <legend class="field-label">{head}</legend>
                            {body}
                            {(n > 1).then(|| view! {
                                <button type="button" class="btn btn-sm btn-danger-outline" data-testid="wm-article-remove" on:click=remove>
                                    {icons::trash()}<span>{move || i.t(K::WmRemoveArticle)}</span>
                                </button>
                            })}
                        </fieldset>
                    }
                }).collect_view()
            }}
            {move || err("content.articles".to_string()).map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="btn btn-sm" data-testid="wm-article-add" prop:disabled=move || { count.get() >= limits::ARTICLES } on:click=add>
                {icons::plus()}<span>{move || fill(i.t(K::WmAddArticle), "max", &limits::ARTICLES.to_string())}</span>
            </button>
        </div>
    }
}
