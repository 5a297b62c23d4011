//! The 中文 / English toggle in the top bar and on standalone pages.

use api::Lang;
use api::auth::UpdateMeRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{icons, use_toasts};
use crate::api_client;
use crate::auth::use_session;
use crate::i18n::{K, use_i18n};
use crate::util;

/// Toggles 中文 / English; its label names the other language. Remembered per user.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let on_click = move |_| {
        let next = match i.lang_now() {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        };
        i.0.set(next);
        util::store_lang(next);
        let signed_in = session
            .me
            .with_untracked(|me| me.as_ref().is_some_and(|m| !m.must_change_password));
        if signed_in {
            spawn_local(async move {
                match api_client::update_me(&UpdateMeRequest { lang: next }).await {
                    Ok(me) => {
                        if i.lang_now() == me.lang {
                            session.me.set(Some(me));
                        }
                    }
                    Err(e) => toasts.error(e.message(i.lang_now())),
                }
            });
        }
    };
    view! {
        <button
            type="button"
            class="btn btn-ghost lang-switch"
            data-testid="lang-switch"
            title=move || i.t(K::SwitchLanguageTitle)
            on:click=on_click
        >
            {icons::globe()}
            <span>{move || i.t(K::OtherLanguage)}</span>
        </button>
    }
}
