//! The chosen recipients as removable chips.

use leptos::prelude::*;

use super::picked::Picked;
use crate::components::icons;
use crate::i18n::{K, use_i18n};

#[component]
pub(super) fn Chips(picked: RwSignal<Picked>) -> impl IntoView {
    let i = use_i18n();
    let chip = move |kind: K, label: String, remove: Callback<()>| {
        let aria = label.clone();
        view! {
            <span class="wm-chip" data-testid="picker-chip">
                <span class="muted small">{move || i.t(kind)}</span>
                <span class="wm-chip-name">{label}</span>
                <button type="button" class="wm-chip-x" data-testid="picker-chip-remove"
                    aria-label=move || format!("{} {}", i.t(K::WmRemove), aria)
                    on:click=move |_| remove.run(())>
                    {icons::close()}
                </button>
            </span>
        }
    };
    view! {
        <div class="wm-chips" data-testid="picker-chips" aria-live="polite">
            {move || {
                let p = picked.get();
                if p.all {
                    return view! { <span class="wm-chip wm-chip-all" data-testid="picker-chip">{move || i.t(K::WmAllMembers)}</span> }.into_any();
                }
                if p.users.is_empty() && p.parties.is_empty() && p.tags.is_empty() {
                    return view! { <span class="muted small">{move || i.t(K::WmNoneChosen)}</span> }.into_any();
                }
                let parties = p.parties.into_iter().map(|(d, name)| {
                    chip(K::WmDepartment, name.clone(), Callback::new(move |()| picked.update(|p| p.toggle_party(d, ""))))
                }).collect_view();
                let tags = p.tags.into_iter().map(|(t, name)| {
                    chip(K::WmTag, name.clone(), Callback::new(move |()| picked.update(|p| p.toggle_tag(t, ""))))
                }).collect_view();
                let users = p.users.into_iter().map(|(u, name)| {
                    let label = if name.is_empty() { u.clone() } else { format!("{name} ({u})") };
                    chip(K::WmMember, label, Callback::new(move |()| picked.update(|p| p.toggle_user(&u, ""))))
                }).collect_view();
                view! { {parties}{tags}{users} }.into_any()
            }}
        </div>
    }
}
