//! Inviting members to join WeCom (邀请成员, `batch/invite`): the not-joined members chosen in
//! the list, plus departments and tags picked here. WeCom invites what it can and names what
//! it refused; each refused member, department and tag is listed, the rest said to be invited.

use std::collections::BTreeSet;

use api::wecom_extattr::{INVITE_MAX_PARTIES, INVITE_MAX_TAGS, InviteInput, InviteResult};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{api as capi, issue_key, tree_order, use_contacts};
use crate::components::{Modal, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};

/// `members`: `(userid, name)` of the chosen members who have not joined; `skipped`: how many
/// chosen members had joined already (nothing to invite).
#[component]
pub fn InviteDialog(
    open: RwSignal<bool>,
    members: RwSignal<Vec<(String, String)>>,
    skipped: RwSignal<usize>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let depts = RwSignal::new(BTreeSet::<i64>::new());
    let tags = RwSignal::new(BTreeSet::<i64>::new());
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<(InviteInput, InviteResult)>);
    Effect::new(move |_| {
        if open.get() {
            depts.set(BTreeSet::new());
            tags.set(BTreeSet::new());
            error.set(None);
            result.set(None);
        }
    });
    let empty = move || {
        members.with(Vec::is_empty)
            && depts.with(BTreeSet::is_empty)
            && tags.with(BTreeSet::is_empty)
    };
    let too_many = move || {
        depts.with(BTreeSet::len) > INVITE_MAX_PARTIES || tags.with(BTreeSet::len) > INVITE_MAX_TAGS
    };
    let on_send = move |_| {
        let req = InviteInput {
            userids: members.with_untracked(|m| m.iter().map(|(u, _)| u.clone()).collect()),
            department_ids: depts.get_untracked().into_iter().collect(),
            tag_ids: tags.get_untracked().into_iter().collect(),
        };
        error.set(None);
        sending.set(true);
        spawn_local(async move {
            match capi::invite(ctx.account, &req).await {
                Ok(r) => {
                    toasts.success(i.now(K::WcInviteSent));
                    result.set(Some((req, r)));
                }
                Err(e) => {
                    let field = e
                        .fields()
                        .first()
                        .map(|f| i.now(issue_key(&f.code)).to_string());
                    error.set(Some(field.unwrap_or_else(|| e.message(i.lang_now()))));
                }
            }
            let _ = sending.try_set(false);
        });
    };
    let pick = move |set: RwSignal<BTreeSet<i64>>, id: i64| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            set.update(|s| {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            });
        }
    };
    let answer = move || {
        result.get().map(|(req, r)| {
            let invited = (req.userids.len() + req.department_ids.len() + req.tag_ids.len())
                .saturating_sub(
                    r.invalid_userids.len() + r.invalid_department_ids.len() + r.invalid_tag_ids.len(),
                );
            let refused = !(r.invalid_userids.is_empty()
                && r.invalid_department_ids.is_empty()
                && r.invalid_tag_ids.is_empty());
            view! {
                <div class=if refused { "alert alert-warn wc-result" } else { "alert alert-info wc-result" } role="status" data-testid="invite-result">
                    <p data-testid="invite-ok">{fill(i.now(K::WcInviteDone), "n", &invited.to_string())}</p>
                    {refused.then(|| view! {
                        <p>{move || i.t(K::WcInviteRefused)}</p>
                        <ul>
                            {r.invalid_userids.iter().map(|u| view! {
                                <li data-testid="invite-invalid-user"><code>{u.clone()}</code></li>
                            }).collect_view()}
                            {r.invalid_department_ids.iter().map(|d| {
                                let d = *d;
                                view! { <li data-testid="invite-invalid-dept" data-user-content>{move || ctx.dept_name(d)}</li> }
                            }).collect_view()}
                            {r.invalid_tag_ids.iter().map(|t| {
                                let t = *t;
                                view! { <li data-testid="invite-invalid-tag" data-user-content>{move || ctx.tag_name(t)}</li> }
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    };
    view! {
        <Modal open=open title=Signal::derive(move || i.t(K::WcInviteTitle).to_string())>
            <div class="modal-body" data-testid="invite-dialog">
                <p class="muted small">{move || i.t(K::WcInviteIntro)}</p>
                {move || (skipped.get() > 0).then(|| view! {
                    <p class="small" data-testid="invite-skipped">{fill(i.now(K::WcInviteSkipped), "n", &skipped.get().to_string())}</p>
                })}
                <h3 class="wc-subhead">{move || i.t(K::WcInviteMembers)}</h3>
                {move || if members.with(Vec::is_empty) {
                    view! { <p class="muted small">{move || i.t(K::WcInviteNoMembers)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="wc-chip-list">
                            {members.get().into_iter().map(|(u, name)| {
                                let uid = u.clone();
                                view! {
                                    <li class="wc-item-chip" data-testid="invite-member" data-userid=u.clone()>
                                        <span data-user-content>{name}</span>
                                        <button type="button" class="icon-btn" title=move || i.t(K::WcRemove) aria-label=move || i.t(K::WcRemove)
                                            on:click=move |_| members.update(|m| m.retain(|(x, _)| *x != uid))>
                                            {icons::close()}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h3 class="wc-subhead">{move || i.t(K::WcInviteDepartments)}</h3>
                <div class="wc-pick-list" data-testid="invite-depts">
                    {move || tree_order(&ctx.departments.get()).into_iter().map(|(d, depth)| view! {
                        <label style=format!("padding-left:{}px", depth * 14)>
                            <input type="checkbox" data-testid="invite-dept" data-id=d.id.to_string()
                                prop:checked=move || depts.with(|s| s.contains(&d.id)) on:change=pick(depts, d.id) />
                            <span data-user-content>{d.name.clone()}</span>
                        </label>
                    }).collect_view()}
                </div>
                <h3 class="wc-subhead">{move || i.t(K::WcInviteTags)}</h3>
                <div class="wc-pick-list" data-testid="invite-tags">
                    {move || ctx.tags.get().into_iter().map(|t| view! {
                        <label>
                            <input type="checkbox" data-testid="invite-tag" data-id=t.id.to_string()
                                prop:checked=move || tags.with(|s| s.contains(&t.id)) on:change=pick(tags, t.id) />
                            <span data-user-content>{t.name.clone()}</span>
                        </label>
                    }).collect_view()}
                </div>
                {move || too_many().then(|| view! { <div class="alert alert-error small" role="alert">{move || i.t(K::WcErrInviteTooMany)}</div> })}
                {move || error.get().map(|e| view! { <div class="alert alert-error small" role="alert" data-testid="invite-error">{e}</div> })}
                {answer}
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Close)}</button>
                <button type="button" class="btn btn-primary" data-testid="invite-send"
                    disabled=move || sending.get() || empty() || too_many()
                    on:click=on_send>
                    {move || i.t(if sending.get() { K::WcInviteSending } else { K::WcInviteSend })}
                </button>
            </div>
        </Modal>
    }
}
