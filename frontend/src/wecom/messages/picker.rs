//! The recipient picker: @all, or any mix of departments (tree), members (search) and tags,
//! shown as chips with the number of members the send reaches.

use leptos::prelude::*;

use super::api as wm_api;
use super::chips::Chips;
use super::dept_tree::DeptTree;
use super::member_search::MemberSearch;
use super::picked::Picked;
use super::recipient_count::RecipientCount;
use super::tag_list::TagList;
use crate::components::LoadingState;
use crate::i18n::{K, use_i18n};

#[component]
pub(super) fn RecipientPicker(
    id: i64,
    picked: RwSignal<Picked>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let pane = RwSignal::new("departments");
    let departments = LocalResource::new(move || wm_api::departments(id));
    let tags = LocalResource::new(move || wm_api::tags(id));
    let panes: [(&str, K); 3] = [
        ("departments", K::WmDepartments),
        ("members", K::WmMembers),
        ("tags", K::WmTags),
    ];
    view! {
        <fieldset class="wm-picker" data-testid="recipient-picker" aria-invalid=move || error.with(|e| e.is_some()).then_some("true")>
            <legend class="field-label">{move || i.t(K::WmRecipients)}<span class="req" aria-hidden="true">"*"</span></legend>
            <label class="check">
                <input type="checkbox" data-testid="picker-all"
                    prop:checked=move || picked.with(|p| p.all)
                    on:change=move |ev| { let on = event_target_checked(&ev); picked.update(|p| p.all = on); } />
                <span>{move || i.t(K::WmAllMembers)}</span>
                <span class="muted small">{move || i.t(K::WmAllHelp)}</span>
            </label>
            <Show when=move || !picked.with(|p| p.all)>
                <div class="choice-chips" role="tablist">
                    {panes.into_iter().map(|(v, k)| view! {
                        <label class="choice-chip">
                            <input type="radio" name="wm-pane" data-testid=format!("picker-pane-{v}")
                                prop:checked=move || pane.get() == v on:change=move |_| pane.set(v) />
                            <span>{move || i.t(k)}</span>
                        </label>
                    }).collect_view()}
                </div>
                <div class="wm-pane">
                    {move || match pane.get() {
                        "members" => view! { <MemberSearch id=id picked=picked /> }.into_any(),
                        "tags" => match tags.get() {
                            None => view! { <LoadingState /> }.into_any(),
                            Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                            Some(Ok(t)) => view! { <TagList tags=t.tags picked=picked /> }.into_any(),
                        },
                        _ => match departments.get() {
                            None => view! { <LoadingState /> }.into_any(),
                            Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                            Some(Ok(t)) if t.departments.is_empty() => view! {
                                <p class="muted small" data-testid="picker-not-synced">{move || i.t(K::WmNotSynced)}</p>
                            }.into_any(),
                            Some(Ok(t)) => view! { <DeptTree departments=t.departments picked=picked /> }.into_any(),
                        },
                    }}
                </div>
            </Show>
            <Chips picked=picked />
            <RecipientCount id=id picked=picked />
            {move || error.get().map(|m| view! { <p class="field-error" data-testid="error-recipients" role="alert">{m}</p> })}
        </fieldset>
    }
}
