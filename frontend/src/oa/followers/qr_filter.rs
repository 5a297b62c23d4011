//! The follower list's QR-code filter: the followers a parametric QR code brought in (their
//! `qr_scene`, the scene that subscribed them), chosen by the code's name.

use leptos::prelude::*;

use crate::components::{FilterOption, FilterSelect};
use crate::i18n::K;
use crate::oa::qrcodes::api as qr_api;

/// Codes offered in the filter (the newest first).
const CODES: u64 = 100;

#[component]
pub fn QrSceneFilter(id: i64, value: RwSignal<String>) -> impl IntoView {
    let codes = LocalResource::new(move || qr_api::list(id, "", "", 1, CODES));
    let options = Signal::derive(move || {
        let mut out: Vec<FilterOption> = codes
            .get()
            .and_then(|r| r.ok())
            .map(|p| {
                p.items
                    .into_iter()
                    .map(|c| {
                        FilterOption::text(c.scene.clone(), format!("{} ({})", c.name, c.scene))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // A scene from a link (`?qr_scene=`) that no listed code has still shows as chosen.
        let v = value.get();
        if !v.is_empty() && !out.iter().any(|o| o.value == v) {
            out.push(FilterOption::text(v.clone(), v));
        }
        out
    });
    view! {
        <FilterSelect
            label=K::FilterQrScene
            value=value
            on_change=move |v| value.set(v)
            options=options
            testid="filter-qr-scene"
        />
    }
}
