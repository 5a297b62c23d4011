//! Modal dialogs: one accessible dialog (focus moved in and trapped, Esc and a backdrop click
//! close it, focus returns to where it was) and a confirmation built on it (`confirm-ok`).

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::icons;
use crate::i18n::{K, use_i18n};

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
     select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    // `querySelectorAll` through JS: its NodeList is iterable, so `Array.from` takes it.
    let list = js_sys::Reflect::get(root, &"querySelectorAll".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(root, &FOCUSABLE.into()).ok());
    let Some(list) = list else {
        return Vec::new();
    };
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        // Hidden elements (display: none) have no offset parent and cannot take focus.
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// The first field of a form dialog, else the first button of its footer (Cancel for a
/// confirmation, so a stray Enter does not confirm), else the first focusable element.
fn initial_focus(root: &web_sys::Element) -> Option<web_sys::HtmlElement> {
    let pick = |sel: &str| {
        root.query_selector(sel)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    pick("[data-autofocus]")
        .or_else(|| {
            pick(".modal-body input:not([disabled]), .modal-body select, .modal-body textarea")
        })
        .or_else(|| pick(".modal-foot button"))
        .or_else(|| focusables(root).into_iter().next())
}

#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let i = use_i18n();
    let title_id = format!("modal-title-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let dialog = NodeRef::<html::Div>::new();
    // Where focus was before the dialog opened, to give it back on close.
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> =
        StoredValue::new_local(None);
    // A press that started on the backdrop (not a drag out of a field) closes on release.
    let press_on_backdrop = StoredValue::new(false);

    Effect::new(move |was_open: Option<bool>| {
        let now_open = open.get();
        if now_open && was_open != Some(true) {
            opener.set_value(active_element());
            // The dialog is in the DOM on the next frame.
            request_animation_frame(move || {
                if let Some(root) = dialog.get_untracked()
                    && let Some(el) = initial_focus(&root)
                {
                    let _ = el.focus();
                }
            });
        } else if !now_open && was_open == Some(true) {
            if let Some(el) = opener.get_value()
                && el.is_connected()
            {
                let _ = el.focus();
            }
            opener.set_value(None);
        }
        now_open
    });

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            open.set(false);
            return;
        }
        if ev.key() != "Tab" {
            return;
        }
        let Some(root) = dialog.get_untracked() else {
            return;
        };
        let items = focusables(&root);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            ev.prevent_default();
            return;
        };
        let active = active_element();
        let inside = active
            .as_ref()
            .is_some_and(|a| root.contains(Some(a.unchecked_ref())));
        if ev.shift_key() && (!inside || active.as_ref() == Some(first)) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (!inside || active.as_ref() == Some(last)) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };

    view! {
        <Show when=move || open.get()>
            <div
                class="modal-backdrop"
                data-testid="modal-backdrop"
                on:keydown=on_keydown
                on:mousedown=move |ev| {
                    press_on_backdrop.set_value(ev.target() == ev.current_target());
                }
                on:click=move |ev| {
                    if press_on_backdrop.get_value() && ev.target() == ev.current_target() {
                        open.set(false);
                    }
                    press_on_backdrop.set_value(false);
                }
            >
                <div
                    class="modal"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby=title_id.clone()
                    tabindex="-1"
                    node_ref=dialog
                >
                    <div class="modal-head">
                        <h2 id=title_id.clone()>{move || title.get()}</h2>
                        <button
                            type="button"
                            class="icon-btn"
                            data-testid="modal-close"
                            title=move || i.t(K::Close)
                            aria-label=move || i.t(K::Close)
                            on:click=move |_| open.set(false)
                        >
                            {icons::close()}
                        </button>
                    </div>
                    {children()}
                </div>
            </div>
        </Show>
    }
}

#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    confirm_label: K,
    busy_label: K,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
    /// A primary (not red) confirm button, for actions that are not destructive.
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Modal open=open title=title>
            <div class="modal-body">
                <p class="confirm-text" data-testid="confirm-text">{move || body.get()}</p>
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" data-testid="confirm-cancel" on:click=move |_| open.set(false)>
                    {move || i.t(K::Cancel)}
                </button>
                <button
                    type="button"
                    class=if primary { "btn btn-primary" } else { "btn btn-danger" }
                    data-testid="confirm-ok"
                    disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {move || if busy.get() { i.t(busy_label) } else { i.t(confirm_label) }}
                </button>
            </div>
        </Modal>
    }
}
