//! The sign-out button in the top bar.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::{icons, use_toasts};
use crate::api_client;
use crate::auth::use_session;
use crate::i18n::{K, use_i18n};

/// Signs out and goes to the login page.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let on_click = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api_client::logout().await;
            session.sign_out();
            navigate("/login", NavigateOptions::default());
            toasts.info(i.now(K::LoggedOut));
        });
    };
    view! {
        <button
            type="button"
            class="btn btn-ghost logout"
            data-testid="logout"
            title=move || i.t(K::Logout)
            on:click=on_click
        >
            {icons::logout()}
            <span class="hide-sm">{move || i.t(K::Logout)}</span>
        </button>
    }
}
