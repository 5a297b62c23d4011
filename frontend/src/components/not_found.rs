//! "Not found": inside the shell for a missing item, and as a page of its own for unknown URLs.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{Brand, EmptyState, LangSwitch};
use crate::i18n::{K, use_i18n};

/// Shown inside the shell when an item does not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="card">
            <EmptyState title=K::NotFoundTitle body=K::NotFoundBody>
                <A href="/accounts" attr:class="btn">
                    {move || i.t(K::GoToAccounts)}
                </A>
            </EmptyState>
        </div>
    }
}

/// An unknown URL, outside the shell (works signed out too).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="standalone-page">
            <header class="standalone-top">
                <Brand />
                <div class="spacer"></div>
                <LangSwitch />
            </header>
            <main class="standalone-main">
                <div class="narrow-card">
                    <NotFound />
                </div>
            </main>
        </div>
    }
}
