//! The card shown inside the shell to roles that cannot open a page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::EmptyState;
use crate::i18n::{K, use_i18n};

/// Shown inside the shell to roles that cannot open a page.
#[component]
pub fn NoPermission() -> impl IntoView {
    view! {
        <div class="card">
            <EmptyState title=K::NoPermissionTitle body=K::NoPermissionBody locked=true>
                <A href="/accounts" attr:class="btn">
                    {move || use_i18n().t(K::GoToAccounts)}
                </A>
            </EmptyState>
        </div>
    }
}
