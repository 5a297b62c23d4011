//! The member list: the chosen department's subtree (from the tree), tag, status and a search
//! over name / userid / mobile / email, paging; operators select rows for a batch delete
//! (confirmed) or an invitation ([`super::invite`]), enable / disable a member, and open the
//! create / edit form. A row's name opens the member's detail.

use std::collections::{BTreeMap, BTreeSet};

use api::wecom_contacts::{Member, MemberQuery, MemberStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::invite::InviteDialog;
use super::member_detail::MemberDetail;
use super::member_form::MemberForm;
use super::{api as capi, status_key, use_contacts};
use crate::components::{
    ConfirmDialog, EmptyState, FilterOption, FilterSelect, Pager, SearchBox, debounced, icons,
    table_states, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};

const PER_PAGE: u64 = 20;

fn status_of(v: &str) -> Option<MemberStatus> {
    match v {
        "active" => Some(MemberStatus::Active),
        "disabled" => Some(MemberStatus::Disabled),
        "not_joined" => Some(MemberStatus::NotJoined),
        "quit" => Some(MemberStatus::Quit),
        _ => None,
    }
}

#[component]
pub fn MemberList() -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let id = ctx.account;
    let q_input = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let per_page = RwSignal::new(PER_PAGE);
    let selected = RwSignal::new(BTreeSet::<String>::new());

    let filter = Memo::new(move |_| MemberQuery {
        q: Some(q.get()).filter(|s| !s.trim().is_empty()),
        department: ctx.selected_dept.get(),
        tag: tag.get().parse().ok(),
        status: status_of(&status.get()),
        page: None,
        per_page: None,
    });
    // A new filter starts from page 1 with nothing selected.
    Effect::new(move |_| {
        filter.track();
        page.set(1);
        selected.set(BTreeSet::new());
    });
    let data = LocalResource::new(move || {
        ctx.generation.track();
        let mut f = filter.get();
        f.page = Some(page.get());
        f.per_page = Some(per_page.get());
        async move { capi::members(id, &f).await }
    });
    let total = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .map(|p| p.total)
            .unwrap_or(0)
    });
    let rows = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .map(|p| p.items)
            .unwrap_or_default()
    });
    // Name and status of every member shown so far: an invitation goes to the chosen ones who
    // have not joined (a selection may span pages).
    let seen = RwSignal::new(BTreeMap::<String, (String, MemberStatus)>::new());
    Effect::new(move |_| {
        rows.with(|rs| {
            seen.update(|s| {
                for m in rs {
                    s.insert(m.userid.clone(), (m.name.clone(), m.status));
                }
            })
        })
    });
    let invite_open = RwSignal::new(false);
    let invitees = RwSignal::new(Vec::<(String, String)>::new());
    let invite_skipped = RwSignal::new(0usize);
    let open_invite = move |chosen: Vec<String>| {
        let (mut take, mut skip) = (Vec::new(), 0);
        seen.with_untracked(|s| {
            for u in chosen {
                match s.get(&u) {
                    Some((_, st)) if *st != MemberStatus::NotJoined => skip += 1,
                    Some((name, _)) => take.push((u, name.clone())),
                    None => take.push((u.clone(), u)),
                }
            }
        });
        invitees.set(take);
        invite_skipped.set(skip);
        invite_open.set(true);
    };
    let has_filters =
        move || !q.get().is_empty() || !tag.get().is_empty() || !status.get().is_empty();
    let reset = move || {
        q_input.set(String::new());
        q.set(String::new());
        tag.set(String::new());
        status.set(String::new());
    };
    let clear = move |_| reset();
    let tag_options = Signal::derive(move || {
        ctx.tags
            .get()
            .into_iter()
            .map(|t| FilterOption::text(t.id.to_string(), t.name))
            .collect::<Vec<_>>()
    });

    // Dialogs: the form (None: a new member) and the detail.
    let form_open = RwSignal::new(false);
    let form_member = RwSignal::new(None::<Member>);
    let detail_open = RwSignal::new(false);
    let detail_userid = RwSignal::new(String::new());
    let open_edit = Callback::new(move |m: Option<Member>| {
        form_member.set(m);
        detail_open.set(false);
        form_open.set(true);
    });
    let open_detail = Callback::new(move |userid: String| {
        detail_userid.set(userid);
        detail_open.set(true);
    });

    // Enable / disable.
    let toggling = RwSignal::new(None::<String>);
    let set_enabled = Callback::new(move |(userid, enabled): (String, bool)| {
        toggling.set(Some(userid.clone()));
        spawn_local(async move {
            match capi::set_enabled(id, &userid, enabled).await {
                Ok(_) => {
                    toasts.success(i.now(if enabled {
                        K::WcMemberEnabled
                    } else {
                        K::WcMemberDisabled
                    }));
                    ctx.changed();
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = toggling.try_set(None);
        });
    });

    // Batch delete (also the detail's single delete).
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let to_delete = RwSignal::new(Vec::<String>::new());
    let ask_delete = Callback::new(move |userids: Vec<String>| {
        to_delete.set(userids);
        confirm_open.set(true);
    });
    let on_delete = Callback::new(move |()| {
        let userids = to_delete.get_untracked();
        let n = userids.len();
        deleting.set(true);
        spawn_local(async move {
            match capi::batch_delete(id, userids).await {
                Ok(()) => {
                    toasts.success(fill(i.now(K::WcMembersDeleted), "n", &n.to_string()));
                    selected.set(BTreeSet::new());
                    detail_open.set(false);
                    ctx.changed();
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = deleting.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    let page_all_selected = move || {
        let rows = rows.get();
        !rows.is_empty() && selected.with(|s| rows.iter().all(|m| s.contains(&m.userid)))
    };
    let toggle_page = move |_| {
        let rows = rows.get_untracked();
        let all = page_all_selected();
        selected.update(|s| {
            for m in rows {
                if all {
                    s.remove(&m.userid);
                } else {
                    s.insert(m.userid);
                }
            }
        });
    };
    let dept_chip = move || {
        ctx.selected_dept.get().map(|d| {
            view! {
                <button type="button" class="btn btn-sm chip" data-testid="filter-dept" title=move || i.t(K::WcDeptFilterRemove) on:click=move |_| ctx.selected_dept.set(None)>
                    {move || fill(i.t(K::WcDeptFilterChip), "name", &ctx.dept_name(d))}
                    " ×"
                </button>
            }
        })
    };

    view! {
        <section class="card table-card wc-members" data-testid="member-list">
            <div class="toolbar toolbar-wrap">
                <SearchBox
                    placeholder=K::WcMemberSearch
                    value=q_input
                    on_input=debounced(q_input, Callback::new(move |v| q.set(v)))
                    testid="member-search"
                />
                <FilterSelect label=K::WcFilterTag value=tag on_change=move |v| tag.set(v) options=tag_options testid="member-filter-tag" />
                <FilterSelect
                    label=K::WcFilterStatus
                    value=status
                    on_change=move |v| status.set(v)
                    options=vec![
                        FilterOption::key("active", K::WcStatusActive),
                        FilterOption::key("disabled", K::WcStatusDisabled),
                        FilterOption::key("not_joined", K::WcStatusNotJoined),
                    ]
                    testid="member-filter-status"
                />
                {dept_chip}
                <Show when=has_filters>
                    <button type="button" class="btn btn-ghost" on:click=clear>{move || i.t(K::ClearFilters)}</button>
                </Show>
                <div class="spacer"></div>
                <Show when=move || ctx.can_edit.get()>
                    <button type="button" class="btn" data-testid="member-invite" on:click=move |_| open_invite(Vec::new())>
                        {move || i.t(K::WcInvite)}
                    </button>
                    <button type="button" class="btn btn-primary" data-testid="member-new" on:click=move |_| open_edit.run(None)>
                        {icons::plus()}
                        <span>{move || i.t(K::WcMemberNew)}</span>
                    </button>
                </Show>
            </div>
            <Show when=move || ctx.can_edit.get() && selected.with(|s| !s.is_empty())>
                <div class="bulk-bar" data-testid="member-bulk-bar">
                    <span class="bulk-count" data-testid="member-bulk-count">
                        {move || fill(i.t(K::SelectedCount), "n", &selected.with(|s| s.len()).to_string())}
                    </span>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| selected.set(BTreeSet::new())>
                        {move || i.t(K::ClearSelection)}
                    </button>
                    <div class="spacer"></div>
                    <button type="button" class="btn btn-sm" data-testid="member-bulk-invite" on:click=move |_| open_invite(selected.get_untracked().into_iter().collect())>
                        {move || i.t(K::WcInvite)}
                    </button>
                    <button type="button" class="btn btn-danger-outline btn-sm" data-testid="member-bulk-delete" on:click=move |_| ask_delete.run(selected.get_untracked().into_iter().collect())>
                        {icons::trash()}
                        <span>{move || i.t(K::WcBatchDelete)}</span>
                    </button>
                </div>
            </Show>
            {table_states(
                data,
                (6, 5),
                move |p| {
                    if p.total != 0 {
                        None
                    } else if !has_filters() && ctx.selected_dept.get_untracked().is_none() {
                        Some(view! { <EmptyState title=K::WcMembersEmpty body=K::WcMembersEmptyBody testid="members-empty" /> }.into_any())
                    } else {
                        Some(view! {
                            <EmptyState title=K::WcMembersNoMatch body=K::WcMembersNoMatchBody testid="members-empty">
                                <button type="button" class="btn" on:click=move |_| { reset(); ctx.selected_dept.set(None); }>{move || i.t(K::ClearFilters)}</button>
                            </EmptyState>
                        }.into_any())
                    }
                },
                move |_| view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <Show when=move || ctx.can_edit.get()>
                                        <th class="col-check">
                                            <input type="checkbox" data-testid="member-select-page" aria-label=move || i.t(K::SelectPage) prop:checked=page_all_selected on:change=toggle_page />
                                        </th>
                                    </Show>
                                    <th>{move || i.t(K::WcColMember)}</th>
                                    <th>{move || i.t(K::WcColDepartments)}</th>
                                    <th class="hide-md">{move || i.t(K::WcColContact)}</th>
                                    <th>{move || i.t(K::WcColStatus)}</th>
                                    <Show when=move || ctx.can_edit.get()>
                                        <th>{move || i.t(K::Actions)}</th>
                                    </Show>
                                </tr>
                            </thead>
                            <tbody>
                                <For
                                    each=move || rows.get()
                                    key=|m| (m.userid.clone(), m.updated_at.clone(), capi::status_value(m.status))
                                    children=move |m: Member| view! {
                                        <MemberRow m=m selected=selected toggling=toggling set_enabled=set_enabled open_edit=open_edit open_detail=open_detail />
                                    }
                                />
                            </tbody>
                        </table>
                    </div>
                    <Pager
                        page=page
                        total=total
                        per_page=per_page
                        on_page=move |p| page.set(p)
                        on_per_page=Callback::new(move |n| { per_page.set(n); page.set(1); })
                    />
                }.into_any(),
            )}
            <MemberForm open=form_open member=form_member />
            <InviteDialog open=invite_open members=invitees skipped=invite_skipped />
            <MemberDetail open=detail_open userid=detail_userid on_edit=open_edit on_enable=set_enabled on_delete=ask_delete />
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || fill(i.t(K::WcMembersDeleteTitle), "n", &to_delete.with(|v| v.len()).to_string()))
                body=Signal::derive(move || fill(i.t(K::WcMembersDeleteBody), "names", &to_delete.with(|v| v.join("、"))))
                confirm_label=K::Delete
                busy_label=K::Deleting
                busy=deleting
                on_confirm=on_delete
            />
        </section>
    }
}

#[component]
fn MemberRow(
    m: Member,
    selected: RwSignal<BTreeSet<String>>,
    toggling: RwSignal<Option<String>>,
    set_enabled: Callback<(String, bool)>,
    open_edit: Callback<Option<Member>>,
    open_detail: Callback<String>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let userid = m.userid.clone();
    let is_selected = {
        let u = userid.clone();
        Signal::derive(move || selected.with(|s| s.contains(&u)))
    };
    let toggle = {
        let u = userid.clone();
        move |_| {
            selected.update(|s| {
                if !s.remove(&u) {
                    s.insert(u.clone());
                }
            })
        }
    };
    let (tone, label) = status_key(m.status);
    let depts = m
        .departments
        .iter()
        .map(|d| {
            let main = d.id == m.main_department;
            (d.id, main, d.is_leader)
        })
        .collect::<Vec<_>>();
    let contact = if m.restricted {
        None
    } else {
        Some(
            [m.mobile.clone(), m.email.clone()]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        )
    };
    let enabled = m.enabled;
    let busy = {
        let u = userid.clone();
        move || toggling.with(|t| t.as_deref() == Some(u.as_str()))
    };
    let edit_m = m.clone();
    let detail_u = userid.clone();
    let toggle_u = userid.clone();
    view! {
        <tr data-testid="member-row" data-userid=m.userid.clone() class:row-selected=is_selected>
            <Show when=move || ctx.can_edit.get()>
                <td class="col-check">
                    <input type="checkbox" data-testid="member-select" aria-label=move || i.t(K::SelectRow) prop:checked=is_selected on:change=toggle.clone() />
                </td>
            </Show>
            <td class="cell-main" data-label=move || i.t(K::WcColMember)>
                <button type="button" class="link-btn row-title" data-testid="member-open" on:click=move |_| open_detail.run(detail_u.clone())>
                    {m.name.clone()}
                </button>
                <span class="row-sub mono id-wrap" data-testid="member-userid">{m.userid.clone()}</span>
                {(!m.position.is_empty()).then(|| view! { <span class="row-sub">{m.position.clone()}</span> })}
            </td>
            <td data-label=move || i.t(K::WcColDepartments)>
                <span class="tag-list" data-testid="member-depts">
                    {depts.into_iter().map(|(did, main, leader)| view! {
                        <span class=if main { "badge badge-blue" } else { "badge" } title=move || if main { i.t(K::WcMainDept) } else { "" }>
                            {move || ctx.dept_name(did)}
                            {leader.then(|| view! { <span class="wc-leader">{move || i.t(K::WcLeaderShort)}</span> })}
                        </span>
                    }).collect_view()}
                </span>
            </td>
            <td class="hide-md" data-label=move || i.t(K::WcColContact)>
                {match contact {
                    None => view! { <span class="muted small" title=move || i.t(K::WcRestrictedHint)>{move || i.t(K::WcRestricted)}</span> }.into_any(),
                    Some(c) if c.is_empty() => view! { <span class="muted">"–"</span> }.into_any(),
                    Some(c) => view! { <span class="small id-wrap">{c}</span> }.into_any(),
                }}
            </td>
            <td data-label=move || i.t(K::WcColStatus)>
                <span class=tone.class() data-testid="member-status" data-status=super::api::status_value(m.status)>{move || i.t(label)}</span>
            </td>
            <Show when=move || ctx.can_edit.get()>
                <td class="nowrap" data-label=move || i.t(K::Actions)>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="member-edit" on:click={
                        let m = edit_m.clone();
                        move |_| open_edit.run(Some(m.clone()))
                    }>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="member-toggle" disabled=busy.clone() on:click={
                        let u = toggle_u.clone();
                        move |_| set_enabled.run((u.clone(), !enabled))
                    }>
                        {move || i.t(if enabled { K::WcDisable } else { K::WcEnable })}
                    </button>
                </td>
            </Show>
        </tr>
    }
}
