//! `/accounts/:id/followers`: the sync panel (progress bar polled while a sync runs), filters,
//! the follower table with selection, and bulk tag / untag / move-to-group run as background jobs
//! (their progress bar polled while one runs, also for staff who open the page meanwhile).

use std::collections::BTreeSet;
use std::time::Duration;

use api::followers::{
    BulkJob, BulkKind, Follower, FollowerQuery, FollowerSort, MoveGroupRequest, Selection,
    SyncState, SyncStatus, Tag, TaggingRequest, TagsAndGroups,
};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::qr_filter::QrSceneFilter;
use super::row::FollowerRow;
use super::{SCENES, scene_key};
use crate::accounts::section::{AccountSection, AccountTab};
use crate::api_client;
use crate::auth::use_session;
use crate::components::{
    Badge, DateInput, EmptyState, FilterOption, FilterSelect, Pager, SearchBox, Tone, debounced,
    icons, table_states, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::followers::api as followers_api;
use crate::util;

fn sort_key(s: FollowerSort) -> K {
    match s {
        FollowerSort::Newest => K::SortNewest,
        FollowerSort::SubscribedDesc => K::SortSubscribedDesc,
        FollowerSort::SubscribedAsc => K::SortSubscribedAsc,
        FollowerSort::Remark => K::SortRemark,
        FollowerSort::Nickname => K::SortNickname,
    }
}

#[component]
pub fn FollowersPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Followers
            render=|account| view! { <Followers id=account.id /> }.into_any()
        />
    }
}

#[component]
fn Followers(id: i64) -> impl IntoView {
    let i = use_i18n();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::FollowersTitle))));
    // Bumped when a sync finishes or a bulk action is done, so the list and tags reload.
    let generation = RwSignal::new(0u32);
    view! {
        <SyncPanel id=id on_done=Callback::new(move |()| generation.update(|g| *g += 1)) />
        <FollowerBrowser id=id generation=generation />
    }
}

fn phase_key(phase: &str) -> K {
    match phase {
        "tags" => K::SyncPhaseTags,
        "groups" => K::SyncPhaseGroups,
        "finishing" => K::SyncPhaseFinishing,
        _ => K::SyncPhaseFollowers,
    }
}

/// Loads the sync state; while a sync runs, again every second (until the page is left).
fn poll(id: i64, state: RwSignal<Option<SyncState>>, on_done: Callback<()>) {
    spawn_local(async move {
        let Ok(s) = followers_api::sync_state(id).await else {
            return;
        };
        let was_running = state
            .try_get_untracked()
            .flatten()
            .and_then(|s| s.job)
            .is_some_and(|j| j.status == SyncStatus::Running);
        let running = s
            .job
            .as_ref()
            .is_some_and(|j| j.status == SyncStatus::Running);
        if state.try_set(Some(s)).is_some() {
            return; // the page is gone
        }
        if was_running && !running {
            on_done.run(());
        }
        if running {
            set_timeout(
                move || poll(id, state, on_done),
                Duration::from_millis(1000),
            );
        }
    });
}

