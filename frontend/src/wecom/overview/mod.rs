//! A WeCom app at a glance, on its first tab (概览): the contacts mirror's counts, the last
//! contacts sync and nightly check, callback health over 24 hours, the newest sends, and the preflight
//! ([`preflight`]) that checks both credentials against WeCom.

pub mod api;
pub mod domains;
pub mod preflight;

use ::api::wecom_contacts::{ContactSyncJob, ContactSyncStatus, DriftRun, DriftRunState};
use ::api::wecom_overview::WecomOverview;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::accounts::section::AccountTab;
use crate::components::{Badge, LoadingState, Tone, error_card};
use crate::i18n::{K, fill, use_i18n};
use crate::util;
use crate::wecom::messages::{state_key, type_key};

fn sync_badge(status: ContactSyncStatus) -> (Tone, K) {
    match status {
        ContactSyncStatus::Running => (Tone::Blue, K::WcSyncRunning),
        ContactSyncStatus::Succeeded => (Tone::Green, K::WcSyncSucceeded),
        ContactSyncStatus::Partial => (Tone::Orange, K::WcSyncPartial),
        ContactSyncStatus::Failed => (Tone::Red, K::WcSyncFailed),
    }
}

/// The overview cards of WeCom app `id` (above the account's settings).
#[component]
pub fn WecomOverviewPanel(id: i64) -> impl IntoView {
    let data = LocalResource::new(move || api::overview(id));
    view! {
        <div class="wo-panel" data-testid="wecom-overview">
            {move || match data.get() {
                None => view! { <div class="card"><LoadingState /></div> }.into_any(),
                Some(Err(e)) => error_card(e, data),
                Some(Ok(o)) => view! { <OverviewCards id=id o=o /> }.into_any(),
            }}
            <preflight::PreflightCard id=id web=Signal::derive(move || data.get().and_then(|r| r.ok()).map(|o| o.web)) />
        </div>
    }
}

#[component]
fn OverviewCards(id: i64, o: WecomOverview) -> impl IntoView {
    let i = use_i18n();
    let counts = o.counts.clone();
    let stat = move |n: u64, label: K, testid: &'static str| {
        view! {
            <div class="wo-stat" data-testid=testid>
                <b>{n}</b>
                <span class="muted small">{move || i.t(label)}</span>
            </div>
        }
    };
    view! {
        <div class="wo-grid">
            <section class="card" data-testid="wo-contacts">
                <div class="card-head">
                    <h2 class="section-title">{move || i.t(K::WoContactsTitle)}</h2>
                    <A href=AccountTab::Contacts.href(id) attr:class="btn btn-small">{move || i.t(K::WoOpenContacts)}</A>
                </div>
                <div class="wo-stats">
                    {stat(counts.departments, K::WoDepartments, "wo-count-departments")}
                    {stat(counts.members, K::WoMembers, "wo-count-members")}
                    {stat(counts.tags, K::WoTags, "wo-count-tags")}
                </div>
                <LastSync job=o.last_sync.clone() />
                <LastReconcile run=o.last_reconcile.clone() />
                {if o.managed_corp {
                    view! { <p class="alert alert-info small" data-testid="wo-managed-contacts">{move || i.t(K::SuManagedContacts)}</p> }.into_any()
                } else {
                    (!o.has_contacts_secret).then(|| view! {
                        <p class="alert alert-info small">{move || i.t(K::WcNoContactsSecret)}</p>
                    }).into_any()
                }}
            </section>
            <CallbackCard id=id o=o.clone() />
            <RecentSends id=id o=o />
        </div>
    }
}

