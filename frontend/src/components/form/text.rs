//! One-line inputs: text, numbers (`numeric`: typed as text, since WeChat's ids can exceed what
//! `<input type=number>` keeps, with the digits keyboard on phones) and secrets (`secret`:
//! write-only credentials, no autofill), with optional buttons beside the input ("generate").

use leptos::prelude::*;

use super::testid;
use crate::components::FieldRow;
use crate::i18n::K;

#[component]
pub fn TextInput(
    name: &'static str,
    label: K,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional, into)] on_blur: Option<Callback<()>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] help: Option<Signal<String>>,
    #[prop(optional, into)] placeholder: Signal<String>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] required: bool,
    /// Identifiers and keys read better in a monospace font.
    #[prop(optional)]
    mono: bool,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] secret: bool,
    #[prop(optional)] testid: Option<&'static str>,
    /// Buttons shown right of the input.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <FieldRow name=name label=label required=required error=error help=help.unwrap_or_default()>
            <div class="input-group">
                <input
                    id=format!("f-{name}")
                    class="input"
                    class:mono=mono
                    class:is-secret=secret
                    data-testid=self::testid(name, testid)
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    inputmode=numeric.then_some("numeric")
                    placeholder=move || placeholder.get()
                    disabled=move || disabled.get()
                    aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                    prop:value=move || value.get()
                    on:input=move |ev| on_input.run(event_target_value(&ev))
                    on:blur=move |_| {
                        if let Some(cb) = on_blur {
                            cb.run(());
                        }
                    }
                />
                {children.map(|c| c())}
            </div>
        </FieldRow>
    }
}
