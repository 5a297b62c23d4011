//! `/accounts`: overview charts, search/filter, table with paging.

use api::accounts::{Account, AccountKind, WechatEnv};
use api::staff::Role;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use super::{env_str, identifier, kind_class, kind_key, matches_search, parse_env};
use crate::accounts::api as accounts_api;
use crate::auth::use_session;
use crate::components::{
    EmptyState, EnvBadge, FilterOption, FilterSelect, PageHeader, Pager, SearchBox, SkeletonRows,
    error_card, icons, paginate,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

const PER_PAGE: u64 = 20;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(accounts_api::list);

    view! {
        <PageHeader title=K::AccountsTitle subtitle=K::AccountsSubtitle>
            <Show when=move || can_edit.get()>
                <A href="/accounts/new" attr:class="btn btn-primary" attr:data-testid="accounts-new">
                    {icons::plus()}
                    <span>{move || i.t(K::AccountsNew)}</span>
                </A>
            </Show>
        </PageHeader>
        {move || match data.get() {
            None => view! { <div class="card"><SkeletonRows rows=5 cols=5 /></div> }.into_any(),
            Some(Err(e)) => error_card(e, data),
            Some(Ok(list)) if list.is_empty() => {
                view! {
                    <div class="card">
                        <EmptyState
                            title=K::AccountsEmptyTitle
                            body=if can_edit.get_untracked() { K::AccountsEmptyBody } else { K::AccountsEmptyViewer }
                            testid="accounts-empty"
                        >
                            <Show when=move || can_edit.get()>
                                <div class="kind-shortcuts">
                                    {AccountKind::ALL
                                        .into_iter()
                                        .map(|k| {
                                            view! {
                                                <A href=format!("/accounts/new?kind={}", k.as_str()) attr:class="btn">
                                                    {icons::plus()}
                                                    <span>{move || i.t(kind_key(k))}</span>
                                                </A>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            </Show>
                        </EmptyState>
                    </div>
                }
                    .into_any()
            }
            Some(Ok(list)) => view! { <AccountsBrowser list=list /> }.into_any(),
        }}
    }
}

/// Counts by kind and environment, drawn as bars; clicking a bar filters the table.
#[component]
fn Overview(
    list: StoredValue<Vec<Account>>,
    kind_filter: RwSignal<Option<AccountKind>>,
    env_filter: RwSignal<Option<WechatEnv>>,
) -> impl IntoView {
    let i = use_i18n();
    let all = list.get_value();
    let total = all.len();
    let sandbox = all
        .iter()
        .filter(|a| a.environment == WechatEnv::Sandbox)
        .count();
    let production = total - sandbox;
    let by_kind: Vec<(AccountKind, usize)> = AccountKind::ALL
        .into_iter()
        .map(|k| (k, all.iter().filter(|a| a.kind == k).count()))
        .collect();
    let max = by_kind.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    let prod_pct = pct(production, total);

    view! {
        <div class="stats">
            <div class="card stat-card">
                <div class="stat-label">{move || i.t(K::StatTotal)}</div>
                <div class="stat-value">{total}</div>
                <div class="stat-foot">
                    {move || fill(i.t(K::StatSandboxCount), "n", &sandbox.to_string())}
                </div>
            </div>
            <div class="card stat-card stat-wide">
                <div class="stat-label">{move || i.t(K::StatByKind)}</div>
                <div class="bars">
                    {by_kind
                        .into_iter()
                        .map(|(k, n)| {
                            let width = pct(n, max);
                            view! {
                                <button
                                    type="button"
                                    class="bar-row"
                                    class:active=move || kind_filter.get() == Some(k)
                                    on:click=move |_| {
                                        kind_filter.update(|f| *f = if *f == Some(k) { None } else { Some(k) })
                                    }
                                >
                                    <span class="bar-label">{move || i.t(kind_key(k))}</span>
                                    <span class="bar-track">
                                        <span class=format!("bar-fill {}", kind_class(k)) style=format!("width:{width:.1}%")></span>
                                    </span>
                                    <span class="bar-value">{n}</span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <div class="card stat-card">
                <div class="stat-label">{move || i.t(K::StatByEnv)}</div>
                <div class="split-bar" role="img" aria-label=move || format!("{}: {production}, {}: {sandbox}", i.t(K::EnvProduction), i.t(K::EnvSandbox))>
                    <span class="split-prod" style=format!("width:{prod_pct:.1}%")></span>
                    <span class="split-sandbox" style=format!("width:{:.1}%", 100.0 - prod_pct)></span>
                </div>
                <div class="legend">
                    <button
                        type="button"
                        class="legend-item"
                        class:active=move || env_filter.get() == Some(WechatEnv::Production)
                        on:click=move |_| env_filter.update(|f| *f = if *f == Some(WechatEnv::Production) { None } else { Some(WechatEnv::Production) })
                    >
                        <span class="swatch swatch-prod"></span>
                        {move || i.t(K::EnvProduction)}
                        <b>{production}</b>
                    </button>
                    <button
                        type="button"
                        class="legend-item"
                        class:active=move || env_filter.get() == Some(WechatEnv::Sandbox)
                        on:click=move |_| env_filter.update(|f| *f = if *f == Some(WechatEnv::Sandbox) { None } else { Some(WechatEnv::Sandbox) })
                    >
                        <span class="swatch swatch-sandbox"></span>
                        {move || i.t(K::EnvSandbox)}
                        <b>{sandbox}</b>
                    </button>
                </div>
            </div>
        </div>
    }
}

#[component]
fn AccountsBrowser(list: Vec<Account>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let list = StoredValue::new(list);
    let search = RwSignal::new(String::new());
    let kind_filter = RwSignal::new(None::<AccountKind>);
    let env_filter = RwSignal::new(None::<WechatEnv>);
    let page = RwSignal::new(1u64);

    let filtered = Memo::new(move |_| {
        let q = search.get();
        let kind = kind_filter.get();
        let env = env_filter.get();
        list.with_value(|all| {
            all.iter()
                .filter(|a| kind.is_none_or(|k| a.kind == k))
                .filter(|a| env.is_none_or(|e| a.environment == e))
                .filter(|a| matches_search(a, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Any filter change starts again from the first page.
    Effect::new(move |_| {
        search.track();
        kind_filter.track();
        env_filter.track();
        page.set(1);
    });
    let total = Signal::derive(move || filtered.with(|f| f.len() as u64));
    let rows = Memo::new(move |_| filtered.with(|f| paginate(f, page.get(), PER_PAGE)));
    let has_filters = move || {
        !search.get().is_empty() || kind_filter.get().is_some() || env_filter.get().is_some()
    };
    let clear = move |_| {
        search.set(String::new());
        kind_filter.set(None);
        env_filter.set(None);
    };

    view! {
        <Overview list=list kind_filter=kind_filter env_filter=env_filter />
        <div class="card table-card">
            <div class="toolbar">
                <SearchBox
                    placeholder=K::AccountsSearchPlaceholder
                    value=search
                    on_input=move |v| search.set(v)
                    testid="accounts-search"
                />
                <FilterSelect
                    label=K::ColKind
                    value=Signal::derive(move || kind_filter.get().map(|k| k.as_str().to_string()).unwrap_or_default())
                    on_change=move |v: String| kind_filter.set(AccountKind::parse(&v))
                    options={AccountKind::ALL.into_iter().map(|k| FilterOption::key(k.as_str(), kind_key(k))).collect::<Vec<_>>()}
                />
                <FilterSelect
                    label=K::ColEnv
                    value=Signal::derive(move || env_filter.get().map(|e| env_str(e).to_string()).unwrap_or_default())
                    on_change=move |v: String| env_filter.set((!v.is_empty()).then(|| parse_env(&v)))
                    options=vec![
                        FilterOption::key("production", K::EnvProduction),
                        FilterOption::key("sandbox", K::EnvSandbox),
                    ]
                />
                <Show when=has_filters>
                    <button type="button" class="btn btn-ghost" on:click=clear>
                        {move || i.t(K::ClearFilters)}
                    </button>
                </Show>
            </div>
            <Show
                when=move || { total.get() > 0 }
                fallback=move || {
                    view! {
                        <EmptyState title=K::AccountsNoMatchTitle body=K::AccountsNoMatchBody testid="accounts-empty">
                            <button type="button" class="btn" on:click=clear>
                                {move || i.t(K::ClearFilters)}
                            </button>
                        </EmptyState>
                    }
                }
            >
                <div class="table-wrap">
                    <table class="table table-cards">
                        <thead>
                            <tr>
                                <th>{move || i.t(K::ColName)}</th>
                                <th>{move || i.t(K::ColKind)}</th>
                                <th>{move || i.t(K::ColEnv)}</th>
                                <th>{move || i.t(K::ColIdentifier)}</th>
                                <th class="hide-md">{move || i.t(K::UpdatedAt)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|a| (a.id, a.updated_at.clone())
                                children={
                                    let navigate = navigate.clone();
                                    move |a: Account| {
                                        let href = format!("/accounts/{}", a.id);
                                        let go = {
                                            let navigate = navigate.clone();
                                            let href = href.clone();
                                            move |ev: leptos::ev::MouseEvent| {
                                                let inside_link = ev
                                                    .target()
                                                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                                    .and_then(|el| el.closest("a").ok().flatten())
                                                    .is_some();
                                                if !inside_link {
                                                    navigate(&href, NavigateOptions::default());
                                                }
                                            }
                                        };
                                        let kind = a.kind;
                                        let ident = identifier(&a);
                                        view! {
                                            <tr class="row-link" data-testid="account-row" on:click=go>
                                                <td class="cell-main" data-label=move || i.t(K::ColName)>
                                                    <A href=href attr:class="row-title">{a.name.clone()}</A>
                                                    <span class="row-sub">"#"{a.id}</span>
                                                </td>
                                                <td data-label=move || i.t(K::ColKind)>
                                                    <span class=kind_class(kind)>{move || i.t(kind_key(kind))}</span>
                                                </td>
                                                <td data-label=move || i.t(K::ColEnv)>
                                                    <EnvBadge env=a.environment />
                                                </td>
                                                <td class="mono" data-label=move || i.t(K::ColIdentifier)>{ident}</td>
                                                <td class="hide-md nowrap muted" data-label=move || i.t(K::UpdatedAt)>
                                                    {util::format_time(&a.updated_at)}
                                                </td>
                                            </tr>
                                        }
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
                <Pager page=page total=total per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
            </Show>
        </div>
    }
}
