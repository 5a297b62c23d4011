//! A suite's 服务商登录 (provider login) tab: the URLs to paste into WeCom's provider console
//! (login redirect and 业务设置URL), the scan-login link, the provider check (a 60020 explained
//! with the IP WeCom saw and where to whitelist it), and who logged in from which corp.

use ::api::staff::Role;
use ::api::wecom_suite_provider::{
    ProviderCheck, ProviderCheckKind, ProviderFix, ProviderLogin, ProviderLoginState, ProviderView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::accounts::section::AccountTab;
use crate::auth::use_session;
use crate::components::{
    Badge, CopyButton, EmptyState, LoadingState, Tone, error_card, icons, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// `/accounts/:id/provider`.
#[component]
pub fn SuiteProviderPage() -> impl IntoView {
    super::suite_tab(AccountTab::SuiteProvider, |id| {
        view! { <ProviderBody id=id /> }.into_any()
    })
}

#[component]
fn ProviderBody(id: i64) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        api::provider(id)
    });
    view! {
        {move || match data.get() {
            None => view! { <section class="card"><LoadingState /></section> }.into_any(),
            Some(Err(e)) => error_card(e, data),
            Some(Ok(v)) => {
                let logins = v.logins.clone();
                view! {
                    <div class="wo-grid" data-testid="provider-page">
                        <Urls v=v />
                        <CheckCard id=id />
                    </div>
                    <Logins logins=logins reload=reload />
                }.into_any()
            }
        }}
    }
}

