//! The sync card: start or resume a full contacts sync, its progress bar (polled every second
//! while it runs, also for staff who open the page meanwhile), the mirror's counts and the
//! items WeCom would not give, each with its reason.

use std::time::Duration;

use api::wecom_contacts::{ContactSyncState, ContactSyncStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{api as capi, reason_text, use_contacts};
use crate::components::{Badge, Tone, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn phase_key(phase: &str) -> K {
    match phase {
        "departments" => K::WcPhaseDepartments,
        "members" => K::WcPhaseMembers,
        "details" => K::WcPhaseDetails,
        "tags" => K::WcPhaseTags,
        _ => K::WcPhaseDone,
    }
}

fn failure_kind_key(kind: &str) -> K {
    match kind {
        "department" => K::WcKindDepartment,
        "tag" => K::WcKindTag,
        _ => K::WcKindMember,
    }
}

fn running(s: &ContactSyncState) -> bool {
    s.job
        .as_ref()
        .is_some_and(|j| j.status == ContactSyncStatus::Running)
}

/// Loads the state; while a sync runs, again every second (until the page is left).
fn poll(id: i64, state: RwSignal<Option<ContactSyncState>>, on_done: Callback<()>) {
    spawn_local(async move {
        let Ok(s) = capi::sync_state(id).await else {
            return;
        };
        let was_running = state
            .try_get_untracked()
            .flatten()
            .is_some_and(|s| running(&s));
        let now_running = running(&s);
        if state.try_set(Some(s)).is_some() {
            return; // the page is gone
        }
        if was_running && !now_running {
            on_done.run(());
        }
        if now_running {
            set_timeout(
                move || poll(id, state, on_done),
                Duration::from_millis(1000),
            );
        }
    });
}

#[component]
pub fn SyncCard() -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let id = ctx.account;
    let state = RwSignal::new(None::<ContactSyncState>);
    let starting = RwSignal::new(false);
    let on_done = Callback::new(move |()| ctx.changed());
    poll(id, state, on_done);
    let job = Memo::new(move |_| state.get().and_then(|s| s.job));
    let is_running = Memo::new(move |_| {
        job.get()
            .is_some_and(|j| j.status == ContactSyncStatus::Running)
    });
    let start = move |_| {
        starting.set(true);
        spawn_local(async move {
            match capi::start_sync(id).await {
                Ok(job) => {
                    toasts.success(i.now(K::WcSyncStarted));
                    // Running from here on, so the poll that sees it end reloads the lists
                    // even when the sync finished before that poll.
                    state.update(|s| {
                        if let Some(s) = s {
                            s.job = Some(job);
                        }
                    });
                    poll(id, state, on_done);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = starting.try_set(false);
        });
    };
    let pct = move || {
        job.get()
            .map(|j| match j.status {
                ContactSyncStatus::Succeeded | ContactSyncStatus::Partial => 100.0,
                _ if j.phase == "departments" => 5.0,
                _ if j.phase == "tags" || j.phase == "done" => 95.0,
                _ if j.members_total > 0 => {
                    10.0 + (j.members_done as f64 * 85.0 / j.members_total as f64).min(85.0)
                }
                _ => 10.0,
            })
            .unwrap_or(0.0)
    };
    let button_label = move || {
        if is_running.get() {
            i.t(K::WcSyncRunning)
        } else if job
            .get()
            .is_some_and(|j| j.status == ContactSyncStatus::Failed)
        {
            i.t(K::WcSyncResume)
        } else {
            i.t(K::WcSyncStart)
        }
    };
    view! {
        <section class="card sync-card" data-testid="contacts-sync">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WcSyncTitle)}</h2>
                <Show when=move || ctx.can_edit.get()>
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="contacts-sync-start"
                        disabled=move || is_running.get() || starting.get()
                        on:click=start
                    >
                        {icons::refresh()}
                        <span>{button_label}</span>
                    </button>
                </Show>
            </div>
            {move || state.get().map(|s| view! {
                <div class="wc-counts" data-testid="contacts-counts">
                    <span><b data-testid="count-departments">{s.departments}</b>" "{move || i.t(K::WcCountDepartments)}</span>
                    <span><b data-testid="count-members">{s.members}</b>" "{move || i.t(K::WcCountMembers)}</span>
                    <span><b data-testid="count-tags">{s.tags}</b>" "{move || i.t(K::WcCountTags)}</span>
                </div>
                {if s.managed_corp {
                    view! { <div class="alert alert-info small" data-testid="contacts-managed">{move || i.t(K::SuManagedContacts)}</div> }.into_any()
                } else {
                    (!s.has_contacts_secret).then(|| view! {
                        <div class="alert alert-info small" data-testid="contacts-no-secret">{move || i.t(K::WcNoContactsSecret)}</div>
                    }).into_any()
                }}
            })}
            {move || match job.get() {
                None => view! { <p class="muted" data-testid="contacts-sync-never">{move || i.t(K::WcSyncNever)}</p> }.into_any(),
                Some(j) => {
                    let status = j.status;
                    let (tone, label) = match status {
                        ContactSyncStatus::Running => (Tone::Blue, K::WcSyncRunning),
                        ContactSyncStatus::Succeeded => (Tone::Green, K::WcSyncSucceeded),
                        ContactSyncStatus::Partial => (Tone::Orange, K::WcSyncPartial),
                        ContactSyncStatus::Failed => (Tone::Red, K::WcSyncFailed),
                    };
                    let phase = j.phase.clone();
                    let started = fill(
                        &fill(i.t(K::WcSyncStartedBy), "who", &crate::components::mark(&j.started_by)),
                        "at",
                        &util::format_time(&j.started_at),
                    );
                    let failures = j.failures.clone();
                    let failure_count = failures.len().to_string();
                    let error = j.error.clone();
                    view! {
                        <div class="sync-status">
                            <span data-testid="contacts-sync-status" data-status=format!("{status:?}").to_lowercase()>
                                <Badge tone=tone text=label />
                            </span>
                            {(status == ContactSyncStatus::Running).then(|| view! { <span class="muted small">{move || i.t(phase_key(&phase))}</span> })}
                            <span class="muted small">{crate::components::named(&started)}</span>
                        </div>
                        <div
                            class="sync-bar"
                            class:sync-bar-failed=status == ContactSyncStatus::Failed
                            role="progressbar"
                            aria-label=move || i.t(K::WcSyncTitle)
                            aria-valuemin="0"
                            aria-valuemax="100"
                            aria-valuenow=move || format!("{:.0}", pct())
                            data-testid="contacts-sync-progress"
                        >
                            <span class="sync-fill" style=move || format!("width:{:.1}%", pct())></span>
                        </div>
                        <div class="sync-meta">
                            <span>{fill(i.t(K::WcSyncDepartments), "n", &j.departments.to_string())}</span>
                            <span data-testid="contacts-sync-members">
                                {fill(&fill(i.t(K::WcSyncMembers), "done", &j.members_done.to_string()), "total", &j.members_total.to_string())}
                            </span>
                            <span>{fill(i.t(K::WcSyncTags), "n", &j.tags.to_string())}</span>
                            <span>{fill(i.t(K::WcSyncCalls), "n", &j.calls.to_string())}</span>
                            {(j.failed > 0).then(|| view! {
                                <span class="text-danger">{fill(i.t(K::WcSyncFailedItems), "n", &j.failed.to_string())}</span>
                            })}
                        </div>
                        {error.map(|e| view! {
                            <div class="alert alert-error small" data-testid="contacts-sync-error">
                                {move || reason_text(&e, i.lang())}" "{move || i.t(K::WcSyncFailedHint)}
                            </div>
                        })}
                        {(!failures.is_empty()).then(|| view! {
                            <details class="wc-failures" data-testid="contacts-sync-failures">
                                <summary>{move || fill(i.t(K::WcSyncFailuresTitle), "n", &failure_count)}</summary>
                                <ul>
                                    {failures.iter().map(|f| {
                                        let kind = failure_kind_key(&f.kind);
                                        let reason = f.reason.clone();
                                        view! {
                                            <li data-testid="contacts-sync-failure">
                                                <span class="badge">{move || i.t(kind)}</span>
                                                " "<span class="mono">{f.id.clone()}</span>" "
                                                <span class="muted">{move || reason_text(&reason, i.lang())}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </details>
                        })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
