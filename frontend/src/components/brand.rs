//! The logo mark and name, in the sidebar and on standalone pages.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// The logo mark and name.
#[component]
pub fn Brand() -> impl IntoView {
    let i = use_i18n();
    view! {
        <span class="brand">
            <span class="brand-mark" aria-hidden="true">"wx"</span>
            <span class="brand-text">
                <span class="brand-name">"wxportal"</span>
                <span class="brand-sub">{move || i.t(K::AppTagline)}</span>
            </span>
        </span>
    }
}
