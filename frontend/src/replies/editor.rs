//! The rule editor: name, priority, scope; triggers (subscribe, keyword exact/contains/regex,
//! message type, menu click, QR scan, default); conditions (time window, weekdays, tag); replies
//! (text, image, voice, video, music, news, transfer to customer service, no reply). Checked as
//! you type with `api::replies::validate` (the server's own rules; the server also compiles
//! regular expressions and its answer is shown on the field).

use api::replies::{
    Conditions, KeywordMode, NewsArticle, ReplyRule, ReplyRuleInput, RuleReply, Trigger,
};
use api::{FieldIssue, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as replies_api;
use crate::api_client::field_issue_message;
use crate::components::form::CheckboxInput;
use crate::components::icons;
use crate::i18n::{K, use_i18n};
use crate::oa::MaterialPicker;

const TRIGGER_KINDS: &[(&str, K)] = &[
    ("keyword", K::TrigKeyword),
    ("subscribe", K::TrigSubscribe),
    ("msg_type", K::TrigMsgType),
    ("menu_click", K::TrigMenuClick),
    ("qr_scan", K::TrigQrScan),
    ("default", K::TrigDefault),
];

const REPLY_KINDS: &[(&str, K)] = &[
    ("text", K::ReplyText),
    ("image", K::ReplyImage),
    ("voice", K::ReplyVoice),
    ("video", K::ReplyVideo),
    ("music", K::ReplyMusic),
    ("news", K::ReplyNews),
    ("transfer_customer_service", K::ReplyTransfer),
    ("no_reply", K::ReplyNone),
];

const MSG_TYPES: &[&str] = &[
    "text",
    "image",
    "voice",
    "video",
    "shortvideo",
    "location",
    "link",
];

fn trigger_kind(t: &Trigger) -> &'static str {
    match t {
        Trigger::Keyword { .. } => "keyword",
        Trigger::Subscribe { .. } => "subscribe",
        Trigger::MsgType { .. } => "msg_type",
        Trigger::MenuClick { .. } => "menu_click",
        Trigger::QrScan { .. } => "qr_scan",
        Trigger::MenuEvent { .. } => "menu_event",
        Trigger::Default => "default",
    }
}

fn new_trigger(kind: &str) -> Trigger {
    match kind {
        "subscribe" => Trigger::Subscribe { scene: None },
        "msg_type" => Trigger::MsgType {
            msg_type: "image".into(),
        },
        "menu_click" => Trigger::MenuClick { key: String::new() },
        "qr_scan" => Trigger::QrScan { scene: None },
        "menu_event" => Trigger::MenuEvent {
            event: "click".into(),
            key: None,
        },
        "default" => Trigger::Default,
        _ => Trigger::Keyword {
            mode: KeywordMode::Exact,
            pattern: String::new(),
        },
    }
}

fn reply_kind(r: &RuleReply) -> &'static str {
    match r {
        RuleReply::Text { .. } => "text",
        RuleReply::Image { .. } => "image",
        RuleReply::Voice { .. } => "voice",
        RuleReply::Video { .. } => "video",
        RuleReply::Music { .. } => "music",
        RuleReply::News { .. } => "news",
        RuleReply::TransferCustomerService { .. } => "transfer_customer_service",
        RuleReply::NoReply => "no_reply",
    }
}

/// The label of a reply's kind.
pub fn reply_kind_key(r: &RuleReply) -> K {
    let kind = reply_kind(r);
    REPLY_KINDS
        .iter()
        .find(|(v, _)| *v == kind)
        .map_or(K::ReplyText, |(_, k)| *k)
}

