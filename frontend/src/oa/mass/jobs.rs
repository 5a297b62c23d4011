//! The job list: state badge, target, MASSSENDJOBFINISH counts, cancel (scheduled) and
//! delete-article (sent articles and videos). Polled while a job is on its way.

use std::time::Duration;

use api::Page;
use api::mass::{MassDeleteInput, MassJob, MassMessage, MassStatus};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as mass_api;
use crate::auth::use_session;
use crate::components::{ConfirmDialog, EmptyState, Pager, Tone, icons, table_states, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::followers::api as followers_api;
use crate::util;

pub fn status_key(s: MassStatus) -> (K, Tone) {
    match s {
        MassStatus::Scheduled => (K::MassStatusScheduled, Tone::Purple),
        MassStatus::Sending => (K::MassStatusSending, Tone::Blue),
        MassStatus::Submitted => (K::MassStatusSubmitted, Tone::Blue),
        MassStatus::Sent => (K::MassStatusSent, Tone::Green),
        MassStatus::Failed => (K::MassStatusFailed, Tone::Red),
        MassStatus::Cancelled => (K::MassStatusCancelled, Tone::Neutral),
    }
}

fn type_key(m: &MassMessage) -> K {
    match m {
        MassMessage::Text { .. } => K::MassTypeText,
        MassMessage::Image { .. } => K::MassTypeImage,
        MassMessage::Voice { .. } => K::MassTypeVoice,
        MassMessage::Video { .. } => K::MassTypeVideo,
        MassMessage::Mpnews { .. } => K::MassTypeArticles,
    }
}

/// WeChat's refusals operators meet most, in words; the others by code.
fn errcode_key(code: i64) -> Option<K> {
    Some(match code {
        45028 => K::MassErr45028,
        40007 => K::MassErr40007,
        40130 => K::MassErr40130,
        48001 => K::MassErr48001,
        45065 => K::MassErr45065,
        _ => return None,
    })
}

#[component]
pub fn Jobs(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_manage = Memo::new(move |_| session.allows(Role::Operator));
    let page = RwSignal::new(1u64);
    let per_page = 20u64;
    let data = LocalResource::new(move || {
        version.track();
        let p = page.get();
        mass_api::list(id, p, per_page)
    });
    let tags = LocalResource::new(move || followers_api::tags(id));
    let tag_name = move |tid: i64, group: bool| -> String {
        tags.get()
            .and_then(|r| r.ok())
            .and_then(|g| {
                let list = if group { g.groups } else { g.tags };
                list.into_iter().find(|t| t.id == tid).map(|t| t.name)
            })
            .unwrap_or_else(|| tid.to_string())
    };
    // While a job is on its way, look again: MASSSENDJOBFINISH lands on its own.
    Effect::new(move |_| {
        if let Some(Ok(p)) = data.get() {
            let busy = p
                .items
                .iter()
                .any(|j| matches!(j.status, MassStatus::Sending | MassStatus::Submitted));
            let waiting = p.items.iter().any(|j| j.status == MassStatus::Scheduled);
            if busy || waiting {
                let ms = if busy { 1500 } else { 10_000 };
                set_timeout(
                    // The page may be gone by then.
                    move || {
                        let _ = version.try_update(|v| *v += 1);
                    },
                    Duration::from_millis(ms),
                );
            }
        }
    });

    // Cancel / delete-article confirmations.
    let action = RwSignal::new(None::<(MassJob, bool)>);
    let confirm_open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_confirm = Callback::new(move |()| {
        let Some((job, delete)) = action.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r = if delete {
                mass_api::delete_article(id, job.id, &MassDeleteInput { article_idx: None }).await
            } else {
                mass_api::cancel(id, job.id).await
            };
            match r {
                Ok(_) => {
                    toasts.success(i.now(if delete {
                        K::MassArticleDeleted
                    } else {
                        K::MassCancelled
                    }));
                    version.update(|v| *v += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = busy.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    let row = move |j: MassJob| {
        let (sk, tone) = status_key(j.status);
        let target = match j.target.kind.as_str() {
            "tag" => fill(
                i.t(K::MassTargetTagNamed),
                "name",
                &tag_name(j.target.id.unwrap_or(0), false),
            ),
            "group" => fill(
                i.t(K::MassTargetGroupNamed),
                "name",
                &tag_name(j.target.id.unwrap_or(0), true),
            ),
            "followers" => fill(
                i.t(K::MassTargetOpenidsN),
                "n",
                &j.target.followers.to_string(),
            ),
            _ => i.t(K::MassTargetAll).to_string(),
        };
        let tk = type_key(&j.message);
        let can_cancel = j.status == MassStatus::Scheduled;
        let deletable = j.status == MassStatus::Sent
            && matches!(
                j.message,
                MassMessage::Mpnews { .. } | MassMessage::Video { .. }
            )
            && j.deleted_articles.is_empty();
        let deleted = !j.deleted_articles.is_empty();
        let error = j.errcode.map(|c| match errcode_key(c) {
            Some(k) => i.t(k).to_string(),
            None => fill(i.t(K::MassErrCode), "code", &c.to_string()),
        });
        let (cj, dj) = (j.clone(), j.clone());
        let counts = j.sent_count.map(|sent| {
            view! {
                <div class="mass-counts" data-testid="mass-counts">
                    <span>{move || i.t(K::MassCountSent)}" "<b data-testid="mass-sent">{sent}</b></span>
                    <span>{move || i.t(K::MassCountFilter)}" "<b data-testid="mass-filter">{j.filter_count.unwrap_or(0)}</b></span>
                    <span>{move || i.t(K::MassCountError)}" "<b data-testid="mass-errors">{j.error_count.unwrap_or(0)}</b></span>
                    <span class="muted">{move || i.t(K::MassCountTotal)}" "{j.total_count.unwrap_or(0)}</span>
                </div>
            }
            .into_any()
        });
        view! {
            <tr data-testid="mass-job" data-id=j.id.to_string() data-status=j.status.as_str()>
                <td data-label=move || i.t(K::MassColMessage)>
                    <div class="mass-summary">{j.summary.clone()}</div>
                    <span class="muted small">{move || i.t(tk)}</span>
                </td>
                <td data-label=move || i.t(K::MassTarget)>{target}</td>
                <td data-label=move || i.t(K::MassColStatus)>
                    <span class=tone.class() data-testid="mass-status">{move || i.t(sk)}</span>
                    {deleted.then(|| view! { <span class="badge">{move || i.t(K::MassDeletedBadge)}</span> })}
                    {error.map(|e| view! { <div class="field-error small" data-testid="mass-job-error">{e}</div> })}
                </td>
                <td data-label=move || i.t(K::MassColResult)>
                    {counts.unwrap_or_else(|| view! { <div class="mass-counts muted">"–"</div> }.into_any())}
                </td>
                <td class="nowrap" data-label=move || i.t(K::MassColTime)>{util::format_time(&j.scheduled_at)}</td>
                <td class="row-actions">
                    <Show when=move || can_manage.get() && can_cancel>
                        <button type="button" class="btn btn-sm" data-testid="mass-cancel" on:click={
                            let j = cj.clone();
                            move |_| { action.set(Some((j.clone(), false))); confirm_open.set(true); }
                        }>{move || i.t(K::Cancel)}</button>
                    </Show>
                    <Show when=move || can_manage.get() && deletable>
                        <button type="button" class="btn btn-sm btn-danger-outline" data-testid="mass-delete-article" on:click={
                            let j = dj.clone();
                            move |_| { action.set(Some((j.clone(), true))); confirm_open.set(true); }
                        }>
                            {icons::trash()}
                            <span>{move || i.t(K::MassDeleteArticle)}</span>
                        </button>
                    </Show>
                </td>
            </tr>
        }
    };

    view! {
        <section class="card" data-testid="mass-jobs">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::MassJobsTitle)}</h2>
                <button type="button" class="btn btn-sm" on:click=move |_| version.update(|v| *v += 1)>
                    {icons::refresh()}
                    <span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {table_states(
                data,
                (4, 5),
                |p: &Page<MassJob>| p.items.is_empty().then(|| view! {
                    <EmptyState title=K::MassJobsEmpty body=K::MassJobsEmptyBody testid="mass-jobs-empty" />
                }.into_any()),
                move |p: Page<MassJob>| {
                    let (total, items) = (p.total, p.items);
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::MassColMessage)}</th>
                                        <th>{move || i.t(K::MassTarget)}</th>
                                        <th>{move || i.t(K::MassColStatus)}</th>
                                        <th>{move || i.t(K::MassColResult)}</th>
                                        <th>{move || i.t(K::MassColTime)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                        <Pager page=page total=total per_page=per_page on_page=Callback::new(move |p| page.set(p)) />
                    }.into_any()
                },
            )}
        </section>
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || {
                i.t(if action.with(|a| a.as_ref().is_some_and(|a| a.1)) { K::MassDeleteArticleTitle } else { K::MassCancelTitle }).to_string()
            })
            body=Signal::derive(move || {
                let summary = action.with(|a| a.as_ref().map(|a| a.0.summary.clone()).unwrap_or_default());
                fill(i.t(if action.with(|a| a.as_ref().is_some_and(|a| a.1)) { K::MassDeleteArticleBody } else { K::MassCancelBody }), "summary", &summary)
            })
            confirm_label=K::Confirm
            busy_label=K::Saving
            busy=busy
            on_confirm=on_confirm
        />
    }
}
