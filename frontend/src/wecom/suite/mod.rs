//! A WeCom third-party suite's 授权企业 (authorised corps) tab: the suite_ticket's health and
//! the instruction URL, the install link with its QR code ([`install`]), and the corps that
//! installed the suite with their apps and privileges ([`corps`]).

pub mod api;
pub mod corps;
pub mod install;
pub mod managed;
pub mod provider;

use ::api::accounts::AccountKind;
use ::api::wecom_suite::SuiteOverview;
use leptos::prelude::*;

use crate::accounts::section::{AccountSection, AccountTab};
use crate::components::{Badge, CopyButton, EmptyState, LoadingState, Tone, error_card};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// A suite's tab: `body` with the suite's id, or a notice for any other kind of account.
pub(crate) fn suite_tab(tab: AccountTab, body: fn(i64) -> AnyView) -> impl IntoView {
    view! {
        <AccountSection
            tab=tab
            render=move |account| {
                if account.kind == AccountKind::WorkSuite {
                    body(account.id)
                } else {
                    view! {
                        <div class="card">
                            <EmptyState title=K::SuNotSuite body=K::SuNotSuiteBody />
                        </div>
                    }
                        .into_any()
                }
            }
        />
    }
}

/// `/accounts/:id/corps`.
#[component]
pub fn SuiteCorpsPage() -> impl IntoView {
    suite_tab(AccountTab::SuiteCorps, |id| {
        view! { <SuiteView id=id /> }.into_any()
    })
}

#[component]
fn SuiteView(id: i64) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let overview = LocalResource::new(move || {
        reload.track();
        api::overview(id)
    });
    view! {
        <div class="wo-grid" data-testid="suite-page">
            {move || match overview.get() {
                None => view! { <section class="card"><LoadingState /></section> }.into_any(),
                Some(Err(e)) => error_card(e, overview),
                Some(Ok(o)) => view! { <Health o=o /> }.into_any(),
            }}
            <install::InstallCard id=id />
        </div>
        <corps::CorpsCard id=id reload=reload />
    }
}

#[component]
fn Health(o: SuiteOverview) -> impl IntoView {
    let i = use_i18n();
    let url = o.instruction_url.clone();
    let data_url = o.data_url.clone();
    let received = o.ticket_received_at.as_deref().map(util::format_time);
    let (tone, key) = if o.ticket_stale {
        (Tone::Red, K::SuTicketStale)
    } else {
        (Tone::Green, K::SuTicketFresh)
    };
    view! {
        <section class="card" data-testid="suite-health">
            <h2 class="section-title">{move || i.t(K::SuHealthTitle)}</h2>
            <dl class="kv">
                <div><dt>"SuiteID"</dt><dd class="mono">{o.suite_id.clone()}</dd></div>
                <div>
                    <dt>"suite_ticket"</dt>
                    <dd data-testid="suite-ticket" data-stale=o.ticket_stale.to_string()>
                        <Badge tone=tone text=key />
                        " "
                        <span class="muted small">{match received {
                            Some(t) => view! { <span>{move || fill(i.t(K::SuTicketAt), "at", &t)}</span> }.into_any(),
                            None => view! { <span>{move || i.t(K::SuTicketNever)}</span> }.into_any(),
                        }}</span>
                    </dd>
                </div>
                <div>
                    <dt>{move || i.t(K::SuCorpsCount)}</dt>
                    <dd>{move || fill(&fill(i.t(K::SuCorpsCounts), "active", &o.corps_active.to_string()), "revoked", &o.corps_revoked.to_string())}</dd>
                </div>
            </dl>
            <p class="muted small">{move || i.t(K::SuInstructionUrl)}</p>
            <div class="copy-line">
                <code class="copy-value" data-testid="suite-instruction-url">{url.clone()}</code>
                <CopyButton text=Signal::derive(move || url.clone()) testid="suite-copy-url" />
            </div>
            <p class="muted small">{move || i.t(K::SuDataUrl)}</p>
            <div class="copy-line">
                <code class="copy-value" data-testid="suite-data-url">{data_url.clone()}</code>
                <CopyButton text=Signal::derive(move || data_url.clone()) testid="suite-copy-data-url" />
            </div>
            <p class="muted small">{move || i.t(K::SuDataUrlHelp)}</p>
            {o.ticket_stale.then(|| view! { <p class="alert alert-error small">{move || i.t(K::SuTicketStaleHelp)}</p> })}
        </section>
    }
}
