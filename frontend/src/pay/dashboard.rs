//! Revenue and orders per day (an inline SVG chart), by state and by product.

use api::pay::Dashboard as Data;
use leptos::prelude::*;

use super::api as pay_api;
use super::{StateBadge, yuan};
use crate::components::{DayChart, ErrorState, Series, SkeletonRows, reload};
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
        <div class="stats stats-even">
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
                                    <td data-user-content>{p.name.clone()}</td>
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

/// Revenue bars per day (yuan, left axis) with the paid-order count as a line (right axis).
fn chart(days: &[api::pay::DashboardDay]) -> impl IntoView + use<> {
    view! {
        <DayChart
            dates=days.iter().map(|d| d.date.clone()).collect()
            bars=vec![Series { label: K::PayRevenue, class: "chart-bar", values: days.iter().map(|d| d.revenue_fee).collect() }]
            line=Series { label: K::PayPaidOrders, class: "chart-line", values: days.iter().map(|d| d.paid).collect() }
            format_left=yuan
            label=K::PayRevenueByDay
            testid="dashboard-chart"
        />
    }
}
