//! `/accounts/:id/inspector`: the last callback deliveries — verification, diagnosis,
//! decryption, de-duplication, processing time against WeChat's 5-second timeout (a bar per
//! delivery and a summary chart), the reply sent — and replaying one through the pipeline.

use api::messages::{DeliveryDetail, DeliveryQuery, DeliverySummary};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as messages_api;
use crate::accounts::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{EmptyState, ErrorState, Pager, SkeletonRows, icons, reload, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;
use api::accounts::Account;

const PER_PAGE: u64 = 20;
const OUTCOMES: &[(&str, K)] = &[
    ("accepted", K::OutcomeAccepted),
    ("duplicate", K::OutcomeDuplicate),
    ("rejected", K::OutcomeRejected),
    ("verified", K::OutcomeVerified),
];

/// A stored diagnosis in the UI language; one no template knows is shown as raw text.
#[component]
fn DiagnosisText(text: String) -> impl IntoView {
    let i = use_i18n();
    move || match crate::i18n::diagnoses::diagnosis_text(&text, i.lang()) {
        Some(t) => view! { <span data-testid="delivery-diagnosis">{t}</span> }.into_any(),
        None => view! { <code class="wrap" data-testid="delivery-diagnosis">{text.clone()}</code> }
            .into_any(),
    }
}

fn outcome_class(o: &str) -> &'static str {
    match o {
        "accepted" | "verified" => "badge badge-green",
        "duplicate" => "badge badge-blue",
        "rejected" => "badge badge-red",
        _ => "badge",
    }
}

fn outcome_key(o: &str) -> K {
    OUTCOMES
        .iter()
        .find(|(v, _)| *v == o)
        .map(|(_, k)| *k)
        .unwrap_or(K::OutcomeRejected)
}

#[component]
pub fn InspectorPage() -> impl IntoView {
    view! { <AccountSection tab=AccountTab::Inspector render=|a: Account| view! { <Inspector id=a.id /> }.into_any() /> }
}

