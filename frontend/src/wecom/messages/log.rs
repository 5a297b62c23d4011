//! The send log: filters by state and type, paging, each send's recipients and WeChat's
//! answer (invalid receivers counted), retry for failed calls, recall within WeCom's window
//! (confirmed first), and the full answer in a dialog.

use api::Page;
use api::staff::Role;
use api::wecom_messages::{AppMessageSummary, Recipients, SendState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as wm_api;
use super::detail::SendDetail;
use super::{TYPES, state_key, type_key};
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EmptyState, FilterOption, FilterSelect, Pager, icons, table_states, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

pub(super) fn recipients_text(r: &Recipients, lang: api::Lang) -> String {
    if r.all {
        return K::WmAllMembers.text(lang).to_string();
    }
    let mut v = Vec::new();
    for (n, k) in [
        (r.parties.len(), K::WmNDepartments),
        (r.tags.len(), K::WmNTags),
        (r.users.len(), K::WmNMembers),
    ] {
        if n > 0 {
            v.push(fill(k.text(lang), "n", &n.to_string()));
        }
    }
    v.join(K::WmListSep.text(lang))
}

/// Whether the send can still be recalled (WeCom allows 24 hours).
fn recallable(m: &AppMessageSummary) -> bool {
    matches!(m.state, SendState::Sent | SendState::Partial)
        && m.recallable_until
            .as_deref()
            .is_some_and(|t| js_sys::Date::parse(t) > js_sys::Date::now())
}

#[component]
pub(super) fn SendLog(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_manage = Memo::new(move |_| session.allows(Role::Operator));
    let state = RwSignal::new(String::new());
    let msgtype = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let per_page = RwSignal::new(20u64);
    let data = LocalResource::new(move || {
        version.track();
        wm_api::list(id, state.get(), msgtype.get(), page.get(), per_page.get())
    });
    let state_options = Signal::derive(move || {
        SendState::ALL
            .into_iter()
            .map(|s| FilterOption::key(s.as_str(), state_key(s).0))
            .collect::<Vec<_>>()
    });
    let type_options = Signal::derive(move || {
        TYPES
            .into_iter()
            .map(|(t, k)| FilterOption::key(t, k))
            .collect::<Vec<_>>()
    });

    let detail_open = RwSignal::new(false);
    let detail_of: RwSignal<Option<i64>> = RwSignal::new(None);
    let retrying: RwSignal<Option<i64>> = RwSignal::new(None);
    let retry = move |m: i64| {
        retrying.set(Some(m));
        spawn_local(async move {
            let r = wm_api::retry(id, m).await;
            let _ = retrying.try_set(None);
            match r {
                Ok(a) if a.summary.state == SendState::Sent => toasts.success(i.now(K::WmRetried)),
                Ok(a) => {
                    let why = a
                        .parts
                        .iter()
                        .find_map(|p| p.errcode)
                        .map(|c| super::errcode_text(c, i.lang_now()));
                    toasts.error(why.unwrap_or_else(|| i.now(K::WmFailedToast).to_string()));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            version.update(|v| *v += 1);
        });
    };
    let recall_of: RwSignal<Option<AppMessageSummary>> = RwSignal::new(None);
    let recall_open = RwSignal::new(false);
    let recalling = RwSignal::new(false);
    let on_recall = Callback::new(move |()| {
        let Some(m) = recall_of.get_untracked() else {
            return;
        };
        recalling.set(true);
        spawn_local(async move {
            let r = wm_api::recall(id, m.id).await;
            let _ = recalling.try_set(false);
            let _ = recall_open.try_set(false);
            match r {
                Ok(_) => toasts.success(i.now(K::WmRecalled)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            version.update(|v| *v += 1);
        });
    });

    let row = move |m: AppMessageSummary| {
        let (sk, tone) = state_key(m.state);
        let tk = type_key(&m.msgtype);
        let mid = m.id;
        let can_retry = matches!(
            m.state,
            SendState::Failed | SendState::Unknown | SendState::Partial
        );
        let can_recall = recallable(&m);
        let invalid = m.invalid_count;
        let rec = m.recipients.clone();
        let mr = m.clone();
        view! {
            <tr data-testid="wm-row" data-id=mid.to_string() data-state=m.state.as_str() data-type=m.msgtype.clone()>
                <td data-label=move || i.t(K::WmContentCol)>
                    <div class="mass-summary" data-testid="wm-row-summary">{m.summary.clone()}</div>
                    <span class="muted small">{move || i.t(tk)}</span>
                </td>
                <td data-label=move || i.t(K::WmRecipients)>{move || recipients_text(&rec, i.lang())}</td>
                <td data-label=move || i.t(K::WmColState)>
                    <span class=tone.class() data-testid="wm-row-state">{move || i.t(sk)}</span>
                    {(invalid > 0).then(|| view! {
                        <div class="warn-text small" data-testid="wm-row-invalid">{move || fill(i.t(K::WmInvalidN), "n", &invalid.to_string())}</div>
                    })}
                </td>
                <td class="nowrap" data-label=move || i.t(K::WmColTime)>
                    {util::format_time(&m.created_at)}
                    <div class="muted small" data-user-content>{m.created_by.clone()}</div>
                </td>
                <td class="row-actions">
                    <button type="button" class="btn btn-sm" data-testid="wm-row-detail"
                        on:click=move |_| { detail_of.set(Some(mid)); detail_open.set(true); }>
                        {icons::info()}<span>{move || i.t(K::WmDetail)}</span>
                    </button>
                    <Show when=move || can_manage.get() && can_retry>
                        <button type="button" class="btn btn-sm" data-testid="wm-row-retry"
                            prop:disabled=move || retrying.get() == Some(mid)
                            on:click=move |_| retry(mid)>
                            {icons::refresh()}<span>{move || i.t(if retrying.get() == Some(mid) { K::WmRetrying } else { K::Retry })}</span>
                        </button>
                    </Show>
                    <Show when=move || can_manage.get() && can_recall>
                        <button type="button" class="btn btn-sm btn-danger-outline" data-testid="wm-row-recall"
                            on:click={
                                let mr = mr.clone();
                                move |_| { recall_of.set(Some(mr.clone())); recall_open.set(true); }
                            }>
                            {icons::back()}<span>{move || i.t(K::WmRecall)}</span>
                        </button>
                    </Show>
                </td>
            </tr>
        }
    };

    view! {
        <section class="card" data-testid="wm-log">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WmLogTitle)}</h2>
                <button type="button" class="btn btn-sm" data-testid="wm-log-refresh" on:click=move |_| version.update(|v| *v += 1)>
                    {icons::refresh()}<span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            <div class="toolbar toolbar-wrap">
                <FilterSelect label=K::WmColState value=state testid="wm-filter-state" options=state_options
                    on_change=Callback::new(move |v| { state.set(v); page.set(1); }) />
                <FilterSelect label=K::WmType value=msgtype testid="wm-filter-type" options=type_options
                    on_change=Callback::new(move |v| { msgtype.set(v); page.set(1); }) />
            </div>
            {table_states(
                data,
                (4, 5),
                |p: &Page<AppMessageSummary>| p.items.is_empty().then(|| view! {
                    <EmptyState title=K::WmLogEmpty body=K::WmLogEmptyBody testid="wm-log-empty" />
                }.into_any()),
                move |p: Page<AppMessageSummary>| {
                    let (total, items) = (p.total, p.items);
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::WmContentCol)}</th>
                                        <th>{move || i.t(K::WmRecipients)}</th>
                                        <th>{move || i.t(K::WmColState)}</th>
                                        <th>{move || i.t(K::WmColTime)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                        <Pager page=page total=total per_page=per_page
                            on_page=Callback::new(move |p| page.set(p))
                            on_per_page=Callback::new(move |n| { per_page.set(n); page.set(1); }) />
                    }.into_any()
                },
            )}
        </section>
        <SendDetail id=id message=detail_of open=detail_open />
        <ConfirmDialog
            open=recall_open
            title=Signal::derive(move || i.t(K::WmRecallTitle).to_string())
            body=Signal::derive(move || {
                let s = recall_of.with(|m| m.as_ref().map(|m| m.summary.clone()).unwrap_or_default());
                fill(i.t(K::WmRecallBody), "summary", &s)
            })
            confirm_label=K::WmRecall
            busy_label=K::WmRecalling
            busy=recalling
            on_confirm=on_recall
        />
    }
}
