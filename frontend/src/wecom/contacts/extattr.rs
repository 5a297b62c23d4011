//! A member's extended attributes (扩展属性): the form's editor (one row per attribute: its
//! type — text, web page or mini-program — its name and the fields of its type) and the
//! detail's list. The rules are WeCom's (`api::wecom_extattr::validate_extattrs`); an issue
//! names its row and part (`extattr.N.part`).

use api::wecom_extattr::{EXTATTR_MAX, ExtAttr, ExtAttrKind};
use leptos::prelude::*;

use crate::components::icons;
use crate::i18n::{K, use_i18n};

fn kind_value(k: ExtAttrKind) -> &'static str {
    match k {
        ExtAttrKind::Text => "text",
        ExtAttrKind::Web => "web",
        ExtAttrKind::Miniprogram => "miniprogram",
    }
}

fn kind_of(v: &str) -> ExtAttrKind {
    match v {
        "web" => ExtAttrKind::Web,
        "miniprogram" => ExtAttrKind::Miniprogram,
        _ => ExtAttrKind::Text,
    }
}

/// The editor. `errors`: `(field, message)` of the issues to show; `on_touch` marks the
/// attributes as touched (their local issues then show).
#[component]
pub fn ExtAttrEditor(
    rows: RwSignal<Vec<ExtAttr>>,
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    on_touch: Callback<()>,
    on_edit: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let error_of = move |field: String| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
        })
    };
    let set = move |n: usize, f: fn(&mut ExtAttr, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            rows.update(|r| {
                if let Some(a) = r.get_mut(n) {
                    f(a, v);
                }
            });
            on_edit.run(());
        }
    };
    let input = move |n: usize,
                      part: &'static str,
                      label: K,
                      value: fn(&ExtAttr) -> String,
                      f: fn(&mut ExtAttr, String)| {
        let err = error_of(format!("extattr.{n}.{part}"));
        view! {
            <label>
                <span>{move || i.t(label)}</span>
                <input
                    class="input"
                    class:mono=matches!(part, "url" | "appid" | "pagepath")
                    data-testid=format!("extattr-{part}")
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || err.with(|e| e.is_some()).then_some("true")
                    prop:value=move || rows.with(|r| r.get(n).map(value).unwrap_or_default())
                    on:input=set(n, f)
                    on:blur=move |_| on_touch.run(())
                />
                {move || err.get().map(|e| view! { <span class="wc-ext-err" data-testid="extattr-error">{e}</span> })}
            </label>
        }
        .into_any()
    };
    let list_error = error_of("extattr".into());
    view! {
        <div class="wc-ext-rows" data-testid="extattr-editor">
            <For
                each={move || (0..rows.with(Vec::len)).collect::<Vec<usize>>()}
                key=|n| *n
                children=move |n| {
                    let kind = Memo::new(move |_| rows.with(|r| r.get(n).map(|a| a.kind).unwrap_or_default()));
                    let name_err = error_of(format!("extattr.{n}.name"));
                    view! {
                        <div class="wc-ext-row" data-testid="extattr-row">
                            <div class="wc-ext-head">
                                <select class="select" data-testid="extattr-kind" aria-label=move || i.t(K::WcExtKind)
                                    on:change=move |ev| {
                                        let k = kind_of(&event_target_value(&ev));
                                        rows.update(|r| if let Some(a) = r.get_mut(n) { a.kind = k; });
                                        on_edit.run(());
                                    }>
                                    {[(ExtAttrKind::Text, K::WcExtText), (ExtAttrKind::Web, K::WcExtWeb), (ExtAttrKind::Miniprogram, K::WcExtMiniprogram)].into_iter().map(|(k, label)| view! {
                                        <option value=kind_value(k) prop:selected=move || kind.get() == k>{move || i.t(label)}</option>
                                    }).collect_view()}
                                </select>
                                <input
                                    class="input"
                                    data-testid="extattr-name"
                                    autocomplete="off"
                                    placeholder=move || i.t(K::WcExtName)
                                    aria-label=move || i.t(K::WcExtName)
                                    aria-invalid=move || name_err.with(|e| e.is_some()).then_some("true")
                                    prop:value=move || rows.with(|r| r.get(n).map(|a| a.name.clone()).unwrap_or_default())
                                    on:input=set(n, |a, v| a.name = v)
                                    on:blur=move |_| on_touch.run(())
                                />
                                <button type="button" class="icon-btn" data-testid="extattr-remove" title=move || i.t(K::WcRemove) aria-label=move || i.t(K::WcRemove)
                                    on:click=move |_| {
                                        rows.update(|r| { if n < r.len() { r.remove(n); } });
                                        on_edit.run(());
                                    }>
                                    {icons::close()}
                                </button>
                            </div>
                            {move || name_err.get().map(|e| view! { <span class="wc-ext-err" data-testid="extattr-error">{e}</span> })}
                            <div class="wc-ext-fields">
                                {move || match kind.get() {
                                    ExtAttrKind::Text => input(n, "value", K::WcExtValue, |a| a.value.clone(), |a, v| a.value = v),
                                    ExtAttrKind::Web => view! {
                                        {input(n, "title", K::WcExtTitle, |a| a.title.clone(), |a, v| a.title = v)}
                                        {input(n, "url", K::WcExtUrl, |a| a.url.clone(), |a, v| a.url = v)}
                                    }.into_any(),
                                    ExtAttrKind::Miniprogram => view! {
                                        {input(n, "title", K::WcExtTitle, |a| a.title.clone(), |a, v| a.title = v)}
                                        {input(n, "appid", K::WcExtAppid, |a| a.appid.clone(), |a, v| a.appid = v)}
                                        {input(n, "pagepath", K::WcExtPagepath, |a| a.pagepath.clone(), |a, v| a.pagepath = v)}
                                    }.into_any(),
                                }}
                            </div>
                        </div>
                    }
                }
            />
            {move || list_error.get().map(|e| view! { <span class="wc-ext-err" data-testid="extattr-error">{e}</span> })}
            <button type="button" class="btn btn-sm" data-testid="extattr-add"
                disabled=move || rows.with(|r| r.len() >= EXTATTR_MAX)
                on:click=move |_| { rows.update(|r| r.push(ExtAttr::default())); on_edit.run(()); }>
                {icons::plus()}
                <span>{move || i.t(K::WcExtAdd)}</span>
            </button>
        </div>
    }
}

