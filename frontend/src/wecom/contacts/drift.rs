//! The drift card (差异检查): compares the mirror with WeCom on demand and lists each
//! difference with a repair button that re-reads that one item from WeCom. Until then it shows
//! what the last nightly check found.

use ::api::wecom_contacts::{
    DriftIssue, DriftItem, DriftRepairInput, DriftReport, DriftRun, DriftRunState, DriftSide,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{api as capi, use_contacts};
use crate::components::{Badge, Tone, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn kind_key(kind: &str) -> K {
    match kind {
        "department" => K::WcKindDepartment,
        "tag" => K::WcKindTag,
        _ => K::WcKindMember,
    }
}

fn issue_badge(i: DriftIssue) -> (Tone, K) {
    match i {
        DriftIssue::MissingHere => (Tone::Orange, K::WdMissingHere),
        DriftIssue::MissingThere => (Tone::Red, K::WdMissingThere),
        DriftIssue::Differs => (Tone::Blue, K::WdDiffers),
    }
}

/// One side in words: parent and order, departments, name, members.
fn side_text(s: &DriftSide, lang: ::api::Lang) -> String {
    let join = |v: Vec<String>| v.join(", ");
    let mut parts = Vec::new();
    if let Some(p) = s.parent_id {
        parts.push(fill(K::WdParent.text(lang), "n", &p.to_string()));
    }
    if let Some(o) = s.order {
        parts.push(fill(K::WdOrder.text(lang), "n", &o.to_string()));
    }
    if let Some(n) = &s.name {
        parts.push(fill(K::WdName.text(lang), "name", n));
    }
    if !s.users.is_empty() {
        parts.push(fill(K::WdUsers.text(lang), "list", &join(s.users.clone())));
    }
    if !s.departments.is_empty() {
        let ds = s.departments.iter().map(|d| d.to_string()).collect();
        parts.push(fill(K::WdDepartments.text(lang), "list", &join(ds)));
    }
    parts.join("；")
}

#[component]
pub fn DriftCard() -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let id = ctx.account;
    let report = RwSignal::new(None::<DriftReport>);
    let checking = RwSignal::new(false);
    // The last nightly check; its differences are shown until a check is run here.
    let nightly = RwSignal::new(None::<DriftRun>);
    spawn_local(async move {
        if let Ok(last) = capi::drift_last(id).await
            && let Some(run) = last.run
        {
            if run.state == DriftRunState::Done
                && let Some(r) = run.report.clone()
            {
                report.update(|cur| {
                    if cur.is_none() {
                        *cur = Some(r);
                    }
                });
            }
            let _ = nightly.try_set(Some(run));
        }
    });
    let check = move || {
        checking.set(true);
        spawn_local(async move {
            match capi::drift(id).await {
                Ok(r) => {
                    let _ = report.try_set(Some(r));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            let _ = checking.try_set(false);
        });
    };
    let repair = Callback::new(move |item: DriftItem| {
        spawn_local(async move {
            let req = DriftRepairInput {
                kind: item.kind.clone(),
                id: item.id.clone(),
            };
            match capi::drift_repair(id, &req).await {
                Ok(()) => {
                    toasts.success(i.now(K::WdRepaired));
                    report.update(|r| {
                        if let Some(r) = r {
                            r.items
                                .retain(|x| !(x.kind == item.kind && x.id == item.id));
                        }
                    });
                    ctx.changed();
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    view! {
        <section class="card" data-testid="contacts-drift">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WdTitle)}</h2>
                <button type="button" class="btn" data-testid="drift-check" disabled=move || checking.get() on:click=move |_| check()>
                    {icons::refresh()}
                    <span>{move || if checking.get() { i.t(K::WdChecking) } else { i.t(K::WdCheck) }}</span>
                </button>
            </div>
            <p class="muted small">{move || i.t(K::WdIntro)}</p>
            {move || nightly.get().map(|run| {
                let at = util::format_time(run.finished_at.as_deref().unwrap_or(&run.started_at));
                let n = run.differences;
                let state = run.state;
                let result = move || match state {
                    DriftRunState::Running => i.t(K::WoReconcileRunning).to_string(),
                    DriftRunState::Failed => i.t(K::WoReconcileFailed).to_string(),
                    DriftRunState::Done if n == 0 => i.t(K::WoReconcileClean).to_string(),
                    DriftRunState::Done if n == 1 => i.t(K::WoReconcileDiff1).to_string(),
                    DriftRunState::Done => fill(i.t(K::WoReconcileDiffs), "n", &n.to_string()),
                };
                // Why a night failed: WeChat's answer, as it wrote it.
                let error = (state == DriftRunState::Failed).then_some(run.error.clone()).flatten();
                view! {
                    <p class="small" data-testid="drift-last" data-state=state.as_str() data-count=n.to_string()>
                        {move || fill(&fill(i.t(K::WdLastNightly), "time", &at), "result", &result())}
                    </p>
                    {error.map(|e| view! { <p class="muted small mono wo-diagnosis" lang="en" data-testid="drift-last-error">{e}</p> })}
                }
            })}
            {move || report.get().map(|r| {
                let n = r.items.len();
                view! {
                    <p class="small" data-testid="drift-summary" data-count=n.to_string()>
                        {move || if n == 0 {
                            i.t(K::WdNone).to_string()
                        } else if n == 1 {
                            i.t(K::WdFound1).to_string()
                        } else {
                            fill(i.t(K::WdFound), "n", &n.to_string())
                        }}
                    </p>
                    <ul class="wo-checks">
                        {r.items.into_iter().map(|it| {
                            let (tone, label) = issue_badge(it.issue);
                            let kind = kind_key(&it.kind);
                            let title = if it.name.is_empty() { it.id.clone() } else { format!("{} ({})", it.name, it.id) };
                            let ours = it.ours.clone();
                            let theirs = it.theirs.clone();
                            let ours = move || ours.as_ref().map(|s| side_text(s, i.lang()));
                            let theirs = move || theirs.as_ref().map(|s| side_text(s, i.lang()));
                            let item = it.clone();
                            view! {
                                <li class="wo-check" data-testid="drift-item" data-kind=it.kind.clone() data-id=it.id.clone()>
                                    <div class="wo-check-head">
                                        <Badge tone=tone text=label />
                                        <span class="badge">{move || i.t(kind)}</span>
                                        <span class="wo-check-name">{title}</span>
                                        <button type="button" class="btn btn-small" data-testid="drift-repair"
                                            on:click=move |_| repair.run(item.clone())>{move || i.t(K::WdRepair)}</button>
                                    </div>
                                    <p class="small wo-fix" data-testid="drift-ours">{move || i.t(K::WdOurs)}" "{move || ours().unwrap_or_else(|| i.t(K::WdAbsent).to_string())}</p>
                                    <p class="small wo-fix" data-testid="drift-theirs">{move || i.t(K::WdTheirs)}" "{move || theirs().unwrap_or_else(|| i.t(K::WdAbsent).to_string())}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}