fn new_reply(kind: &str) -> RuleReply {
    match kind {
        "image" => RuleReply::Image {
            media_id: String::new(),
        },
        "voice" => RuleReply::Voice {
            media_id: String::new(),
        },
        "video" => RuleReply::Video {
            media_id: String::new(),
            title: None,
            description: None,
        },
        "music" => RuleReply::Music {
            title: None,
            description: None,
            music_url: None,
            hq_music_url: None,
            thumb_media_id: String::new(),
        },
        "news" => RuleReply::News {
            articles: vec![NewsArticle {
                title: String::new(),
                description: String::new(),
                pic_url: String::new(),
                url: String::new(),
            }],
        },
        "transfer_customer_service" => RuleReply::TransferCustomerService { kf_account: None },
        "no_reply" => RuleReply::NoReply,
        _ => RuleReply::Text {
            content: String::new(),
        },
    }
}

/// A WeCom menu event (`api::replies::WECOM_MENU_EVENTS`) in words.
pub fn menu_event_key(event: &str) -> K {
    match event {
        "view" => K::MevView,
        "scancode_push" => K::MevScancodePush,
        "scancode_waitmsg" => K::MevScancodeWaitmsg,
        "pic_sysphoto" => K::MevPicSysphoto,
        "pic_photo_or_album" => K::MevPicPhotoOrAlbum,
        "pic_weixin" => K::MevPicWeixin,
        "location_select" => K::MevLocationSelect,
        "enter_agent" => K::MevEnterAgent,
        _ => K::MevClick,
    }
}

