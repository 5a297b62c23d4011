//! Loading, empty and error states, and [`table_states`] that picks one for a list.

use leptos::prelude::*;

use super::icons;
use crate::api_client::ClientError;
use crate::i18n::{K, use_i18n};

#[component]
pub fn LoadingState() -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="state state-loading" aria-busy="true">
            <span class="spinner"></span>
            <span>{move || i.t(K::Loading)}</span>
        </div>
    }
}

/// A card with the error's message and a retry button that loads `resource` again: what a page
/// shows when its data could not be loaded.
pub fn error_card<T: Send + Sync + 'static>(
    error: ClientError,
    resource: LocalResource<T>,
) -> AnyView {
    let i = use_i18n();
    view! {
        <div class="card">
            <ErrorState
                message=Signal::derive(move || error.message(i.lang()))
                on_retry=move |_| reload(resource)
            />
        </div>
    }
    .into_any()
}

/// Forgets a resource's value and loads it again, so the page shows its loading state.
pub fn reload<T: Send + Sync + 'static>(resource: LocalResource<T>) {
    resource.set(None);
    resource.refetch();
}

/// The states of a list loaded from the server, in one place: `skeleton` (rows, columns) of
/// grey rows while it loads, the error with a retry, `empty(&data)` when that says there is
/// nothing to show, else `table(data)`.
pub fn table_states<T>(
    data: LocalResource<Result<T, ClientError>>,
    skeleton: (usize, usize),
    empty: impl Fn(&T) -> Option<AnyView> + Send + Sync + 'static,
    table: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let i = use_i18n();
    let (rows, cols) = skeleton;
    move || {
        match data.get() {
        None => view! { <SkeletonRows rows=rows cols=cols /> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
        }
        .into_any(),
        Some(Ok(value)) => empty(&value).unwrap_or_else(|| table(value)),
    }
    }
}

/// Grey placeholder rows while a table loads.
#[component]
pub fn SkeletonRows(rows: usize, cols: usize) -> impl IntoView {
    view! {
        <div class="skeleton-table" aria-busy="true">
            {(0..rows)
                .map(|r| {
                    view! {
                        <div class="skeleton-row">
                            {(0..cols)
                                .map(|c| {
                                    let w = 40 + ((r * 7 + c * 13) % 5) * 10;
                                    view! {
                                        <span class="skeleton" style=format!("width:{w}%")></span>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn ErrorState(
    #[prop(into)] message: Signal<String>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="state state-error" role="alert">
            <span class="state-icon">{icons::alert()}</span>
            <h3>{move || i.t(K::LoadFailed)}</h3>
            <p>{move || message.get()}</p>
            <button type="button" class="btn" on:click=move |_| on_retry.run(())>
                {icons::refresh()}
                <span>{move || i.t(K::Retry)}</span>
            </button>
        </div>
    }
}

#[component]
pub fn EmptyState(
    title: K,
    body: K,
    #[prop(optional)] testid: &'static str,
    /// A padlock instead of the empty tray (for "no access").
    #[prop(optional)]
    locked: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i = use_i18n();
    let testid = (!testid.is_empty()).then_some(testid);
    view! {
        <div class="state state-empty" data-testid=testid>
            <span class="state-icon">
                {if locked { icons::lock().into_any() } else { icons::inbox().into_any() }}
            </span>
            <h3>{move || i.t(title)}</h3>
            <p>{move || i.t(body)}</p>
            {children.map(|c| view! { <div class="state-actions">{c()}</div> })}
        </div>
    }
}
