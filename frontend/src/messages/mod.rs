//! `/accounts/:id/messages`: conversations (followers/members by their latest message), the
//! message log with filters and full-text search, a message's decrypted XML, and a
//! conversation view with the reply box (48-hour window for Official Accounts).

use ::api::messages::{Direction, MessageItem, MessageQuery, StaffReply, StaffReplyRequest};
use ::api::replies::NewsArticle;
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::accounts::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{
    DateInput, EmptyState, ErrorState, FilterOption, FilterSelect, Pager, SearchBox, SkeletonRows,
    icons, reload, table_states, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::messages::api as messages_api;
use crate::oa::MaterialPicker;
use crate::util;
use ::api::accounts::Account;

pub mod api;
pub mod inspector;
pub mod labels;

const PER_PAGE: u64 = 20;

/// Message types the log can be filtered on (WeChat's `MsgType` values).
const MSG_TYPES: &[&str] = &[
    "text", "image", "voice", "video", "location", "link", "event", "news", "music",
];

/// The filters of the log, as the query string sends them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    user: String,
    msg_type: String,
    direction: String,
    from: String,
    to: String,
    q: String,
}

impl Filters {
    fn query(&self, page: u64) -> MessageQuery {
        let set = |v: &String| Some(v.clone()).filter(|v| !v.trim().is_empty());
        MessageQuery {
            page: Some(page),
            per_page: Some(PER_PAGE),
            user: set(&self.user),
            msg_type: set(&self.msg_type),
            direction: match self.direction.as_str() {
                "in" => Some(Direction::In),
                "out" => Some(Direction::Out),
                _ => None,
            },
            from: set(&self.from),
            to: set(&self.to),
            q: set(&self.q),
        }
    }
}

#[component]
pub fn MessagesPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Messages
            render=|a: Account| view! { <Messages id=a.id oa=a.kind == ::api::accounts::AccountKind::OfficialAccount /> }.into_any()
        />
    }
}

