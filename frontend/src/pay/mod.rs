//! `/pay`: WeChat Pay v2 in the console — per merchant a dashboard, orders (filters, totals,
//! paging, detail with actions), products and bill reconciliation; and the payer side of the
//! sandbox's simulate panel.

pub mod api;
mod bills;
mod dashboard;
mod order;
mod orders;
mod products;
pub mod simulate;

use ::api::accounts::{Account, AccountKind};
use ::api::pay::OrderState;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::accounts::api as accounts_api;
use crate::api_client::ClientError;
use crate::components::{
    EmptyState, EnvBadge, ErrorState, NotFound, PageHeader, SkeletonRows, TabStrip, Tone, icons,
    reload,
};
use crate::i18n::{K, use_i18n};
use crate::util;

pub use order::OrderDetailPage;

/// `¥12.34`
pub fn yuan(fen: i64) -> String {
    format!("¥{}", ::api::pay::fen_to_yuan(fen))
}

pub fn state_key(s: OrderState) -> K {
    match s {
        OrderState::NotPay => K::PayStateNotPay,
        OrderState::UserPaying => K::PayStateUserPaying,
        OrderState::Success => K::PayStateSuccess,
        OrderState::Refund => K::PayStateRefund,
        OrderState::Closed => K::PayStateClosed,
        OrderState::Revoked => K::PayStateRevoked,
        OrderState::PayError => K::PayStatePayError,
    }
}

pub fn state_tone(s: OrderState) -> Tone {
    match s {
        OrderState::Success => Tone::Green,
        OrderState::Refund => Tone::Purple,
        OrderState::NotPay | OrderState::UserPaying => Tone::Orange,
        OrderState::PayError => Tone::Red,
        OrderState::Closed | OrderState::Revoked => Tone::Neutral,
    }
}

/// A coloured order-state badge. `partial`: a REFUND order of which only part was refunded
/// reads "partially refunded" (WeChat's state is REFUND either way).
#[component]
pub fn StateBadge(state: OrderState, #[prop(optional)] partial: bool) -> impl IntoView {
    let i = use_i18n();
    let partial = partial && state == OrderState::Refund;
    let key = if partial {
        K::PayStatePartialRefund
    } else {
        state_key(state)
    };
    view! {
        <span class=state_tone(state).class() data-testid="order-state" data-state=state.as_str()
            data-partial=partial.then_some("true")>
            {move || i.t(key)}
        </span>
    }
}

/// Whether an order in REFUND still has money left that was not refunded.
pub fn partly_refunded(o: &::api::pay::Order) -> bool {
    o.state == OrderState::Refund && o.refunded_fee < o.total_fee
}

/// An error for people: a known reason in the UI language; an unknown refusal in English
/// mode also carries the server's words (they name the reason).
pub fn error_text(e: &ClientError, lang: ::api::Lang) -> String {
    e.message(lang)
}

