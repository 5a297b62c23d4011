//! The preflight card (接入自检): runs the server's checks of both credentials against WeCom
//! and shows each with its outcome, WeCom's errcode and the fix in the staff member's
//! language; the outbound IP WeCom saw, or how to find it; and the checklist of WeCom's settings
//! the portal needs ([`super::domains`]: trusted domain, OAuth domain, callback URL, trusted IP).

use ::api::staff::Role;
use ::api::wecom_overview::{
    PreflightCheck, PreflightCheckKind as Kind, PreflightFix as Fix, PreflightReport,
    PreflightStatus as Status, WebDomains,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::domains::DomainChecklist;
use crate::auth::use_session;
use crate::components::{Badge, CopyButton, Tone, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn check_key(k: Kind) -> K {
    match k {
        Kind::AppToken => K::WoChkAppToken,
        Kind::TokenCache => K::WoChkTokenCache,
        Kind::AppAgent => K::WoChkAppAgent,
        Kind::AppRead => K::WoChkAppRead,
        Kind::ContactsToken => K::WoChkContactsToken,
        Kind::ContactsRead => K::WoChkContactsRead,
        Kind::LegacyListing => K::WoChkLegacyListing,
    }
}

fn fix_key(f: Fix) -> K {
    match f {
        Fix::WrongSecret => K::WoFixWrongSecret,
        Fix::WrongCorpId => K::WoFixWrongCorpId,
        Fix::UntrustedIp => K::WoFixUntrustedIp,
        Fix::ListApisClosed => K::WoFixListApisClosed,
        Fix::ContactsSecretNotForApps => K::WoFixContactsSecretNotForApps,
        Fix::VisibleRange => K::WoFixVisibleRange,
        Fix::TokenRefreshed => K::WoFixTokenRefreshed,
        Fix::NoContactsSecret => K::WoFixNoContactsSecret,
        Fix::ManagedCorpToken => K::WoFixManagedCorpToken,
        Fix::NoAgentId => K::WoFixNoAgentId,
        Fix::NoMemberToRead => K::WoFixNoMemberToRead,
        Fix::Unreachable => K::WoFixUnreachable,
        Fix::Other => K::WoFixOther,
    }
}

fn status_badge(s: Status) -> (Tone, K) {
    match s {
        Status::Ok => (Tone::Green, K::WoStatusOk),
        Status::Notice => (Tone::Blue, K::WoStatusNotice),
        Status::Failed => (Tone::Red, K::WoStatusFailed),
        Status::Skipped => (Tone::Neutral, K::WoStatusSkipped),
    }
}

fn status_str(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Notice => "notice",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
    }
}

#[component]
pub fn PreflightCard(id: i64, #[prop(into)] web: Signal<Option<WebDomains>>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_run = Memo::new(move |_| session.allows(Role::Operator));
    let report = RwSignal::new(None::<PreflightReport>);
    let running = RwSignal::new(false);
    let run = move |_| {
        running.set(true);
        spawn_local(async move {
            match api::preflight(id).await {
                Ok(r) => {
                    let _ = report.try_set(Some(r));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = running.try_set(false);
        });
    };
    view! {
        <section class="card wo-preflight" data-testid="wo-preflight">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WoPreflightTitle)}</h2>
                <Show when=move || can_run.get()>
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="wo-preflight-run"
                        disabled=move || running.get()
                        on:click=run
                    >
                        {icons::refresh()}
                        <span>{move || if running.get() { i.t(K::WoPreflightRunning) } else { i.t(K::WoPreflightRun) }}</span>
                    </button>
                </Show>
            </div>
            <p class="muted small">{move || i.t(K::WoPreflightIntro)}</p>
            <DomainChecklist web=web ip=Signal::derive(move || report.with(|r| r.as_ref().and_then(|r| r.outbound_ip.clone()))) />
            {move || report.get().map(|r| view! { <Report r=r /> })}
        </section>
    }
}

#[component]
fn Report(r: PreflightReport) -> impl IntoView {
    let i = use_i18n();
    let all_ok = r.all_ok();
    let ip = r.outbound_ip.clone();
    let checked_at = util::format_time(&r.checked_at);
    view! {
        <div class="wo-report" data-testid="wo-preflight-report" data-ok=all_ok.to_string()>
            <p class="small" data-testid="wo-preflight-summary">
                {if all_ok {
                    view! { <Badge tone=Tone::Green text=K::WoPreflightAllOk /> }.into_any()
                } else {
                    view! { <Badge tone=Tone::Red text=K::WoPreflightProblems /> }.into_any()
                }}
                " "
                <span class="muted">{move || fill(i.t(K::WoCheckedAt), "at", &checked_at)}</span>
            </p>
            <div class="wo-ip" data-testid="wo-outbound-ip">
                {match ip {
                    Some(ip) => {
                        let copy = ip.clone();
                        view! {
                            <p class="small">{move || i.t(K::WoIpSeen)}</p>
                            <div class="copy-line">
                                <code class="copy-value">{ip}</code>
                                <CopyButton text=Signal::derive(move || copy.clone()) testid="wo-copy-ip" />
                            </div>
                        }
                            .into_any()
                    }
                    None => ().into_any(),
                }}
            </div>
            <ul class="wo-checks">
                {r.checks.into_iter().map(|c| view! { <CheckRow c=c /> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn CheckRow(c: PreflightCheck) -> impl IntoView {
    let i = use_i18n();
    let (tone, label) = status_badge(c.status);
    let name = check_key(c.check);
    let fix = c.fix.map(fix_key);
    let code = c.errcode;
    let detail = c.detail.clone();
    let testid = format!(
        "wo-check-{}",
        serde_json::to_value(c.check)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    view! {
        <li class="wo-check" data-testid=testid data-status=status_str(c.status) data-errcode=code.map(|c| c.to_string())>
            <div class="wo-check-head">
                <Badge tone=tone text=label />
                <span class="wo-check-name">{move || i.t(name)}</span>
                {code.map(|n| view! { <span class="mono small muted">{format!("errcode {n}")}</span> })}
            </div>
            {fix.map(|k| view! { <p class="small wo-fix" data-testid="wo-fix">{move || i.t(k)}</p> })}
            {(code.is_some() && !detail.is_empty()).then(|| view! {
                <details class="small">
                    <summary>{move || i.t(K::WoWechatAnswer)}</summary>
                    <p class="muted mono wo-diagnosis" lang="en">{detail}</p>
                </details>
            })}
        </li>
    }
}

/// How to find the outbound IP when WeCom has not named it; the shell command is shown as code,
/// so it reads (and copies) the same in every language.
#[component]
pub(super) fn IpUnknown() -> impl IntoView {
    let i = use_i18n();
    move || {
        let text = i.t(K::WoIpUnknown);
        let (before, after) = text.split_once("{cmd}").unwrap_or((text, ""));
        view! {
            <p class="small">
                {before}
                <code>"curl https://ifconfig.me"</code>
                {after}
            </p>
        }
    }
}