fn opt(s: String) -> Option<String> {
    let t = s.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// A localised message for one issue of the rule rules.
fn issue_message(issue: &FieldIssue, lang: Lang) -> String {
    let k = match (issue.code.as_str(), issue.field.as_str()) {
        ("regex", _) => Some(K::RuleRegexInvalid),
        ("invalid", f) if f.starts_with("conditions.time") => Some(K::RuleTimeFormat),
        ("invalid", f) if f.starts_with("triggers") => Some(K::RuleTriggerInvalid),
        ("invalid", f) if f.starts_with("replies") => Some(K::RuleNewsCount),
        ("required", "triggers") => Some(K::RuleNeedTrigger),
        ("required", "replies") => Some(K::RuleNeedReply),
        _ => None,
    };
    match k {
        Some(K::RuleRegexInvalid) => {
            format!("{}: {}", K::RuleRegexInvalid.text(lang), issue.message)
        }
        Some(k) => k.text(lang).to_string(),
        None => field_issue_message(issue, lang),
    }
}

#[component]
pub fn RuleEditor(
    account_id: i64,
    rule: ReplyRule,
    /// A WeCom app: menu events (and entering the app) can trigger rules.
    #[prop(optional)]
    wecom: bool,
    on_saved: Callback<ReplyRule>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let is_new = rule.id == 0;
    let rule_id = (!is_new).then_some(rule.id);
    let name = RwSignal::new(rule.name.clone());
    let priority = RwSignal::new(rule.priority.to_string());
    let enabled = RwSignal::new(rule.enabled);
    let global = RwSignal::new(false);
    let triggers = RwSignal::new(rule.triggers.clone());
    let replies = RwSignal::new(rule.replies.clone());
    let time_from = RwSignal::new(rule.conditions.time_from.clone().unwrap_or_default());
    let time_to = RwSignal::new(rule.conditions.time_to.clone().unwrap_or_default());
    let weekdays = RwSignal::new(rule.conditions.weekdays.clone());
    let tag_id = RwSignal::new(
        rule.conditions
            .tag_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    let touched = RwSignal::new(!is_new);
    let server_issues: RwSignal<Vec<FieldIssue>> = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);

    let conditions = move || Conditions {
        time_from: opt(time_from.get()),
        time_to: opt(time_to.get()),
        weekdays: weekdays.get(),
        tag_id: tag_id.get().trim().parse().ok(),
    };
    let priority_ok = move || priority.get().trim().parse::<i32>().is_ok();
    let local_issues = Memo::new(move |_| {
        let mut v = api::replies::validate(
            &name.get(),
            &triggers.get(),
            &conditions(),
            &replies.get(),
            &|p| {
                if p.trim().is_empty() {
                    Err("empty".into())
                } else {
                    Ok(())
                }
            },
        );
        if !priority_ok() {
            v.push(FieldIssue {
                field: "priority".into(),
                code: "invalid".into(),
                message: "a whole number".into(),
            });
        }
        v
    });
    // Any edit clears what the server said last time.
    Effect::new(move |_| {
        name.track();
        triggers.track();
        replies.track();
        server_issues.set(Vec::new());
    });
    let err = move |field: &'static str| {
        move || {
            if !touched.get() {
                return None;
            }
            let lang = i.lang();
            server_issues
                .get()
                .iter()
                .chain(local_issues.get().iter())
                .find(|f| f.field == field)
                .map(|f| {
                    if field == "priority" {
                        K::RulePriorityFormat.text(lang).to_string()
                    } else {
                        issue_message(f, lang)
                    }
                })
        }
    };
    let err_at = move |prefix: &'static str, idx: usize| {
        move || {
            if !touched.get() {
                return None;
            }
            let field = format!("{prefix}[{idx}]");
            let lang = i.lang();
            server_issues
                .get()
                .iter()
                .chain(local_issues.get().iter())
                .find(|f| f.field == field)
                .map(|f| issue_message(f, lang))
        }
    };

    let save = move || {
        touched.set(true);
        if !local_issues.get_untracked().is_empty() {
            crate::util::focus_first_error();
            return;
        }
        let input = ReplyRuleInput {
            name: Some(name.get_untracked().trim().to_string()),
            enabled: Some(enabled.get_untracked()),
            priority: priority.get_untracked().trim().parse().ok(),
            global: is_new.then(|| global.get_untracked()),
            triggers: Some(triggers.get_untracked()),
            conditions: Some(conditions()),
            replies: Some(replies.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match replies_api::save(account_id, rule_id, &input).await {
                Ok(r) => on_saved.run(r),
                Err(e) => {
                    if e.code() == "validation" {
                        server_issues.set(e.fields().to_vec());
                    }
                    error.set(Some(e.message(i.lang_now())));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card rule-editor" data-testid="rule-editor">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(if is_new { K::RuleNew } else { K::RuleEditTitle })}</h2>
            </div>
            <form
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    save();
                }
                on:input=move |_| touched.set(true)
            >
                <div class="form-grid">
                    <label class="field" class:has-error=move || err("name")().is_some()>
                        <span class="field-label">{move || i.t(K::RuleName)}<span class="req">"*"</span></span>
                        <input class="input" data-testid="rule-name" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                        {move || err("name")().map(|m| view! { <span class="field-error">{m}</span> })}
                    </label>
                    <label class="field" class:has-error=move || err("priority")().is_some()>
                        <span class="field-label">{move || i.t(K::RulePriority)}</span>
                        <input class="input" type="number" data-testid="rule-priority" prop:value=move || priority.get()
                            on:input=move |ev| priority.set(event_target_value(&ev)) />
                        <span class="field-help">{move || i.t(K::RulePriorityHelp)}</span>
                        {move || err("priority")().map(|m| view! { <span class="field-error">{m}</span> })}
                    </label>
                    <CheckboxInput text=K::RuleEnabled checked=enabled on_change=move |v| enabled.set(v) />
                    {is_new.then(|| view! {
                        <CheckboxInput text=K::RuleGlobalHelp checked=global on_change=move |v| global.set(v) />
                    })}
                </div>

                <h3 class="subsection">{move || i.t(K::RuleTriggers)}</h3>
                <p class="field-help">{move || i.t(K::RuleTriggersHelp)}</p>
                {move || err("triggers")().map(|m| view! { <p class="field-error">{m}</p> })}
                <For
                    each={move || (0..triggers.with(Vec::len)).collect::<Vec<_>>()}
                    key=|idx| *idx
                    children={move |idx| view! { <TriggerRow idx=idx wecom=wecom triggers=triggers error=Signal::derive(err_at("triggers", idx)) /> }}
                />
                <button type="button" class="btn btn-sm" data-testid="rule-add-trigger"
                    on:click=move |_| triggers.update(|t| t.push(new_trigger("keyword")))>
                    {icons::plus()}<span>{move || i.t(K::RuleAddTrigger)}</span>
                </button>

                <h3 class="subsection">{move || i.t(K::RuleConditions)}</h3>
                <div class="form-grid">
                    <label class="field" class:has-error=move || err("conditions.time_from")().is_some()>
                        <span class="field-label">{move || i.t(K::RuleTimeFrom)}</span>
                        <input class="input" type="time" prop:value=move || time_from.get()
                            on:input=move |ev| time_from.set(event_target_value(&ev)) />
                        {move || err("conditions.time_from")().map(|m| view! { <span class="field-error">{m}</span> })}
                    </label>
                    <label class="field" class:has-error=move || err("conditions.time_to")().is_some()>
                        <span class="field-label">{move || i.t(K::RuleTimeTo)}</span>
                        <input class="input" type="time" prop:value=move || time_to.get()
                            on:input=move |ev| time_to.set(event_target_value(&ev)) />
                        {move || err("conditions.time_to")().map(|m| view! { <span class="field-error">{m}</span> })}
                    </label>
                    <label class="field">
                        <span class="field-label">{move || i.t(K::RuleTag)}</span>
                        <input class="input" type="number" min="0" prop:value=move || tag_id.get()
                            on:input=move |ev| tag_id.set(event_target_value(&ev)) />
                    </label>
                </div>
                <div class="field">
                    <span class="field-label">{move || i.t(K::RuleWeekdays)}</span>
                    <div class="chips">
                        {(1u8..=7)
                            .map(|d| {
                                let label = [K::Mon, K::Tue, K::Wed, K::Thu, K::Fri, K::Sat, K::Sun][usize::from(d - 1)];
                                view! {
                                    <button type="button" class="chip" class:active=move || weekdays.get().contains(&d)
                                        on:click=move |_| weekdays.update(|w| {
                                            if let Some(p) = w.iter().position(|x| *x == d) { w.remove(p); } else { w.push(d); w.sort_unstable(); }
                                        })>
                                        {move || i.t(label)}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    <span class="field-help">{move || i.t(K::RuleConditionsHelp)}</span>
                </div>

                <h3 class="subsection">{move || i.t(K::RuleReplies)}</h3>
                <p class="field-help">{move || i.t(K::RuleRepliesHelp)}</p>
                {move || err("replies")().map(|m| view! { <p class="field-error">{m}</p> })}
                <For
                    each={move || (0..replies.with(Vec::len)).collect::<Vec<_>>()}
                    key=|idx| *idx
                    children={move |idx| view! { <ReplyRow account_id=account_id idx=idx replies=replies error=Signal::derive(err_at("replies", idx)) /> }}
                />
                <button type="button" class="btn btn-sm" data-testid="rule-add-reply"
                    prop:disabled=move || { replies.with(Vec::len) >= api::replies::MAX_REPLIES }
                    on:click=move |_| replies.update(|r| r.push(new_reply("text")))>
                    {icons::plus()}<span>{move || i.t(K::RuleAddReply)}</span>
                </button>

                {move || error.get().map(|m| view! { <div class="alert alert-error">{m}</div> })}
                <div class="form-actions">
                    <button type="button" class="btn" on:click=move |_| on_cancel.run(())>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="rule-save" prop:disabled=move || busy.get()>
                        {move || i.t(if busy.get() { K::Saving } else { K::Save })}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn TriggerRow(
    idx: usize,
    wecom: bool,
    triggers: RwSignal<Vec<Trigger>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let kind =
        Memo::new(move |_| triggers.with(|t| t.get(idx).map(trigger_kind).unwrap_or("keyword")));
    let get = move || triggers.with(|t| t.get(idx).cloned());
    let set = move |t: Trigger| {
        triggers.update(|v| {
            if let Some(x) = v.get_mut(idx) {
                *x = t
            }
        })
    };
    view! {
        <div class="editor-row" class:has-error=move || error.get().is_some() data-testid="rule-trigger">
            <select class="select" data-testid="trigger-kind" on:change=move |ev| set(new_trigger(&event_target_value(&ev)))>
                {TRIGGER_KINDS.iter().map(|(v, k)| { let k = *k; let v = *v; view! { <option value=v prop:selected=move || kind.get() == v>{move || i.t(k)}</option> } }).collect_view()}
                {(wecom || kind.get_untracked() == "menu_event").then(|| view! {
                    <option value="menu_event" prop:selected=move || kind.get() == "menu_event">{move || i.t(K::TrigMenuEvent)}</option>
                })}
            </select>
            {move || match kind.get() {
                "keyword" => view! {
                    <select class="select" data-testid="trigger-mode" on:change=move |ev| {
                        let mode = match event_target_value(&ev).as_str() { "contains" => KeywordMode::Contains, "regex" => KeywordMode::Regex, _ => KeywordMode::Exact };
                        if let Some(Trigger::Keyword { pattern, .. }) = get() { set(Trigger::Keyword { mode, pattern }); }
                    }>
                        {[("exact", K::KwExact), ("contains", K::KwContains), ("regex", K::KwRegex)].into_iter().map(|(v, k)| view! {
                            <option value=v prop:selected=move || matches!((get(), v), (Some(Trigger::Keyword { mode: KeywordMode::Exact, .. }), "exact") | (Some(Trigger::Keyword { mode: KeywordMode::Contains, .. }), "contains") | (Some(Trigger::Keyword { mode: KeywordMode::Regex, .. }), "regex"))>{move || i.t(k)}</option>
                        }).collect_view()}
                    </select>
                    <input class="input grow" data-testid="trigger-pattern" placeholder=move || i.t(K::KwPlaceholder)
                        prop:value=move || match get() { Some(Trigger::Keyword { pattern, .. }) => pattern, _ => String::new() }
                        on:input=move |ev| if let Some(Trigger::Keyword { mode, .. }) = get() { set(Trigger::Keyword { mode, pattern: event_target_value(&ev) }) } />
                }.into_any(),
                "subscribe" | "qr_scan" => view! {
                    <input class="input grow" placeholder=move || i.t(K::SceneOptional)
                        prop:value=move || match get() { Some(Trigger::Subscribe { scene }) | Some(Trigger::QrScan { scene }) => scene.unwrap_or_default(), _ => String::new() }
                        on:input=move |ev| {
                            let scene = opt(event_target_value(&ev));
                            set(if kind.get_untracked() == "subscribe" { Trigger::Subscribe { scene } } else { Trigger::QrScan { scene } })
                        } />
                }.into_any(),
                "msg_type" => view! {
                    <select class="select" on:change=move |ev| set(Trigger::MsgType { msg_type: event_target_value(&ev) })>
                        {MSG_TYPES.iter().map(|t| { let t = *t; let label = if t == "shortvideo" { Some(K::MsgTypeShortVideo) } else { crate::messages::labels::msg_type_key(t) }; view! { <option value=t prop:selected=move || matches!(get(), Some(Trigger::MsgType { msg_type }) if msg_type == t)>{move || label.map_or(t, |k| i.t(k))}</option> } }).collect_view()}
                    </select>
                }.into_any(),
                "menu_event" => {
                    let event = move || match get() { Some(Trigger::MenuEvent { event, .. }) => event, _ => "click".to_string() };
                    view! {
                        <select class="select" data-testid="trigger-menu-event" on:change=move |ev| {
                            let event = event_target_value(&ev);
                            let key = match get() { Some(Trigger::MenuEvent { key, .. }) if event != "enter_agent" => key, _ => None };
                            set(Trigger::MenuEvent { event, key });
                        }>
                            {api::replies::WECOM_MENU_EVENTS.iter().map(|e| { let e = *e; view! { <option value=e prop:selected=move || event() == e>{move || i.t(menu_event_key(e))}</option> } }).collect_view()}
                        </select>
                        <Show when=move || event() != "enter_agent">
                            <input class="input grow mono" data-testid="trigger-menu-key"
                                placeholder=move || i.t(if event() == "view" { K::MenuEventUrlOptional } else { K::MenuEventKeyOptional })
                                prop:value=move || match get() { Some(Trigger::MenuEvent { key, .. }) => key.unwrap_or_default(), _ => String::new() }
                                on:input=move |ev| set(Trigger::MenuEvent { event: event(), key: opt(event_target_value(&ev)) }) />
                        </Show>
                    }.into_any()
                }
                "menu_click" => view! {
                    <input class="input grow mono" placeholder=move || i.t(K::SimClickPlaceholder)
                        prop:value=move || match get() { Some(Trigger::MenuClick { key }) => key, _ => String::new() }
                        on:input=move |ev| set(Trigger::MenuClick { key: event_target_value(&ev) }) />
                }.into_any(),
                _ => view! { <span class="muted small grow">{move || i.t(K::TrigDefaultHelp)}</span> }.into_any(),
            }}
            <button type="button" class="icon-btn" title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete)
                on:click=move |_| triggers.update(|v| { if idx < v.len() { v.remove(idx); } })>
                {icons::close()}
            </button>
            {move || error.get().map(|m| view! { <span class="field-error row-error">{m}</span> })}
        </div>
    }
}

#[component]
fn ReplyRow(
    account_id: i64,
    idx: usize,
    replies: RwSignal<Vec<RuleReply>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let kind = Memo::new(move |_| replies.with(|r| r.get(idx).map(reply_kind).unwrap_or("text")));
    let get = move || replies.with(|r| r.get(idx).cloned());
    let edit = move |f: &dyn Fn(&mut RuleReply)| {
        replies.update(|v| {
            if let Some(x) = v.get_mut(idx) {
                f(x)
            }
        })
    };
    // A text input bound to one string of the reply.
    let text_input = move |label: K,
                           read: fn(&RuleReply) -> String,
                           write: fn(&mut RuleReply, String),
                           testid: &'static str| {
        view! {
            <label class="field">
                <span class="field-label">{move || i.t(label)}</span>
                <input class="input" data-testid=testid prop:value=move || get().map(|r| read(&r)).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|r| write(r, v.clone())) } />
            </label>
        }
    };
    view! {
        <div class="editor-block" class:has-error=move || error.get().is_some() data-testid="rule-reply">
            <div class="editor-row">
                <span class="badge">{move || if idx == 0 { i.t(K::ReplyPassive) } else { i.t(K::ReplyAsync) }}</span>
                <select class="select" data-testid="reply-kind" on:change=move |ev| { let k = event_target_value(&ev); edit(&|r| *r = new_reply(&k)) }>
                    {REPLY_KINDS.iter().map(|(v, k)| { let k = *k; let v = *v; view! { <option value=v prop:selected=move || kind.get() == v>{move || i.t(k)}</option> } }).collect_view()}
                </select>
                <span class="grow"></span>
                <button type="button" class="icon-btn" title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete)
                    on:click=move |_| replies.update(|v| { if idx < v.len() { v.remove(idx); } })>
                    {icons::close()}
                </button>
            </div>
            {move || match kind.get() {
                "text" => view! {
                    <label class="field">
                        <textarea class="input" rows="3" data-testid="reply-text" placeholder=move || i.t(K::ReplyTextPlaceholder)
                            prop:value=move || match get() { Some(RuleReply::Text { content }) => content, _ => String::new() }
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&|r| *r = RuleReply::Text { content: v.clone() }) }></textarea>
                        <span class="field-help">{move || i.t(K::ReplyPlaceholders)}</span>
                    </label>
                }.into_any(),
                "image" | "voice" | "video" => {
                    let kinds: &'static [&'static str] = match kind.get_untracked() {
                        "voice" => &["voice"],
                        "video" => &["video"],
                        _ => &["image"],
                    };
                    view! {
                        <MediaIdField account_id=account_id idx=idx replies=replies kinds=kinds />
                        {(kind.get_untracked() == "video").then(|| view! {
                    {text_input(K::Title, |r| match r { RuleReply::Video { title, .. } => title.clone().unwrap_or_default(), _ => String::new() },
                        |r, v| if let RuleReply::Video { title, .. } = r { *title = opt(v) }, "reply-title")}
                    {text_input(K::Description, |r| match r { RuleReply::Video { description, .. } => description.clone().unwrap_or_default(), _ => String::new() },
                        |r, v| if let RuleReply::Video { description, .. } = r { *description = opt(v) }, "reply-desc")}
                        })}
                    }.into_any()
                }
                "music" => view! {
                    {text_input(K::ThumbMediaId, |r| match r { RuleReply::Music { thumb_media_id, .. } => thumb_media_id.clone(), _ => String::new() },
                        |r, v| if let RuleReply::Music { thumb_media_id, .. } = r { *thumb_media_id = v }, "reply-thumb")}
                    {text_input(K::Title, |r| match r { RuleReply::Music { title, .. } => title.clone().unwrap_or_default(), _ => String::new() },
                        |r, v| if let RuleReply::Music { title, .. } = r { *title = opt(v) }, "reply-title")}
                    {text_input(K::MusicUrl, |r| match r { RuleReply::Music { music_url, .. } => music_url.clone().unwrap_or_default(), _ => String::new() },
                        |r, v| if let RuleReply::Music { music_url, .. } = r { *music_url = opt(v) }, "reply-music-url")}
                    {text_input(K::HqMusicUrl, |r| match r { RuleReply::Music { hq_music_url, .. } => hq_music_url.clone().unwrap_or_default(), _ => String::new() },
                        |r, v| if let RuleReply::Music { hq_music_url, .. } = r { *hq_music_url = opt(v) }, "reply-hq-url")}
                }.into_any(),
                "news" => view! { <NewsArticles idx=idx replies=replies /> }.into_any(),
                "transfer_customer_service" => text_input(K::KfAccount,
                    |r| match r { RuleReply::TransferCustomerService { kf_account } => kf_account.clone().unwrap_or_default(), _ => String::new() },
                    |r, v| if let RuleReply::TransferCustomerService { kf_account } = r { *kf_account = opt(v) },
                    "reply-kf").into_any(),
                _ => view! { <p class="muted small">{move || i.t(K::ReplyNoneHelp)}</p> }.into_any(),
            }}
            {move || error.get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
    }
}

fn media_id_of(r: &RuleReply) -> Option<&String> {
    match r {
        RuleReply::Image { media_id }
        | RuleReply::Voice { media_id }
        | RuleReply::Video { media_id, .. } => Some(media_id),
        _ => None,
    }
}

/// The media id of an image/voice/video reply: typed by hand, or chosen among the account's
/// permanent materials of the reply's kind.
#[component]
fn MediaIdField(
    account_id: i64,
    idx: usize,
    replies: RwSignal<Vec<RuleReply>>,
    kinds: &'static [&'static str],
) -> impl IntoView {
    let i = use_i18n();
    let media = RwSignal::new(
        replies
            .with_untracked(|r| r.get(idx).and_then(media_id_of).cloned())
            .unwrap_or_default(),
    );
    // The reply's media id shows in the field (rows are keyed by position, so another reply can
    // move into this row when one above is removed) ...
    Effect::new(move |_| {
        let v = replies.with(|r| r.get(idx).and_then(media_id_of).cloned());
        if let Some(v) = v
            && media.with_untracked(|m| *m != v)
        {
            media.set(v);
        }
    });
    // ... and what is typed or picked in the field becomes the reply's media id.
    Effect::new(move |_| {
        let v = media.get();
        let same = replies.with_untracked(|r| r.get(idx).and_then(media_id_of) == Some(&v));
        if !same {
            replies.update(|r| {
                if let Some(
                    RuleReply::Image { media_id }
                    | RuleReply::Voice { media_id }
                    | RuleReply::Video { media_id, .. },
                ) = r.get_mut(idx)
                {
                    *media_id = v;
                }
            });
        }
    });
    view! {
        <div class="field">
            <span class="field-label">{move || i.t(K::MediaId)}</span>
            <div class="editor-row">
                <input class="input mono grow" data-testid="reply-media" prop:value=move || media.get()
                    on:input=move |ev| media.set(event_target_value(&ev)) />
                <MaterialPicker account=account_id kinds=kinds value=media testid="reply-media-picker" button_only=true />
            </div>
            <span class="field-help">{move || i.t(K::MediaIdHelp)}</span>
        </div>
    }
}

