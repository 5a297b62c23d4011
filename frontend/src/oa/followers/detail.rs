//! `/accounts/:id/followers/:openid`: profile, tags, group, remark (pushed to WeChat) and the
//! way to the follower's message history.

use api::followers::{Follower, REMARK_MAX_CHARS, UpdateFollowerRequest};
use api::messages::Direction;
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::scene_text;
use crate::accounts::section::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{
    Badge, ErrorState, FieldRow, LoadingState, NotFound, Tone, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::messages::api as messages_api;
use crate::oa::followers::api as followers_api;
use crate::util;

#[component]
pub fn FollowerDetailPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Followers
            render=|account| view! { <FollowerLoader id=account.id /> }.into_any()
        />
    }
}

#[component]
fn FollowerLoader(id: i64) -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let openid = Memo::new(move |_| params.with(|p| p.get("openid").unwrap_or_default()));
    let data = LocalResource::new(move || {
        let openid = openid.get();
        async move { followers_api::get_one(id, &openid).await }
    });
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::FollowerTitle))));
    view! {
        <A href=format!("/accounts/{id}/followers") attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::FollowersTitle)}</span>
        </A>
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                </div>
            }.into_any(),
            Some(Ok(f)) => view! { <FollowerDetail id=id f=f /> }.into_any(),
        }}
    }
}

fn kv(label: K, value: AnyView) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="kv">
            <dt>{move || i.t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

fn text_or_muted(v: Option<String>, none: K) -> AnyView {
    let i = use_i18n();
    match v.filter(|s| !s.is_empty()) {
        Some(s) => view! { <span data-user-content>{s}</span> }.into_any(),
        None => view! { <span class="muted">{move || i.t(none)}</span> }.into_any(),
    }
}

#[component]
fn FollowerDetail(id: i64, f: Follower) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let current = RwSignal::new(f.clone());
    let remark = RwSignal::new(f.remark.clone().unwrap_or_default());
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let error = Signal::derive(move || {
        if remark.with(|r| r.trim().chars().count() > REMARK_MAX_CHARS) {
            Some(i.t(K::RemarkTooLong).to_string())
        } else {
            server_error.get()
        }
    });
    let openid = f.openid.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if error.get_untracked().is_some() {
            util::focus_first_error();
            return;
        }
        saving.set(true);
        let openid = openid.clone();
        let req = UpdateFollowerRequest {
            remark: remark.get_untracked().trim().to_string(),
        };
        spawn_local(async move {
            match followers_api::update(id, &openid, &req).await {
                Ok(f) => {
                    toasts.success(i.now(K::RemarkSaved));
                    current.set(f);
                    server_error.set(None);
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    match fields.into_iter().find(|(k, _)| k == "remark") {
                        Some((_, m)) => server_error.set(Some(m)),
                        None => toasts.error(e.message(i.lang_now())),
                    }
                }
            }
            let _ = saving.try_set(false);
        });
    };
    let title = f
        .remark
        .clone()
        .or(f.nickname.clone())
        .unwrap_or_else(|| f.openid.clone());
    let scene = f.subscribe_scene.clone().map(|s| scene_text(&s));
    view! {
        <div class="detail-header card">
            <div class="detail-title">
                <h1 data-testid="follower-title">{title}</h1>
                <div class="detail-meta">
                    {if f.subscribed {
                        view! { <Badge tone=Tone::Green text=K::StatusSubscribed /> }.into_any()
                    } else {
                        view! { <Badge tone=Tone::Neutral text=K::StatusUnsubscribed /> }.into_any()
                    }}
                    <span class="mono muted">{f.openid.clone()}</span>
                </div>
            </div>
        </div>
        <div class="detail-grid">
            <section class="card">
                <h2 class="section-title">{move || i.t(K::FollowerTitle)}</h2>
                <dl class="kvs">
                    {kv(K::FieldOpenid, view! { <span class="mono">{f.openid.clone()}</span> }.into_any())}
                    {kv(K::FieldUnionid, text_or_muted(f.unionid.clone(), K::NotSet))}
                    {kv(K::FieldNickname, text_or_muted(f.nickname.clone(), K::NotSet))}
                    {kv(K::FieldLanguage, text_or_muted(f.language.clone(), K::NotSet))}
                    {kv(K::ColSubscribedAt, text_or_muted(f.subscribe_time.as_deref().map(util::format_time), K::NotSet))}
                    {kv(K::ColScene, match scene {
                        Some(s) => view! { <span>{move || s.get()}</span> }.into_any(),
                        None => text_or_muted(None, K::NotSet),
                    })}
                    {kv(K::FieldQrScene, text_or_muted(f.qr_scene.clone(), K::NotSet))}
                    {kv(K::ColGroup, text_or_muted(f.group.clone().map(|g| g.name), K::NotSet))}
                    {kv(K::ColTags, view! {
                        <span class="tag-list" data-testid="detail-tags">
                            {move || {
                                let tags = current.get().tags;
                                if tags.is_empty() {
                                    view! { <span class="muted">{move || i.t(K::NoTags)}</span> }.into_any()
                                } else {
                                    tags.into_iter().map(|t| view! {
                                        <A href=format!("/accounts/{id}/followers?tag={}", t.id) attr:class="badge badge-blue">{t.name}</A>
                                    }).collect_view().into_any()
                                }
                            }}
                        </span>
                    }.into_any())}
                    {kv(K::FieldSyncedAt, text_or_muted(f.synced_at.as_deref().map(util::format_time), K::NotSynced))}
                </dl>
            </section>
            <div>
                <section class="card">
                    <h2 class="section-title">{move || i.t(K::FieldRemark)}</h2>
                    <form on:submit=on_submit novalidate>
                        <FieldRow
                            name="remark"
                            label=K::FieldRemark
                            error=error
                            help=Signal::derive(move || i.t(K::RemarkHelp).to_string())
                        >
                            <input
                                id="f-remark"
                                class="input"
                                data-testid="field-remark"
                                maxlength="60"
                                disabled=move || !can_edit.get()
                                placeholder=move || i.t(K::NoRemark)
                                prop:value=move || remark.get()
                                on:input=move |ev| {
                                    server_error.set(None);
                                    remark.set(event_target_value(&ev));
                                }
                            />
                        </FieldRow>
                        <Show when=move || can_edit.get()>
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary" data-testid="remark-save" disabled=move || saving.get()>
                                    {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                                </button>
                            </div>
                        </Show>
                    </form>
                </section>
                <MessageHistory id=id openid=f.openid.clone() />
                <super::templates::FollowerTemplates id=id openid=f.openid.clone() />
            </div>
        </div>
    }
}

