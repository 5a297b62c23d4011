//! One member (a dialog): WeCom's fields — restricted ones said to be withheld by WeCom, not
//! empty — departments with leader and main marks, tags, status, and for operators edit,
//! enable / disable and delete. Extended attributes (扩展属性) are listed with web links.

use api::wecom_contacts::Member;
use leptos::prelude::*;

use super::extattr::ExtAttrList;
use super::{api as capi, status_key, use_contacts};
use crate::components::{LoadingState, Modal, icons};
use crate::i18n::{K, use_i18n};
use crate::util;

#[component]
pub fn MemberDetail(
    open: RwSignal<bool>,
    userid: RwSignal<String>,
    on_edit: Callback<Option<Member>>,
    on_enable: Callback<(String, bool)>,
    on_delete: Callback<Vec<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let data = LocalResource::new(move || {
        ctx.generation.track();
        let u = userid.get();
        let show = open.get();
        async move {
            if show && !u.is_empty() {
                Some(capi::member(ctx.account, &u).await)
            } else {
                None
            }
        }
    });
    let body = move || match data.get() {
        None | Some(None) => view! { <LoadingState /> }.into_any(),
        Some(Some(Err(e))) => {
            view! { <div class="alert alert-error">{e.message(i.lang())}</div> }.into_any()
        }
        Some(Some(Ok(m))) => {
            view! { <Details m=m on_edit=on_edit on_enable=on_enable on_delete=on_delete /> }
                .into_any()
        }
    };
    view! {
        <Modal open=open title=Signal::derive(move || i.t(K::WcMemberDetail).to_string())>
            <div class="modal-body" data-testid="member-detail">{body}</div>
        </Modal>
    }
}

#[component]
fn Details(
    m: Member,
    on_edit: Callback<Option<Member>>,
    on_enable: Callback<(String, bool)>,
    on_delete: Callback<Vec<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let (tone, label) = status_key(m.status);
    // A field WeCom withheld from this app (restricted) reads as such, not as empty.
    let restricted = m.restricted;
    let value = move |v: Option<String>| -> AnyView {
        match v {
            _ if restricted => view! { <span class="muted" title=move || i.t(K::WcRestrictedHint)>{move || i.t(K::WcRestricted)}</span> }.into_any(),
            Some(v) if !v.is_empty() => view! { <span>{v}</span> }.into_any(),
            _ => view! { <span class="muted">"–"</span> }.into_any(),
        }
    };
    let gender = m.gender.clone().map(|g| match g.as_str() {
        "1" => K::WcGenderMale,
        "2" => K::WcGenderFemale,
        _ => K::WcGenderUnknown,
    });
    let depts = m
        .departments
        .iter()
        .map(|d| (d.id, d.id == m.main_department, d.is_leader))
        .collect::<Vec<_>>();
    let tags = m.tags.iter().map(|t| ctx.tag_name(*t)).collect::<Vec<_>>();
    let edit_m = m.clone();
    let uid_enable = m.userid.clone();
    let uid_delete = m.userid.clone();
    let enabled = m.enabled;
    view! {
        <div class="wc-detail-head">
            <span class="avatar avatar-lg" aria-hidden="true">{m.name.chars().next().map(|c| c.to_string()).unwrap_or_default()}</span>
            <div>
                <h3 data-testid="member-detail-name">{m.name.clone()}</h3>
                <span class="mono muted">{m.userid.clone()}</span>
            </div>
            <span class=tone.class() data-testid="member-detail-status">{move || i.t(label)}</span>
        </div>
        {restricted.then(|| view! { <div class="alert alert-info small">{move || i.t(K::WcRestrictedHint)}</div> })}
        <dl class="wc-kv">
            <div class="kv"><dt>{move || i.t(K::WcFieldAlias)}</dt><dd>{if m.alias.is_empty() { view! { <span class="muted">"–"</span> }.into_any() } else { view! { <span>{m.alias.clone()}</span> }.into_any() }}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldPosition)}</dt><dd data-testid="member-detail-position">{if m.position.is_empty() { view! { <span class="muted">"–"</span> }.into_any() } else { view! { <span>{m.position.clone()}</span> }.into_any() }}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldMobile)}</dt><dd>{value(m.mobile.clone())}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldEmail)}</dt><dd>{value(m.email.clone())}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldTelephone)}</dt><dd>{value(m.telephone.clone())}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldGender)}</dt><dd>{match gender {
                _ if restricted => value(None),
                Some(k) => view! { <span>{move || i.t(k)}</span> }.into_any(),
                None => value(None),
            }}</dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldDepartments)}</dt><dd>
                <span class="tag-list" data-testid="member-detail-depts">
                    {depts.into_iter().map(|(did, main, leader)| view! {
                        <span class=if main { "badge badge-blue" } else { "badge" }>
                            {move || ctx.dept_name(did)}
                            {main.then(|| view! { <span class="wc-leader">{move || i.t(K::WcMainDept)}</span> })}
                            {leader.then(|| view! { <span class="wc-leader">{move || i.t(K::WcLeader)}</span> })}
                        </span>
                    }).collect_view()}
                </span>
            </dd></div>
            <div class="kv"><dt>{move || i.t(K::WcColTags)}</dt><dd>
                <span class="tag-list" data-testid="member-detail-tags">
                    {if tags.is_empty() {
                        view! { <span class="muted">{move || i.t(K::WcNoTags)}</span> }.into_any()
                    } else {
                        tags.into_iter().map(|t| view! { <span class="badge badge-purple">{t}</span> }).collect_view().into_any()
                    }}
                </span>
            </dd></div>
            <div class="kv"><dt>{move || i.t(K::WcFieldExtattr)}</dt><dd><ExtAttrList attrs=m.extattr.clone() /></dd></div>
            <div class="kv"><dt>{move || i.t(K::UpdatedAt)}</dt><dd class="muted">{util::format_time(&m.updated_at)}</dd></div>
        </dl>
        <Show when=move || ctx.can_edit.get()>
            <div class="wc-detail-actions">
                <button type="button" class="btn" data-testid="member-detail-edit" on:click={
                    let m = edit_m.clone();
                    move |_| on_edit.run(Some(m.clone()))
                }>
                    {icons::edit()}
                    <span>{move || i.t(K::Edit)}</span>
                </button>
                <button type="button" class="btn" data-testid="member-detail-toggle" on:click={
                    let u = uid_enable.clone();
                    move |_| on_enable.run((u.clone(), !enabled))
                }>
                    {move || i.t(if enabled { K::WcDisable } else { K::WcEnable })}
                </button>
                <button type="button" class="btn btn-danger-outline" data-testid="member-detail-delete" on:click={
                    let u = uid_delete.clone();
                    move |_| on_delete.run(vec![u.clone()])
                }>
                    {icons::trash()}
                    <span>{move || i.t(K::Delete)}</span>
                </button>
            </div>
        </Show>
    }
}
