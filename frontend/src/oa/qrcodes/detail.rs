//! `/accounts/:id/qrcodes/:qr_id`: one code — its image (served by the portal), short link,
//! totals, a chart of scans and new followers per day, the followers it brought, and the reply
//! rules that answer its scene.

use api::qrcodes::{QrCode, QrDay, QrStats, UpdateQrCode};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::lifetime_badge;
use crate::accounts::section::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::form::{TextAreaInput, TextInput};
use crate::components::{
    ConfirmDialog, CopyButton, ErrorState, LoadingState, Modal, NotFound, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::qrcodes::api as qr_api;
use crate::util;

/// Days shown in the chart.
const DAYS: u32 = 30;

#[component]
pub fn QrCodeDetailPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::QrCodes
            render=|account| view! { <Loader id=account.id /> }.into_any()
        />
    }
}

#[component]
fn Loader(id: i64) -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let qr_id = Memo::new(move |_| {
        params.with(|p| {
            p.get("qr_id")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let code = LocalResource::new(move || {
        let q = qr_id.get();
        async move { qr_api::get_one(id, q).await }
    });
    let stats = LocalResource::new(move || {
        let q = qr_id.get();
        async move { qr_api::stats(id, q, DAYS).await }
    });
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::QrTitle))));
    view! {
        <A href=format!("/accounts/{id}/qrcodes") attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::QrTitle)}</span>
        </A>
        {move || match code.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(code) />
                </div>
            }
                .into_any(),
            Some(Ok(qr)) => view! {
                <Detail id=id qr=qr on_changed=Callback::new(move |()| reload(code)) />
                {move || match stats.get() {
                    None => view! { <div class="card"><LoadingState /></div> }.into_any(),
                    Some(Err(e)) => view! {
                        <div class="card">
                            <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(stats) />
                        </div>
                    }
                        .into_any(),
                    Some(Ok(s)) => view! { <Stats id=id stats=s /> }.into_any(),
                }}
            }
                .into_any(),
        }}
    }
}