#[component]
fn Messages(id: i64, oa: bool) -> impl IntoView {
    let i = use_i18n();
    let selected: RwSignal<Option<String>> = RwSignal::new(None);
    view! {
        <p class="muted section-intro">{move || i.t(K::MessagesSubtitle)}</p>
        <div class="messages-layout">
            <Conversations id=id selected=selected />
            {move || match selected.get() {
                Some(user) => view! { <ConversationView id=id oa=oa user=user selected=selected /> }.into_any(),
                None => view! { <MessageLog id=id selected=selected /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Conversations(id: i64, selected: RwSignal<Option<String>>) -> impl IntoView {
    let i = use_i18n();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    Effect::new(move |_| {
        search.track();
        page.set(1);
    });
    let data = LocalResource::new(move || {
        let q = search.get();
        let p = page.get();
        async move { messages_api::conversations(id, p, PER_PAGE, &q).await }
    });
    view! {
        <aside class="card conversations" data-testid="conversations">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::Conversations)}</h2>
                <button type="button" class="icon-btn" title=move || i.t(K::Refresh) aria-label=move || i.t(K::Refresh)
                    on:click=move |_| reload(data)>{icons::refresh()}</button>
            </div>
            <SearchBox placeholder=K::ConversationsSearch value=search on_input=move |v| search.set(v) />
            {table_states(
                data,
                (4, 1),
                |p| p.items.is_empty().then(|| view! { <EmptyState title=K::ConversationsEmpty body=K::ConversationsEmptyBody /> }.into_any()),
                move |p| {
                    let total = p.total;
                    view! {
                        <ul class="conversation-list">
                            {p.items.into_iter().map(|c| {
                                let user = c.user.clone();
                                let is_sel = { let u = user.clone(); move || selected.get().as_deref() == Some(u.as_str()) };
                                view! {
                                    <li>
                                        <button type="button" class="conversation-item" class:active=is_sel data-testid="conversation-item"
                                            on:click={ let u = user.clone(); move |_| selected.set(Some(u.clone())) }>
                                            <span class="conv-top">
                                                <b class="mono ellipsis">{c.remark.clone().unwrap_or_else(|| c.user.clone())}</b>
                                                <span class="muted small nowrap">{util::format_time(&c.last_at)}</span>
                                            </span>
                                            <span class="conv-bottom">
                                                <span class="ellipsis">{
                                                    let (sum, ty, ev) = (c.last_summary.clone(), c.last_msg_type.clone(), c.last_event.clone());
                                                    move || labels::summary_view(&sum, &ty, ev.as_deref(), i.lang())
                                                }</span>
                                                <span class="badge">{c.inbound_count}</span>
                                                {(!c.window_open).then(|| view! { <span class="badge badge-orange" title=move || i.t(K::WindowClosed)>"48h"</span> })}
                                            </span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
                    }
                        .into_any()
                },
            )}
        </aside>
    }
}

/// A type label for a message (the event's name for events), in the UI language.
fn type_label(m: &MessageItem) -> impl Fn() -> String + use<> {
    let i = use_i18n();
    let (t, e) = (m.msg_type.clone(), m.event.clone());
    move || labels::type_text(&t, e.as_deref(), i.lang())
}

/// A send state as a coloured badge, in the UI language.
fn status_badge(status: Option<String>) -> impl IntoView {
    let i = use_i18n();
    status.map(|s| {
        let class = status_class(Some(&s));
        view! { " "<span class=class>{move || labels::or_raw(labels::status_key(&s), &s, i.lang())}</span> }
    })
}

fn status_class(status: Option<&str>) -> &'static str {
    match status {
        Some("sent") => "badge badge-green",
        Some("pending") => "badge badge-orange",
        Some("failed") => "badge badge-red",
        _ => "badge",
    }
}

#[component]
fn MessageLog(id: i64, selected: RwSignal<Option<String>>) -> impl IntoView {
    let i = use_i18n();
    let filters = RwSignal::new(Filters::default());
    let draft_q = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let open: RwSignal<Option<String>> = RwSignal::new(None);
    Effect::new(move |_| {
        filters.track();
        page.set(1);
    });
    let data = LocalResource::new(move || {
        let f = filters.get();
        let p = page.get();
        async move { messages_api::log(id, &f.query(p)).await }
    });
    let set = move |f: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filters.update(|x| f(x, v));
        }
    };
    view! {
        <section class="card table-card message-log" data-testid="message-log">
            <div class="toolbar wrap">
                <SearchBox
                    placeholder=K::MessagesSearch
                    value=draft_q
                    on_input=move |v| draft_q.set(v)
                    on_commit=move |v| filters.update(|f| f.q = v)
                    testid="messages-search"
                />
                <FilterSelect
                    label=K::Direction
                    value=Signal::derive(move || filters.with(|f| f.direction.clone()))
                    on_change=move |v| filters.update(|f| f.direction = v)
                    options=vec![
                        FilterOption::key("in", K::DirectionIn),
                        FilterOption::key("out", K::DirectionOut),
                    ]
                    testid="messages-direction"
                />
                <FilterSelect
                    label=K::MsgType
                    value=Signal::derive(move || filters.with(|f| f.msg_type.clone()))
                    on_change=move |v| filters.update(|f| f.msg_type = v)
                    options={MSG_TYPES.iter().map(|t| match labels::msg_type_key(t) {
                        Some(k) => FilterOption::key(*t, k),
                        None => FilterOption::text(*t, *t),
                    }).collect::<Vec<_>>()}
                    testid="messages-type"
                />
                <input class="input input-sm" placeholder=move || i.t(K::UserFilter) data-testid="messages-user"
                    on:change=set(|f, v| f.user = v) />
                <label class="inline-field">
                    <span class="small muted">{move || i.t(K::DateFrom)}</span>
                    <DateInput testid="messages-from" value=Signal::derive(move || filters.with(|f| f.from.clone())) on_change=move |v| filters.update(|f| f.from = v) />
                </label>
                <label class="inline-field">
                    <span class="small muted">{move || i.t(K::DateTo)}</span>
                    <DateInput testid="messages-to" value=Signal::derive(move || filters.with(|f| f.to.clone())) on_change=move |v| filters.update(|f| f.to = v) />
                </label>
            </div>
            {table_states(
                data,
                (6, 5),
                |p| p.items.is_empty().then(|| view! { <EmptyState title=K::MessagesEmpty body=K::MessagesEmptyBody testid="messages-empty" /> }.into_any()),
                move |p| {
                    let total = p.total;
                    view! {
                        <div class="table-wrap">
                            <table class="table table-cards">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::Time)}</th>
                                        <th>{move || i.t(K::Direction)}</th>
                                        <th>{move || i.t(K::UserFilter)}</th>
                                        <th>{move || i.t(K::MsgType)}</th>
                                        <th>{move || i.t(K::Content)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items.into_iter().map(|m| {
                                        let mid = m.id.clone();
                                        let user = m.user.clone();
                                        let is_open = { let mid = mid.clone(); move || open.get().as_deref() == Some(mid.as_str()) };
                                        let dir_in = m.direction == Direction::In;
                                        view! {
                                            <tr class="row-link" data-testid="message-row" data-direction=m.direction.as_str()
                                                on:click={ let mid = mid.clone(); move |_| open.update(|o| *o = if o.as_deref() == Some(mid.as_str()) { None } else { Some(mid.clone()) }) }>
                                                <td class="nowrap muted" data-label=move || i.t(K::Time)>{util::format_time(&m.at)}</td>
                                                <td data-label=move || i.t(K::Direction)>
                                                    <span class=if dir_in { "badge badge-blue" } else { "badge badge-purple" }>
                                                        {move || i.t(if dir_in { K::DirectionIn } else { K::DirectionOut })}
                                                    </span>
                                                    {status_badge(m.status.clone())}
                                                </td>
                                                <td class="mono" data-label=move || i.t(K::UserFilter)>
                                                    <button type="button" class="link-btn" on:click={ let u = user.clone(); move |ev: leptos::ev::MouseEvent| { ev.stop_propagation(); selected.set(Some(u.clone())); } }>
                                                        {m.user.clone()}
                                                    </button>
                                                </td>
                                                <td data-label=move || i.t(K::MsgType)>{type_label(&m)}</td>
                                                <td class="cell-wrap" data-label=move || i.t(K::Content)>
                                                    {labels::summary_view(&m.summary, &m.msg_type, m.event.as_deref(), i.lang_now())}
                                                    {m.error.clone().map(|e| view! { <crate::components::FailureText text=e /> })}
                                                </td>
                                            </tr>
                                            <Show when=is_open.clone()>
                                                <tr class="detail-row"><td colspan="5"><MessageDetailView id=id message_id=mid.clone() /></td></tr>
                                            </Show>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
                    }
                        .into_any()
                },
            )}
        </section>
    }
}

#[component]
fn MessageDetailView(id: i64, message_id: String) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        let mid = message_id.clone();
        async move { messages_api::message(id, &mid).await }
    });
    view! {
        <div class="message-detail" data-testid="message-detail">
            {move || match data.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(d)) => view! {
                    {d.media.clone().map(|m| view! {
                        <div class="media-preview" data-testid="media-preview">
                            {m.pic_url.clone().map(|u| {
                                let href = u.clone();
                                view! {
                                    <a href=href target="_blank" rel="noreferrer noopener">
                                        <img src=u alt="" loading="lazy" referrerpolicy="no-referrer" />
                                    </a>
                                }
                            })}
                            <span class="small muted">{move || i.t(K::MediaId)}": "<span class="mono">{m.media_id.clone()}</span></span>
                        </div>
                    })}
                    <h4>{move || i.t(if d.item.direction == Direction::In { K::DecryptedXml } else { K::SentBody })}</h4>
                    <pre class="mono">{d.raw.clone()}</pre>
                    {d.reply_xml.clone().map(|x| view! { <h4>{move || i.t(K::PassiveReplyXml)}</h4><pre class="mono">{x}</pre> })}
                    {(d.attempts > 0).then(|| view! { <p class="small muted">{move || fill(i.t(K::Attempts), "n", &d.attempts.to_string())}</p> })}
                    {(!d.replies.is_empty()).then(|| view! {
                        <h4>{move || i.t(K::RepliesSent)}</h4>
                        <ul class="plain-list">
                            {d.replies.iter().map(|r| view! {
                                <li>{status_badge(r.status.clone())}" "
                                    <span class="muted small">{r.channel.clone().map(|ch| move || labels::or_raw(labels::channel_key(&ch), &ch, i.lang()))}</span>" "{labels::summary_view(&r.summary, &r.msg_type, r.event.as_deref(), i.lang_now())}</li>
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ConversationView(
    id: i64,
    oa: bool,
    user: String,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_reply = Memo::new(move |_| session.allows(Role::Operator));
    let u = StoredValue::new(user);
    let data =
        LocalResource::new(
            move || async move { messages_api::conversation(id, &u.get_value()).await },
        );
    view! {
        <section class="card conversation" data-testid="conversation">
            <div class="card-head">
                <button type="button" class="btn btn-ghost btn-sm" data-testid="conversation-back" on:click=move |_| selected.set(None)>
                    {icons::back()}<span>{move || i.t(K::MessageLog)}</span>
                </button>
                <h2 class="section-title mono id-wrap conversation-title">{u.get_value()}</h2>
                <button type="button" class="icon-btn" title=move || i.t(K::Refresh) aria-label=move || i.t(K::Refresh)
                    on:click=move |_| reload(data)>{icons::refresh()}</button>
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=4 cols=1 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(c)) => {
                    let window = c.window_open;
                    let closes = c.window_closes_at.clone();
                    view! {
                        {c.truncated.then(|| view! { <p class="muted small">{move || i.t(K::ConversationTruncated)}</p> })}
                        <div class="chat conversation-chat">
                            {c.messages.iter().map(|m| {
                                let class = if m.direction == Direction::In { "bubble bubble-out" } else { "bubble bubble-in" };
                                view! {
                                    <div class=class data-testid="conversation-message" data-direction=m.direction.as_str()>
                                        <div>{labels::summary_view(&m.summary, &m.msg_type, m.event.as_deref(), i.lang_now())}</div>
                                        <div class="bubble-meta">
                                            {util::format_time(&m.at)}" · "{type_label(m)}
                                            {m.channel.clone().map(|ch| move || format!(" · {}", labels::or_raw(labels::channel_key(&ch), &ch, i.lang())))}
                                            {m.kf_account.clone().map(|kf| view! { " · "<span class="kf-sender" data-testid="reply-kf">{move || fill(i.t(K::KfSentAs), "kf", &kf)}</span> })}
                                            {status_badge(m.status.clone())}
                                        </div>
                                        {m.error.clone().map(|e| view! { <crate::components::FailureText text=e /> })}
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        <p class=if window { "window-note ok small" } else { "window-note closed small" } data-testid="reply-window">
                            {move || match (&closes, window) {
                                (Some(t), true) => fill(i.t(K::WindowOpenUntil), "time", &util::format_time(t)),
                                (None, true) => i.t(K::WindowAlwaysOpen).to_string(),
                                _ => i.t(K::WindowClosed).to_string(),
                            }}
                        </p>
                        <Show when=move || can_reply.get() && window>
                            <ReplyBox id=id oa=oa user=u.get_value() on_sent=Callback::new(move |_| reload(data)) />
                        </Show>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ReplyBox(id: i64, oa: bool, user: String, on_sent: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    // Official Accounts: reply as one of the customer-service accounts, or as the account.
    let kf = RwSignal::new(String::new());
    let kf_accounts = LocalResource::new(move || async move {
        if oa {
            crate::oa::kf::api::list(id).await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let kind = RwSignal::new("text".to_string());
    let text = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let touched = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let user = StoredValue::new(user);
    let request = move || {
        let reply = match kind.get().as_str() {
            "image" => StaffReply::Image {
                media_id: text.get().trim().to_string(),
            },
            "news" => StaffReply::News {
                article: NewsArticle {
                    title: title.get().trim().to_string(),
                    description: text.get().trim().to_string(),
                    pic_url: String::new(),
                    url: url.get().trim().to_string(),
                },
            },
            _ => StaffReply::Text {
                content: text.get(),
            },
        };
        StaffReplyRequest {
            to_user: user.get_value(),
            reply,
            kf_account: Some(kf.get()).filter(|k| !k.is_empty()),
        }
    };
    let issues = Memo::new(move |_| request().validate());
    let err = move |field: &'static str| {
        move || {
            touched
                .get()
                .then(|| issues.get().into_iter().find(|f| f.field == field))
                .flatten()
                .map(|f| match f.code.as_str() {
                    "url_format" => i.t(K::UrlFormat).to_string(),
                    _ => crate::api_client::field_issue_message(&f, i.lang()),
                })
        }
    };
    let send = move || {
        touched.set(true);
        if !issues.get_untracked().is_empty() {
            return;
        }
        let req = request();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let r = messages_api::reply(id, &req).await;
            match r {
                Ok(_) => {
                    toasts.success(i.now(K::ReplySent));
                    text.set(String::new());
                    title.set(String::new());
                    url.set(String::new());
                    touched.set(false);
                    on_sent.run(());
                }
                Err(e) => {
                    error.set(Some(e.message(i.lang_now())));
                    on_sent.run(());
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="reply-box" data-testid="reply-box" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <div class="editor-row">
                <select class="select" data-testid="reply-type" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="text">{move || i.t(K::ReplyText)}</option>
                    <option value="image">{move || i.t(K::ReplyImageById)}</option>
                    <option value="news">{move || i.t(K::ReplyNews)}</option>
                </select>
                {move || {
                    let list = kf_accounts.get().unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <select class="select" data-testid="reply-kf-account" aria-label=move || i.t(K::KfReplyAs) title=move || i.t(K::KfReplyAs) on:change=move |ev| kf.set(event_target_value(&ev))>
                            <option value="">{move || i.t(K::KfReplyAsAccount)}</option>
                            {list.into_iter().map(|k| {
                                let label = format!("{} ({})", k.nickname, k.kf_account);
                                view! { <option value=k.kf_account.clone() selected=kf.get_untracked() == k.kf_account>{label}</option> }
                            }).collect_view()}
                        </select>
                    })
                }}
            </div>
            <Show when=move || kind.get() == "news">
                <label class="field" class:has-error=move || err("title")().is_some()>
                    <input class="input" placeholder=move || i.t(K::Title) prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    {move || err("title")().map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
                <label class="field" class:has-error=move || err("url")().is_some()>
                    <input class="input mono" placeholder="https://…" prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev)) />
                    {move || err("url")().map(|m| view! { <span class="field-error">{m}</span> })}
                </label>
            </Show>
            <label class="field" class:has-error=move || err("content")().or_else(err("media_id")).is_some()>
                <textarea class="input" rows="3" data-testid="reply-text"
                    placeholder=move || i.t(match kind.get().as_str() { "image" => K::MediaId, "news" => K::Description, _ => K::ReplyPlaceholder })
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                {move || err("content")().or_else(err("media_id")).map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <Show when=move || kind.get() == "image">
                <div class="editor-row">
                    <MaterialPicker account=id kinds=&["image"] value=text testid="reply-media-picker" button_only=true />
                    <span class="field-help">{move || i.t(K::MediaIdHelp)}</span>
                </div>
            </Show>
            {move || error.get().map(|m| view! { <div class="alert alert-error" data-testid="reply-error">{m}</div> })}
            <div class="form-actions">
                <span class="muted small">{move || i.t(K::ReplyVia)}</span>
                <button type="submit" class="btn btn-primary" data-testid="reply-send" prop:disabled=move || busy.get()>
                    {move || i.t(if busy.get() { K::SimSending } else { K::SendReply })}
                </button>
            </div>
        </form>
    }
}
