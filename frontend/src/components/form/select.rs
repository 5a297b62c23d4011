//! A select of fixed choices, each a value and its label.

use leptos::prelude::*;

use super::testid;
use crate::components::FieldRow;
use crate::i18n::{K, use_i18n};

#[component]
pub fn SelectInput(
    name: &'static str,
    label: K,
    /// `(value, label)` pairs, in the order shown.
    options: Vec<(&'static str, K)>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] help: Option<Signal<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <FieldRow name=name label=label required=required error=error help=help.unwrap_or_default()>
            <select
                id=format!("f-{name}")
                class="select"
                data-testid=self::testid(name, testid)
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(v, k)| {
                        view! {
                            <option value=v prop:selected=move || value.get() == v>
                                {move || i.t(k)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FieldRow>
    }
}
