//! The head of every console page: title (also the document title), subtitle, actions.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};
use crate::util;

/// A page header: title, subtitle and actions on the right.
#[component]
pub fn PageHeader(
    title: K,
    #[prop(optional)] subtitle: Option<K>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i = use_i18n();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(title))));
    view! {
        <div class="page-header">
            <div class="page-heading">
                <h1>{move || i.t(title)}</h1>
                {subtitle.map(|s| view! { <p class="muted">{move || i.t(s)}</p> })}
            </div>
            {children.map(|c| view! { <div class="page-actions">{c()}</div> })}
        </div>
    }
}
