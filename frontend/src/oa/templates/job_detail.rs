//! `/accounts/:id/templates/jobs/:job_id`: one send job's delivery report — its progress and
//! counts, and each recipient's state (filter by state, search by openid, paging), with the
//! WeChat error of a refused send in words.

use std::time::Duration;

use api::templates::{TemplateJob, TemplateRecipient};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api as tpl_api;
use super::jobs::{JobProgress, in_progress};
use super::{STATES, errcode_text, job_status_key, state_key};
use crate::accounts::section::AccountTab;
use crate::api_client::enc;
use crate::components::{
    EmptyState, ErrorState, FilterOption, FilterSelect, LoadingState, NotFound, Pager, SearchBox,
    icons, paginate, reload, table_states,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::AccountPage;
use crate::util;

const PER_PAGE: u64 = 20;

#[component]
pub fn TemplateJobPage() -> impl IntoView {
    view! {
        <AccountPage
            tab=AccountTab::Templates
            render=|account| view! { <JobDetail id=account.id /> }.into_any()
        />
    }
}

#[component]
fn JobDetail(id: i64) -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let job_id = Memo::new(move |_| {
        params.with(|p| {
            p.get("job_id")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let version = RwSignal::new(0u32);
    let state = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let job = LocalResource::new(move || {
        version.track();
        let j = job_id.get();
        async move { tpl_api::job(id, j).await }
    });
    let recipients = LocalResource::new(move || {
        version.track();
        let (j, s) = (job_id.get(), state.get());
        async move { tpl_api::recipients(id, j, &s).await }
    });
    // A new filter starts from page 1.
    Effect::new(move |_| {
        state.track();
        search.track();
        page.set(1);
    });
    // While the job moves, look again.
    Effect::new(move |_| {
        if let Some(Ok(j)) = job.get()
            && in_progress(&j)
        {
            set_timeout(
                move || {
                    let _ = version.try_update(|v| *v += 1);
                },
                Duration::from_millis(1500),
            );
        }
    });
    Effect::new(move |_| {
        util::set_title(&format!(
            "{} · wxportal",
            fill(i.t(K::TplJobTitle), "id", &job_id.get().to_string())
        ))
    });

    let state_options = STATES
        .iter()
        .map(|s| FilterOption::key(s.as_str(), state_key(*s).0))
        .collect::<Vec<_>>();

    let row = move |r: TemplateRecipient| {
        let (sk, tone) = state_key(r.state);
        let error = r.errcode.map(|c| errcode_text(c, i.lang_now()));
        let href = format!("/accounts/{id}/followers/{}", enc(&r.openid));
        let (openid, shown_openid) = (r.openid.clone(), r.openid.clone());
        view! {
            <tr data-testid="tpl-recipient" data-openid=openid data-state=r.state.as_str()>
                <td data-label=move || i.t(K::TplColFollower)>
                    <A href=href attr:class="link mono small">{shown_openid}</A>
                </td>
                <td data-label=move || i.t(K::TplColState)>
                    <span class=tone.class() data-testid="tpl-recipient-state">{move || i.t(sk)}</span>
                    {error.map(|e| view! { <div class="field-error small" data-testid="tpl-recipient-error">{e}</div> })}
                </td>
                <td class="mono small" data-label=move || i.t(K::TplColMsgid)>{r.msgid.clone().unwrap_or_else(|| "–".into())}</td>
                <td class="nowrap" data-label=move || i.t(K::TplColSentAt)>{r.sent_at.as_deref().map(util::format_time).unwrap_or_else(|| "–".into())}</td>
                <td class="nowrap" data-label=move || i.t(K::TplColFinishedAt)>{r.finished_at.as_deref().map(util::format_time).unwrap_or_else(|| "–".into())}</td>
            </tr>
        }
    };

    let summary = move |j: TemplateJob| {
        let (sk, tone) = job_status_key(j.status);
        view! {
            <section class="card" data-testid="tpl-job-summary">
                <div class="card-head">
                    <h2 class="section-title">{move || fill(i.t(K::TplJobTitle), "id", &j.id.to_string())}</h2>
                    <span class=tone.class() data-testid="tpl-job-status">{move || i.t(sk)}</span>
                </div>
                <dl class="kvs">
                    <div class="kv"><dt>{move || i.t(K::TplTemplate)}</dt><dd>
                        {j.template_title.clone().map(|t| view! { <div data-testid="tpl-job-template-title" data-user-content>{t}</div> })}
                        <div class="mono small" data-testid="tpl-job-template-id">{j.template_id.clone()}</div>
                    </dd></div>
                    <div class="kv"><dt>{move || i.t(K::TplColStartedBy)}</dt><dd data-user-content>{j.started_by.clone()}</dd></div>
                    <div class="kv"><dt>{move || i.t(K::TplColTime)}</dt><dd>{util::format_time(&j.created_at)}</dd></div>
                    {j.error.clone().map(|e| view! { <div class="kv"><dt>{move || i.t(K::TplJobError)}</dt><dd><crate::components::FailureText text=e class="field-error" /></dd></div> })}
                </dl>
                <JobProgress job=j.clone() />
            </section>
        }
    };

    view! {
        <A href=format!("/accounts/{id}/templates") attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::TplTitle)}</span>
        </A>
        {move || match job.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(job) />
                </div>
            }.into_any(),
            Some(Ok(j)) => summary(j).into_any(),
        }}
        <section class="card table-card" data-testid="tpl-recipients">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::TplRecipientsTitle)}</h2>
            </div>
            <div class="toolbar toolbar-wrap">
                <SearchBox placeholder=K::TplSearchOpenid value=search on_input=Callback::new(move |v| search.set(v)) testid="tpl-recipient-search" />
                <FilterSelect label=K::TplColState value=state on_change=move |v| state.set(v) options=state_options testid="tpl-state-filter" />
            </div>
            {table_states(
                recipients,
                (5, 5),
                |_| None,
                move |l: Vec<TemplateRecipient>| {
                    let needle = search.get().trim().to_string();
                    let l: Vec<_> = l.into_iter().filter(|r| needle.is_empty() || r.openid.contains(&needle)).collect();
                    if l.is_empty() {
                        return view! { <EmptyState title=K::TplRecipientsEmpty body=K::TplRecipientsEmptyBody testid="tpl-recipients-empty" /> }.into_any();
                    }
                    let total = l.len() as u64;
                    let shown = paginate(&l, page.get(), PER_PAGE);
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::TplColFollower)}</th>
                                        <th>{move || i.t(K::TplColState)}</th>
                                        <th>{move || i.t(K::TplColMsgid)}</th>
                                        <th>{move || i.t(K::TplColSentAt)}</th>
                                        <th>{move || i.t(K::TplColFinishedAt)}</th>
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
