//! Drafts and scheduled sends (草稿与定时发送): each with its content, recipients, state and time
//! (Beijing); edit (back into the composer), cancel a schedule before it goes, delete
//! (confirmed). A scheduled one that was sent shows the send's state and its number in the log.

use api::staff::Role;
use api::wecom_message_drafts::{DraftState, MessageDraft};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as wm_api;
use super::log::recipients_text;
use super::{state_key, type_key};
use crate::auth::use_session;
use crate::components::{ConfirmDialog, EmptyState, Tone, icons, table_states, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn draft_state_key(s: DraftState) -> (K, Tone) {
    match s {
        DraftState::Draft => (K::WmDraftStateDraft, Tone::Neutral),
        DraftState::Scheduled => (K::WmDraftStateScheduled, Tone::Blue),
        DraftState::Sending => (K::WmDraftStateSending, Tone::Blue),
        DraftState::Sent => (K::WmDraftStateSent, Tone::Green),
        DraftState::Failed => (K::WmDraftStateFailed, Tone::Red),
    }
}

#[component]
pub(super) fn SavedList(
    id: i64,
    version: RwSignal<u32>,
    load: RwSignal<Option<MessageDraft>>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_manage = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(move || {
        version.track();
        wm_api::drafts(id)
    });
    // While a scheduled send waits or is being sent, look again now and then (its state moves
    // without anyone here doing anything).
    let pending = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .is_some_and(|v: Vec<MessageDraft>| {
                v.iter()
                    .any(|d| matches!(d.state, DraftState::Scheduled | DraftState::Sending))
            })
    });
    Effect::new(move |_| {
        if pending.get() {
            let h = set_interval_with_handle(
                move || version.update(|v| *v += 1),
                std::time::Duration::from_secs(5),
            )
            .ok();
            on_cleanup(move || {
                if let Some(h) = h {
                    h.clear();
                }
            });
        }
    });

    let busy: RwSignal<Option<i64>> = RwSignal::new(None);
    let cancel = move |d: i64| {
        busy.set(Some(d));
        spawn_local(async move {
            let r = wm_api::cancel_schedule(id, d).await;
            let _ = busy.try_set(None);
            match r {
                Ok(_) => toasts.success(i.now(K::WmScheduleCancelled)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            version.update(|v| *v += 1);
        });
    };
    let delete_of: RwSignal<Option<MessageDraft>> = RwSignal::new(None);
    let delete_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        let Some(d) = delete_of.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let r = wm_api::delete_draft(id, d.id).await;
            let _ = deleting.try_set(false);
            let _ = delete_open.try_set(false);
            match r {
                Ok(()) => toasts.success(i.now(K::WmDraftDeleted)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            version.update(|v| *v += 1);
        });
    });

    let row = move |d: MessageDraft| {
        let (sk, tone) = match (d.state, d.message_state) {
            (DraftState::Sent, Some(ms)) => state_key(ms),
            (s, _) => draft_state_key(s),
        };
        let tk = type_key(&d.msgtype);
        let did = d.id;
        let rec = d.recipients.clone();
        let state = d.state;
        let waiting = state == DraftState::Scheduled && d.error.is_some();
        let error = d.error.clone();
        let when = d.scheduled_at.as_deref().map(util::format_time);
        let edited = (d.updated_by.clone(), util::format_time(&d.updated_at));
        let message_id = d.message_id;
        let dm = d.clone();
        let de = d.clone();
        let summary = if d.summary.is_empty() {
            "—".to_string()
        } else {
            d.summary.clone()
        };
        view! {
            <tr data-testid="wm-draft-row" data-id=did.to_string() data-state=state.as_str()
                data-message-state=d.message_state.map(|s| s.as_str()).unwrap_or_default()>
                <td data-label=move || i.t(K::WmContentCol)>
                    <div class="mass-summary" data-testid="wm-draft-summary">{summary}</div>
                    <span class="muted small">{move || i.t(tk)}</span>
                </td>
                <td data-label=move || i.t(K::WmRecipients)>{move || recipients_text(&rec, i.lang())}</td>
                <td data-label=move || i.t(K::WmColState)>
                    <span class=tone.class() data-testid="wm-draft-state">{move || i.t(sk)}</span>
                    {message_id.map(|n| view! {
                        <div class="muted small" data-testid="wm-draft-message">{move || fill(i.t(K::WmDraftSentAs), "n", &n.to_string())}</div>
                    })}
                    {waiting.then(|| view! { <div class="warn-text small">{move || i.t(K::WmDraftWaiting)}</div> })}
                    {(state == DraftState::Failed).then(|| {
                        let error = error.clone().unwrap_or_default();
                        view! {
                            <div class="warn-text small" data-testid="wm-draft-error">
                                {move || if i.lang() == api::Lang::En && !error.is_empty() {
                                    format!("{} ({error})", i.t(K::WmDraftFailedHelp))
                                } else {
                                    i.t(K::WmDraftFailedHelp).to_string()
                                }}
                            </div>
                        }
                    })}
                </td>
                <td class="nowrap" data-label=move || i.t(K::WmScheduleAt)>
                    {when.clone().unwrap_or_else(|| "—".into())}
                    <div class="muted small">{move || fill(&fill(i.t(K::WmDraftUpdatedBy), "name", &edited.0), "time", &edited.1)}</div>
                </td>
                <td class="row-actions">
                    <Show when=move || can_manage.get() && state.editable()>
                        <button type="button" class="btn btn-sm" data-testid="wm-draft-edit"
                            on:click={
                                let de = de.clone();
                                move |_| load.set(Some(de.clone()))
                            }>
                            {icons::edit()}<span>{move || i.t(K::Edit)}</span>
                        </button>
                    </Show>
                    <Show when=move || can_manage.get() && state == DraftState::Scheduled>
                        <button type="button" class="btn btn-sm" data-testid="wm-draft-cancel"
                            prop:disabled=move || busy.get() == Some(did)
                            on:click=move |_| cancel(did)>
                            {icons::close()}<span>{move || i.t(K::WmCancelSchedule)}</span>
                        </button>
                    </Show>
                    <Show when=move || can_manage.get() && state != DraftState::Sending>
                        <button type="button" class="btn btn-sm btn-danger-outline" data-testid="wm-draft-delete"
                            on:click={
                                let dm = dm.clone();
                                move |_| { delete_of.set(Some(dm.clone())); delete_open.set(true); }
                            }>
                            {icons::trash()}<span>{move || i.t(K::Delete)}</span>
                        </button>
                    </Show>
                </td>
            </tr>
        }
    };

    view! {
        <section class="card" data-testid="wm-drafts">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WmDraftsTitle)}</h2>
                <button type="button" class="btn btn-sm" data-testid="wm-drafts-refresh" on:click=move |_| version.update(|v| *v += 1)>
                    {icons::refresh()}<span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {table_states(
                data,
                (2, 5),
                |v: &Vec<MessageDraft>| v.is_empty().then(|| view! {
                    <EmptyState title=K::WmDraftsEmpty body=K::WmDraftsEmptyBody testid="wm-drafts-empty" />
                }.into_any()),
                move |v: Vec<MessageDraft>| view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::WmContentCol)}</th>
                                    <th>{move || i.t(K::WmRecipients)}</th>
                                    <th>{move || i.t(K::WmColState)}</th>
                                    <th>{move || i.t(K::WmScheduleAt)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>{v.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            )}
        </section>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::WmDeleteDraftTitle).to_string())
            body=Signal::derive(move || {
                let s = delete_of.with(|d| d.as_ref().map(|d| d.summary.clone()).unwrap_or_default());
                fill(i.t(K::WmDeleteDraftBody), "summary", &s)
            })
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