const HISTORY: u64 = 20;

/// The latest messages with this follower (the message log, filtered on the follower).
#[component]
fn MessageHistory(id: i64, openid: String) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        let openid = openid.clone();
        async move { messages_api::for_user(id, &openid, HISTORY).await }
    });
    view! {
        <section class="card" data-testid="follower-messages">
            <h2 class="section-title">{move || i.t(K::MessageHistory)}</h2>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <p class="muted">{move || i.t(K::MessageHistoryEmpty)}</p>
                }.into_any(),
                Some(Ok(p)) => {
                    let more = (p.total > p.items.len() as u64).then(|| {
                        fill(&fill(i.t(K::MessageHistoryMore), "n", &p.items.len().to_string()), "total", &p.total.to_string())
                    });
                    view! {
                        <ul class="message-history">
                            {p.items.into_iter().map(|m| {
                                let inbound = m.direction == Direction::In;
                                let kind = crate::messages::labels::type_text(&m.msg_type, m.event.as_deref(), i.lang_now());
                                let summary = crate::messages::labels::summary_view(&m.summary, &m.msg_type, m.event.as_deref(), i.lang_now());
                                view! {
                                    <li class="message-line" class:message-out=!inbound data-testid="follower-message">
                                        <span class="muted small nowrap">{util::format_time(&m.at)}</span>
                                        <span class=if inbound { "badge badge-green" } else { "badge badge-blue" }>
                                            {move || i.t(if inbound { K::MessageIn } else { K::MessageOut })}
                                        </span>
                                        <span class="small muted">{kind}</span>
                                        <span class="message-summary">{summary}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {more.map(|t| view! { <p class="muted small">{t}</p> })}
                    }.into_any()
                }
            }}
        </section>
    }
}
