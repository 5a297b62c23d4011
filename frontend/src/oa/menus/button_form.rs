//! The fields of the selected button, per type, with WeChat's rules shown inline.

use api::menus::{self, MenuButton, MenuRule, UnmatchedKey};
use leptos::prelude::*;

use super::{Pos, get_button, move_button, path_of, type_key, with_button};
use crate::components::icons;
use crate::i18n::{K, fill, use_i18n};
use crate::oa::MaterialPicker;

/// The fields of the selected button, with WeChat's rules shown inline.
#[component]
pub(crate) fn ButtonForm(
    account: i64,
    buttons: RwSignal<Vec<MenuButton>>,
    selected: RwSignal<Option<Pos>>,
    issues: Memo<Vec<(String, MenuRule)>>,
    unmatched: RwSignal<Vec<UnmatchedKey>>,
    editable: Memo<bool>,
    /// The button types offered (a WeCom app takes fewer than an Official Account).
    #[prop(optional)]
    types: Option<&'static [&'static str]>,
) -> impl IntoView {
    let i = use_i18n();
    let types = types.unwrap_or(menus::TYPES);
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
                                    {types
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
