//! A date field that reads the same in every browser: `2026-12-07` typed or picked from the
//! calendar button (the browser's own calendar, opened on demand), with placeholder and
//! messages in the UI language. The browser's bare `<input type=date>` shows its own
//! language's format (`mm/dd/yyyy`) whatever the page's language.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{K, use_i18n};

/// `YYYY-MM-DD` from what was typed (`2026-12-7`, `2026/12/07`, `20261207`), if it is a date.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.split(['-', '/', '.']).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[component]
pub fn DateInput(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    testid: &'static str,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] label: Option<Signal<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let native = NodeRef::<html::Input>::new();
    let bad = RwSignal::new(false);
    let commit = move |raw: String| {
        if raw.trim().is_empty() {
            bad.set(false);
            on_change.run(String::new());
        } else if let Some(d) = normalize_date(&raw) {
            bad.set(false);
            on_change.run(d);
        } else {
            bad.set(true);
        }
    };
    let open_calendar = move |_| {
        if let Some(el) = native.get_untracked() {
            // `showPicker` where the browser has it; a focus + click otherwise.
            let shown = js_sys::Reflect::get(&el, &"showPicker".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .is_some_and(|f| f.call0(&el).is_ok());
            if !shown {
                let _ = el.focus();
                el.click();
            }
        }
    };
    view! {
        <span class="date-input" class:date-input-bad=move || bad.get()>
            <input
                type="text"
                class="input"
                id=id
                inputmode="numeric"
                maxlength="10"
                autocomplete="off"
                data-testid=testid
                aria-label=move || label.map(|l| l.get())
                aria-invalid=move || bad.get().then_some("true")
                title=move || if bad.get() { i.t(K::DateInvalid) } else { "" }
                placeholder=move || i.t(K::DatePlaceholder)
                prop:value=move || value.get()
                on:change=move |ev| commit(event_target_value(&ev))
            />
            <button type="button" class="date-btn" tabindex="-1" aria-label=move || i.t(K::DatePick)
                title=move || i.t(K::DatePick) on:click=open_calendar>
                <svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
                    <rect x="3" y="5" width="18" height="16" rx="2" /><path d="M3 10h18M8 3v4M16 3v4" />
                </svg>
            </button>
            <input
                type="date"
                class="date-native"
                tabindex="-1"
                aria-hidden="true"
                node_ref=native
                prop:value=move || value.get()
                on:change=move |ev| commit(event_target_value(&ev))
            />
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_normalized_or_refused() {
        assert_eq!(normalize_date("2026-12-7").as_deref(), Some("2026-12-07"));
        assert_eq!(normalize_date("2026/02/29"), None);
        assert_eq!(normalize_date("2024/02/29").as_deref(), Some("2024-02-29"));
        assert_eq!(normalize_date("20261207").as_deref(), Some("2026-12-07"));
        assert_eq!(normalize_date("12/07/2026"), None);
        assert_eq!(normalize_date("abc"), None);
    }
}
