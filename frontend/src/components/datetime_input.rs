//! A date and time in Beijing time (UTC+8, the time of WeChat's days), the same in every
//! browser and language: the styled [`DateInput`] and a `时:分` field, with the zone named.
//! The browser's own `datetime-local` shows its own language's format and the browser's zone.

use leptos::prelude::*;

use super::DateInput;
use crate::i18n::{K, use_i18n};

const BEIJING_MS: f64 = 8.0 * 3_600_000.0;

/// `HH:MM` from what was typed (`9:5`, `0930`, `9.30`, `21：05`), if it is a time of day.
pub fn normalize_time(s: &str) -> Option<String> {
    let s = s.trim().replace('：', ":");
    let (h, m) = if let Some((h, m)) = s.split_once([':', '.']) {
        (h.to_string(), m.to_string())
    } else if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        (s[..2].to_string(), s[2..].to_string())
    } else if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        (s.clone(), "0".to_string())
    } else {
        return None;
    };
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// `2026-12-07T17:30:00+08:00` of a Beijing date (`YYYY-MM-DD`) and time (`HH:MM`).
pub fn beijing_rfc3339(date: &str, time: &str) -> Option<String> {
    let d = super::date_input::normalize_date(date)?;
    let t = normalize_time(time)?;
    Some(format!("{d}T{t}:00+08:00"))
}

/// The Beijing date and time (`YYYY-MM-DD`, `HH:MM`) of a moment in milliseconds.
pub fn beijing_parts_ms(ms: f64) -> (String, String) {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms + BEIJING_MS));
    (
        format!(
            "{:04}-{:02}-{:02}",
            d.get_utc_full_year(),
            d.get_utc_month() + 1,
            d.get_utc_date()
        ),
        format!("{:02}:{:02}", d.get_utc_hours(), d.get_utc_minutes()),
    )
}

/// The Beijing date and time of an RFC 3339 moment (empty when it does not parse).
pub fn beijing_parts(rfc3339: &str) -> (String, String) {
    let ms = js_sys::Date::parse(rfc3339);
    if ms.is_nan() {
        return (String::new(), String::new());
    }
    beijing_parts_ms(ms)
}

#[component]
pub fn DateTimeInput(
    date: RwSignal<String>,
    time: RwSignal<String>,
    date_testid: &'static str,
    time_testid: &'static str,
    /// The date field's id (a `FieldRow`'s label points at it).
    id: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let bad_time = RwSignal::new(false);
    let commit_time = move |raw: String| {
        if raw.trim().is_empty() {
            bad_time.set(false);
            time.set(String::new());
        } else if let Some(t) = normalize_time(&raw) {
            bad_time.set(false);
            time.set(t);
        } else {
            bad_time.set(true);
            time.set(raw);
        }
    };
    view! {
        <span class="datetime-input">
            <DateInput value=date on_change=Callback::new(move |d| date.set(d)) testid=date_testid id=id
                label=Signal::derive(move || i.t(K::DtDate).to_string()) />
            <input type="text" class="input time-input" inputmode="numeric" maxlength="5" autocomplete="off"
                data-testid=time_testid
                aria-label=move || i.t(K::DtTime)
                aria-invalid=move || bad_time.get().then_some("true")
                class:time-input-bad=move || bad_time.get()
                placeholder=move || i.t(K::DtTimePlaceholder)
                prop:value=move || time.get()
                on:change=move |ev| commit_time(event_target_value(&ev)) />
            <span class="muted small datetime-zone">{move || i.t(K::DtBeijing)}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_normalized_or_refused() {
        assert_eq!(normalize_time("9:5").as_deref(), Some("09:05"));
        assert_eq!(normalize_time("0930").as_deref(), Some("09:30"));
        assert_eq!(normalize_time("21：05").as_deref(), Some("21:05"));
        assert_eq!(normalize_time("7").as_deref(), Some("07:00"));
        assert_eq!(normalize_time("24:00"), None);
        assert_eq!(normalize_time("12:60"), None);
        assert_eq!(normalize_time("noon"), None);
        assert_eq!(
            beijing_rfc3339("2026-12-7", "9:30").as_deref(),
            Some("2026-12-07T09:30:00+08:00")
        );
    }
}