#[component]
fn SyncPanel(id: i64, on_done: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_sync = Memo::new(move |_| session.allows(Role::Operator));
    let state = RwSignal::new(None::<SyncState>);
    let starting = RwSignal::new(false);
    poll(id, state, on_done);
    let job = Memo::new(move |_| state.get().and_then(|s| s.job));
    let running = Memo::new(move |_| job.get().is_some_and(|j| j.status == SyncStatus::Running));
    let start = move |fresh: bool| {
        starting.set(true);
        spawn_local(async move {
            match followers_api::start_sync(id, fresh).await {
                Ok(_) => {
                    toasts.success(i.now(K::SyncStarted));
                    poll(id, state, on_done);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = starting.try_set(false);
        });
    };
    let pct = move || {
        job.get()
            .map(|j| {
                if j.status == SyncStatus::Done {
                    100.0
                } else if j.total > 0 {
                    (j.stored as f64 * 100.0 / j.total as f64).min(100.0)
                } else {
                    0.0
                }
            })
            .unwrap_or(0.0)
    };
    let button_label = move || {
        if running.get() {
            i.t(K::SyncRunning)
        } else if job.get().is_some_and(|j| j.status == SyncStatus::Failed) {
            i.t(K::SyncResume)
        } else {
            i.t(K::SyncStart)
        }
    };
    view! {
        <section class="card sync-card" data-testid="sync-panel">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::SyncTitle)}</h2>
                <Show when=move || can_sync.get()>
                    <div class="card-head-actions">
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="sync-start"
                        disabled=move || running.get() || starting.get()
                        on:click=move |_| start(false)
                    >
                        {icons::refresh()}
                        <span>{button_label}</span>
                    </button>
                    <Show when=move || job.get().is_some_and(|j| j.status == SyncStatus::Failed)>
                        <button
                            type="button"
                            class="btn"
                            data-testid="sync-fresh"
                            title=move || i.t(K::SyncFreshHint)
                            disabled=move || starting.get()
                            on:click=move |_| start(true)
                        >
                            {move || i.t(K::SyncFresh)}
                        </button>
                    </Show>
                    </div>
                </Show>
            </div>
            {move || match job.get() {
                None => view! { <p class="muted" data-testid="sync-never">{move || i.t(K::SyncNever)}</p> }.into_any(),
                Some(j) => {
                    let status = j.status;
                    let (tone, label) = match status {
                        SyncStatus::Running => (Tone::Blue, K::SyncRunning),
                        SyncStatus::Done => (Tone::Green, K::SyncDone),
                        SyncStatus::Failed => (Tone::Red, K::SyncFailed),
                    };
                    let phase = j.phase.clone();
                    let started = fill(
                        &fill(i.t(K::SyncStartedBy), "who", &crate::components::mark(&j.started_by)),
                        "at",
                        &util::format_time(&j.started_at),
                    );
                    view! {
                        <div class="sync-status">
                            <span data-testid="sync-status" data-status=format!("{status:?}").to_lowercase()>
                                <Badge tone=tone text=label />
                            </span>
                            {(status == SyncStatus::Running).then(|| view! { <span class="muted small">{move || i.t(phase_key(&phase))}</span> })}
                            <span class="muted small">{crate::components::named(&started)}</span>
                        </div>
                        <div
                            class="sync-bar"
                            class:sync-bar-failed=status == SyncStatus::Failed
                            role="progressbar"
                            aria-valuemin="0"
                            aria-valuemax="100"
                            aria-valuenow=move || format!("{:.0}", pct())
                            data-testid="sync-progress"
                        >
                            <span class="sync-fill" style=move || format!("width:{:.1}%", pct())></span>
                        </div>
                        <div class="sync-meta">
                            <span>
                                <b data-testid="sync-stored">{j.stored}</b>
                                " / "
                                <span data-testid="sync-total">{j.total}</span>
                            </span>
                            <span>{fill(i.t(K::SyncRate), "rate", &format!("{:.0}", j.rate_per_sec))}</span>
                            <span>
                                {fill(&fill(i.t(K::SyncCalls), "calls", &j.calls.to_string()), "retries", &j.retries.to_string())}
                            </span>
                            {(j.resumed_from > 0).then(|| view! {
                                <span>{fill(i.t(K::SyncResumedFrom), "n", &j.resumed_from.to_string())}</span>
                            })}
                        </div>
                        {j.error.clone().map(|e| view! {
                            <div class="alert alert-error small" data-testid="sync-error">
                                <crate::components::FailureText text=e inline=true />
                                " "{move || i.t(K::SyncFailedHint)}
                            </div>
                        })}
                    }
                        .into_any()
                }
            }}
            {move || state.get().map(|s| view! {
                <p class="muted small">{fill(i.t(K::SyncStored), "n", &s.subscribed.to_string())}</p>
            })}
        </section>
    }
}

/// Reloads a bulk job every second while it runs (until the page is left), then hands the
/// finished job to `on_end`.
fn follow_bulk(id: i64, job_id: i64, job: RwSignal<Option<BulkJob>>, on_end: Callback<BulkJob>) {
    set_timeout(
        move || {
            spawn_local(async move {
                if job.try_get_untracked().is_none() {
                    return; // the page is gone
                }
                match followers_api::bulk_job(id, job_id).await {
                    Ok(j) if j.status == SyncStatus::Running => {
                        if job.try_set(Some(j)).is_none() {
                            follow_bulk(id, job_id, job, on_end);
                        }
                    }
                    Ok(j) => {
                        if job.try_set(Some(j.clone())).is_none() {
                            on_end.run(j);
                        }
                    }
                    // A network hiccup: try again; the job runs on the server regardless.
                    Err(_) => follow_bulk(id, job_id, job, on_end),
                }
            });
        },
        Duration::from_millis(1000),
    );
}

