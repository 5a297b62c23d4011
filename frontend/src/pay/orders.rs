//! Orders of a merchant: filters (state, dates, product, amount, payer, number), totals over
//! the filter, server-side paging.

use api::pay::OrderState;
use leptos::prelude::*;
use leptos_router::components::A;

use super::api as pay_api;
use super::{StateBadge, state_key, yuan};
use crate::api_client::enc;
use crate::components::{
    DateInput, EmptyState, FilterOption, FilterSelect, Pager, SearchBox, icons, table_states,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

const PER_PAGE: u64 = 20;

/// The filters as typed (amounts in yuan).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    state: String,
    from: String,
    to: String,
    product: String,
    min: String,
    max: String,
    payer: String,
    q: String,
}

impl Filters {
    /// The query string; `Err(field)` for an amount that is not a yuan amount.
    fn query(&self, page: u64) -> Result<String, &'static str> {
        let mut q = format!("page={page}&per_page={PER_PAGE}");
        let mut add = |k: &str, v: &str| {
            let v = v.trim();
            if !v.is_empty() {
                q.push_str(&format!("&{k}={}", enc(v)));
            }
        };
        add("state", &self.state);
        add("from", &self.from);
        add("to", &self.to);
        add("product_id", &self.product);
        add("payer", &self.payer);
        add("q", &self.q);
        for (name, v) in [("min_fee", &self.min), ("max_fee", &self.max)] {
            if !v.trim().is_empty() {
                let fen = api::pay::yuan_to_fen(v).ok_or(name)?;
                q.push_str(&format!("&{name}={fen}"));
            }
        }
        Ok(q)
    }
}