#[component]
fn LastSync(job: Option<ContactSyncJob>) -> impl IntoView {
    let i = use_i18n();
    match job {
        None => view! { <p class="muted small" data-testid="wo-sync-never">{move || i.t(K::WoSyncNever)}</p> }.into_any(),
        Some(j) => {
            let (tone, label) = sync_badge(j.status);
            let at = util::format_time(j.finished_at.as_deref().unwrap_or(&j.started_at));
            let (d, m, t) = (j.departments, j.members_done, j.tags);
            let line = move || {
                let s = fill(i.t(K::WoSyncCounts), "d", &d.to_string());
                fill(&fill(&s, "m", &m.to_string()), "t", &t.to_string())
            };
            let failed = j.failed;
            view! {
                <div class="wo-sync" data-testid="wo-sync">
                    <span class="muted small">{move || i.t(K::WoLastSync)}</span>
                    <span data-testid="wo-sync-status" data-status=format!("{:?}", j.status).to_lowercase()>
                        <Badge tone=tone text=label />
                    </span>
                    <span class="small">{at}</span>
                    <span class="small muted">{line}</span>
                    {(failed > 0).then(|| view! {
                        <span class="small text-danger">{move || fill(i.t(K::WcSyncFailedItems), "n", &failed.to_string())}</span>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

/// "夜间核对 · time · N 处差异" (or never run / failed).
#[component]
fn LastReconcile(run: Option<DriftRun>) -> impl IntoView {
    let i = use_i18n();
    match run {
        None => view! {
            <p class="muted small" data-testid="wo-reconcile-never">
                {move || i.t(K::WoReconcileNeverLine)}
            </p>
        }
        .into_any(),
        Some(r) => {
            let at = util::format_time(r.finished_at.as_deref().unwrap_or(&r.started_at));
            let n = r.differences;
            let (tone, label) = match r.state {
                DriftRunState::Running => (Tone::Blue, K::WoReconcileRunning),
                DriftRunState::Failed => (Tone::Red, K::WoReconcileFailed),
                DriftRunState::Done if n == 0 => (Tone::Green, K::WoReconcileClean),
                DriftRunState::Done if n == 1 => (Tone::Orange, K::WoReconcileDiff1),
                DriftRunState::Done => (Tone::Orange, K::WoReconcileDiffs),
            };
            view! {
                <div class="wo-sync" data-testid="wo-reconcile" data-state=r.state.as_str() data-count=n.to_string()>
                    <span class="muted small">{move || i.t(K::WoReconcile)}</span>
                    <span class="small">{at}</span>
                    <span data-testid="wo-reconcile-result">
                        <span class=tone.class()>{move || fill(i.t(label), "n", &n.to_string())}</span>
                    </span>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn CallbackCard(id: i64, o: WecomOverview) -> impl IntoView {
    let i = use_i18n();
    let cb = o.callbacks;
    let healthy = cb.failures_24h == 0;
    let (tone, label) = match (cb.last_inbound_at.is_some(), healthy) {
        (_, false) => (Tone::Red, K::WoCallbacksFailing),
        (true, true) => (Tone::Green, K::WoCallbacksHealthy),
        (false, true) => (Tone::Neutral, K::WoCallbacksNone),
    };
    let last = cb.last_inbound_at.as_deref().map(util::format_time);
    view! {
        <section class="card" data-testid="wo-callbacks">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WoCallbacksTitle)}</h2>
                <span data-testid="wo-callback-health"><Badge tone=tone text=label /></span>
            </div>
            <dl class="kvs">
                <div class="kv">
                    <dt>{move || i.t(K::WoLastInbound)}</dt>
                    <dd data-testid="wo-last-inbound">{match last {
                        Some(t) => view! { <span>{t}</span> }.into_any(),
                        None => view! { <span class="muted">{move || i.t(K::WoNever)}</span> }.into_any(),
                    }}</dd>
                </div>
                <div class="kv">
                    <dt>{move || i.t(K::WoDeliveries24h)}</dt>
                    <dd data-testid="wo-deliveries">{cb.deliveries_24h}</dd>
                </div>
                <div class="kv">
                    <dt>{move || i.t(K::WoFailures24h)}</dt>
                    <dd data-testid="wo-failures" class:text-danger=!healthy>{cb.failures_24h}</dd>
                </div>
                {cb.last_failure_at.map(|at| {
                    let diagnosis = cb.last_failure_diagnosis.clone().unwrap_or_default();
                    view! {
                        <div class="kv">
                            <dt>{move || i.t(K::WoLastFailure)}</dt>
                            <dd>
                                <span>{util::format_time(&at)}</span>
                                <details class="small">
                                    <summary>{move || i.t(K::WoDiagnosis)}</summary>
                                    <p class="muted mono wo-diagnosis" lang="en">{diagnosis}</p>
                                </details>
                            </dd>
                        </div>
                    }
                })}
            </dl>
            <A href=AccountTab::Inspector.href(id) attr:class="btn btn-small">{move || i.t(K::WoOpenInspector)}</A>
        </section>
    }
}

#[component]
fn RecentSends(id: i64, o: WecomOverview) -> impl IntoView {
    let i = use_i18n();
    let sends = o.recent_sends;
    let empty = sends.is_empty();
    view! {
        <section class="card" data-testid="wo-sends">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WoRecentSends)}</h2>
                <A href=AccountTab::WecomSend.href(id) attr:class="btn btn-small">{move || i.t(K::WoOpenSend)}</A>
            </div>
            {empty.then(|| view! { <p class="muted small">{move || i.t(K::WoNoSends)}</p> })}
            <ul class="wo-sends">
                {sends
                    .into_iter()
                    .map(|s| {
                        let (k, tone) = state_key(s.state);
                        let kind = type_key(&s.msgtype);
                        view! {
                            <li data-testid="wo-send" data-state=s.state.as_str()>
                                <span class="badge">{move || i.t(kind)}</span>
                                <span class="wo-send-summary">{s.summary.clone()}</span>
                                <Badge tone=tone text=k />
                                <span class="muted small">{util::format_time(&s.created_at)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
