//! The phone-style preview the buttons are edited in: drag or arrows to reorder, add, select.

use api::menus::{self, MenuButton, MenuRule};
use leptos::prelude::*;

use super::{Pos, move_button, path_of};
use crate::i18n::{K, use_i18n};

/// The phone: a chat area and the menu bar; sub-buttons pop up above the selected top button.
#[component]
pub(crate) fn Phone(
    buttons: RwSignal<Vec<MenuButton>>,
    selected: RwSignal<Option<Pos>>,
    issues: Memo<Vec<(String, MenuRule)>>,
    editable: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let dragging: RwSignal<Option<Pos>> = RwSignal::new(None);
    let has_issue = move |pos: Pos| {
        let p = path_of(pos);
        issues.with(|l| {
            l.iter().any(|(f, _)| {
                f == &p
                    || (f.starts_with(&format!("{p}."))
                        && !f[p.len() + 1..].starts_with("sub_button["))
            })
        })
    };
    let drop_on = move |to: Pos| {
        if let Some(from) = dragging.get_untracked() {
            buttons.update(|l| move_button(l, from, to));
            selected.set(Some(to));
        }
        dragging.set(None);
    };
    let add_top = move |_| {
        buttons.update(|l| {
            if l.len() < menus::MAX_TOP {
                l.push(MenuButton {
                    name: format!("菜单{}", l.len() + 1),
                    kind: Some("click".into()),
                    key: Some(format!("MENU_{}", l.len() + 1)),
                    ..Default::default()
                });
            }
        });
        selected.set(Some((buttons.with_untracked(Vec::len) - 1, None)));
    };
    let add_sub = move |top: usize| {
        buttons.update(|l| {
            if let Some(t) = l.get_mut(top)
                && t.sub_button.len() < menus::MAX_SUB
            {
                let n = t.sub_button.len() + 1;
                if t.sub_button.is_empty() {
                    // The parent keeps only its name.
                    t.kind = None;
                    t.key = None;
                    t.url = None;
                    t.media_id = None;
                    t.article_id = None;
                    t.appid = None;
                    t.pagepath = None;
                }
                t.sub_button.push(MenuButton {
                    name: format!("子菜单{n}"),
                    kind: Some("click".into()),
                    key: Some(format!("MENU_{}_{n}", top + 1)),
                    ..Default::default()
                });
            }
        });
        let n = buttons.with_untracked(|l| l.get(top).map_or(0, |t| t.sub_button.len()));
        if n > 0 {
            selected.set(Some((top, Some(n - 1))));
        }
    };
    view! {
        <div class="phone" data-testid="menu-phone">
            <div class="phone-top">
                <span>"9:41"</span>
            </div>
            <div class="phone-chat"></div>
            <div class="phone-bar">
                <span class="phone-kbd" aria-hidden="true">"⌨"</span>
                {move || {
                    let list = buttons.get();
                    let n = list.len();
                    let open_top = selected.get().map(|(t, _)| t);
                    let tops = list
                        .into_iter()
                        .enumerate()
                        .map(|(t, b)| {
                            let subs = b.sub_button.clone();
                            let sub_count = subs.len();
                            let popup = (open_top == Some(t)).then(|| view! {
                                <div class="phone-subs" data-testid=format!("menu-subs-{t}")>
                                    {subs
                                        .into_iter()
                                        .enumerate()
                                        .map(|(s, sb)| {
                                            let pos = (t, Some(s));
                                            view! {
                                                <button
                                                    type="button"
                                                    class="phone-sub"
                                                    class:selected=move || selected.get() == Some(pos)
                                                    class:invalid=move || has_issue(pos)
                                                    draggable=move || if editable.get() { "true" } else { "false" }
                                                    data-testid=format!("menu-btn-{t}-{s}")
                                                    on:click=move |_| selected.set(Some(pos))
                                                    on:dragstart=move |_| dragging.set(Some(pos))
                                                    on:dragover=move |ev| ev.prevent_default()
                                                    on:drop=move |ev| {
                                                        ev.prevent_default();
                                                        drop_on(pos);
                                                    }
                                                >
                                                    {if sb.name.is_empty() { "—".to_string() } else { sb.name.clone() }}
                                                </button>
                                            }
                                        })
                                        .collect_view()}
                                    {(sub_count < menus::MAX_SUB).then(|| view! {
                                        <Show when=move || editable.get()>
                                            <button
                                                type="button"
                                                class="phone-sub phone-add"
                                                data-testid=format!("menu-add-sub-{t}")
                                                title=move || i.t(K::MenuAddSub)
                                                on:click=move |_| add_sub(t)
                                            >
                                                "+"
                                            </button>
                                        </Show>
                                    })}
                                </div>
                            });
                            let pos = (t, None);
                            view! {
                                <div class="phone-top-btn">
                                    {popup}
                                    <button
                                        type="button"
                                        class="phone-btn"
                                        class:selected=move || selected.get() == Some(pos)
                                        class:invalid=move || has_issue(pos)
                                        draggable=move || if editable.get() { "true" } else { "false" }
                                        data-testid=format!("menu-btn-{t}")
                                        on:click=move |_| selected.set(Some(pos))
                                        on:dragstart=move |_| dragging.set(Some(pos))
                                        on:dragover=move |ev| ev.prevent_default()
                                        on:drop=move |ev| {
                                            ev.prevent_default();
                                            drop_on(pos);
                                        }
                                    >
                                        {(sub_count > 0).then(|| view! { <span class="phone-burger">"≡ "</span> })}
                                        {if b.name.is_empty() { "—".to_string() } else { b.name.clone() }}
                                    </button>
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        {tops}
                        {(n < menus::MAX_TOP).then(|| view! {
                            <Show when=move || editable.get()>
                                <button type="button" class="phone-btn phone-add" data-testid="menu-add-top" title=move || i.t(K::MenuAddTop) on:click=add_top>
                                    "+"
                                </button>
                            </Show>
                        })}
                    }
                }}
            </div>
            <Show when=move || buttons.with(Vec::is_empty)>
                <p class="phone-empty muted small">{move || i.t(K::MenuEmpty)}</p>
            </Show>
        </div>
    }
}
