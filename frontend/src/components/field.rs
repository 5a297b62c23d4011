//! A labelled form row with help text and an inline error (`error-<name>`).

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// `name` is the JSON field name; the error element gets `data-testid="error-<name>"`.
#[component]
pub fn FieldRow(
    name: &'static str,
    label: K,
    #[prop(optional)] required: bool,
    #[prop(optional)] help: Option<Signal<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let i = use_i18n();
    let input_id = format!("f-{name}");
    view! {
        <div class="field" class:has-error=move || error.with(|e| e.is_some())>
            <label class="field-label" for=input_id>
                {move || i.t(label)}
                {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
            </label>
            <div class="field-control">{children()}</div>
            {move || match error.get() {
                Some(msg) => {
                    view! {
                        <p class="field-error" data-testid=format!("error-{name}") role="alert">
                            {msg}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    help.map(|h| view! { <p class="field-help">{move || h.get()}</p> })
                        .into_any()
                }
            }}
        </div>
    }
}
