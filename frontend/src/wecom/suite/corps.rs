//! The corps that authorised the suite: name, CorpID, the suite's app(s) with their visible
//! range, who installed it and when, and whether the authorisation is in force.

use ::api::staff::Role;
use ::api::wecom_suite::{SuiteCorp, SuiteCorpState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::auth::use_session;
use crate::components::{Badge, EmptyState, LoadingState, Tone, error_card, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn CorpsCard(id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        reload.track();
        api::corps(id)
    });
    view! {
        <section class="card" data-testid="suite-corps">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::SuCorpsTitle)}</h2>
                <button type="button" class="btn btn-small" data-testid="suite-corps-reload"
                    on:click=move |_| reload.update(|n| *n += 1)>
                    {icons::refresh()}
                    <span>{move || i.t(K::Refresh)}</span>
                </button>
            </div>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => error_card(e, data),
                Some(Ok(list)) if list.items.is_empty() => view! {
                    <EmptyState title=K::SuCorpsEmpty body=K::SuCorpsEmptyBody testid="suite-corps-empty" />
                }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="table table-cards">
                        <thead><tr>
                            <th>{move || i.t(K::SuColCorp)}</th>
                            <th>{move || i.t(K::SuColApps)}</th>
                            <th>{move || i.t(K::SuColState)}</th>
                            <th>{move || i.t(K::SuColInstalled)}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|c| view! { <CorpRow id=id corp=c reload=reload /> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CorpRow(id: i64, corp: SuiteCorp, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let active = corp.state == SuiteCorpState::Active;
    let (tone, key) = if active {
        (Tone::Green, K::SuStateActive)
    } else {
        (Tone::Neutral, K::SuStateRevoked)
    };
    let corp_id = corp.id;
    let refresh = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::refresh(id, corp_id).await {
                Ok(_) => {
                    toasts.success(i.now(K::SuRefreshed).to_string());
                    reload.update(|n| *n += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            busy.set(false);
        });
    };
    let installed = util::format_time(&corp.authorized_at);
    let revoked = corp.revoked_at.as_deref().map(util::format_time);
    view! {
        <tr data-testid="suite-corp" data-corpid=corp.corpid.clone() data-state=corp.state.as_str()>
            <td data-label=move || i.t(K::SuColCorp)>
                <div class="row-title" data-user-content>{corp.corp_name.clone()}</div>
                <div class="mono small muted">{corp.corpid.clone()}</div>
            </td>
            <td data-label=move || i.t(K::SuColApps)>
                {corp.agents.iter().map(|a| {
                    let p = a.privilege.clone();
                    let (parties, users, tags) = (p.allow_party.len().to_string(), p.allow_user.len().to_string(), p.allow_tag.len().to_string());
                    // Reactive: the language can switch while the table is shown.
                    let scope = move || fill(&fill(&fill(i.t(K::SuScope), "parties", &parties), "users", &users), "tags", &tags);
                    view! {
                        <div data-testid="suite-agent">
                            <span data-user-content>{a.name.clone()}</span>
                            " "<span class="mono small muted">{a.agentid}</span>
                            <div class="muted small">{scope}</div>
                        </div>
                    }
                }).collect_view()}
            </td>
            <td data-label=move || i.t(K::SuColState)>
                <Badge tone=tone text=key />
                {revoked.map(|t| view! { <div class="muted small">{t}</div> })}
            </td>
            <td class="nowrap" data-label=move || i.t(K::SuColInstalled)>
                <div>{installed}</div>
                {corp.installed_by.clone().map(|w| view! { <div class="muted small" data-user-content>{w}</div> })}
            </td>
            <td class="nowrap">
                <Show when=move || session.allows(Role::Operator)>
                    <super::managed::ManageButton suite=id corp=corp_id />
                </Show>
                <Show when=move || active && session.allows(Role::Operator)>
                    <button type="button" class="btn btn-small" data-testid="suite-corp-refresh"
                        disabled=move || busy.get() on:click=refresh>
                        {move || i.t(K::SuRefresh)}
                    </button>
                </Show>
            </td>
        </tr>
    }
}
