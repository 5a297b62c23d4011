//! Several lines of text.

use leptos::prelude::*;

use super::testid;
use crate::components::FieldRow;
use crate::i18n::K;

#[component]
pub fn TextAreaInput(
    name: &'static str,
    label: K,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] help: Option<Signal<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] required: bool,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <FieldRow name=name label=label required=required error=error help=help.unwrap_or_default()>
            <textarea
                id=format!("f-{name}")
                class="input"
                data-testid=self::testid(name, testid)
                rows=rows.unwrap_or(4)
                prop:disabled=move || disabled.get()
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        </FieldRow>
    }
}