#[component]
fn Inspector(id: i64) -> impl IntoView {
    let i = use_i18n();
    let outcome = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let open: RwSignal<Option<i64>> = RwSignal::new(None);
    Effect::new(move |_| {
        outcome.track();
        page.set(1);
    });
    let data = LocalResource::new(move || {
        let o = outcome.get();
        let p = page.get();
        async move {
            let q = DeliveryQuery {
                page: Some(p),
                per_page: Some(PER_PAGE),
                outcome: Some(o),
            };
            messages_api::deliveries(id, &q).await
        }
    });
    view! {
        <p class="muted section-intro">{move || i.t(K::InspectorSubtitle)}</p>
        {move || match data.get() {
            Some(Ok(p)) if !p.items.is_empty() => view! { <Summary items=p.items.clone() /> }.into_any(),
            _ => ().into_any(),
        }}
        <section class="card table-card" data-testid="inspector">
            <div class="toolbar">
                <div class="chips">
                    <button type="button" class="chip" class:active=move || outcome.get().is_empty() on:click=move |_| outcome.set(String::new())>
                        {move || i.t(K::All)}
                    </button>
                    {OUTCOMES.iter().map(|(v, k)| {
                        let (v, k) = (*v, *k);
                        view! {
                            <button type="button" class="chip" data-testid=format!("inspector-filter-{v}") class:active=move || outcome.get() == v
                                on:click=move |_| outcome.set(v.to_string())>{move || i.t(k)}</button>
                        }
                    }).collect_view()}
                </div>
                <button type="button" class="btn btn-sm" data-testid="inspector-refresh" on:click=move |_| reload(data)>
                    {icons::refresh()}<span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=6 cols=6 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <EmptyState title=K::InspectorEmpty body=K::InspectorEmptyBody testid="inspector-empty" /> }.into_any(),
                Some(Ok(p)) => {
                    let total = p.total;
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::Time)}</th>
                                        <th>{move || i.t(K::Outcome)}</th>
                                        <th>{move || i.t(K::Reply)}</th>
                                        <th>{move || i.t(K::Duration)}</th>
                                        <th>{move || i.t(K::Diagnosis)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items.into_iter().map(|d| {
                                        let did = d.id;
                                        let pct = (d.duration_ms as f64 * 100.0 / d.budget_ms.max(1) as f64).min(100.0);
                                        let slow = d.duration_ms * 5 >= d.budget_ms * 4;
                                        view! {
                                            <tr class="row-link" data-testid="delivery-row" data-outcome=d.outcome.clone()
                                                on:click=move |_| open.update(|o| *o = if *o == Some(did) { None } else { Some(did) })>
                                                <td class="nowrap" data-label=move || i.t(K::Time)>
                                                    <span class="muted">{util::format_time(&d.received_at)}</span>
                                                    <span class="row-sub mono">{format!("#{} {}", d.id, d.method)}</span>
                                                </td>
                                                <td data-label=move || i.t(K::Outcome)>
                                                    <span class=outcome_class(&d.outcome)>{let o = d.outcome.clone(); move || i.t(outcome_key(&o))}</span>
                                                    " "<span class="muted small">{d.status_code}</span>
                                                    {d.dedup_hit.then(|| view! { " "<span class="badge badge-blue" title=move || i.t(K::DedupHit)>"dedup"</span> })}
                                                    {d.replay.then(|| view! { " "<span class="badge badge-purple" data-testid="delivery-replay-badge">{move || i.t(K::Replay)}</span> })}
                                                    {(!d.decrypted && d.method == "POST").then(|| view! { " "<span class="badge badge-orange" title=move || i.t(K::NotDecrypted)>"🔒"</span> })}
                                                </td>
                                                <td class="mono small" data-label=move || i.t(K::Reply)>{d.reply_mode.clone()}</td>
                                                <td data-label=move || i.t(K::Duration)>
                                                    <div class="budget-bar" title=move || fill(i.t(K::DurationOfBudget), "ms", &d.duration_ms.to_string())>
                                                        <span class="bar-track"><span class="bar-fill" class:bar-slow=slow style=format!("width:{pct:.1}%")></span></span>
                                                        <span class="small nowrap">{format!("{} ms", d.duration_ms)}</span>
                                                    </div>
                                                </td>
                                                <td class="cell-wrap small" data-label=move || i.t(K::Diagnosis)><DiagnosisText text=d.diagnosis.clone().unwrap_or_default() /></td>
                                            </tr>
                                            <Show when=move || open.get() == Some(did)>
                                                <tr class="detail-row"><td colspan="5"><DeliveryView id=id delivery_id=did on_replayed=Callback::new(move |_| reload(data)) /></td></tr>
                                            </Show>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Outcome counts and processing times of the page shown, as bars.
#[component]
fn Summary(items: Vec<DeliverySummary>) -> impl IntoView {
    let i = use_i18n();
    let n = items.len().max(1);
    let counts: Vec<(K, &'static str, usize)> = OUTCOMES
        .iter()
        .map(|(v, k)| (*k, *v, items.iter().filter(|d| d.outcome == *v).count()))
        .collect();
    let mut times: Vec<i64> = items.iter().map(|d| d.duration_ms).collect();
    times.sort_unstable();
    let p50 = times[times.len() / 2];
    let max = *times.last().unwrap_or(&0);
    let budget = items.first().map(|d| d.budget_ms).unwrap_or(5000).max(1);
    let within = items.iter().filter(|d| d.duration_ms < budget).count();
    let pct = |v: i64| (v as f64 * 100.0 / budget as f64).min(100.0);
    view! {
        <div class="stats stats-pair" data-testid="inspector-stats">
            <div class="card stat-card stat-wide" data-testid="outcome-chart">
                <div class="stat-label">{move || i.t(K::Outcome)}</div>
                <div class="bars">
                    {counts.into_iter().map(|(k, v, c)| view! {
                        <div class="bar-row">
                            <span class="bar-label">{move || i.t(k)}</span>
                            <span class="bar-track"><span class=format!("bar-fill outcome-{v}") style=format!("width:{:.1}%", c as f64 * 100.0 / n as f64)></span></span>
                            <span class="bar-value">{c}</span>
                        </div>
                    }).collect_view()}
                </div>
            </div>
            <div class="card stat-card stat-wide">
                <div class="stat-label">{move || i.t(K::DurationVsBudget)}</div>
                <svg class="budget-chart" viewBox="0 0 100 24" preserveAspectRatio="none" role="img"
                    aria-label=move || format!("p50 {p50} ms, max {max} ms, {budget} ms")>
                    <rect x="0" y="4" width="100" height="16" class="chart-track" />
                    <rect x="0" y="4" width=format!("{:.2}", pct(max)) height="16" class="chart-max" />
                    <rect x="0" y="4" width=format!("{:.2}", pct(p50)) height="16" class="chart-p50" />
                    <line x1="80" y1="0" x2="80" y2="24" class="chart-mark" />
                </svg>
                <div class="legend small">
                    <span>"p50 "<b>{p50}" ms"</b></span>
                    <span>"max "<b>{max}" ms"</b></span>
                    <span>{move || fill(i.t(K::WithinBudget), "n", &format!("{within}/{}", n))}</span>
                </div>
            </div>
        </div>
    }
}

#[component]
fn DeliveryView(id: i64, delivery_id: i64, on_replayed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let session = use_session();
    let can_replay = Memo::new(move |_| session.allows(Role::Operator));
    let data =
        LocalResource::new(move || async move { messages_api::delivery(id, delivery_id).await });
    let busy = RwSignal::new(false);
    let replayed: RwSignal<Option<DeliveryDetail>> = RwSignal::new(None);
    let replay = move |_| {
        busy.set(true);
        spawn_local(async move {
            let r = messages_api::replay(id, delivery_id).await;
            match r {
                Ok(d) => {
                    toasts.success(fill(i.now(K::Replayed), "id", &d.summary.id.to_string()));
                    replayed.set(Some(d));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="delivery-detail" data-testid="delivery-detail" on:click=|ev| ev.stop_propagation()>
            {move || match data.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(d)) => {
                    let post = d.summary.method == "POST";
                    view! {
                        <dl class="kvs small">
                            <div class="kv"><dt>{move || i.t(K::Diagnosis)}</dt><dd>{match d.summary.diagnosis.clone() {
                                Some(t) => view! { <DiagnosisText text=t /> }.into_any(),
                                None => "—".into_any(),
                            }}</dd></div>
                            <div class="kv"><dt>{move || i.t(K::QueryString)}</dt><dd class="mono wrap">{d.query.clone()}</dd></div>
                        </dl>
                        <h4>{move || i.t(K::ReceivedBody)}</h4>
                        <pre class="mono">{d.body.clone()}</pre>
                        {d.decrypted_xml.clone().map(|x| view! { <h4>{move || i.t(K::DecryptedXml)}</h4><pre class="mono" data-testid="delivery-decrypted">{x}</pre> })}
                        {d.reply_xml.clone().map(|x| view! { <h4>{move || i.t(K::PassiveReplyXml)}</h4><pre class="mono">{x}</pre> })}
                        <Show when=move || post && can_replay.get()>
                            <div class="form-actions">
                                <span class="muted small">{move || i.t(K::ReplayHelp)}</span>
                                <button type="button" class="btn" data-testid="delivery-replay" prop:disabled=move || busy.get() on:click=replay>
                                    {icons::refresh()}<span>{move || i.t(K::Replay)}</span>
                                </button>
                            </div>
                        </Show>
                    }
                        .into_any()
                }
            }}
            {move || replayed.get().map(|d| view! {
                <div class="replay-result" data-testid="replay-result" data-outcome=d.summary.outcome.clone()>
                    <span class=outcome_class(&d.summary.outcome)>{let o = d.summary.outcome.clone(); move || i.t(outcome_key(&o))}</span>
                    " #"{d.summary.id}" · "{d.summary.reply_mode.clone()}" · "{format!("{} ms", d.summary.duration_ms)}
                    {d.summary.dedup_hit.then(|| view! { " · "<span>{move || i.t(K::DedupHit)}</span> })}
                    <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| on_replayed.run(())>{move || i.t(K::Refresh)}</button>
                </div>
            })}
        </div>
    }
}
