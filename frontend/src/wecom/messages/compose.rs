//! The composer: recipients, message type and its fields, options; WeChat's rules checked
//! inline (the same checks the server runs); a confirmation naming who receives it; WeChat's
//! answer shown right after the send. The same form saves a draft or schedules the message
//! (the box in `schedule`), and edits one picked from the drafts list.

use api::wecom_message_drafts::{MessageDraft, MessageDraftInput, validate_draft};
use api::wecom_messages::{
    AppMessage, MessageRule, Recipients, SendAppMessageInput, SendOptions, SendState, limits,
    validate_send,
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
use super::schedule::{ScheduleBox, check_schedule, default_time};
use super::textcard::TextcardFields;
use super::{TYPES, bytes_help, errcode_text, issue_of, state_key, type_key};
use crate::components::datetime_input::beijing_parts;
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

/// The chips of saved recipients: names from the mirror where it has them.
async fn picked_of(id: i64, r: Recipients) -> Picked {
    if r.all {
        return Picked {
            all: true,
            ..Default::default()
        };
    }
    let depts = if r.parties.is_empty() {
        Vec::new()
    } else {
        wm_api::departments(id)
            .await
            .map(|t| t.departments)
            .unwrap_or_default()
    };
    let tags = if r.tags.is_empty() {
        Vec::new()
    } else {
        wm_api::tags(id).await.map(|t| t.tags).unwrap_or_default()
    };
    Picked {
        all: false,
        users: r.users.into_iter().map(|u| (u, String::new())).collect(),
        parties: r
            .parties
            .into_iter()
            .map(|p| {
                let name = depts.iter().find(|d| d.id == p).map(|d| d.name.clone());
                (p, name.unwrap_or_else(|| format!("#{p}")))
            })
            .collect(),
        tags: r
            .tags
            .into_iter()
            .map(|t| {
                let name = tags.iter().find(|x| x.id == t).map(|x| x.name.clone());
                (t, name.unwrap_or_else(|| format!("#{t}")))
            })
            .collect(),
    }
}

#[component]
pub(super) fn Compose(
    id: i64,
    version: RwSignal<u32>,
    /// A saved message to edit, set by the drafts list.
    load: RwSignal<Option<MessageDraft>>,
) -> impl IntoView {
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
    // The saved message being edited: (id, summary).
    let editing: RwSignal<Option<(i64, String)>> = RwSignal::new(None);
    let schedule_open = RwSignal::new(false);
    let sdate = RwSignal::new(String::new());
    let stime = RwSignal::new(String::new());
    let schedule_error: RwSignal<Option<String>> = RwSignal::new(None);
    let saving = RwSignal::new(false);

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

    // Empties what was typed after a send or a save; the type and the recipients stay (the
    // next message often goes to the same people).
    let reset = move || {
        draft.update(|d| *d = d.cleared());
        tried.set(false);
        editing.set(None);
        schedule_open.set(false);
        schedule_error.set(None);
    };
    // A saved message picked from the list fills the form.
    Effect::new(move |_| {
        let Some(d) = load.get() else {
            return;
        };
        load.set(None);
        draft.set(Draft::from_content(&d.content));
        options.set(d.options.clone());
        interval.set(
            d.options
                .duplicate_check_interval
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        tried.set(false);
        schedule_error.set(None);
        editing.set(Some((d.id, d.summary.clone())));
        match d.scheduled_at.as_deref() {
            Some(t) if d.state == api::wecom_message_drafts::DraftState::Scheduled => {
                let (a, b) = beijing_parts(t);
                sdate.set(a);
                stime.set(b);
                schedule_open.set(true);
            }
            _ => schedule_open.set(false),
        }
        let recipients = d.recipients.clone();
        spawn_local(async move {
            let p = picked_of(id, recipients).await;
            let _ = picked.try_set(p);
        });
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|doc| {
                doc.query_selector("[data-testid=wm-compose]")
                    .ok()
                    .flatten()
            })
        {
            el.scroll_into_view();
        }
    });
    // Saves the form as a draft (`at` None) or schedules it.
    let save = move |at: Option<String>| {
        let (req, _) = input();
        let body = MessageDraftInput {
            recipients: req.recipients,
            content: req.content,
            options: req.options,
            scheduled_at: at.clone(),
        };
        let editing_id = editing.get_untracked().map(|(d, _)| d);
        saving.set(true);
        spawn_local(async move {
            let r = wm_api::save_draft(id, editing_id, &body).await;
            let _ = saving.try_set(false);
            match r {
                Ok(d) => {
                    match d.scheduled_at.as_deref().filter(|_| at.is_some()) {
                        Some(t) => toasts.success(fill(
                            i.now(K::WmScheduledToast),
                            "time",
                            &util::format_time(t),
                        )),
                        None => toasts.success(i.now(K::WmDraftSaved)),
                    }
                    reset();
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    if let Some((_, m)) = fields.iter().find(|(f, _)| f == "scheduled_at") {
                        schedule_error.set(Some(m.clone()));
                    }
                    if !fields.is_empty() {
                        tried.set(true);
                        server_issues.set(fields);
                        util::focus_first_error();
                    }
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    };
    let on_save_draft = move |_| {
        let (req, _) = input();
        let body = MessageDraftInput {
            recipients: req.recipients,
            content: req.content,
            options: req.options,
            scheduled_at: None,
        };
        let lang = i.lang_now();
        let problems: Vec<(String, String)> = validate_draft(&body)
            .into_iter()
            .map(|(f, r)| (f, r.message(lang)))
            .collect();
        if !problems.is_empty() {
            server_issues.set(problems);
            util::focus_first_error();
            return;
        }
        save(None);
    };
    let on_schedule = Callback::new(move |()| {
        tried.set(true);
        let lang = i.lang_now();
        let content = draft.with_untracked(Draft::content);
        let when = check_schedule(&sdate.get_untracked(), &stime.get_untracked(), &content);
        schedule_error.set(when.as_ref().err().map(|r: &MessageRule| r.message(lang)));
        if !local_issues.with_untracked(Vec::is_empty) || when.is_err() {
            util::focus_first_error();
            return;
        }
        save(when.ok());
    });
    let open_schedule = move |_| {
        if sdate.with_untracked(String::is_empty) {
            let (a, b) = default_time();
            sdate.set(a);
            stime.set(b);
        }
        schedule_error.set(None);
        schedule_open.set(true);
    };

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
                        // Sent now: the draft it was edited from is done with.
                        if let Some((d, _)) = editing.get_untracked() {
                            let _ = wm_api::delete_draft(id, d).await;
                        }
                        reset();
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
            {move || editing.get().map(|(_, summary)| view! {
                <div class="alert alert-info wm-editing" data-testid="wm-editing">
                    <span>{move || fill(i.t(K::WmEditingDraft), "summary", &summary)}</span>
                    <button type="button" class="btn btn-sm" data-testid="wm-stop-editing"
                        on:click=move |_| {
                            reset();
                            picked.set(Picked::default());
                            options.set(SendOptions::default());
                            interval.set(String::new());
                        }>
                        {icons::close()}<span>{move || i.t(K::WmStopEditing)}</span>
                    </button>
                </div>
            })}
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
                <Show when=move || schedule_open.get()>
                    <ScheduleBox date=sdate time=stime error=Signal::derive(move || schedule_error.get())
                        busy=saving on_schedule=on_schedule
                        on_close=Callback::new(move |()| { schedule_open.set(false); schedule_error.set(None); }) />
                </Show>
                <div class="form-actions">
                    <button type="button" class="btn" data-testid="wm-save-draft" disabled=move || saving.get()
                        on:click=on_save_draft>
                        {icons::edit()}
                        <span>{move || i.t(if saving.get() && !schedule_open.get() { K::WmSavingDraft } else { K::WmSaveDraft })}</span>
                    </button>
                    <Show when=move || !schedule_open.get()>
                        <button type="button" class="btn" data-testid="wm-schedule" on:click=open_schedule>
                            {icons::clock()}
                            <span>{move || i.t(K::WmSchedule)}</span>
                        </button>
                    </Show>
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
                        <WechatAnswer account_id=id parts=m.parts.clone() />
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
