//! `/password`: change one's own password; forced while `must_change_password`.

use api::auth::ChangePasswordRequest;
use api::password_strength::password_strength;
use api::validate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_navigate;

use super::session::{Gate, use_session};
use crate::api_client;
use crate::components::{
    Brand, FieldRow, LangSwitch, LoadingState, LogoutButton, icons, use_toasts,
};
use crate::i18n::{K, use_i18n};
use crate::util;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let session = use_session();
    let gate = Memo::new(move |_| session.gate());
    move || match gate.get() {
        Gate::Loading => view! { <div class="page-center"><LoadingState /></div> }.into_any(),
        Gate::SignedOut => view! { <Redirect path="/login" /> }.into_any(),
        Gate::MustChangePassword => view! { <PasswordForm forced=true /> }.into_any(),
        Gate::SignedIn => view! { <PasswordForm forced=false /> }.into_any(),
    }
}

#[component]
pub fn StrengthMeter(#[prop(into)] password: Signal<String>) -> impl IntoView {
    let i = use_i18n();
    let level = Memo::new(move |_| password.with(|p| password_strength(p)));
    view! {
        <div class="strength" class:hidden=move || level.get() == 0 data-level=move || level.get()>
            <div class="strength-bar">
                <span></span>
                <span></span>
                <span></span>
            </div>
            <span class="strength-label">
                {move || i.t(K::PwStrength)}
                ": "
                {move || match level.get() {
                    3 => i.t(K::PwStrengthStrong),
                    2 => i.t(K::PwStrengthFair),
                    _ => i.t(K::PwStrengthWeak),
                }}
            </span>
        </div>
    }
}

