//! A copy-to-clipboard button that says 已复制 for a moment.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::icons;
use super::toast::use_toasts;
use crate::i18n::{K, use_i18n};
use crate::util;

#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            if util::copy_text(value).await {
                copied.set(true);
                set_timeout(
                    move || {
                        let _ = copied.try_set(false);
                    },
                    Duration::from_millis(1800),
                );
            } else {
                toasts.error(i.now(K::CopyFailed));
            }
        });
    };
    let testid = (!testid.is_empty()).then_some(testid);
    view! {
        <button
            type="button"
            class="btn btn-sm btn-copy"
            class:copied=move || copied.get()
            data-testid=testid
            on:click=on_click
        >
            {move || if copied.get() { icons::check().into_any() } else { icons::copy().into_any() }}
            <span>{move || if copied.get() { i.t(K::Copied) } else { i.t(K::Copy) }}</span>
        </button>
    }
}
