//! The overview's activity charts: follower growth (Official Accounts: follows and unfollows
//! per day, from the subscribe / unsubscribe events the callback stored) and message volume
//! (received and sent per day), over the last 7, 30 or 90 Beijing days.

use api::accounts::AccountKind;
use api::messages::DailyActivity;
use leptos::prelude::*;

use crate::components::{DayChart, ErrorState, Series, SkeletonRows, reload};
use crate::i18n::{K, fill, use_i18n};
use crate::messages::api as messages_api;

const SPANS: [u32; 3] = [7, 30, 90];

#[component]
pub fn ActivityCharts(id: i64, kind: AccountKind) -> impl IntoView {
    let i = use_i18n();
    let span = RwSignal::new(30u32);
    let data = LocalResource::new(move || {
        let days = span.get();
        async move { messages_api::daily(id, days).await }
    });
    let followers = kind == AccountKind::OfficialAccount;
    view! {
        <section class="activity-section" data-testid="activity">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::ActivityTitle)}</h2>
                <div class="btn-group">
                    {SPANS
                        .into_iter()
                        .map(|d| view! {
                            <button type="button" class=move || if span.get() == d { "btn btn-sm btn-primary" } else { "btn btn-sm" }
                                data-testid=format!("activity-span-{d}") on:click=move |_| span.set(d)>
                                {move || fill(i.t(K::PayLastDays), "n", &d.to_string())}
                            </button>
                        })
                        .collect_view()}
                </div>
            </div>
            {move || match data.get() {
                None => view! { <div class="card"><SkeletonRows rows=3 cols=3 /></div> }.into_any(),
                Some(Err(e)) => view! {
                    <div class="card"><ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /></div>
                }
                .into_any(),
                Some(Ok(d)) => view! { <Charts data=d followers=followers /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Charts(data: DailyActivity, followers: bool) -> impl IntoView {
    let i = use_i18n();
    let dates: Vec<String> = data.days.iter().map(|d| d.date.clone()).collect();
    let col = |f: fn(&api::messages::ActivityDay) -> u64| -> Vec<i64> {
        data.days.iter().map(|d| f(d) as i64).collect()
    };
    let sum = |f: fn(&api::messages::ActivityDay) -> u64| -> u64 { data.days.iter().map(f).sum() };
    let (subs, unsubs) = (sum(|d| d.subscribed), sum(|d| d.unsubscribed));
    let net = subs as i64 - unsubs as i64;
    let (inbound, outbound) = (sum(|d| d.inbound), sum(|d| d.outbound));
    let growth = followers.then(|| {
        let dates = dates.clone();
        let (s, u) = (col(|d| d.subscribed), col(|d| d.unsubscribed));
        view! {
            <section class="card" data-testid="growth-card">
                <h3 class="section-title">{move || i.t(K::ActivityGrowth)}</h3>
                <p class="muted small" data-testid="growth-summary">
                    {move || fill(&fill(&fill(i.t(K::ActivityGrowthSummary), "s", &subs.to_string()), "u", &unsubs.to_string()), "n", &format!("{net:+}"))}
                </p>
                <DayChart
                    dates=dates
                    bars=vec![
                        Series { label: K::ActivitySubscribed, class: "chart-bar", values: s },
                        Series { label: K::ActivityUnsubscribed, class: "chart-bar-red", values: u },
                    ]
                    label=K::ActivityGrowth
                    testid="growth-chart"
                />
            </section>
        }
    });
    view! {
        <div class="chart-grid">
            {growth}
            <section class="card" data-testid="volume-card">
                <h3 class="section-title">{move || i.t(K::ActivityVolume)}</h3>
                <p class="muted small" data-testid="volume-summary">
                    {move || fill(&fill(i.t(K::ActivityVolumeSummary), "in", &inbound.to_string()), "out", &outbound.to_string())}
                </p>
                <DayChart
                    dates=dates
                    bars=vec![
                        Series { label: K::ActivityInbound, class: "chart-bar-blue", values: col(|d| d.inbound) },
                        Series { label: K::ActivityOutbound, class: "chart-bar", values: col(|d| d.outbound) },
                    ]
                    label=K::ActivityVolume
                    testid="volume-chart"
                />
            </section>
        </div>
    }
}
