//! The picker's tags: a checkbox per tag with its member and department counts.

use api::wecom_contacts::Tag;
use leptos::prelude::*;

use super::picked::Picked;
use crate::i18n::{K, fill, use_i18n};

#[component]
pub(super) fn TagList(tags: Vec<Tag>, picked: RwSignal<Picked>) -> impl IntoView {
    let i = use_i18n();
    if tags.is_empty() {
        return view! { <p class="muted small" data-testid="picker-no-tags">{move || i.t(K::WmNoTags)}</p> }.into_any();
    }
    view! {
        <ul class="wm-pick-list" data-testid="picker-tags">
            {tags.into_iter().map(|t| {
                let id = t.id;
                let name = t.name.clone();
                let counts = fill(
                    &fill(i.t(K::WmTagCounts), "users", &t.user_count.to_string()),
                    "depts",
                    &t.department_count.to_string(),
                );
                view! {
                    <li>
                        <label class="wm-pick-row">
                            <input type="checkbox" data-testid=format!("picker-tag-{id}")
                                prop:checked=move || picked.with(|p| p.tags.iter().any(|(x, _)| *x == id))
                                on:change=move |_| picked.update(|p| p.toggle_tag(id, &name)) />
                            <span>{t.name.clone()}</span>
                            <span class="muted small">{counts}</span>
                        </label>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