/// `/pay`: the pay merchants.
#[component]
pub fn PayHomePage() -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(accounts_api::list);
    view! {
        <PageHeader title=K::PayTitle subtitle=K::PaySubtitle />
        {move || match data.get() {
            None => view! { <div class="card"><SkeletonRows rows=3 cols=3 /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                </div>
            }
            .into_any(),
            Some(Ok(list)) => {
                let merchants: Vec<Account> = list
                    .into_iter()
                    .filter(|a| a.kind == AccountKind::PayMerchant)
                    .collect();
                if merchants.is_empty() {
                    view! {
                        <div class="card">
                            <EmptyState title=K::PayNoMerchantsTitle body=K::PayNoMerchantsBody testid="pay-empty">
                                <A href="/accounts/new?kind=pay_merchant" attr:class="btn">
                                    {icons::plus()}
                                    <span>{move || i.t(K::AccountsNew)}</span>
                                </A>
                            </EmptyState>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <div class="merchant-grid">
                            {merchants
                                .into_iter()
                                .map(|m| {
                                    let mch = match &m.settings {
                                        ::api::accounts::AccountSettings::PayMerchant(s) => s.mch_id.clone(),
                                        _ => String::new(),
                                    };
                                    view! {
                                        <A href=format!("/pay/{}", m.id) attr:class="card merchant-card" attr:data-testid="pay-merchant">
                                            <span class="kind-icon kind kind-pay">{icons::pay()}</span>
                                            <div>
                                                <strong data-user-content>{m.name.clone()}</strong>
                                                <div class="detail-meta">
                                                    <EnvBadge env=m.environment />
                                                    <span class="mono muted">{mch}</span>
                                                </div>
                                            </div>
                                        </A>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                    .into_any()
                }
            }
        }}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Dashboard,
    Orders,
    Products,
    Bills,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Dashboard, Tab::Orders, Tab::Products, Tab::Bills];

    fn slug(self) -> &'static str {
        match self {
            Tab::Dashboard => "dashboard",
            Tab::Orders => "orders",
            Tab::Products => "products",
            Tab::Bills => "bills",
        }
    }

    fn key(self) -> K {
        match self {
            Tab::Dashboard => K::PayTabDashboard,
            Tab::Orders => K::PayTabOrders,
            Tab::Products => K::PayTabProducts,
            Tab::Bills => K::PayTabBills,
        }
    }
}

/// `/pay/:id?tab=…`: one merchant.
#[component]
pub fn MerchantPayPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let tab = Memo::new(move |_| {
        let t = query.with(|q| q.get("tab").unwrap_or_default());
        Tab::ALL
            .into_iter()
            .find(|x| x.slug() == t)
            .unwrap_or(Tab::Dashboard)
    });
    let account = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => accounts_api::get_one(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <A href="/pay" attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::NavPay)}</span>
        </A>
        {move || match account.get() {
            None => view! { <div class="card"><SkeletonRows rows=4 cols=4 /></div> }.into_any(),
            Some(Ok(Some(a))) if a.kind == AccountKind::PayMerchant => {
                let mid = a.id;
                let has_cert = match &a.settings {
                    ::api::accounts::AccountSettings::PayMerchant(s) => s.client_cert.set,
                    _ => false,
                };
                Effect::new({
                    let name = a.name.clone();
                    move |_| util::set_title(&format!("{name} · {} · wxportal", i.t(K::NavPay)))
                });
                view! {
                    <div class="detail-header card">
                        <div class="detail-title">
                            <span class="kind-icon kind kind-pay">{icons::pay()}</span>
                            <div>
                                <h1 data-testid="pay-merchant-name">{a.name.clone()}</h1>
                                <div class="detail-meta">
                                    <EnvBadge env=a.environment />
                                    <A href=format!("/accounts/{mid}") attr:class="muted small">{move || i.t(K::PayAccountSettings)}</A>
                                </div>
                            </div>
                        </div>
                    </div>
                    <TabStrip testid="pay-tabs" label=Signal::derive(move || i.t(K::PayTitle).to_string())>
                        {Tab::ALL
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <A
                                        href=format!("/pay/{mid}?tab={}", t.slug())
                                        attr:class=move || if tab.get() == t { "tab tab-current" } else { "tab" }
                                        attr:data-testid=format!("pay-tab-{}", t.slug())
                                    >
                                        {move || i.t(t.key())}
                                    </A>
                                }
                            })
                            .collect_view()}
                    </TabStrip>
                    {move || match tab.get() {
                        Tab::Dashboard => view! { <dashboard::Dashboard merchant_id=mid /> }.into_any(),
                        Tab::Orders => view! { <orders::Orders merchant_id=mid /> }.into_any(),
                        Tab::Products => view! { <products::Products merchant_id=mid /> }.into_any(),
                        Tab::Bills => view! { <bills::Bills merchant_id=mid /> }.into_any(),
                    }}
                    {(!has_cert).then(|| view! { <p class="muted small">{move || i.t(K::PayNoCertNote)}</p> })}
                }
                .into_any()
            }
            Some(Ok(_)) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(account) />
                </div>
            }
            .into_any(),
        }}
    }
}