/// The detail's list: a web attribute as its link, a mini-program's title with its appid and
/// page; values are the member's data (`data-user-content`).
#[component]
pub fn ExtAttrList(attrs: Vec<ExtAttr>) -> impl IntoView {
    let i = use_i18n();
    if attrs.is_empty() {
        return view! { <span class="muted" data-testid="member-detail-extattr">{move || i.t(K::WcExtNone)}</span> }
            .into_any();
    }
    view! {
        <ul class="wc-ext-list" data-testid="member-detail-extattr">
            {attrs.into_iter().map(|a| {
                let value = match a.kind {
                    ExtAttrKind::Text => view! { <span data-user-content>{a.value.clone()}</span> }.into_any(),
                    ExtAttrKind::Web => view! {
                        <a href=a.url.clone() target="_blank" rel="noopener noreferrer" data-user-content>{a.title.clone()}</a>
                    }.into_any(),
                    ExtAttrKind::Miniprogram => view! {
                        <span data-user-content>{a.title.clone()}</span>
                        <code>{a.appid.clone()}</code>
                        {(!a.pagepath.is_empty()).then(|| view! { <code>{a.pagepath.clone()}</code> })}
                    }.into_any(),
                };
                view! {
                    <li data-testid="extattr-item" data-name=a.name.clone()>
                        <span class="wc-ext-name" data-user-content>{a.name.clone()}</span>
                        {value}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
