//! `/login`.

use api::auth::LoginRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::session::{Gate, use_session};
use crate::api_client;
use crate::components::{Brand, LangSwitch, LoadingState, icons};
use crate::i18n::{K, use_i18n};
use crate::util;

/// Where to go after signing in: the `next` query parameter if it is a local path.
fn next_path(next: Option<String>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/login") => p,
        _ => "/accounts".to_string(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let i = use_i18n();
    let gate = Memo::new(move |_| session.gate());
    let query = use_query_map();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::LoginTitle))));

    move || match gate.get() {
        Gate::Loading => view! { <div class="page-center"><LoadingState /></div> }.into_any(),
        Gate::MustChangePassword => view! { <Redirect path="/password" /> }.into_any(),
        Gate::SignedIn => {
            let next = next_path(query.get_untracked().get("next"));
            view! { <Redirect path=next /> }.into_any()
        }
        Gate::SignedOut => view! { <LoginForm /> }.into_any(),
    }
}

#[component]
fn LoginForm() -> impl IntoView {
    let session = use_session();
    let i = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        if req.username.is_empty() || req.password.is_empty() {
            error.set(Some(i.now(K::LoginMissing).to_string()));
            return;
        }
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api_client::login(&req).await {
                Ok(me) => {
                    let must_change = me.must_change_password;
                    session.sign_in(me);
                    let next = if must_change {
                        "/password".to_string()
                    } else {
                        next_path(query.get_untracked().get("next"))
                    };
                    navigate(&next, NavigateOptions::default());
                }
                Err(e) => {
                    busy.set(false);
                    password.set(String::new());
                    error.set(Some(e.message(i.lang_now())));
                }
            }
        });
    };

    view! {
        <div class="login-page">
            <section class="login-hero">
                <Brand />
                <div class="login-hero-body">
                    <h1>{move || i.t(K::LoginHero)}</h1>
                    <ul class="login-points">
                        <li>{icons::link()}<span>{move || i.t(K::LoginHeroPoint1)}</span></li>
                        <li>{icons::flask()}<span>{move || i.t(K::LoginHeroPoint2)}</span></li>
                        <li>{icons::audit()}<span>{move || i.t(K::LoginHeroPoint3)}</span></li>
                    </ul>
                </div>
                <p class="login-hero-foot">{move || i.t(K::AppTagline)}</p>
            </section>
            <section class="login-main">
                <div class="login-top">
                    <span class="login-mobile-brand"><Brand /></span>
                    <LangSwitch />
                </div>
                <form class="login-card" on:submit=on_submit novalidate>
                    <h2>{move || i.t(K::LoginTitle)}</h2>
                    <p class="muted">{move || i.t(K::LoginSubtitle)}</p>
                    {move || {
                        error
                            .get()
                            .map(|msg| {
                                view! {
                                    <div class="alert alert-error" data-testid="login-error" role="alert">
                                        {icons::alert()}
                                        <span>{msg}</span>
                                    </div>
                                }
                            })
                    }}
                    <div class="field">
                        <label class="field-label" for="login-username">{move || i.t(K::Username)}</label>
                        <input
                            id="login-username"
                            class="input"
                            data-testid="login-username"
                            autocomplete="username"
                            autocapitalize="none"
                            spellcheck="false"
                            autofocus
                            prop:value=move || username.get()
                            on:input=move |ev| username.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label class="field-label" for="login-password">{move || i.t(K::Password)}</label>
                        <input
                            id="login-password"
                            class="input"
                            type="password"
                            data-testid="login-password"
                            autocomplete="current-password"
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                    </div>
                    <button
                        type="submit"
                        class="btn btn-primary btn-block btn-lg"
                        data-testid="login-submit"
                        disabled=move || busy.get()
                    >
                        {move || if busy.get() { i.t(K::LoggingIn) } else { i.t(K::LoginSubmit) }}
                    </button>
                </form>
            </section>
        </div>
    }
}
