//! Tags (标签): the list with member and department counts, create / rename / delete (WeCom
//! lets only a tag's creator change it: 81011), and one tag's members and departments, where
//! adding or removing answers WeCom's refusals per item (`invalidlist` / `invalidparty`).

use api::wecom_contacts::{Tag, TagDetail, TagMembersInput, TagMembersResult, validate_tag_name};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{api as capi, issue_key, tree_order, use_contacts};
use crate::components::{
    ConfirmDialog, EmptyState, FieldRow, LoadingState, Modal, icons, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn TagsView() -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let chosen = RwSignal::new(None::<i64>);
    // Choose the first tag once tags are there.
    Effect::new(move |_| {
        let tags = ctx.tags.get();
        let still = chosen
            .get_untracked()
            .is_some_and(|c| tags.iter().any(|t| t.id == c));
        if !still {
            chosen.set(tags.first().map(|t| t.id));
        }
    });
    // Create / rename.
    let dialog_open = RwSignal::new(false);
    let renaming = RwSignal::new(None::<Tag>);
    // Delete.
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let to_delete = RwSignal::new(None::<Tag>);
    let on_delete = Callback::new(move |()| {
        let Some(t) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            match capi::delete_tag(ctx.account, t.id).await {
                Ok(()) => {
                    toasts.success(i.now(K::WcTagDeleted));
                    ctx.changed();
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = deleting.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });
    view! {
        <div class="wc-tags">
            <section class="card wc-tag-list" data-testid="tag-list">
                <div class="card-head">
                    <h2 class="section-title">{move || i.t(K::WcTags)}</h2>
                    <Show when=move || ctx.can_edit.get()>
                        <button type="button" class="btn btn-sm" data-testid="wc-tag-new" on:click=move |_| { renaming.set(None); dialog_open.set(true); }>
                            {icons::plus()}
                            <span>{move || i.t(K::WcTagNew)}</span>
                        </button>
                    </Show>
                </div>
                {move || ctx.tags.with(|t| t.is_empty()).then(|| view! {
                    <EmptyState title=K::WcTagsEmpty body=K::WcTagsEmptyBody testid="tags-empty" />
                })}
                <ul class="wc-tag-rows">
                    <For
                        each=move || ctx.tags.get()
                        key=|t| (t.id, t.name.clone(), t.user_count, t.department_count)
                        children=move |t: Tag| {
                            let tid = t.id;
                            let rename_t = t.clone();
                            let del_t = t.clone();
                            let mine = t.created_here;
                            view! {
                                <li class="wc-tag-row" class:wc-tree-current=move || chosen.get() == Some(tid) data-testid="wc-tag-row" data-id=tid.to_string()>
                                    <button type="button" class="wc-tag-name" data-testid="wc-tag-open" aria-pressed=move || (chosen.get() == Some(tid)).to_string() on:click=move |_| chosen.set(Some(tid))>
                                        <b>{t.name.clone()}</b>
                                        <span class="muted small">
                                            {move || fill(&fill(i.t(K::WcTagCounts), "users", &t.user_count.to_string()), "depts", &t.department_count.to_string())}
                                        </span>
                                    </button>
                                    {(!mine).then(|| view! { <span class="badge" title=move || i.t(K::WcTagNotMineHint)>{move || i.t(K::WcTagNotMine)}</span> })}
                                    <Show when=move || ctx.can_edit.get()>
                                        <span class="row-actions">
                                            <button type="button" class="icon-btn" data-testid="wc-tag-rename" title=move || i.t(K::Rename) aria-label=move || i.t(K::Rename) on:click={
                                                let t = rename_t.clone();
                                                move |_| { renaming.set(Some(t.clone())); dialog_open.set(true); }
                                            }>{icons::edit()}</button>
                                            <button type="button" class="icon-btn" data-testid="wc-tag-delete" title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete) on:click={
                                                let t = del_t.clone();
                                                move |_| { to_delete.set(Some(t.clone())); confirm_open.set(true); }
                                            }>{icons::trash()}</button>
                                        </span>
                                    </Show>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
            {move || chosen.get().map(|tid| view! { <TagPanel tag_id=tid /> })}
            <TagDialog open=dialog_open renaming=renaming on_saved=Callback::new(move |t: Tag| chosen.set(Some(t.id))) />
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || fill(i.t(K::WcTagDeleteTitle), "name", &to_delete.get().map(|t| t.name).unwrap_or_default()))
                body=Signal::derive(move || i.t(K::WcTagDeleteBody).to_string())
                confirm_label=K::Delete
                busy_label=K::Deleting
                busy=deleting
                on_confirm=on_delete
            />
        </div>
    }
}

#[component]
fn TagDialog(
    open: RwSignal<bool>,
    renaming: RwSignal<Option<Tag>>,
    on_saved: Callback<Tag>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if open.get() {
            name.set(renaming.get_untracked().map(|t| t.name).unwrap_or_default());
            touched.set(false);
            server_error.set(None);
        }
    });
    let error = Signal::derive(move || {
        if let Some(e) = server_error.get() {
            return Some(e);
        }
        if !touched.get() {
            return None;
        }
        validate_tag_name(&name.get()).map(|x| i.t(issue_key(&x.code)).to_string())
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if error.get_untracked().is_some() {
            util::focus_first_error();
            return;
        }
        let n = name.get_untracked().trim().to_string();
        let target = renaming.get_untracked();
        saving.set(true);
        spawn_local(async move {
            let r = match &target {
                Some(t) => capi::rename_tag(ctx.account, t.id, &n).await,
                None => capi::create_tag(ctx.account, &n).await,
            };
            match r {
                Ok(t) => {
                    toasts.success(i.now(if target.is_some() {
                        K::WcTagRenamed
                    } else {
                        K::WcTagCreated
                    }));
                    open.set(false);
                    on_saved.run(t);
                    ctx.changed();
                }
                Err(e) => {
                    let field = e
                        .fields()
                        .iter()
                        .find(|f| f.field == "name")
                        .map(|f| i.now(issue_key(&f.code)).to_string());
                    server_error.set(Some(field.unwrap_or_else(|| e.message(i.lang_now()))));
                }
            }
            let _ = saving.try_set(false);
        });
    };
    view! {
        <Modal open=open title=Signal::derive(move || i.t(if renaming.get().is_some() { K::Rename } else { K::WcTagNew }).to_string())>
            <form on:submit=on_submit novalidate data-testid="wc-tag-form">
                <div class="modal-body">
                    <FieldRow name="tag_name" label=K::WcTagName required=true error=error help=Signal::derive(move || i.t(K::WcTagNameHelp).to_string())>
                        <input id="f-tag_name" class="input" data-testid="wc-tag-field-name" autocomplete="off"
                            aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                            prop:value=move || name.get()
                            on:input=move |ev| { server_error.set(None); name.set(event_target_value(&ev)); }
                            on:blur=move |_| touched.set(true) />
                    </FieldRow>
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="wc-tag-save" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// Splits typed userids on commas, spaces, Chinese commas and new lines.
fn split_userids(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in s
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !out.iter().any(|o| o == u) {
            out.push(u.to_string());
        }
    }
    out
}

/// One tag: its members and departments, add and remove, WeCom's refusals per item.
#[component]
fn TagPanel(tag_id: i64) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let data = LocalResource::new(move || {
        ctx.generation.track();
        capi::tag(ctx.account, tag_id)
    });
    let userids = RwSignal::new(String::new());
    let dept = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    // The last add / remove and WeCom's answer.
    let result = RwSignal::new(None::<(bool, TagMembersResult)>);
    let run = move |req: TagMembersInput, remove: bool| {
        working.set(true);
        result.set(None);
        spawn_local(async move {
            match capi::tag_members(ctx.account, tag_id, &req, remove).await {
                Ok(r) => {
                    let refused = r.invalid_userids.len() + r.invalid_department_ids.len();
                    let applied = req.userids.len() + req.department_ids.len()
                        - refused.min(req.userids.len() + req.department_ids.len());
                    if refused == 0 {
                        toasts.success(i.now(if remove {
                            K::WcTagMembersRemoved
                        } else {
                            K::WcTagMembersAdded
                        }));
                        if !remove {
                            userids.set(String::new());
                            dept.set(String::new());
                        }
                    } else {
                        toasts.error(fill(
                            &fill(i.now(K::WcTagPartial), "n", &applied.to_string()),
                            "refused",
                            &refused.to_string(),
                        ));
                    }
                    result.set(Some((remove, r)));
                    ctx.changed();
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = working.try_set(false);
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = TagMembersInput {
            userids: split_userids(&userids.get_untracked()),
            department_ids: dept.get_untracked().parse().ok().into_iter().collect(),
        };
        if req.userids.is_empty() && req.department_ids.is_empty() {
            toasts.error(i.now(K::WcTagAddNothing));
            return;
        }
        run(req, false);
    };
    let dept_options = Memo::new(move |_| {
        tree_order(&ctx.departments.get())
            .into_iter()
            .map(|(d, depth)| (d.id, format!("{}{}", "　".repeat(depth), d.name)))
            .collect::<Vec<_>>()
    });
    let body = move |d: TagDetail| {
        let users = d.users.clone();
        let depts = d.departments.clone();
        let user_count = users.len().to_string();
        let dept_count = depts.len().to_string();
        view! {
            <div class="card-head">
                <h2 class="section-title" data-testid="tag-panel-name">{d.tag.name.clone()}</h2>
            </div>
            <h3 class="wc-subhead">{move || fill(i.t(K::WcTagMembersHeading), "n", &user_count)}</h3>
            {if users.is_empty() {
                view! { <p class="muted small">{move || i.t(K::WcTagNoMembers)}</p> }.into_any()
            } else {
                view! {
                    <ul class="wc-chip-list" data-testid="tag-members">
                        {users.into_iter().map(|u| {
                            let uid = u.userid.clone();
                            view! {
                                <li class="wc-item-chip" data-testid="tag-member" data-userid=u.userid.clone()>
                                    <span>{u.name.clone()}</span>
                                    <span class="mono muted small">{u.userid.clone()}</span>
                                    <Show when=move || ctx.can_edit.get()>
                                        <button type="button" class="icon-btn" data-testid="tag-member-remove" disabled=move || working.get()
                                            title=move || i.t(K::WcRemove) aria-label=move || i.t(K::WcRemove)
                                            on:click={
                                                let uid = uid.clone();
                                                move |_| run(TagMembersInput { userids: vec![uid.clone()], department_ids: vec![] }, true)
                                            }>
                                            {icons::close()}
                                        </button>
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3 class="wc-subhead">{move || fill(i.t(K::WcTagDeptsHeading), "n", &dept_count)}</h3>
            {if depts.is_empty() {
                view! { <p class="muted small">{move || i.t(K::WcTagNoDepts)}</p> }.into_any()
            } else {
                view! {
                    <ul class="wc-chip-list" data-testid="tag-depts">
                        {depts.into_iter().map(|did| view! {
                            <li class="wc-item-chip" data-testid="tag-dept" data-id=did.to_string()>
                                <span>{move || ctx.dept_name(did)}</span>
                                <Show when=move || ctx.can_edit.get()>
                                    <button type="button" class="icon-btn" data-testid="tag-dept-remove" disabled=move || working.get()
                                        title=move || i.t(K::WcRemove) aria-label=move || i.t(K::WcRemove)
                                        on:click=move |_| run(TagMembersInput { userids: vec![], department_ids: vec![did] }, true)>
                                        {icons::close()}
                                    </button>
                                </Show>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
        .into_any()
    };
    view! {
        <section class="card wc-tag-panel" data-testid="tag-panel">
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! { <div class="alert alert-error">{e.message(i.lang())}</div> }.into_any(),
                Some(Ok(d)) => body(d),
            }}
            {move || result.get().map(|(removed, r)| {
                let refused = !r.invalid_userids.is_empty() || !r.invalid_department_ids.is_empty();
                view! {
                    <div class=if refused { "alert alert-error small wc-result" } else { "alert alert-info small wc-result" } role="status" data-testid="tag-result">
                        {if refused {
                            view! {
                                <p>{move || i.t(if removed { K::WcTagRemoveRefused } else { K::WcTagAddRefused })}</p>
                                <ul>
                                    {r.invalid_userids.iter().map(|u| view! {
                                        <li data-testid="tag-invalid-user"><span class="mono">{u.clone()}</span>" — "{move || i.t(K::WcInvalidUser)}</li>
                                    }).collect_view()}
                                    {r.invalid_department_ids.iter().map(|d| {
                                        let d = *d;
                                        view! {
                                            <li data-testid="tag-invalid-dept">{move || ctx.dept_name(d)}" — "{move || i.t(K::WcInvalidDept)}</li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        } else {
                            view! { <p>{move || i.t(if removed { K::WcTagMembersRemoved } else { K::WcTagMembersAdded })}</p> }.into_any()
                        }}
                    </div>
                }
            })}
            <Show when=move || ctx.can_edit.get()>
                <form class="wc-tag-add" on:submit=add novalidate data-testid="tag-add-form">
                    <h3 class="wc-subhead">{move || i.t(K::WcTagAddHeading)}</h3>
                    <FieldRow name="tag_userids" label=K::WcTagAddUsers error=Signal::derive(|| None::<String>) help=Signal::derive(move || i.t(K::WcTagAddUsersHelp).to_string())>
                        <input id="f-tag_userids" class="input mono" data-testid="tag-add-userids" autocomplete="off" autocapitalize="none" spellcheck="false"
                            prop:value=move || userids.get() on:input=move |ev| userids.set(event_target_value(&ev)) />
                    </FieldRow>
                    <FieldRow name="tag_dept" label=K::WcTagAddDept error=Signal::derive(|| None::<String>)>
                        <select id="f-tag_dept" class="select" data-testid="tag-add-dept" on:change=move |ev| dept.set(event_target_value(&ev))>
                            <option value="" prop:selected=move || dept.get().is_empty()>{move || i.t(K::WcTagAddNoDept)}</option>
                            {move || dept_options.get().into_iter().map(|(id, label)| {
                                let v = id.to_string();
                                view! { <option value=v.clone() prop:selected=move || dept.get() == v>{label}</option> }
                            }).collect_view()}
                        </select>
                    </FieldRow>
                    <button type="submit" class="btn btn-primary" data-testid="tag-add-submit" disabled=move || working.get()>
                        {icons::plus()}
                        <span>{move || i.t(K::WcTagAdd)}</span>
                    </button>
                </form>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn userids_split_on_any_separator() {
        assert_eq!(
            super::split_userids("a.b, c，d、e\nf  a.b"),
            vec!["a.b", "c", "d", "e", "f"]
        );
    }
}
