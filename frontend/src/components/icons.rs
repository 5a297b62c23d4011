//! Inline stroke icons (24×24, `currentColor`).

use leptos::prelude::*;

fn icon(paths: &'static str) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            inner_html=paths
        ></svg>
    }
}

pub fn accounts() -> impl IntoView {
    icon(
        r#"<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/><path d="M8 9h8M8 13h5"/>"#,
    )
}
pub fn pay() -> impl IntoView {
    icon(r#"<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>"#)
}
pub fn staff() -> impl IntoView {
    icon(
        r#"<path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M23 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75"/>"#,
    )
}
pub fn audit() -> impl IntoView {
    icon(
        r#"<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6M16 13H8M16 17H8M10 9H8"/>"#,
    )
}
pub fn logout() -> impl IntoView {
    icon(r#"<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/><path d="M16 17l5-5-5-5M21 12H9"/>"#)
}
pub fn menu() -> impl IntoView {
    icon(r#"<path d="M3 12h18M3 6h18M3 18h18"/>"#)
}
pub fn close() -> impl IntoView {
    icon(r#"<path d="M18 6 6 18M6 6l12 12"/>"#)
}
pub fn copy() -> impl IntoView {
    icon(
        r#"<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>"#,
    )
}
pub fn check() -> impl IntoView {
    icon(r#"<path d="M20 6 9 17l-5-5"/>"#)
}
pub fn alert() -> impl IntoView {
    icon(r#"<circle cx="12" cy="12" r="10"/><path d="M12 8v4M12 16h.01"/>"#)
}
pub fn info() -> impl IntoView {
    icon(r#"<circle cx="12" cy="12" r="10"/><path d="M12 16v-4M12 8h.01"/>"#)
}
pub fn plus() -> impl IntoView {
    icon(r#"<path d="M12 5v14M5 12h14"/>"#)
}
pub fn search() -> impl IntoView {
    icon(r#"<circle cx="11" cy="11" r="8"/><path d="m21 21-4.35-4.35"/>"#)
}
pub fn refresh() -> impl IntoView {
    icon(
        r#"<path d="M23 4v6h-6M1 20v-6h6"/><path d="M3.51 9a9 9 0 0 1 14.85-3.36L23 10M1 14l4.64 4.36A9 9 0 0 0 20.49 15"/>"#,
    )
}
pub fn edit() -> impl IntoView {
    icon(r#"<path d="M12 20h9"/><path d="M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4z"/>"#)
}
pub fn trash() -> impl IntoView {
    icon(
        r#"<path d="M3 6h18M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2"/>"#,
    )
}
pub fn key() -> impl IntoView {
    icon(
        r#"<path d="M21 2l-2 2m-7.61 7.61a5.5 5.5 0 1 1-7.78 7.78 5.5 5.5 0 0 1 7.78-7.78zm0 0L15.5 7.5m0 0 3 3L22 7l-3-3m-3.5 3.5L19 4"/>"#,
    )
}
pub fn back() -> impl IntoView {
    icon(r#"<path d="M19 12H5M12 19l-7-7 7-7"/>"#)
}
pub fn chevron_left() -> impl IntoView {
    icon(r#"<path d="m15 18-6-6 6-6"/>"#)
}
pub fn chevron_right() -> impl IntoView {
    icon(r#"<path d="m9 18 6-6-6-6"/>"#)
}
pub fn globe() -> impl IntoView {
    icon(
        r#"<circle cx="12" cy="12" r="10"/><path d="M2 12h20M12 2a15.3 15.3 0 0 1 4 10 15.3 15.3 0 0 1-4 10 15.3 15.3 0 0 1-4-10 15.3 15.3 0 0 1 4-10z"/>"#,
    )
}
pub fn flask() -> impl IntoView {
    icon(
        r#"<path d="M9 2h6M10 2v6L4 19a2 2 0 0 0 1.8 3h12.4a2 2 0 0 0 1.8-3L14 8V2"/><path d="M7 15h10"/>"#,
    )
}
pub fn link() -> impl IntoView {
    icon(
        r#"<path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71"/><path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71"/>"#,
    )
}
pub fn lock() -> impl IntoView {
    icon(
        r#"<rect x="3" y="11" width="18" height="11" rx="2"/><path d="M7 11V7a5 5 0 0 1 10 0v4"/>"#,
    )
}
pub fn inbox() -> impl IntoView {
    icon(
        r#"<path d="M22 12h-6l-2 3h-4l-2-3H2"/><path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z"/>"#,
    )
}
pub fn upload() -> impl IntoView {
    icon(r#"<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M17 8l-5-5-5 5M12 3v12"/>"#)
}
pub fn filter() -> impl IntoView {
    icon(r#"<path d="M3 5h18l-7 8v6l-4-2v-4z"/>"#)
}
pub fn user() -> impl IntoView {
    icon(r#"<path d="M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2"/><circle cx="12" cy="7" r="4"/>"#)
}

pub fn clock() -> impl IntoView {
    icon(r#"<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>"#)
}