/// The bulk job's progress: what it does, done / total, calls, percentage, and the error.
#[component]
fn BulkJobPanel(job: RwSignal<Option<BulkJob>>, names: Memo<TagsAndGroups>) -> impl IntoView {
    let i = use_i18n();
    move || {
        job.get().map(|j| {
            let pct = if j.status == SyncStatus::Done {
                100.0
            } else if j.total > 0 {
                (j.done as f64 * 100.0 / j.total as f64).min(100.0)
            } else {
                0.0
            };
            let (tone, label) = match j.status {
                SyncStatus::Running => (Tone::Blue, K::BulkJobRunning),
                SyncStatus::Done => (Tone::Green, K::BulkJobDone),
                SyncStatus::Failed => (Tone::Red, K::BulkJobFailed),
            };
            let (what, list) = match j.kind {
                BulkKind::Tag => (K::BulkJobTag, names.with(|n| n.tags.clone())),
                BulkKind::Untag => (K::BulkJobUntag, names.with(|n| n.tags.clone())),
                BulkKind::MoveGroup => (K::BulkJobMove, names.with(|n| n.groups.clone())),
            };
            let target = list
                .into_iter()
                .find(|t| t.id == j.target_id)
                .map(|t| t.name)
                .unwrap_or_else(|| format!("#{}", j.target_id));
            let finished = j.status != SyncStatus::Running;
            let status = format!("{:?}", j.status).to_lowercase();
            let started = fill(
                &fill(i.t(K::BulkJobStartedBy), "who", &crate::components::mark(&j.started_by)),
                "at",
                &util::format_time(&j.started_at),
            );
            view! {
                <div class="bulk-job" data-testid="bulk-job" data-status=status>
                    <div class="sync-status">
                        <b>{fill(i.t(what), "name", &target)}</b>
                        <Badge tone=tone text=label />
                        <span class="muted small">{crate::components::named(&started)}</span>
                        <div class="spacer"></div>
                        {finished.then(|| view! {
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="bulk-job-close" on:click=move |_| job.set(None)>
                                {move || i.t(K::Close)}
                            </button>
                        })}
                    </div>
                    <div
                        class="sync-bar"
                        class:sync-bar-failed=j.status == SyncStatus::Failed
                        role="progressbar"
                        aria-valuemin="0"
                        aria-valuemax="100"
                        aria-valuenow=format!("{pct:.0}")
                        data-testid="bulk-progress"
                    >
                        <span class="sync-fill" style=format!("width:{pct:.1}%")></span>
                    </div>
                    <div class="sync-meta">
                        <span data-testid="bulk-job-done">
                            {fill(&fill(i.t(K::BulkJobProgress), "done", &j.done.to_string()), "total", &j.total.to_string())}
                        </span>
                        <span>{format!("{pct:.0}%")}</span>
                        <span>{fill(i.t(K::BulkJobCalls), "calls", &j.calls.to_string())}</span>
                    </div>
                    {j.error.clone().map(|e| view! {
                        <div class="alert alert-error small" data-testid="bulk-job-error">
                            <crate::components::FailureText text=e inline=true />
                            " "{move || i.t(K::BulkJobFailedHint)}
                        </div>
                    })}
                </div>
            }
        })
    }
}

const PER_PAGE: u64 = 20;

fn opt_i64(s: &str) -> Option<i64> {
    s.parse().ok()
}