#[component]
pub fn Orders(merchant_id: i64) -> impl IntoView {
    let i = use_i18n();
    let filters = RwSignal::new(Filters::default());
    let page = RwSignal::new(1u64);
    let products = LocalResource::new(move || async move {
        pay_api::products(merchant_id).await.unwrap_or_default()
    });
    let bad_amount = Memo::new(move |_| filters.with(|f| f.query(1).err()));
    let data = LocalResource::new(move || {
        let q = filters.with(|f| f.query(page.get()));
        async move {
            match q {
                Ok(q) => pay_api::orders(merchant_id, &q).await.map(Some),
                Err(_) => Ok(None),
            }
        }
    });
    Effect::new(move |_| {
        filters.track();
        page.set(1);
    });
    let set = move |f: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filters.update(|x| f(x, v));
        }
    };
    let clear = move |_| filters.set(Filters::default());
    let has_filters = move || filters.with(|f| *f != Filters::default());
    let filters_open = RwSignal::new(false);
    // How many filters besides the search are set (shown on the phone's toggle).
    let active_filters = move || {
        filters.with(|f| {
            [
                &f.state, &f.product, &f.from, &f.to, &f.min, &f.max, &f.payer,
            ]
            .iter()
            .filter(|v| !v.trim().is_empty())
            .count()
        })
    };

    view! {
        <div class="card table-card">
            <div class="toolbar toolbar-wrap">
                <SearchBox
                    placeholder=K::PayOrderSearch
                    value=Signal::derive(move || filters.with(|f| f.q.clone()))
                    on_commit=move |v| filters.update(|f| f.q = v)
                    testid="orders-search"
                />
                // On a phone the filters fold behind this button (the search stays).
                <button
                    type="button"
                    class="btn filters-toggle"
                    data-testid="orders-filters-toggle"
                    aria-expanded=move || filters_open.get().to_string()
                    aria-controls="orders-filters"
                    on:click=move |_| filters_open.update(|o| *o = !*o)
                >
                    {icons::filter()}
                    <span>{move || {
                        let n = active_filters();
                        if n == 0 { i.t(K::PayFilters).to_string() } else { fill(i.t(K::PayFiltersN), "n", &n.to_string()) }
                    }}</span>
                </button>
                <div class="filters-more" id="orders-filters" class:open=move || filters_open.get()>
                <FilterSelect
                    label=K::PayColState
                    value=Signal::derive(move || filters.with(|f| f.state.clone()))
                    on_change=move |v| filters.update(|f| f.state = v)
                    options={OrderState::ALL.into_iter().map(|s| FilterOption::key(s.as_str(), state_key(s))).collect::<Vec<_>>()}
                    testid="orders-state"
                />
                <FilterSelect
                    label=K::PayColProduct
                    value=Signal::derive(move || filters.with(|f| f.product.clone()))
                    on_change=move |v| filters.update(|f| f.product = v)
                    options=Signal::derive(move || {
                        products.get().unwrap_or_default().into_iter().map(|p| FilterOption::text(p.id.to_string(), p.name)).collect()
                    })
                    testid="orders-product"
                />
                <label class="inline-field" title=move || i.t(K::PayDaysHint)>
                    <span class="muted small">{move || i.t(K::PayFrom)}</span>
                    <DateInput testid="orders-from" value=Signal::derive(move || filters.with(|f| f.from.clone())) on_change=move |v| filters.update(|f| f.from = v) />
                </label>
                <label class="inline-field" title=move || i.t(K::PayDaysHint)>
                    <span class="muted small">{move || i.t(K::PayTo)}</span>
                    <DateInput testid="orders-to" value=Signal::derive(move || filters.with(|f| f.to.clone())) on_change=move |v| filters.update(|f| f.to = v) />
                </label>
                <input
                    class="input input-amount"
                    class:input-error=move || bad_amount.get() == Some("min_fee")
                    inputmode="decimal"
                    data-testid="orders-min"
                    placeholder=move || i.t(K::PayMinYuan)
                    aria-label=move || i.t(K::PayMinYuan)
                    prop:value=move || filters.with(|f| f.min.clone())
                    on:change=set(|f, v| f.min = v)
                />
                <input
                    class="input input-amount"
                    class:input-error=move || bad_amount.get() == Some("max_fee")
                    inputmode="decimal"
                    data-testid="orders-max"
                    placeholder=move || i.t(K::PayMaxYuan)
                    aria-label=move || i.t(K::PayMaxYuan)
                    prop:value=move || filters.with(|f| f.max.clone())
                    on:change=set(|f, v| f.max = v)
                />
                <input
                    class="input"
                    data-testid="orders-payer"
                    placeholder=move || i.t(K::PayPayerOpenid)
                    aria-label=move || i.t(K::PayPayerOpenid)
                    prop:value=move || filters.with(|f| f.payer.clone())
                    on:change=set(|f, v| f.payer = v)
                />
                </div>
                <Show when=has_filters>
                    <button type="button" class="btn btn-ghost" data-testid="orders-reset" on:click=clear>{move || i.t(K::ClearFilters)}</button>
                </Show>
                // The orders under these filters, as the list shows them.
                <a class="btn" data-testid="orders-csv" download=""
                    href=move || format!("/api/pay/merchants/{merchant_id}/orders/csv?{}", filters.with(|f| f.query(1)).unwrap_or_default())>
                    {move || i.t(K::PayExportCsv)}
                </a>
            </div>
            <Show when=move || bad_amount.get().is_some()>
                <p class="field-error" role="alert" data-testid="orders-amount-error">{move || i.t(K::PayAmountInvalid)}</p>
            </Show>
            {table_states(
                data,
                (5, 6),
                |p| match p {
                    None => Some(().into_any()),
                    Some(p) if p.total == 0 => Some(view! {
                        <EmptyState title=K::PayNoOrdersTitle body=K::PayNoOrdersBody testid="orders-empty" />
                    }
                    .into_any()),
                    Some(_) => None,
                },
                move |p| {
                    let Some(p) = p else {
                        return ().into_any();
                    };
                    let total = p.total;
                    let t = p.totals;
                    view! {
                        <div class="totals" data-testid="orders-totals">
                            <span>{move || i.t(K::PayTotalsOrders)}" "<b>{t.count}</b></span>
                            <span>{move || i.t(K::PayTotalsAmount)}" "<b>{yuan(t.total_fee)}</b></span>
                            <span>{move || i.t(K::PayTotalsPaid)}" "<b data-testid="orders-paid-total">{yuan(t.paid_fee)}</b></span>
                            <span>{move || i.t(K::PayTotalsRefunded)}" "<b>{yuan(t.refunded_fee)}</b></span>
                        </div>
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::PayColOrder)}</th>
                                        <th>{move || i.t(K::PayColState)}</th>
                                        <th class="num">{move || i.t(K::PayColAmount)}</th>
                                        <th class="hide-md">{move || i.t(K::PayColPayer)}</th>
                                        <th class="hide-md">{move || i.t(K::CreatedAt)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items
                                        .into_iter()
                                        .map(|o| { let partial = super::partly_refunded(&o); view! {
                                            <tr data-testid="order-row" data-out-trade-no=o.out_trade_no.clone()>
                                                <td class="cell-main" data-label=move || i.t(K::PayColOrder)>
                                                    <A href=format!("/pay/orders/{}", o.id) attr:class="row-title">{o.body.clone()}</A>
                                                    <span class="row-sub mono">{o.out_trade_no.clone()}</span>
                                                </td>
                                                <td data-label=move || i.t(K::PayColState)><StateBadge state=o.state partial=partial /></td>
                                                <td class="num" data-label=move || i.t(K::PayColAmount)>
                                                    {yuan(o.total_fee)}
                                                    {(o.refunded_fee > 0).then(|| view! { <span class="row-sub">"−"{yuan(o.refunded_fee)}</span> })}
                                                </td>
                                                <td class="hide-md mono small" data-label=move || i.t(K::PayColPayer)>{o.payer_openid.clone().unwrap_or_default()}</td>
                                                <td class="hide-md nowrap muted" data-label=move || i.t(K::CreatedAt)>{util::format_time(&o.created_at)}</td>
                                            </tr>
                                        }})
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |n| page.set(n) />
                    }
                    .into_any()
                },
            )}
        </div>
    }
}