#[component]
fn NewsArticles(idx: usize, replies: RwSignal<Vec<RuleReply>>) -> impl IntoView {
    let i = use_i18n();
    let count = Memo::new(move |_| {
        replies.with(|r| match r.get(idx) {
            Some(RuleReply::News { articles }) => articles.len(),
            _ => 0,
        })
    });
    let edit = move |n: usize, f: &dyn Fn(&mut NewsArticle)| {
        replies.update(|v| {
            if let Some(RuleReply::News { articles }) = v.get_mut(idx)
                && let Some(a) = articles.get_mut(n)
            {
                f(a)
            }
        })
    };
    let read = move |n: usize, f: fn(&NewsArticle) -> String| {
        replies.with(|v| match v.get(idx) {
            Some(RuleReply::News { articles }) => articles.get(n).map(f).unwrap_or_default(),
            _ => String::new(),
        })
    };
    view! {
        <For
            each={move || (0..count.get()).collect::<Vec<_>>()}
            key=|n| *n
            children={move |n| view! {
                <div class="news-article">
                    <span class="muted small">{format!("#{}", n + 1)}</span>
                    <input class="input" data-testid="news-title" placeholder=move || i.t(K::Title)
                        prop:value=move || read(n, |a| a.title.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(n, &|a| a.title = v.clone()) } />
                    <input class="input" placeholder=move || i.t(K::Description)
                        prop:value=move || read(n, |a| a.description.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(n, &|a| a.description = v.clone()) } />
                    <input class="input mono" placeholder="https://…" data-testid="news-url"
                        prop:value=move || read(n, |a| a.url.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(n, &|a| a.url = v.clone()) } />
                    <input class="input mono" placeholder=move || i.t(K::PicUrl)
                        prop:value=move || read(n, |a| a.pic_url.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(n, &|a| a.pic_url = v.clone()) } />
                    <button type="button" class="icon-btn" title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete)
                        on:click=move |_| replies.update(|v| if let Some(RuleReply::News { articles }) = v.get_mut(idx) && n < articles.len() { articles.remove(n); })>
                        {icons::close()}
                    </button>
                </div>
            }}
        />
        <button type="button" class="btn btn-sm" prop:disabled=move || { count.get() >= 8 }
            on:click=move |_| replies.update(|v| if let Some(RuleReply::News { articles }) = v.get_mut(idx) {
                articles.push(NewsArticle { title: String::new(), description: String::new(), pic_url: String::new(), url: String::new() });
            })>
            {icons::plus()}<span>{move || i.t(K::AddArticle)}</span>
        </button>
    }
}
