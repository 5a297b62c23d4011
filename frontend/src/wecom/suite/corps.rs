//! The corps that authorised the suite: name, CorpID, the suite's app(s) with their visible
//! range, who installed it and when, and whether the authorisation is in force.

use ::api::staff::Role;
use ::api::wecom_suite::{InstallOrigin, SuiteCorp, SuiteCorpLicence, SuiteCorpState};
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
                            <th>{move || i.t(K::SuColLicence)}</th>
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
    let licences = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::refresh_licences(id, corp_id).await {
                Ok(_) => toasts.success(i.now(K::SuLicencesRefreshed).to_string()),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            // A failed read is stored on the corp too: show it either way.
            reload.update(|n| *n += 1);
            busy.set(false);
        });
    };
    let origin = corp.origin.map(|o| match o {
        InstallOrigin::ProviderLink => ("provider_link", K::SuOriginLink),
        InstallOrigin::Market => ("market", K::SuOriginMarket),
    });
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
            <td data-label=move || i.t(K::SuColLicence)>
                <Licence licence=corp.licence.clone() error=corp.licence_error.clone() />
            </td>
            // One block per cell: at phone width a cell is a flex row (label, value), so loose
            // lines would sit side by side and overlap.
            <td data-label=move || i.t(K::SuColInstalled)>
                <div>
                    <div class="nowrap" data-testid="suite-corp-installed-at">{installed}</div>
                    {origin.map(|(o, k)| view! {
                        <div class="small" data-testid="suite-corp-origin" data-origin=o>{move || i.t(k)}</div>
                    })}
                    {corp.installed_by.clone().map(|w| view! { <div class="muted small" data-user-content>{w}</div> })}
                </div>
            </td>
            <td>
                <div class="row-actions">
                <Show when=move || session.allows(Role::Operator)>
                    <super::managed::ManageButton suite=id corp=corp_id />
                </Show>
                <Show when=move || active && session.allows(Role::Operator)>
                    <button type="button" class="btn btn-small" data-testid="suite-corp-refresh"
                        disabled=move || busy.get() on:click=refresh>
                        {move || i.t(K::SuRefresh)}
                    </button>
                    <button type="button" class="btn btn-small" data-testid="suite-corp-licences-refresh"
                        disabled=move || busy.get() on:click=licences>
                        {move || i.t(K::SuLicencesRefresh)}
                    </button>
                </Show>
                </div>
            </td>
        </tr>
    }
}

/// The corp's interface licences (接口许可): active accounts by type and whether WeCom checks
/// them (after the trial, members without one get no app messages: `unlicenseduser`).
#[component]
pub fn Licence(licence: Option<SuiteCorpLicence>, error: Option<String>) -> impl IntoView {
    let i = use_i18n();
    let err = error.map(|e| {
        view! {
            <div class="warn-text small" data-testid="suite-corp-licence-error">
                {move || i.t(K::SuLicenceFailed)}": "<span>{e.clone()}</span>
            </div>
        }
    });
    let Some(l) = licence else {
        return view! {
            <div data-testid="suite-corp-licence" data-status="unknown">
                <span class="muted small">{move || i.t(K::SuLicenceNever)}</span>
                {err}
            </div>
        }
        .into_any();
    };
    let (basic, external) = (l.basic.to_string(), l.external.to_string());
    let counts = move || {
        fill(
            &fill(i.t(K::SuLicenceCounts), "basic", &basic),
            "external",
            &external,
        )
    };
    let (status, state) = match (l.status, l.enforced) {
        (0, _) => ("off", None),
        (_, true) => ("enforced", None),
        (_, false) => ("trial", l.trial_end.clone().or(l.check_time.clone())),
    };
    let status_text = move || match status {
        "off" => i.t(K::SuLicenceOff).to_string(),
        "enforced" => i.t(K::SuLicenceEnforced).to_string(),
        _ => fill(
            i.t(K::SuLicenceTrial),
            "date",
            &state.as_deref().map(util::format_time).unwrap_or_default(),
        ),
    };
    let checked = util::format_time(&l.checked_at);
    view! {
        <div data-testid="suite-corp-licence" data-status=status data-basic=l.basic data-external=l.external>
            <div data-testid="suite-corp-licence-counts">{counts}</div>
            <div class="muted small">{status_text}</div>
            <div class="muted small">{move || fill(i.t(K::SuLicenceChecked), "time", &checked)}</div>
            {err}
        </div>
    }
    .into_any()
}
