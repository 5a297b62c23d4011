//! The composer: recipients, message type and its fields, options; WeChat's rules checked
//! inline (the same checks the server runs); a confirmation naming who receives it; WeChat's
//! answer shown right after the send.

use api::wecom_messages::{
    AppMessage, SendAppMessageInput, SendOptions, SendState, limits, validate_send,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::answer::WechatAnswer;
use super::api as wm_api;
use super::articles::Articles;
use super::draft::Draft;
use super::media_field::MediaField;
use super::options::{OptionsForm, safe_allowed};
use super::picked::Picked;
use super::picker::RecipientPicker;
use super::textcard::TextcardFields;
use super::{TYPES, bytes_help, errcode_text, issue_of, state_key, type_key};
use crate::components::{ConfirmDialog, FieldRow, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// "2 个部门、1 个标签、3 位成员" or "全部成员".
fn who(p: &Picked, lang: api::Lang) -> String {
    if p.all {
        return K::WmAllMembers.text(lang).to_string();
    }
    let mut parts = Vec::new();
    for (n, k) in [
        (p.parties.len(), K::WmNDepartments),
        (p.tags.len(), K::WmNTags),
        (p.users.len(), K::WmNMembers),
    ] {
        if n > 0 {
            parts.push(fill(k.text(lang), "n", &n.to_string()));
        }
    }
    parts.join(K::WmListSep.text(lang))
}

#[component]
pub(super) fn Compose(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let picked = RwSignal::new(Picked::default());
    let draft = RwSignal::new(Draft::default());
    let options = RwSignal::new(SendOptions::default());
    let interval = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let server_issues: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let last: RwSignal<Option<AppMessage>> = RwSignal::new(None);
    let msgtype = Memo::new(move |_| draft.with(|d| d.msgtype));

    // What would be sent, and the interval's own problem (it is typed as text).
    let input = move || {
        let t = msgtype.get();
        let mut o = options.get();
        o.safe = o.safe && safe_allowed(t);
        let raw = interval.get();
        let mut bad_interval = false;
        o.duplicate_check_interval = None;
        if o.enable_duplicate_check && !raw.trim().is_empty() {
            match raw.trim().parse::<u32>() {
                Ok(n) => o.duplicate_check_interval = Some(n),
                Err(_) => bad_interval = true,
            }
        }
        let req = SendAppMessageInput {
            recipients: picked.with(Picked::recipients),
            content: draft.with(Draft::content),
            options: o,
        };
        (req, bad_interval)
    };
    let local_issues = Memo::new(move |_| {
        let (req, bad_interval) = input();
        let lang = i.lang();
        let mut v: Vec<(String, String)> = validate_send(&req)
            .into_iter()
            .map(|(f, r)| {
                let f = if f == "recipients.users" {
                    "recipients".to_string()
                } else {
                    f
                };
                (f, r.message(lang))
            })
            .collect();
        if bad_interval {
            v.push((
                "options.duplicate_check_interval".into(),
                api::wecom_messages::MessageRule::IntervalRange.message(lang),
            ));
        }
        v
    });
    // Shown once a send was tried; the server's own answer (422) is added.
    let issues = Signal::derive(move || {
        let mut v = if tried.get() {
            local_issues.get()
        } else {
            Vec::new()
        };
        v.extend(server_issues.get());
        v
    });
    let err = move |f: &'static str| Signal::derive(move || issues.with(|l| issue_of(l, f)));
    // Anything typed again clears the server's earlier answer.
    Effect::new(move |_| {
        draft.track();
        picked.track();
        server_issues.set(Vec::new());
    });

    let confirm_open = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if !local_issues.with_untracked(Vec::is_empty) {
            util::focus_first_error();
            return;
        }
        confirm_open.set(true);
    };
    let on_confirm = Callback::new(move |()| {
        let (req, _) = input();
        sending.set(true);
        spawn_local(async move {
            let r = wm_api::send_message(id, &req).await;
            let _ = sending.try_set(false);
            let _ = confirm_open.try_set(false);
            match r {
                Ok(m) => {
                    match m.summary.state {
                        SendState::Sent => toasts.success(i.now(K::WmSentToast)),
                        SendState::Partial => toasts.success(i.now(K::WmPartialToast)),
                        _ => {
                            let why = m
                                .parts
                                .iter()
                                .find_map(|p| p.errcode)
                                .map(|c| errcode_text(c, i.lang_now()));
                            toasts
                                .error(why.unwrap_or_else(|| i.now(K::WmFailedToast).to_string()));
                        }
                    }
                    if m.summary.state != SendState::Failed {
                        draft.update(|d| *d = d.cleared());
                        tried.set(false);
                    }
                    let _ = last.try_set(Some(m));
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    if !fields.is_empty() {
                        server_issues.set(fields);
                    }
                    toasts.error(e.message(i.lang_now()));
                    // A send refused over the rate limit was not stored: the usage may have moved.
                    version.update(|v| *v += 1);
                }
            }
        });
    });
    let confirm_body = Signal::derive(move || {
        let t = i.t(type_key(msgtype.get()));
        fill(
            &fill(i.t(K::WmConfirmBody), "type", t),
            "who",
            &picked.with(|p| who(p, i.lang())),
        )
    });

    let body_field = move |markdown: bool| {
        let max = if markdown {
            limits::MARKDOWN
        } else {
            limits::TEXT
        };
        view! {
            <FieldRow name="content.content" label=if markdown { K::WmMarkdownBody } else { K::WmTextBody } required=true
                error=err("content.content")
                help=Signal::derive(move || {
                    let used = draft.with(|d| bytes_help(&d.body, max, i.lang()));
                    if markdown { format!("{used} · {}", i.t(K::WmMarkdownHelp)) } else { format!("{used} · {}", i.t(K::WmTextHelp)) }
                })>
                <textarea id="f-content.content" class="input" rows="6" data-testid="wm-body"
                    aria-invalid=move || err("content.content").with(|e| e.is_some()).then_some("true")
                    prop:value=move || draft.with(|d| d.body.clone())
                    on:input=move |ev| draft.update(|d| d.body = event_target_value(&ev))></textarea>
            </FieldRow>
        }
    };
    let media_field = move |kind: &'static str| {
        view! {
            <div class="field" class:has-error=move || err("content.media_id").with(|e| e.is_some())>
                <span class="field-label">{move || i.t(type_key(kind))}<span class="req" aria-hidden="true">"*"</span></span>
                <MediaField id=id kind=kind testid="wm-media"
                    value=Signal::derive(move || draft.with(|d| (d.media_id.clone(), d.media_name.clone())))
                    on_uploaded=Callback::new(move |(m, n): (String, String)| draft.update(|d| { d.media_id = m; d.media_name = n; }))
                    error=err("content.media_id") />
            </div>
        }
    };

    view! {
        <section class="card" data-testid="wm-compose">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WmComposeTitle)}</h2>
            </div>
            <form on:submit=on_submit novalidate class="outreach-form wm-form">
                <RecipientPicker id=id picked=picked error=err("recipients") />
                <FieldRow name="msgtype" label=K::WmType error=Signal::derive(|| None::<String>)>
                    <div class="choice-chips" role="radiogroup">
                        {TYPES.into_iter().map(|(v, k)| view! {
                            <label class="choice-chip">
                                <input type="radio" name="wm-type" data-testid=format!("wm-type-{v}")
                                    prop:checked=move || msgtype.get() == v
                                    on:change=move |_| draft.update(|d| {
                                        if d.msgtype != v {
                                            // A medium is uploaded for one type only.
                                            d.media_id.clear();
                                            d.media_name.clear();
                                        }
                                        d.msgtype = v;
                                    }) />
                                <span>{move || i.t(k)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </FieldRow>
                {move || match msgtype.get() {
                    "text" => body_field(false).into_any(),
                    "markdown" => body_field(true).into_any(),
                    "textcard" => view! { <TextcardFields draft=draft issues=issues /> }.into_any(),
                    "news" | "mpnews" => view! { <Articles id=id draft=draft issues=issues /> }.into_any(),
                    "video" => view! {
                        {media_field("video")}
                        <FieldRow name="content.title" label=K::WmTitle error=err("content.title")
                            help=Signal::derive(move || draft.with(|d| bytes_help(&d.title, limits::TITLE, i.lang())))>
                            <input id="f-content.title" class="input" data-testid="wm-title"
                                prop:value=move || draft.with(|d| d.title.clone())
                                on:input=move |ev| draft.update(|d| d.title = event_target_value(&ev)) />
                        </FieldRow>
                        <FieldRow name="content.description" label=K::WmDescription error=err("content.description")
                            help=Signal::derive(move || draft.with(|d| bytes_help(&d.description, limits::DESCRIPTION, i.lang())))>
                            <textarea id="f-content.description" class="input" rows="3" data-testid="wm-description"
                                prop:value=move || draft.with(|d| d.description.clone())
                                on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
                        </FieldRow>
                    }.into_any(),
                    kind => media_field(kind).into_any(),
                }}
                <OptionsForm options=options interval=interval msgtype=msgtype issues=issues />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="wm-send" disabled=move || sending.get()>
                        {icons::check()}
                        <span>{move || i.t(if sending.get() { K::WmSending } else { K::WmSend })}</span>
                    </button>
                </div>
            </form>
            {move || last.get().map(|m| {
                let (sk, tone) = state_key(m.summary.state);
                view! {
                    <div class="wm-last" data-testid="wm-last" data-state=m.summary.state.as_str()>
                        <p>
                            <b>{move || i.t(K::WmLastResult)}</b>" "
                            <span class=tone.class() data-testid="wm-last-state">{move || i.t(sk)}</span>" "
                            <span class="muted small">{m.summary.summary.clone()}</span>
                        </p>
                        <WechatAnswer parts=m.parts.clone() />
                    </div>
                }
            })}
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || i.t(K::WmConfirmTitle).to_string())
                body=confirm_body
                confirm_label=K::WmSend
                busy_label=K::WmSending
                busy=sending
                on_confirm=on_confirm
                primary=true
            />
        </section>
    }
}