#[component]
fn FollowerBrowser(id: i64, generation: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));

    let q_input = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    // `?tag=` / `?group=` (links from the tags page and the detail page) preset the filters.
    let query = leptos_router::hooks::use_query_map();
    let tag = RwSignal::new(query.with_untracked(|q| q.get("tag").unwrap_or_default()));
    let group = RwSignal::new(query.with_untracked(|q| q.get("group").unwrap_or_default()));
    let status = RwSignal::new(String::new());
    let scene = RwSignal::new(String::new());
    // `?qr_scene=` (a QR code's page links here) shows the followers attributed to that scene.
    let qr_scene = RwSignal::new(query.with_untracked(|q| q.get("qr_scene").unwrap_or_default()));
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let per_page = RwSignal::new(PER_PAGE);
    let sort = RwSignal::new(FollowerSort::Newest);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let all_matching = RwSignal::new(false);

    let filter = Memo::new(move |_| FollowerQuery {
        q: Some(q.get()).filter(|s| !s.is_empty()),
        tag: opt_i64(&tag.get()),
        group: opt_i64(&group.get()),
        subscribed: match status.get().as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        scene: Some(scene.get()).filter(|s| !s.is_empty()),
        qr_scene: Some(qr_scene.get()).filter(|s| !s.is_empty()),
        from: Some(from.get()).filter(|s| !s.is_empty()),
        to: Some(to.get()).filter(|s| !s.is_empty()),
        sort: Some(sort.get()).filter(|s| *s != FollowerSort::Newest),
        page: None,
        per_page: None,
    });
    // A new filter starts from page 1 with nothing selected.
    Effect::new(move |_| {
        filter.track();
        page.set(1);
        selected.set(BTreeSet::new());
        all_matching.set(false);
    });
    let data = LocalResource::new(move || {
        generation.track();
        let mut f = filter.get();
        f.page = Some(page.get());
        f.per_page = Some(per_page.get());
        async move { followers_api::list(id, &f).await }
    });
    let tags = LocalResource::new(move || {
        generation.track();
        async move { followers_api::tags(id).await }
    });
    let tags_now = Memo::new(move |_| {
        tags.get().and_then(|r| r.ok()).unwrap_or(TagsAndGroups {
            tags: vec![],
            groups: vec![],
        })
    });
    // The tag or the group filter's choices, named as on WeChat.
    let name_options = move |pick: fn(TagsAndGroups) -> Vec<Tag>| {
        Signal::derive(move || {
            pick(tags_now.get())
                .into_iter()
                .map(|t| FilterOption::text(t.id.to_string(), t.name))
                .collect::<Vec<_>>()
        })
    };
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

    let has_filters = move || {
        !q.get().is_empty()
            || !tag.get().is_empty()
            || !group.get().is_empty()
            || !status.get().is_empty()
            || !scene.get().is_empty()
            || !qr_scene.get().is_empty()
            || !from.get().is_empty()
            || !to.get().is_empty()
    };
    let clear = move |_| {
        q_input.set(String::new());
        q.set(String::new());
        tag.set(String::new());
        group.set(String::new());
        status.set(String::new());
        scene.set(String::new());
        qr_scene.set(String::new());
        from.set(String::new());
        to.set(String::new());
    };

    // ---- bulk actions ----
    let bulk_tag = RwSignal::new(String::new());
    let bulk_group = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    let selection = move || {
        if all_matching.get_untracked() {
            Selection::Filter {
                filter: filter.get_untracked(),
            }
        } else {
            Selection::Openids {
                openids: selected.get_untracked().into_iter().collect(),
            }
        }
    };
    // The bulk job shown in the progress panel: the one started here, or one running already.
    let bulk_job = RwSignal::new(None::<BulkJob>);
    let job_running = Memo::new(move |_| {
        bulk_job
            .get()
            .is_some_and(|j| j.status == SyncStatus::Running)
    });
    // `mine`: started from this page, so the selection it used is cleared once it is done.
    let bulk_ended = move |job: BulkJob, mine: bool| {
        match job.status {
            SyncStatus::Failed => toasts.error(fill(
                i.now(K::BulkFailed),
                "error",
                job.error.as_deref().unwrap_or_default(),
            )),
            _ => {
                toasts.success(fill(
                    &fill(i.now(K::BulkDone), "n", &job.done.to_string()),
                    "calls",
                    &job.calls.to_string(),
                ));
                if mine {
                    selected.set(BTreeSet::new());
                    all_matching.set(false);
                }
            }
        }
        // Batches done are stored even when the job failed.
        generation.update(|g| *g += 1);
    };
    // Another staff member's job still running when the page opens.
    spawn_local(async move {
        let Ok(jobs) = followers_api::bulk_jobs(id).await else {
            return;
        };
        if let Some(job) = jobs.into_iter().find(|j| j.status == SyncStatus::Running) {
            let job_id = job.id;
            if bulk_job.try_set(Some(job)).is_none() {
                follow_bulk(
                    id,
                    job_id,
                    bulk_job,
                    Callback::new(move |j| bulk_ended(j, false)),
                );
            }
        }
    });
    let after_start = move |r: Result<BulkJob, api_client::ClientError>| {
        match r {
            Ok(job) => {
                let job_id = job.id;
                let running = job.status == SyncStatus::Running;
                bulk_job.set(Some(job.clone()));
                if running {
                    toasts.success(i.now(K::BulkStarted));
                    follow_bulk(
                        id,
                        job_id,
                        bulk_job,
                        Callback::new(move |j| bulk_ended(j, true)),
                    );
                } else {
                    bulk_ended(job, true);
                }
            }
            Err(e) => toasts.error(e.message(i.lang_now())),
        }
        let _ = working.try_set(false);
    };
    let run_tagging = move |remove: bool| {
        let Some(tag_id) = opt_i64(&bulk_tag.get_untracked()) else {
            return;
        };
        working.set(true);
        let req = TaggingRequest {
            tag_id,
            remove,
            selection: selection(),
        };
        spawn_local(async move { after_start(followers_api::tagging(id, &req).await) });
    };
    let run_move = move |_| {
        let Some(group_id) = opt_i64(&bulk_group.get_untracked()) else {
            return;
        };
        working.set(true);
        let req = MoveGroupRequest {
            group_id,
            selection: selection(),
        };
        spawn_local(async move { after_start(followers_api::move_group(id, &req).await) });
    };
    let chosen = move || {
        if all_matching.get() {
            total.get()
        } else {
            selected.with(|s| s.len() as u64)
        }
    };
    let show_bulk = move || can_edit.get() && chosen() != 0;
    let can_select_all =
        move || !all_matching.get() && selected.with(|s| (s.len() as u64) < total.get());
    let page_all_selected = move || {
        let rows = rows.get();
        !rows.is_empty() && selected.with(|s| rows.iter().all(|f| s.contains(&f.openid)))
    };
    let toggle_page = move |_| {
        let rows = rows.get_untracked();
        let all = page_all_selected();
        all_matching.set(false);
        selected.update(|s| {
            for f in rows {
                if all {
                    s.remove(&f.openid);
                } else {
                    s.insert(f.openid);
                }
            }
        });
    };

    view! {
        <div class="card table-card">
            <div class="toolbar toolbar-wrap">
                <SearchBox
                    placeholder=K::FollowersSearchPlaceholder
                    value=q_input
                    on_input=debounced(q_input, Callback::new(move |v| q.set(v)))
                    testid="followers-search"
                />
                <FilterSelect
                    label=K::FilterTag
                    value=tag
                    on_change=move |v| tag.set(v)
                    options=name_options(|n| n.tags)
                    testid="filter-tag"
                />
                <FilterSelect
                    label=K::FilterGroup
                    value=group
                    on_change=move |v| group.set(v)
                    options=name_options(|n| n.groups)
                    testid="filter-group"
                />
                <FilterSelect
                    label=K::FilterStatus
                    value=status
                    on_change=move |v| status.set(v)
                    options=vec![
                        FilterOption::key("1", K::StatusSubscribed),
                        FilterOption::key("0", K::StatusUnsubscribed),
                    ]
                    testid="filter-status"
                />
                <FilterSelect
                    label=K::FilterScene
                    value=scene
                    on_change=move |v| scene.set(v)
                    options={
                        SCENES
                            .iter()
                            .filter_map(|s| scene_key(s).map(|k| FilterOption::key(*s, k)))
                            .collect::<Vec<_>>()
                    }
                    testid="filter-scene"
                />
                <label class="date-filter">
                    <span class="muted small">{move || i.t(K::FilterFrom)}</span>
                    <DateInput testid="filter-from" value=from on_change=move |v| from.set(v) />
                </label>
                <label class="date-filter">
                    <span class="muted small">{move || i.t(K::FilterTo)}</span>
                    <DateInput testid="filter-to" value=to on_change=move |v| to.set(v) />
                </label>
                <QrSceneFilter id=id value=qr_scene />
                <label class="date-filter">
                    <span class="muted small">{move || i.t(K::SortBy)}</span>
                    <select class="select" data-testid="followers-sort"
                        on:change=move |ev| sort.set(FollowerSort::parse(&event_target_value(&ev)).unwrap_or_default())>
                        {FollowerSort::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() prop:selected=move || sort.get() == s>{move || i.t(sort_key(s))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=has_filters>
                    <button type="button" class="btn btn-ghost" on:click=clear>
                        {move || i.t(K::ClearFilters)}
                    </button>
                </Show>
            </div>
            <BulkJobPanel job=bulk_job names=tags_now />
            <Show when=show_bulk>
                <div class="bulk-bar" data-testid="bulk-bar">
                    <span class="bulk-count" data-testid="bulk-count">
                        {move || {
                            if all_matching.get() {
                                fill(i.t(K::AllMatchingSelected), "n", &total.get().to_string())
                            } else {
                                fill(i.t(K::SelectedCount), "n", &chosen().to_string())
                            }
                        }}
                    </span>
                    <Show when=can_select_all>
                        <button type="button" class="btn btn-ghost btn-sm" data-testid="select-all-matching" on:click=move |_| all_matching.set(true)>
                            {move || fill(i.t(K::SelectAllMatching), "n", &total.get().to_string())}
                        </button>
                    </Show>
                    <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| { selected.set(BTreeSet::new()); all_matching.set(false); }>
                        {move || i.t(K::ClearSelection)}
                    </button>
                    <div class="spacer"></div>
                    <select class="select" data-testid="bulk-tag" aria-label=move || i.t(K::BulkChooseTag) on:change=move |ev| bulk_tag.set(event_target_value(&ev))>
                        <option value="">{move || i.t(K::BulkChooseTag)}</option>
                        {move || tags_now.get().tags.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                    </select>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="bulk-tag-add" disabled=move || working.get() || job_running.get() || bulk_tag.get().is_empty() on:click=move |_| run_tagging(false)>
                        {move || if working.get() || job_running.get() { i.t(K::BulkWorking) } else { i.t(K::BulkAddTag) }}
                    </button>
                    <button type="button" class="btn btn-sm" data-testid="bulk-tag-remove" disabled=move || working.get() || job_running.get() || bulk_tag.get().is_empty() on:click=move |_| run_tagging(true)>
                        {move || i.t(K::BulkRemoveTag)}
                    </button>
                    <Show when=move || !tags_now.get().groups.is_empty()>
                        <select class="select" data-testid="bulk-group" aria-label=move || i.t(K::BulkChooseGroup) on:change=move |ev| bulk_group.set(event_target_value(&ev))>
                            <option value="">{move || i.t(K::BulkChooseGroup)}</option>
                            {move || tags_now.get().groups.into_iter().map(|g| view! { <option value=g.id.to_string()>{g.name}</option> }).collect_view()}
                        </select>
                        <button type="button" class="btn btn-sm" data-testid="bulk-move" disabled=move || working.get() || job_running.get() || bulk_group.get().is_empty() on:click=run_move>
                            {move || i.t(K::BulkMoveGroup)}
                        </button>
                    </Show>
                </div>
            </Show>
            {table_states(
                data,
                (6, 6),
                move |p| {
                    if p.total != 0 {
                        None
                    } else if !has_filters() {
                        Some(view! {
                            <EmptyState title=K::FollowersEmptyTitle body=K::FollowersEmptyBody testid="followers-empty" />
                        }.into_any())
                    } else {
                        Some(view! {
                            <EmptyState title=K::FollowersNoMatchTitle body=K::FollowersNoMatchBody testid="followers-empty">
                                <button type="button" class="btn" on:click=clear>{move || i.t(K::ClearFilters)}</button>
                            </EmptyState>
                        }.into_any())
                    }
                },
                move |_| view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <Show when=move || can_edit.get()>
                                        <th class="col-check">
                                            <input type="checkbox" data-testid="select-page" aria-label=move || i.t(K::SelectPage) prop:checked=page_all_selected on:change=toggle_page />
                                        </th>
                                    </Show>
                                    <th>{move || i.t(K::ColFollower)}</th>
                                    <th>{move || i.t(K::ColRemark)}</th>
                                    <th>{move || i.t(K::ColTags)}</th>
                                    <th class="hide-md">{move || i.t(K::ColGroup)}</th>
                                    <th aria-sort=move || match sort.get() {
                                        FollowerSort::SubscribedAsc => "ascending",
                                        FollowerSort::SubscribedDesc => "descending",
                                        _ => "none",
                                    }>
                                        <button type="button" class="th-sort" data-testid="sort-subscribed"
                                            on:click=move |_| sort.update(|s| *s = if *s == FollowerSort::SubscribedDesc { FollowerSort::SubscribedAsc } else { FollowerSort::SubscribedDesc })>
                                            {move || i.t(K::ColSubscribedAt)}
                                            <span class="th-sort-mark" aria-hidden="true">{move || match sort.get() {
                                                FollowerSort::SubscribedAsc => "↑",
                                                FollowerSort::SubscribedDesc => "↓",
                                                _ => "↕",
                                            }}</span>
                                        </button>
                                    </th>
                                    <th class="hide-md">{move || i.t(K::ColScene)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For
                                    each=move || rows.get()
                                    key=|f| (f.openid.clone(), f.updated_at.clone())
                                    children=move |f: Follower| view! { <FollowerRow id=id f=f selected=selected all_matching=all_matching can_edit=can_edit /> }
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
        </div>
    }
}
