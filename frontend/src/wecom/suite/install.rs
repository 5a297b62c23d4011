//! The install link (服务商辅助授权): a pre-auth code good for 20 minutes, shown as a link to copy
//! and a QR code for the corp's admin to scan; a test authorisation for an app not yet on sale.

use ::api::staff::Role;
use ::api::wecom_suite::InstallLink;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::auth::use_session;
use crate::components::{CopyButton, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn InstallCard(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can = Memo::new(move |_| session.allows(Role::Operator));
    let test = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let link = RwSignal::new(None::<InstallLink>);
    let make = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::install_link(id, test.get_untracked()).await {
                Ok(l) => link.set(Some(l)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" data-testid="suite-install">
            <h2 class="section-title">{move || i.t(K::SuInstallTitle)}</h2>
            <p class="muted small">{move || i.t(K::SuInstallIntro)}</p>
            <Show when=move || can.get() fallback=move || view! { <p class="muted small">{move || i.t(K::SuInstallOperatorsOnly)}</p> }>
                <label class="check">
                    <input type="checkbox" data-testid="suite-install-test"
                        prop:checked=move || test.get()
                        on:change=move |ev| test.set(event_target_checked(&ev)) />
                    <span>{move || i.t(K::SuInstallTest)}</span>
                </label>
                <div class="suite-actions">
                    <button type="button" class="btn btn-primary" data-testid="suite-install-create"
                        disabled=move || busy.get() on:click=make>
                        {icons::plus()}
                        <span>{move || if link.with(Option::is_some) { i.t(K::SuInstallRenew) } else { i.t(K::SuInstallCreate) }}</span>
                    </button>
                </div>
            </Show>
            {move || link.get().map(|l| {
                let url = l.url.clone();
                let until = util::format_time(&l.expires_at);
                view! {
                    <div class="suite-link" data-testid="suite-install-link">
                        <div class="suite-qr" aria-label=move || i.t(K::SuInstallQr) role="img" inner_html=l.qr_svg.clone()></div>
                        <div class="copy-line">
                            <code class="copy-value" data-testid="suite-install-url">{url.clone()}</code>
                            <CopyButton text=Signal::derive(move || url.clone()) testid="suite-copy-install" />
                        </div>
                        <p class="muted small">{move || fill(i.t(K::SuInstallUntil), "at", &until)}</p>
                        {l.test.then(|| view! { <p class="muted small">{move || i.t(K::SuInstallIsTest)}</p> })}
                    </div>
                }
            })}
        </section>
    }
}
