//! The send jobs, newest first: template, state, a progress bar while WeChat is being called,
//! and the delivery counts from TEMPLATESENDJOBFINISH (success / user block / system failed /
//! refused); each opens its delivery report. Polled while a job runs or awaits WeChat's events.

use std::time::Duration;

use api::templates::{DeliveryState, Template, TemplateJob, TemplateJobStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use super::api as tpl_api;
use super::{job_status_key, state_key};
use crate::api_client::ClientError;
use crate::components::{EmptyState, Pager, icons, paginate, table_states};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

const PER_PAGE: u64 = 10;

fn count(j: &TemplateJob, s: DeliveryState) -> u64 {
    j.states.get(s.as_str()).copied().unwrap_or(0)
}

/// Still moving: WeChat is being called, or its TEMPLATESENDJOBFINISH events are awaited.
pub fn in_progress(j: &TemplateJob) -> bool {
    j.status == TemplateJobStatus::Running
        || count(j, DeliveryState::Sent) > 0
        || count(j, DeliveryState::Pending) > 0
        || count(j, DeliveryState::Sending) > 0
}

/// The progress bar and the counts per outcome (shared with the job's report).
#[component]
pub fn JobProgress(job: TemplateJob) -> impl IntoView {
    let i = use_i18n();
    let pct = (job.processed * 100).checked_div(job.total).unwrap_or(100);
    let outcomes = [
        DeliveryState::Delivered,
        DeliveryState::UserBlock,
        DeliveryState::SystemFailed,
        DeliveryState::Failed,
        DeliveryState::Sent,
    ];
    let running = job.status == TemplateJobStatus::Running;
    view! {
        <div class="tpl-progress">
            <Show when=move || running>
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=job.total.to_string()
                    aria-valuenow=job.processed.to_string() aria-label=move || i.t(K::TplProgress) data-testid="tpl-job-progress">
                    <div class="progress-bar" style=format!("width: {pct}%")></div>
                </div>
            </Show>
            <div class="small muted">
                {move || fill(&fill(i.t(K::TplProcessed), "done", &job.processed.to_string()), "total", &job.total.to_string())}
            </div>
            <div class="mass-counts" data-testid="tpl-job-counts">
                {outcomes.into_iter().filter(|s| *s != DeliveryState::Sent || count(&job, *s) > 0).map(|s| {
                    let (k, _) = state_key(s);
                    let n = count(&job, s);
                    view! {
                        <span>{move || i.t(k)}" "<b data-testid=format!("tpl-count-{}", s.as_str())>{n}</b></span>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

#[component]
pub fn Jobs(
    id: i64,
    templates: LocalResource<Result<Vec<Template>, ClientError>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let page = RwSignal::new(1u64);
    let data = LocalResource::new(move || {
        version.track();
        tpl_api::jobs(id)
    });
    let title_of = move |tid: &str| -> String {
        templates
            .get()
            .and_then(|r| r.ok())
            .and_then(|l| {
                l.into_iter()
                    .find(|t| t.template_id == tid)
                    .map(|t| t.title)
            })
            .unwrap_or_else(|| tid.to_string())
    };
    // While a job moves, look again: its recipients' states land on their own.
    Effect::new(move |_| {
        if let Some(Ok(list)) = data.get()
            && list.iter().any(in_progress)
        {
            set_timeout(
                // The page may be gone by then.
                move || {
                    let _ = version.try_update(|v| *v += 1);
                },
                Duration::from_millis(1500),
            );
        }
    });

    let row = move |j: TemplateJob| {
        let (sk, tone) = job_status_key(j.status);
        let title = j
            .template_title
            .clone()
            .unwrap_or_else(|| title_of(&j.template_id));
        let href = format!("/accounts/{id}/templates/jobs/{}", j.id);
        let error = j.error.clone();
        view! {
            <tr data-testid="tpl-job" data-id=j.id.to_string() data-status=match j.status {
                TemplateJobStatus::Running => "running",
                TemplateJobStatus::Done => "done",
                TemplateJobStatus::Failed => "failed",
            }>
                <td data-label=move || i.t(K::TplColJob)>
                    <A href=href.clone() attr:class="link" attr:data-testid="tpl-job-link">{format!("#{}", j.id)}</A>
                    <div class="tpl-title">{title}</div>
                </td>
                <td data-label=move || i.t(K::TplColState)>
                    <span class=tone.class() data-testid="tpl-job-status">{move || i.t(sk)}</span>
                    {error.map(|e| view! { <crate::components::FailureText text=e /> })}
                </td>
                <td data-label=move || i.t(K::TplColResult)>
                    <JobProgress job=j.clone() />
                </td>
                <td data-label=move || i.t(K::TplColStartedBy) data-user-content>{j.started_by.clone()}</td>
                <td class="nowrap" data-label=move || i.t(K::TplColTime)>{util::format_time(&j.created_at)}</td>
                <td class="row-actions">
                    <A href=href attr:class="btn btn-sm">{move || i.t(K::TplReport)}</A>
                </td>
            </tr>
        }
    };

    view! {
        <section class="card" data-testid="tpl-jobs">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::TplJobsTitle)}</h2>
                <button type="button" class="btn btn-sm" on:click=move |_| version.update(|v| *v += 1)>
                    {icons::refresh()}
                    <span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {table_states(
                data,
                (3, 5),
                |l: &Vec<TemplateJob>| l.is_empty().then(|| view! {
                    <EmptyState title=K::TplJobsEmpty body=K::TplJobsEmptyBody testid="tpl-jobs-empty" />
                }.into_any()),
                move |l: Vec<TemplateJob>| {
                    let total = l.len() as u64;
                    let shown = paginate(&l, page.get(), PER_PAGE);
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::TplColJob)}</th>
                                        <th>{move || i.t(K::TplColState)}</th>
                                        <th>{move || i.t(K::TplColResult)}</th>
                                        <th>{move || i.t(K::TplColStartedBy)}</th>
                                        <th>{move || i.t(K::TplColTime)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>{shown.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                        <Pager page=page total=total per_page=PER_PAGE on_page=Callback::new(move |p| page.set(p)) />
                    }.into_any()
                },
            )}
        </section>
    }
}