#[component]
fn PasswordForm(forced: bool) -> impl IntoView {
    let session = use_session();
    let i = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::PwTitle))));

    let current = RwSignal::new(String::new());
    let new_pw = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let touched_new = RwSignal::new(false);
    let touched_confirm = RwSignal::new(false);
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form_error = RwSignal::new(None::<String>);
    let server_current = RwSignal::new(None::<String>);
    let server_new = RwSignal::new(None::<String>);

    let current_error = Signal::derive(move || {
        if let Some(e) = server_current.get() {
            return Some(e);
        }
        (submitted.get() && current.with(|c| c.is_empty()))
            .then(|| api::validate::Rule::Required.message(i.lang()))
    });
    let new_error = Signal::derive(move || {
        if let Some(e) = server_new.get() {
            return Some(e);
        }
        if !(touched_new.get() || submitted.get()) {
            return None;
        }
        let pw = new_pw.get();
        if let Err(rule) = validate::password(&pw, &session.username()) {
            return Some(rule.message(i.lang()));
        }
        (!pw.is_empty() && pw == current.get()).then(|| i.t(K::PwSameAsCurrent).to_string())
    });
    let confirm_error = Signal::derive(move || {
        if !(touched_confirm.get() || submitted.get()) {
            return None;
        }
        let c = confirm.get();
        if c.is_empty() {
            return Some(api::validate::Rule::Required.message(i.lang()));
        }
        (c != new_pw.get()).then(|| i.t(K::PwMismatch).to_string())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        submitted.set(true);
        server_current.set(None);
        server_new.set(None);
        if current_error.get_untracked().is_some()
            || new_error.get_untracked().is_some()
            || confirm_error.get_untracked().is_some()
        {
            // The inline messages say what is wrong; take the user to the first one.
            form_error.set(None);
            util::focus_first_error();
            return;
        }
        form_error.set(None);
        busy.set(true);
        let req = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new_pw.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api_client::change_password(&req).await {
                Ok(()) => {
                    toasts.success(i.now(K::PwChanged));
                    match api_client::session().await {
                        Ok(Some(me)) => {
                            session.sign_in(me);
                            navigate("/accounts", NavigateOptions::default());
                        }
                        Ok(None) | Err(_) => {
                            session.sign_out();
                            navigate("/login", NavigateOptions::default());
                        }
                    }
                }
                Err(e) => {
                    busy.set(false);
                    let lang = i.lang_now();
                    match e.code() {
                        "invalid_credentials" | "wrong_password" => {
                            server_current.set(Some(i.now(K::PwWrongCurrent).to_string()));
                        }
                        _ => {
                            for (field, msg) in e.field_messages(lang) {
                                match field.as_str() {
                                    "current_password" => server_current.set(Some(msg)),
                                    _ => server_new.set(Some(msg)),
                                }
                            }
                            if e.fields().is_empty() {
                                form_error.set(Some(e.message(lang)));
                            }
                        }
                    }
                }
            }
        });
    };

    view! {
        <div class="standalone-page">
            <header class="standalone-top">
                <Brand />
                <div class="spacer"></div>
                <LangSwitch />
                {forced.then(|| view! { <LogoutButton /> })}
            </header>
            <main class="standalone-main">
                <form class="card narrow-card" on:submit=on_submit novalidate>
                    {(!forced)
                        .then(|| {
                            view! {
                                <A href="/accounts" attr:class="back-link">
                                    {icons::back()}
                                    <span>{move || i.t(K::Back)}</span>
                                </A>
                            }
                        })}
                    <div class="card-icon">{icons::lock()}</div>
                    <h1 class="card-title">
                        {move || if forced { i.t(K::PwForcedTitle) } else { i.t(K::PwTitle) }}
                    </h1>
                    {forced
                        .then(|| {
                            view! {
                                <div class="alert alert-warn">
                                    {icons::info()}
                                    <span>{move || i.t(K::PwForcedNotice)}</span>
                                </div>
                            }
                        })}
                    {move || {
                        form_error
                            .get()
                            .map(|msg| {
                                view! {
                                    <div class="alert alert-error" data-testid="pw-error" role="alert">
                                        {icons::alert()}
                                        <span>{msg}</span>
                                    </div>
                                }
                            })
                    }}
                    <input type="text" class="visually-hidden" autocomplete="username" prop:value=move || session.username() tabindex="-1" aria-hidden="true" readonly />
                    <FieldRow name="current_password" label=K::PwCurrent required=true error=current_error>
                        <input
                            id="f-current_password"
                            class="input"
                            type="password"
                            data-testid="pw-current"
                            autocomplete="current-password"
                            prop:value=move || current.get()
                            on:input=move |ev| {
                                server_current.set(None);
                                current.set(event_target_value(&ev));
                            }
                        />
                    </FieldRow>
                    <FieldRow
                        name="new_password"
                        label=K::PwNew
                        required=true
                        error=new_error
                        help=Signal::derive(move || i.t(K::PwPolicy).to_string())
                    >
                        <input
                            id="f-new_password"
                            class="input"
                            type="password"
                            data-testid="pw-new"
                            autocomplete="new-password"
                            prop:value=move || new_pw.get()
                            on:input=move |ev| {
                                server_new.set(None);
                                new_pw.set(event_target_value(&ev));
                            }
                            on:blur=move |_| touched_new.set(true)
                        />
                        <StrengthMeter password=new_pw />
                    </FieldRow>
                    <FieldRow name="confirm" label=K::PwConfirm required=true error=confirm_error>
                        <input
                            id="f-confirm"
                            class="input"
                            type="password"
                            data-testid="pw-confirm"
                            autocomplete="new-password"
                            prop:value=move || confirm.get()
                            on:input=move |ev| confirm.set(event_target_value(&ev))
                            on:blur=move |_| touched_confirm.set(true)
                        />
                    </FieldRow>
                    <button
                        type="submit"
                        class="btn btn-primary btn-block btn-lg"
                        data-testid="pw-submit"
                        disabled=move || busy.get()
                    >
                        {move || if busy.get() { i.t(K::Saving) } else { i.t(K::PwSubmit) }}
                    </button>
                </form>
            </main>
        </div>
    }
}
