//! A yes/no choice: the box with its words beside it, the whole line clickable.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// Unlike the other inputs it has no separate row label: the words beside the box are its label.
#[component]
pub fn CheckboxInput(
    text: K,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] on_change: Callback<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <label class="field checkbox-field">
            <input
                type="checkbox"
                data-testid=testid
                disabled=move || disabled.get()
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <span>{move || i.t(text)}</span>
        </label>
    }
}
