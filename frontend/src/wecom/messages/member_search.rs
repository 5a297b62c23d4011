//! Member search of the picker: name, userid, mobile or email over the contacts mirror; a
//! userid the mirror does not know yet can still be added by hand (WeChat then says whether it
//! is valid).

use api::wecom_messages::valid_userid;
use leptos::prelude::*;

use super::api as wm_api;
use super::picked::Picked;
use crate::components::debounced;
use crate::i18n::{K, fill, use_i18n};

const SHOWN: u64 = 20;

#[component]
pub(super) fn MemberSearch(id: i64, picked: RwSignal<Picked>) -> impl IntoView {
    let i = use_i18n();
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let on_input = debounced(typed, Callback::new(move |v: String| query.set(v)));
    let results = LocalResource::new(move || {
        let q = query.get();
        async move {
            let q = q.trim().to_string();
            let q = (!q.is_empty()).then_some(q);
            wm_api::members(id, q, None, None, 1, SHOWN).await
        }
    });
    // A typed userid that is not among the results may be added as it is.
    let manual = move || {
        let q = query.get().trim().to_string();
        let known = results
            .get()
            .and_then(|r| r.ok())
            .is_some_and(|p| p.items.iter().any(|m| m.userid == q));
        (valid_userid(&q) && !known).then_some(q)
    };
    view! {
        <div class="wm-members" data-testid="picker-members">
            <input type="search" class="input" data-testid="picker-member-search"
                placeholder=move || i.t(K::WmMemberSearch) aria-label=move || i.t(K::WmMemberSearch)
                prop:value=move || typed.get() on:input=move |ev| on_input.run(event_target_value(&ev)) />
            {move || manual().map(|u| {
                let label = fill(i.t(K::WmAddUserid), "id", &u);
                view! {
                    <button type="button" class="btn btn-sm wm-manual" data-testid="picker-add-userid"
                        on:click=move |_| picked.update(|p| if !p.has_user(&u) { p.users.push((u.clone(), String::new())) })>
                        {label}
                    </button>
                }
            })}
            {move || results.get().map(|r| match r {
                Err(e) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Ok(p) if p.items.is_empty() => view! { <p class="muted small">{move || i.t(K::WmNoMembers)}</p> }.into_any(),
                Ok(p) => {
                    let more = p.total > p.items.len() as u64;
                    let total = p.total;
                    view! {
                        <ul class="wm-pick-list">
                            {p.items.into_iter().map(|m| {
                                let uid = m.userid.clone();
                                let name = m.name.clone();
                                let uid2 = uid.clone();
                                view! {
                                    <li>
                                        <label class="wm-pick-row">
                                            <input type="checkbox" data-testid=format!("picker-member-{}", m.userid)
                                                prop:checked=move || picked.with(|p| p.has_user(&uid2))
                                                on:change=move |_| picked.update(|p| p.toggle_user(&uid, &name)) />
                                            <span>{m.name.clone()}</span>
                                            <span class="muted small mono">{m.userid.clone()}</span>
                                            {(!m.position.is_empty()).then(|| view! { <span class="muted small">{m.position.clone()}</span> })}
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {more.then(|| view! { <p class="muted small">{move || fill(i.t(K::WmMoreMembers), "n", &total.to_string())}</p> })}
                    }.into_any()
                }
            })}
        </div>
    }
}
