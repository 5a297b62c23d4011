//! The search field of a list toolbar: magnifier, placeholder (also its accessible name).

use std::time::Duration;

use leptos::prelude::*;

use super::icons;
use crate::i18n::{K, use_i18n};

/// Lists filtered on the server search once typing pauses this long, not on every key.
const SETTLE: Duration = Duration::from_millis(300);

/// `on_input` runs on every key, `on_commit` on Enter or leaving the field (`change`).
#[component]
pub fn SearchBox(
    placeholder: K,
    #[prop(into)] value: Signal<String>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
    #[prop(optional, into)] on_commit: Option<Callback<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <label class="search">
            {icons::search()}
            <input
                class="input"
                type="search"
                data-testid=testid
                placeholder=move || i.t(placeholder)
                aria-label=move || i.t(placeholder)
                prop:value=move || value.get()
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
                on:change=move |ev| {
                    if let Some(cb) = on_commit {
                        cb.run(event_target_value(&ev));
                    }
                }
            />
        </label>
    }
}

/// For a [`SearchBox`] whose list loads from the server: every key shows in `typed`, and
/// `settled` runs with the text once typing pauses (while the page is still open).
pub fn debounced(typed: RwSignal<String>, settled: Callback<String>) -> Callback<String> {
    Callback::new(move |value: String| {
        typed.set(value.clone());
        set_timeout(
            move || {
                if typed.try_get_untracked().as_deref() == Some(value.as_str()) {
                    settled.run(value);
                }
            },
            SETTLE,
        );
    })
}
