//! Paging controls: 共 N 条 · ‹ 1 … 4 5 6 … 12 › · 20 条/页.

use leptos::prelude::*;

use super::icons;
use crate::i18n::{K, fill, use_i18n};

/// The slice of `items` shown on `page` (1-based).
pub fn paginate<T: Clone>(items: &[T], page: u64, per_page: u64) -> Vec<T> {
    let per_page = per_page.max(1) as usize;
    let start = (page.max(1) as usize - 1) * per_page;
    items.iter().skip(start).take(per_page).cloned().collect()
}

pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// Page numbers to show; `None` is an ellipsis.
fn page_items(page: u64, pages: u64) -> Vec<Option<u64>> {
    if pages <= 7 {
        return (1..=pages).map(Some).collect();
    }
    let mut out = vec![Some(1)];
    let from = page.saturating_sub(1).max(2);
    let to = (page + 1).min(pages - 1);
    if from > 2 {
        out.push(None);
    }
    out.extend((from..=to).map(Some));
    if to < pages - 1 {
        out.push(None);
    }
    out.push(Some(pages));
    out
}

#[component]
pub fn Pager(
    #[prop(into)] page: Signal<u64>,
    #[prop(into)] total: Signal<u64>,
    #[prop(into)] per_page: Signal<u64>,
    #[prop(into)] on_page: Callback<u64>,
    #[prop(optional, into)] on_per_page: Option<Callback<u64>>,
) -> impl IntoView {
    let i = use_i18n();
    let pages = Signal::derive(move || page_count(total.get(), per_page.get()));
    view! {
        <div class="pager">
            <span class="pager-total">
                {move || fill(i.t(K::TotalItems), "n", &total.get().to_string())}
            </span>
            <div class="pager-pages">
                <button
                    type="button"
                    class="pager-btn"
                    title=move || i.t(K::PrevPage)
                    aria-label=move || i.t(K::PrevPage)
                    disabled=move || { page.get() <= 1 }
                    on:click=move |_| on_page.run(page.get_untracked().saturating_sub(1).max(1))
                >
                    {icons::chevron_left()}
                </button>
                {move || {
                    let current = page.get();
                    page_items(current, pages.get())
                        .into_iter()
                        .map(|item| match item {
                            Some(n) => {
                                view! {
                                    <button
                                        type="button"
                                        class="pager-btn"
                                        class:active=n == current
                                        aria-current=(n == current).then_some("page")
                                        on:click=move |_| on_page.run(n)
                                    >
                                        {n}
                                    </button>
                                }
                                    .into_any()
                            }
                            None => view! { <span class="pager-gap">"…"</span> }.into_any(),
                        })
                        .collect_view()
                }}
                <button
                    type="button"
                    class="pager-btn"
                    title=move || i.t(K::NextPage)
                    aria-label=move || i.t(K::NextPage)
                    disabled=move || { page.get() >= pages.get() }
                    on:click=move |_| on_page.run((page.get_untracked() + 1).min(pages.get_untracked()))
                >
                    {icons::chevron_right()}
                </button>
            </div>
            {on_per_page
                .map(|cb| {
                    view! {
                        <select
                            class="select select-sm pager-size"
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                                    cb.run(n);
                                }
                            }
                        >
                            {[20u64, 50, 100]
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <option value=n.to_string() prop:selected=move || per_page.get() == n>
                                            {move || fill(i.t(K::PerPage), "n", &n.to_string())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ranges_list_every_page() {
        assert_eq!(page_items(1, 3), vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn long_ranges_elide_the_middle() {
        assert_eq!(
            page_items(6, 12),
            vec![Some(1), None, Some(5), Some(6), Some(7), None, Some(12)]
        );
        assert_eq!(page_items(1, 12), vec![Some(1), Some(2), None, Some(12)]);
        assert_eq!(page_items(12, 12), vec![Some(1), None, Some(11), Some(12)]);
    }

    #[test]
    fn paginate_slices() {
        let v: Vec<u32> = (1..=45).collect();
        assert_eq!(paginate(&v, 3, 20), (41..=45).collect::<Vec<_>>());
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }
}