#[component]
fn Detail(id: i64, qr: QrCode, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let qr_id = qr.id;
    let url = qr.url.clone();
    let editing = RwSignal::new(false);
    let name = RwSignal::new(qr.name.clone());
    let note = RwSignal::new(qr.note.clone());
    let saving = RwSignal::new(false);
    let name_error = Signal::derive(move || {
        ::api::qrcodes::validate_create(&::api::qrcodes::CreateQrCode {
            name: name.get(),
            note: note.get(),
            permanent: true,
            scene_id: Some(1),
            ..Default::default()
        })
        .into_iter()
        .find(|(f, _)| *f == "name")
        .map(|(_, r)| r.message(i.lang()))
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if name_error.get_untracked().is_some() {
            return;
        }
        saving.set(true);
        let req = UpdateQrCode {
            name: name.get_untracked(),
            note: note.get_untracked(),
        };
        spawn_local(async move {
            let r = qr_api::update(id, qr_id, &req).await;
            saving.set(false);
            match r {
                Ok(_) => {
                    toasts.success(i.now(K::QrSaved));
                    editing.set(false);
                    on_changed.run(());
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        deleting.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let r = qr_api::remove(id, qr_id).await;
            deleting.set(false);
            confirm_open.set(false);
            match r {
                Ok(()) => {
                    toasts.success(i.now(K::QrDeleted));
                    navigate(&format!("/accounts/{id}/qrcodes"), Default::default());
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    let image = qr_api::image_url(id, qr_id);
    let download = format!("{image}?download=1");
    let followers = format!(
        "/accounts/{id}/followers?qr_scene={}",
        crate::api_client::enc(&qr.scene)
    );
    let rules = format!("/accounts/{id}/rules");
    let live = !qr.expired;
    view! {
        <div class="qr-detail">
            <div class="card qr-image-card">
                {if live {
                    view! { <img class="qr-image" data-testid="qr-image" alt=qr.name.clone() src=image.clone() /> }.into_any()
                } else {
                    view! { <div class="qr-image qr-image-expired">{move || i.t(K::QrExpired)}</div> }.into_any()
                }}
                {live.then(|| view! {
                    <a class="btn btn-sm" href=download.clone() download="" data-testid="qr-download">{icons::upload()}<span>{move || i.t(K::QrDownload)}</span></a>
                })}
            </div>
            <div class="card qr-info">
                <div class="qr-info-head">
                    <h2 class="section-title" data-testid="qr-title">{qr.name.clone()}</h2>
                    {lifetime_badge(i, &qr)}
                </div>
                {(!qr.note.is_empty()).then(|| view! { <p class="muted">{qr.note.clone()}</p> })}
                <dl class="kv">
                    <dt>{move || i.t(K::QrScene)}</dt>
                    <dd class="mono" data-testid="qr-scene-value">{qr.scene.clone()}</dd>
                    <dt>{move || i.t(K::QrShortLink)}</dt>
                    <dd class="qr-url">
                        <span class="mono ellipsis">{url.clone()}</span>
                        <CopyButton text=Signal::derive(move || url.clone()) testid="qr-copy" />
                    </dd>
                    <dt>{move || i.t(K::CreatedAt)}</dt>
                    <dd>{format!("{} · ", util::format_time(&qr.created_at))}<span data-user-content>{qr.created_by.clone()}</span></dd>
                </dl>
                <div class="qr-links">
                    <A href=followers attr:class="btn btn-sm" attr:data-testid="qr-followers">{move || i.t(K::QrSeeFollowers)}</A>
                    <A href=rules attr:class="btn btn-sm btn-ghost">{move || i.t(K::QrReplyRules)}</A>
                    <Show when=move || can_edit.get()>
                        <button type="button" class="btn btn-sm btn-ghost" data-testid="qr-edit" on:click=move |_| editing.set(true)>{icons::edit()}<span>{move || i.t(K::Edit)}</span></button>
                        <button type="button" class="btn btn-sm btn-danger-outline" data-testid="qr-delete" on:click=move |_| confirm_open.set(true)>{move || i.t(K::Delete)}</button>
                    </Show>
                </div>
            </div>
        </div>
        <Modal open=editing title=Signal::derive(move || i.t(K::Edit).to_string())>
            <form on:submit=save novalidate>
                <div class="modal-body">
                    <TextInput name="name" label=K::QrName required=true value=name on_input=move |v| name.set(v) error=name_error />
                    <TextAreaInput name="note" label=K::QrNote value=note on_input=move |v| note.set(v) rows=2 />
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| editing.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                    </button>
                </div>
            </form>
        </Modal>
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || i.t(K::QrDeleteTitle).to_string())
            body=Signal::derive(move || i.t(K::QrDeleteBody).to_string())
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}

#[component]
fn Stats(id: i64, stats: QrStats) -> impl IntoView {
    let i = use_i18n();
    let cards = [
        (K::QrScans, stats.scans, "qr-stat-scans"),
        (K::QrSubscribes, stats.subscribes, "qr-stat-subscribes"),
        (K::QrRepeatScans, stats.repeat_scans, "qr-stat-repeat"),
        (K::QrUniqueScanners, stats.unique_scanners, "qr-stat-unique"),
    ];
    view! {
        <div class="oa-stats qr-stats">
            {cards
                .into_iter()
                .map(|(label, n, testid)| view! {
                    <div class="card stat-card">
                        <div class="stat-label">{move || i.t(label)}</div>
                        <div class="stat-value" data-testid=testid>{n}</div>
                    </div>
                })
                .collect_view()}
        </div>
        <section class="card">
            <h3 class="card-title">{move || fill(i.t(K::QrChartTitle), "n", &DAYS.to_string())}</h3>
            {chart(&stats.days)}
        </section>
        <div class="qr-lists">
            <section class="card table-card">
                <h3 class="card-title">{move || i.t(K::QrAttributed)}</h3>
                {if stats.subscribers.is_empty() {
                    view! { <p class="muted">{move || i.t(K::QrNoSubscribers)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="qr-subscribers">
                                <thead><tr>
                                    <th>{move || i.t(K::QrFollower)}</th>
                                    <th>{move || i.t(K::QrStillFollowing)}</th>
                                    <th class="hide-sm">{move || i.t(K::QrSubscribedAt)}</th>
                                </tr></thead>
                                <tbody>
                                    {stats.subscribers.clone().into_iter().map(|s| {
                                        let href = format!("/accounts/{id}/followers/{}", crate::api_client::enc(&s.openid));
                                        let label = s.remark.clone().filter(|r| !r.is_empty()).or_else(|| s.nickname.clone()).unwrap_or_else(|| s.openid.clone());
                                        let following = s.subscribed;
                                        view! {
                                            <tr>
                                                <td><A href=href attr:class="link mono ellipsis">{label}</A></td>
                                                <td>{move || i.t(if following { K::QrYes } else { K::QrNo })}</td>
                                                <td class="hide-sm">{util::format_time(&s.at)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h3 class="card-title">{move || i.t(K::QrReplyRules)}</h3>
                {if stats.reply_rules.is_empty() {
                    view! { <p class="muted" data-testid="qr-no-rules">{move || i.t(K::QrNoRules)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" data-testid="qr-rules">
                            {stats.reply_rules.clone().into_iter().map(|r| {
                                let enabled = r.enabled;
                                view! {
                                    <li>
                                        <A href=format!("/accounts/{id}/rules") attr:class="link">{r.name.clone()}</A>
                                        " "
                                        <span class=if enabled { "badge badge-green" } else { "badge" }>
                                            {move || i.t(if enabled { K::QrRuleOn } else { K::QrRuleOff })}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

/// Scans as bars and new followers as a line, per day.
fn chart(days: &[QrDay]) -> impl IntoView + use<> {
    let i = use_i18n();
    let w = 720.0_f64;
    let h = 200.0_f64;
    let (pad_l, pad_b, pad_t) = (36.0, 28.0, 12.0);
    let n = days.len().max(1) as f64;
    let max = days.iter().map(|d| d.scans).max().unwrap_or(0).max(1) as f64;
    let slot = (w - pad_l) / n;
    let bar_w = (slot * 0.7).max(1.0);
    let plot_h = h - pad_b - pad_t;
    let bars = days
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let bh = d.scans as f64 / max * plot_h;
            let x = pad_l + k as f64 * slot + (slot - bar_w) / 2.0;
            let y = pad_t + plot_h - bh;
            let title = format!("{} · {} / {} / {}", d.day, d.scans, d.subscribes, d.repeat_scans);
            view! {
                <rect class="chart-bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{bh:.1}") data-day=d.day.clone() data-scans=d.scans.to_string()>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let points = days
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let x = pad_l + k as f64 * slot + slot / 2.0;
            let y = pad_t + plot_h - d.subscribes as f64 / max * plot_h;
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let every = (days.len() / 6).max(1);
    let labels = days
        .iter()
        .enumerate()
        .filter(|(k, _)| k % every == 0)
        .map(|(k, d)| {
            let x = pad_l + k as f64 * slot + slot / 2.0;
            view! { <text class="chart-label" x=format!("{x:.1}") y=format!("{:.1}", h - 8.0) text-anchor="middle">{d.day.get(5..).unwrap_or("").to_string()}</text> }
        })
        .collect_view();
    let top = (max as i64).to_string();
    view! {
        <div class="chart-wrap">
            <svg class="chart" data-testid="qr-chart" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=move || i.t(K::QrChartAria)>
                <line class="chart-axis" x1=pad_l y1=pad_t x2=pad_l y2=pad_t + plot_h></line>
                <line class="chart-axis" x1=pad_l y1=pad_t + plot_h x2=w y2=pad_t + plot_h></line>
                <text class="chart-label" x=pad_l - 6.0 y=pad_t + 10.0 text-anchor="end">{top}</text>
                <text class="chart-label" x=pad_l - 6.0 y=pad_t + plot_h text-anchor="end">"0"</text>
                {bars}
                <polyline class="chart-line" points=points></polyline>
                {labels}
            </svg>
            <div class="legend">
                <span class="legend-item"><span class="swatch swatch-bar"></span>{move || i.t(K::QrScans)}</span>
                <span class="legend-item"><span class="swatch swatch-line"></span>{move || i.t(K::QrSubscribes)}</span>
            </div>
        </div>
    }
}
