//! A stored failure reason (a send's, a job's), in the UI language.

use leptos::prelude::*;

use crate::i18n::{failures::failure_text, use_i18n};

/// The reason as a sentence; WeChat's untranslatable words beside it as protocol text.
/// `inline` puts it in running text (a `span`), otherwise it is a block with `class`
/// (`field-error small` when not given).
#[component]
pub fn FailureText(
    text: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let i = use_i18n();
    let class = if class.is_empty() && !inline {
        "field-error small"
    } else {
        class
    };
    move || {
        let (sentence, detail) = failure_text(&text, i.lang());
        let detail = detail.map(|d| view! { " " <span class="mono">{d}</span> });
        if inline {
            view! { <span class=class>{sentence}{detail}</span> }.into_any()
        } else {
            view! { <div class=class>{sentence}{detail}</div> }.into_any()
        }
    }
}
