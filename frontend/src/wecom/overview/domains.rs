//! The preflight's checklist of what WeCom's app settings need from the portal (可信域名 for the
//! app's web pages, JS-SDK and OAuth, the OAuth redirect domain, the callback URL and the
//! trusted IP), each value copyable, with the public URL's problems WeCom would refuse.

use ::api::wecom_overview::{DomainWarning, WebDomains};
use leptos::prelude::*;

use super::preflight::IpUnknown;
use crate::components::CopyButton;
use crate::i18n::{K, use_i18n};

fn warning_key(w: DomainWarning) -> K {
    match w {
        DomainWarning::IpAddress => K::WoDomainWarnIp,
        DomainWarning::NotPublic => K::WoDomainWarnNotPublic,
        DomainWarning::Port => K::WoDomainWarnPort,
        DomainWarning::NotHttps => K::WoDomainWarnHttp,
    }
}

/// One setting: where it is in WeCom's admin console, the value to copy, and a note.
fn item(where_key: K, value: String, note: Option<K>, testid: &'static str) -> impl IntoView {
    let i = use_i18n();
    let copy = value.clone();
    view! {
        <li class="wo-domain-item" data-testid=testid>
            <span class="small">{move || i.t(where_key)}</span>
            <div class="copy-line">
                <code class="copy-value" data-testid="wo-domain-value">{value}</code>
                <CopyButton text=Signal::derive(move || copy.clone()) testid="wo-domain-copy" />
            </div>
            {note.map(|k| view! { <p class="muted small">{move || i.t(k)}</p> })}
        </li>
    }
}

#[component]
pub fn DomainChecklist(
    #[prop(into)] web: Signal<Option<WebDomains>>,
    #[prop(into)] ip: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    move || {
        web.get().map(|w| {
            view! {
                <div class="wo-domains" data-testid="wo-domains">
                    <h3 class="wc-subhead">{move || i.t(K::WoDomainsTitle)}</h3>
                    {(!w.warnings.is_empty()).then(|| view! {
                        <div class="alert alert-warn small" role="status" data-testid="wo-domain-warnings">
                            <ul>
                                {w.warnings.iter().map(|x| {
                                    let k = warning_key(*x);
                                    view! { <li>{move || i.t(k)}</li> }
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                    <ol class="wo-domain-list">
                        {item(K::WoDomainTrusted, w.domain.clone(), Some(K::WoDomainTrustedNote), "wo-domain-trusted")}
                        {item(K::WoDomainOauth, w.domain.clone(), None, "wo-domain-oauth")}
                        {item(K::WoDomainCallback, w.callback_url.clone(), None, "wo-domain-callback")}
                        <li class="wo-domain-item" data-testid="wo-domain-ip">
                            <span class="small">{move || i.t(K::WoDomainIp)}</span>
                            {move || match ip.get() {
                                Some(ip) => {
                                    let copy = ip.clone();
                                    view! {
                                        <div class="copy-line">
                                            <code class="copy-value" data-testid="wo-domain-value">{ip}</code>
                                            <CopyButton text=Signal::derive(move || copy.clone()) testid="wo-domain-copy" />
                                        </div>
                                    }.into_any()
                                }
                                None => view! { <IpUnknown /> }.into_any(),
                            }}
                        </li>
                    </ol>
                </div>
            }
        })
    }
}
