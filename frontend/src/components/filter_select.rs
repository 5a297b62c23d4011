//! The enum filter of a list toolbar: "<label> · All" first, then one option per value.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// One choice of a [`FilterSelect`]: its value and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterOption {
    pub value: String,
    pub label: OptionLabel,
}

/// Translated labels follow the language; names from the data (tags, products) do not.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionLabel {
    Key(K),
    Text(String),
}

impl FilterOption {
    pub fn key(value: impl Into<String>, label: K) -> FilterOption {
        FilterOption {
            value: value.into(),
            label: OptionLabel::Key(label),
        }
    }

    pub fn text(value: impl Into<String>, label: impl Into<String>) -> FilterOption {
        FilterOption {
            value: value.into(),
            label: OptionLabel::Text(label.into()),
        }
    }
}

/// `value` is the chosen option's value, empty for "all"; options may arrive later (loaded
/// from the server) and still show the chosen one.
#[component]
pub fn FilterSelect(
    /// What is filtered on: the accessible name, and "<label> · All" as the first option.
    label: K,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    #[prop(into)] options: Signal<Vec<FilterOption>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <select
            class="select"
            data-testid=testid
            aria-label=move || i.t(label)
            on:change=move |ev| on_change.run(event_target_value(&ev))
            prop:value=move || value.get()
        >
            <option value="" prop:selected=move || value.with(String::is_empty)>
                {move || format!("{} · {}", i.t(label), i.t(K::All))}
            </option>
            {move || {
                options
                    .get()
                    .into_iter()
                    .map(|o| {
                        let v = o.value.clone();
                        let text = match o.label {
                            OptionLabel::Key(k) => Signal::derive(move || i.t(k).to_string()),
                            OptionLabel::Text(t) => Signal::stored(t),
                        };
                        view! {
                            <option value=o.value prop:selected=move || value.with(|x| *x == v)>
                                {move || text.get()}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
