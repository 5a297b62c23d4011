//! Revenue and orders per day (an inline SVG chart), by state and by product.

use api::pay::Dashboard as Data;
use leptos::prelude::*;

use super::api as pay_api;
use super::{StateBadge, yuan};
use crate::components::{ErrorState, SkeletonRows, reload};
use crate::i18n::{K, fill, use_i18n};

/// Days shown by default.
const DAYS: [u32; 3] = [7, 30, 90];

fn day_offset(days_back: u32) -> String {
    let now = js_sys::Date::new_0();
    let ms = now.get_time() - f64::from(days_back) * 86_400_000.0;
    // Beijing time, like the server's days.
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms + 8.0 * 3_600_000.0));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date()
    )
}

#[component]
pub fn Dashboard(merchant_id: i64) -> impl IntoView {
    let i = use_i18n();
    let span = RwSignal::new(30u32);
    let data = LocalResource::new(move || {
        let days = span.get();
        async move {
            let from = day_offset(days - 1);
            let to = day_offset(0);
            pay_api::dashboard(merchant_id, &from, &to).await
        }
    });
    view! {
        <div class="toolbar">
            {DAYS
                .into_iter()
                .map(|d| {
                    view! {
                        <button
                            type="button"
                            class=move || if span.get() == d { "btn btn-primary" } else { "btn" }
                            data-testid=format!("dashboard-span-{d}")
                            on:click=move |_| span.set(d)
                        >
                            {move || fill(i.t(K::PayLastDays), "n", &d.to_string())}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        {move || match data.get() {
            None => view! { <div class="card"><SkeletonRows rows=4 cols=4 /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                </div>
            }
            .into_any(),
            Some(Ok(d)) => view! { <DashboardView data=d /> }.into_any(),
        }}
    }
}

#[component]
fn DashboardView(data: Data) -> impl IntoView {
    let i = use_i18n();
    let net = data.revenue_fee - data.refunded_fee;
    view! {
        <div class="stats">
            <div class="card stat-card">
                <div class="stat-label">{move || i.t(K::PayRevenue)}</div>
                <div class="stat-value" data-testid="dashboard-revenue">{yuan(data.revenue_fee)}</div>
                <div class="stat-foot">{move || fill(i.t(K::PayNetRevenue), "v", &yuan(net))}</div>
            </div>
            <div class="card stat-card">
                <div class="stat-label">{move || i.t(K::PayPaidOrders)}</div>
                <div class="stat-value" data-testid="dashboard-paid">{data.paid}</div>
                <div class="stat-foot">{move || fill(i.t(K::PayOrdersCreated), "n", &data.orders.to_string())}</div>
            </div>
            <div class="card stat-card">
                <div class="stat-label">{move || i.t(K::PayRefunded)}</div>
                <div class="stat-value">{yuan(data.refunded_fee)}</div>
                <div class="stat-foot">{format!("{} – {}", data.from, data.to)}</div>
            </div>
        </div>
        <section class="card">
            <h2 class="section-title">{move || i.t(K::PayRevenueByDay)}</h2>
            {chart(&data.days)}
        </section>
        <div class="detail-grid">
            <section class="card">
                <h2 class="section-title">{move || i.t(K::PayByState)}</h2>
                <table class="table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::PayColState)}</th>
                            <th class="num">{move || i.t(K::PayColCount)}</th>
                            <th class="num">{move || i.t(K::PayColAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .by_state
                            .iter()
                            .map(|s| view! {
                                <tr data-testid="dashboard-state-row">
                                    <td><StateBadge state=s.state /></td>
                                    <td class="num">{s.count}</td>
                                    <td class="num">{yuan(s.total_fee)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="card">
                <h2 class="section-title">{move || i.t(K::PayByProduct)}</h2>
                <table class="table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::PayColProduct)}</th>
                            <th class="num">{move || i.t(K::PayPaidOrders)}</th>
                            <th class="num">{move || i.t(K::PayRevenue)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .by_product
                            .iter()
                            .map(|p| view! {
                                <tr data-testid="dashboard-product-row">
                                    <td>{p.name.clone()}</td>
                                    <td class="num">{p.paid}</td>
                                    <td class="num">{yuan(p.revenue_fee)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
    }
}

/// Revenue bars per day with the paid-order count as a line. The SVG only draws (it stretches
/// to the card); the axes' labels are HTML beside it, so they keep their size at any width.
fn chart(days: &[api::pay::DashboardDay]) -> impl IntoView + use<> {
    let i = use_i18n();
    let w = 720.0_f64;
    let h = 200.0_f64;
    let n = days.len().max(1) as f64;
    let max_fee = nice_max(days.iter().map(|d| d.revenue_fee).max().unwrap_or(0));
    let max_paid = nice_max(days.iter().map(|d| d.paid).max().unwrap_or(0));
    let slot = w / n;
    let bar_w = (slot * 0.7).max(1.0);
    let bars = days
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let bh = d.revenue_fee as f64 / max_fee as f64 * h;
            let x = k as f64 * slot + (slot - bar_w) / 2.0;
            let y = h - bh;
            let title = format!("{} · {} · {}", d.date, yuan(d.revenue_fee), d.paid);
            view! {
                <rect class="chart-bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{bh:.1}") data-date=d.date.clone() data-fee=d.revenue_fee.to_string()>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let points = days
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let x = k as f64 * slot + slot / 2.0;
            let y = h - d.paid as f64 / max_paid as f64 * h;
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let grid = [0.25, 0.5, 0.75]
        .iter()
        .map(|f| view! { <line class="chart-gridline" x1="0" y1=format!("{:.1}", h * f) x2=w y2=format!("{:.1}", h * f)></line> })
        .collect_view();
    // At most six date labels, so they fit a phone.
    let every = days.len().div_ceil(6).max(1);
    let labels = days
        .iter()
        .enumerate()
        .filter(|(k, _)| k % every == 0)
        .map(|(k, d)| {
            let left = (k as f64 + 0.5) / n * 100.0;
            view! { <span class="chart-tick-x" style=format!("left:{left:.2}%")>{d.date.get(5..).unwrap_or(&d.date).to_string()}</span> }
        })
        .collect_view();
    let ticks = |max: i64, fmt: fn(i64) -> String| {
        [max, max / 2, 0]
            .into_iter()
            .map(|v| view! { <span>{fmt(v)}</span> })
            .collect_view()
    };
    view! {
        <div class="chart-wrap">
            <div class="chart-frame">
                <div class="chart-axis-y" aria-hidden="true">{ticks(max_fee, yuan)}</div>
                <svg class="chart" data-testid="dashboard-chart" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=move || i.t(K::PayRevenueByDay)>
                    {grid}
                    <line class="chart-axis" x1="0" y1=h x2=w y2=h></line>
                    {bars}
                    <polyline class="chart-line" points=points></polyline>
                </svg>
                <div class="chart-axis-y chart-axis-right" aria-hidden="true">{ticks(max_paid, |v| v.to_string())}</div>
                <div></div>
                <div class="chart-axis-x" aria-hidden="true">{labels}</div>
                <div></div>
            </div>
            <div class="legend">
                <span class="legend-item"><span class="swatch swatch-bar"></span>{move || i.t(K::PayRevenue)}</span>
                <span class="legend-item"><span class="swatch swatch-line"></span>{move || i.t(K::PayPaidOrders)}</span>
            </div>
        </div>
    }
}

/// A round top for an axis: 1, 2 or 5 times a power of ten, at least `v` (and 2, so that
/// its half is a whole number).
fn nice_max(v: i64) -> i64 {
    let v = v.max(2);
    let mut p = 1i64;
    while p * 10 <= v {
        p *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * p)
        .find(|c| *c >= v)
        .unwrap_or(v)
}