#[component]
fn Urls(v: ProviderView) -> impl IntoView {
    let i = use_i18n();
    let redirect = v.login_redirect_url.clone();
    let r2 = redirect.clone();
    view! {
        <section class="card" data-testid="provider-urls">
            <h2 class="section-title">{move || i.t(K::SpUrlsTitle)}</h2>
            <dl class="kv">
                <div>
                    <dt>{move || i.t(K::SpProviderCorpId)}</dt>
                    <dd class="mono">{v.provider_corp_id.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
            </dl>
            {(!v.configured).then(|| view! {
                <p class="alert alert-error small" data-testid="provider-not-configured">{move || i.t(K::SpNotConfigured)}</p>
            })}
            <p class="muted small">{move || i.t(K::SpLoginUrlHelp)}</p>
            <div class="copy-line">
                <code class="copy-value" data-testid="provider-login-url">{redirect.clone()}</code>
                <CopyButton text=Signal::derive(move || r2.clone()) testid="provider-copy-login-url" />
            </div>
            {v.scan_login_url.clone().map(|u| {
                let u2 = u.clone();
                view! {
                    <p class="muted small">{move || i.t(K::SpScanUrlHelp)}</p>
                    <div class="copy-line">
                        <a class="copy-value" href=u.clone() target="_blank" rel="noopener" data-testid="provider-scan-url">{u.clone()}</a>
                        <CopyButton text=Signal::derive(move || u2.clone()) testid="provider-copy-scan-url" />
                    </div>
                }
            })}
        </section>
    }
}

fn fix_key(f: ProviderFix) -> K {
    match f {
        ProviderFix::ProviderIp => K::SpFixProviderIp,
        ProviderFix::SuiteIp => K::SpFixSuiteIp,
        ProviderFix::NotConfigured => K::SpNotConfigured,
        ProviderFix::WrongSecret => K::SpFixWrongSecret,
        ProviderFix::NoTicket => K::SpFixNoTicket,
        ProviderFix::Unreachable => K::SpFixUnreachable,
        ProviderFix::Other => K::SpFixOther,
    }
}

#[component]
fn CheckCard(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let report = RwSignal::new(None::<ProviderCheck>);
    let run = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::provider_check(id).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" data-testid="provider-check">
            <h2 class="section-title">{move || i.t(K::SpCheckTitle)}</h2>
            <p class="muted small">{move || i.t(K::SpCheckIntro)}</p>
            <Show when=move || session.allows(Role::Operator)>
                <button type="button" class="btn" data-testid="provider-check-run"
                    disabled=move || busy.get() on:click=run>
                    {icons::refresh()}
                    <span>{move || i.t(K::SpCheckRun)}</span>
                </button>
            </Show>
            {move || report.get().map(|r| {
                let ip = r.outbound_ip.clone();
                view! {
                    <ul class="plain-list" data-testid="provider-check-result">
                        {r.checks.into_iter().map(|c| {
                            let name = match c.check {
                                ProviderCheckKind::ProviderToken => K::SpCheckProviderToken,
                                ProviderCheckKind::SuiteToken => K::SpCheckSuiteToken,
                            };
                            let (tone, st) = if c.ok { (Tone::Green, K::SpOk) } else { (Tone::Red, K::SpFailed) };
                            let code = c.errcode.map(|n| format!(" ({n})")).unwrap_or_default();
                            view! {
                                <li data-testid="provider-check-item" data-ok=c.ok.to_string()>
                                    <Badge tone=tone text=st />
                                    " "<strong>{move || i.t(name)}</strong>{code}
                                    {c.fix.map(|f| view! { <p class="small">{move || i.t(fix_key(f))}</p> })}
                                    {(!c.detail.is_empty()).then(|| view! { <p class="muted small mono">{c.detail.clone()}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {ip.map(|ip| view! {
                        <p class="alert small" data-testid="provider-outbound-ip">{move || fill(i.t(K::SpOutboundIp), "ip", &ip)}</p>
                    })}
                }
            })}
        </section>
    }
}

#[component]
fn Logins(logins: Vec<ProviderLogin>, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let empty = logins.is_empty();
    view! {
        <section class="card" data-testid="provider-logins">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::SpLoginsTitle)}</h2>
                <button type="button" class="btn btn-small" data-testid="provider-logins-reload"
                    on:click=move |_| reload.update(|n| *n += 1)>
                    {icons::refresh()}
                    <span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {if empty {
                view! { <EmptyState title=K::SpLoginsEmpty body=K::SpLoginsEmptyBody testid="provider-logins-empty" /> }.into_any()
            } else {
                view! {
                    <table class="table table-cards">
                        <thead><tr>
                            <th>{move || i.t(K::SpColWho)}</th>
                            <th>{move || i.t(K::SuColCorp)}</th>
                            <th>{move || i.t(K::SpColRole)}</th>
                            <th>{move || i.t(K::SpColAgents)}</th>
                            <th>{move || i.t(K::SpColAt)}</th>
                        </tr></thead>
                        <tbody>
                            {logins.into_iter().map(|l| view! { <LoginRow l=l /> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

fn usertype_key(t: Option<i64>) -> K {
    match t {
        Some(1) => K::SpUserCreator,
        Some(2) => K::SpUserInnerAdmin,
        Some(3) => K::SpUserOuterAdmin,
        Some(4) => K::SpUserPartialAdmin,
        Some(5) => K::SpUserMember,
        _ => K::SpUserUnknown,
    }
}

#[component]
fn LoginRow(l: ProviderLogin) -> impl IntoView {
    let i = use_i18n();
    let at = util::format_time(&l.at);
    let ok = l.state == ProviderLoginState::Ok;
    let role = usertype_key(l.usertype);
    let agents = if l.agents.is_empty() {
        "—".to_string()
    } else {
        l.agents
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let failure = (!ok).then(|| {
        let code = l.errcode;
        let fix = match code {
            Some(60020) => Some(K::SpFixProviderIp),
            Some(40029) => Some(K::SpLoginCodeInvalid),
            _ => None,
        };
        let ip = l.outbound_ip.clone();
        view! {
            <div class="small" data-testid="provider-login-failure">
                <Badge tone=Tone::Red text=K::SpFailed />
                {code.map(|c| format!(" errcode {c}"))}
                {fix.map(|k| view! { <p class="small">{move || i.t(k)}</p> })}
                {ip.map(|ip| view! { <p class="small">{move || fill(i.t(K::SpOutboundIp), "ip", &ip)}</p> })}
            </div>
        }
    });
    view! {
        <tr data-testid="provider-login" data-state={if ok { "ok" } else { "failed" }} data-userid=l.userid.clone().unwrap_or_default()>
            <td data-label=move || i.t(K::SpColWho)>
                {l.name.clone().map(|n| view! { <div class="row-title" data-user-content>{n}</div> })}
                {l.userid.clone().map(|u| view! { <div class="mono small muted">{u}</div> })}
                {failure}
            </td>
            <td data-label=move || i.t(K::SuColCorp)>
                {l.corp_name.clone().map(|n| view! { <div data-user-content>{n}</div> })}
                {l.corpid.clone().map(|c| view! { <div class="mono small muted">{c}</div> })}
                {l.corp_revoked.then(|| view! { <Badge tone=Tone::Neutral text=K::SuStateRevoked /> })}
                {(ok && l.corp_name.is_none()).then(|| view! { <div class="muted small">{move || i.t(K::SpCorpNotInstalled)}</div> })}
            </td>
            <td data-label=move || i.t(K::SpColRole)>{move || if ok { i.t(role).to_string() } else { "—".to_string() }}</td>
            <td class="mono" data-label=move || i.t(K::SpColAgents)>{agents}</td>
            <td class="nowrap" data-label=move || i.t(K::SpColAt)>{at}</td>
        </tr>
    }
}
