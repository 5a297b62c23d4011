//! `/accounts/:id/rules`: auto-reply rules with hit counts, the rule editor (every trigger,
//! condition and reply type, validated as you type by the same rules as the server), and the
//! simulator ("type as a follower": the rule that fires, why the others did not, the exact XML).

use ::api::FieldIssue;
use ::api::replies::{
    Conditions, KeywordMode, ReplyRule, RuleReply, SimulateRequest, SimulateResponse, Trigger,
};
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::accounts::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EmptyState, ErrorState, SkeletonRows, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::replies::api as replies_api;
use ::api::accounts::{Account, AccountKind};

pub mod api;
pub mod editor;
mod verdicts;

use editor::RuleEditor;

/// A one-line description of a trigger.
pub fn trigger_text(t: &Trigger, lang_zh: bool) -> String {
    let z = |zh: &str, en: &str| {
        if lang_zh {
            zh.to_string()
        } else {
            en.to_string()
        }
    };
    match t {
        Trigger::Subscribe { scene: None } => z("关注", "subscribe"),
        Trigger::Subscribe { scene: Some(s) } => format!("{} {s}", z("扫码关注", "subscribe via")),
        Trigger::Keyword { mode, pattern } => {
            let m = match mode {
                KeywordMode::Exact => z("等于", "is"),
                KeywordMode::Contains => z("包含", "contains"),
                KeywordMode::Regex => z("正则", "regex"),
            };
            format!("{m} “{pattern}”")
        }
        Trigger::MsgType { msg_type } => {
            let lang = if lang_zh {
                ::api::Lang::ZhCn
            } else {
                ::api::Lang::En
            };
            let ty = crate::messages::labels::msg_type_key(msg_type)
                .map_or_else(|| msg_type.clone(), |k| k.text(lang).to_string());
            format!("{} {ty}", z("消息类型", "type"))
        }
        Trigger::MenuClick { key } => format!("{} {key}", z("菜单", "menu")),
        Trigger::QrScan { scene: None } => z("扫码", "QR scan"),
        Trigger::QrScan { scene: Some(s) } => format!("{} {s}", z("扫码", "QR scan")),
        Trigger::MenuEvent { event, key } => {
            let lang = if lang_zh {
                ::api::Lang::ZhCn
            } else {
                ::api::Lang::En
            };
            let what = editor::menu_event_key(event).text(lang);
            match key {
                Some(k) => format!("{what} {k}"),
                None => what.to_string(),
            }
        }
        Trigger::Default => z("默认回复", "default"),
    }
}

/// A one-line description of a reply: its kind in the UI language, then its content.
pub fn reply_text(r: &RuleReply, lang: ::api::Lang) -> String {
    let kind = editor::reply_kind_key(r).text(lang);
    match r {
        RuleReply::Text { content } => content.clone(),
        RuleReply::Image { media_id }
        | RuleReply::Voice { media_id }
        | RuleReply::Video { media_id, .. } => format!("【{kind}】{media_id}"),
        RuleReply::Music { title, .. } => {
            format!("【{kind}】{}", title.clone().unwrap_or_default())
        }
        RuleReply::News { articles } => format!(
            "【{kind}】{}",
            articles
                .first()
                .map(|a| a.title.clone())
                .unwrap_or_default()
        ),
        RuleReply::TransferCustomerService { .. } | RuleReply::NoReply => format!("【{kind}】"),
    }
}

/// An empty rule for the editor.
pub fn blank_rule() -> ReplyRule {
    ReplyRule {
        id: 0,
        account_id: None,
        name: String::new(),
        enabled: true,
        priority: 0,
        triggers: vec![Trigger::Keyword {
            mode: KeywordMode::Exact,
            pattern: String::new(),
        }],
        conditions: Conditions::default(),
        replies: vec![RuleReply::Text {
            content: String::new(),
        }],
        hit_count: 0,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    view! { <AccountSection tab=AccountTab::Rules render=|a: Account| view! { <Rules id=a.id wecom=a.kind == AccountKind::WorkApp /> }.into_any() /> }
}

#[component]
fn Rules(id: i64, wecom: bool) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(move || replies_api::list(id));
    // `Some(rule)`: the editor is open (id 0: a new rule).
    let editing: RwSignal<Option<ReplyRule>> = RwSignal::new(None);
    let deleting: RwSignal<Option<ReplyRule>> = RwSignal::new(None);
    let delete_open = RwSignal::new(false);
    let delete_busy = RwSignal::new(false);
    let search = RwSignal::new(String::new());

    let on_saved = Callback::new(move |rule: ReplyRule| {
        toasts.success(fill(i.now(K::RuleSaved), "name", &rule.name));
        editing.set(None);
        reload(data);
    });
    let confirm_delete = move || {
        let Some(rule) = deleting.get_untracked() else {
            return;
        };
        delete_busy.set(true);
        spawn_local(async move {
            match replies_api::remove(id, rule.id).await {
                Ok(()) => {
                    toasts.success(fill(i.now(K::RuleDeleted), "name", &rule.name));
                    reload(data);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            deleting.set(None);
            delete_busy.set(false);
            delete_open.set(false);
        });
    };

    view! {
        <p class="muted section-intro">{move || i.t(K::RulesSubtitle)}</p>
        <div class="rules-layout">
            // The editor takes the whole width above the list, so its rows have room.
            {move || editing.get().map(|rule| view! {
                <div class="rules-editor-slot">
                    <RuleEditor account_id=id wecom=wecom rule=rule on_saved=on_saved on_cancel=Callback::new(move |_| editing.set(None)) />
                </div>
            })}
            <div class="rules-main">
                <div class="card table-card">
                    <div class="toolbar">
                        <label class="search">
                            {icons::search()}
                            <input
                                class="input"
                                type="search"
                                data-testid="rules-search"
                                placeholder=move || i.t(K::RulesSearch)
                                prop:value=move || search.get()
                                on:input=move |ev| search.set(event_target_value(&ev))
                            />
                        </label>
                        <Show when=move || can_edit.get()>
                            <button
                                type="button"
                                class="btn btn-primary"
                                data-testid="rule-new"
                                on:click=move |_| editing.set(Some(blank_rule()))
                            >
                                {icons::plus()}
                                <span>{move || i.t(K::RuleNew)}</span>
                            </button>
                        </Show>
                    </div>
                    {move || match data.get() {
                        None => view! { <SkeletonRows rows=3 cols=5 /> }.into_any(),
                        Some(Err(e)) => view! {
                            <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                        }
                            .into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <EmptyState title=K::RulesEmptyTitle body=K::RulesEmptyBody testid="rules-empty" />
                        }
                            .into_any(),
                        Some(Ok(list)) => {
                            let q = search.get().to_lowercase();
                            let zh = i.lang() == ::api::Lang::ZhCn;
                            let max_hits = list.iter().map(|r| r.hit_count).max().unwrap_or(0).max(1);
                            let rows: Vec<ReplyRule> = list
                                .into_iter()
                                .filter(|r| {
                                    q.is_empty()
                                        || r.name.to_lowercase().contains(&q)
                                        || r.triggers.iter().any(|t| trigger_text(t, zh).to_lowercase().contains(&q))
                                })
                                .collect();
                            view! {
                                <div class="table-wrap">
                                    <table class="table table-cards">
                                        <thead>
                                            <tr>
                                                <th>{move || i.t(K::RuleName)}</th>
                                                <th>{move || i.t(K::RuleTriggers)}</th>
                                                <th class="hide-md">{move || i.t(K::RuleReplies)}</th>
                                                <th>{move || i.t(K::RulePriority)}</th>
                                                <th>{move || i.t(K::RuleHits)}</th>
                                                <th class="col-actions"></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|r| {
                                                    let width = r.hit_count as f64 * 100.0 / max_hits as f64;
                                                    let edit_rule = r.clone();
                                                    let del_rule = r.clone();
                                                    let global = r.account_id.is_none();
                                                    view! {
                                                        <tr data-testid="rule-row" class:row-disabled=!r.enabled>
                                                            <td class="cell-main" data-label=move || i.t(K::RuleName)>
                                                                <span class="row-title">{r.name.clone()}</span>
                                                                <span class="row-sub">
                                                                    {if r.enabled { "" } else { "⏸ " }}
                                                                    {move || if global { i.t(K::RuleGlobal) } else { "" }}
                                                                </span>
                                                            </td>
                                                            <td data-label=move || i.t(K::RuleTriggers)>
                                                                <div class="chips">
                                                                    {r.triggers.iter().map(|t| view! { <span class="chip">{trigger_text(t, zh)}</span> }).collect_view()}
                                                                </div>
                                                            </td>
                                                            <td class="hide-md small" data-label=move || i.t(K::RuleReplies)>
                                                                {r.replies.iter().map(|x| view! { <div class="ellipsis">{reply_text(x, i.lang_now())}</div> }).collect_view()}
                                                            </td>
                                                            <td data-label=move || i.t(K::RulePriority)>{r.priority}</td>
                                                            <td data-label=move || i.t(K::RuleHits)>
                                                                <div class="hit-bar" title=r.hit_count.to_string()>
                                                                    <span class="bar-track"><span class="bar-fill" style=format!("width:{width:.1}%")></span></span>
                                                                    <b data-testid="rule-hits">{r.hit_count}</b>
                                                                </div>
                                                            </td>
                                                            <td class="col-actions">
                                                                <Show when=move || can_edit.get()>
                                                                    <div class="row-actions">
                                                                        <button type="button" class="btn btn-sm" data-testid="rule-edit"
                                                                            on:click={
                                                                                let r = edit_rule.clone();
                                                                                move |_| editing.set(Some(r.clone()))
                                                                            }
                                                                        >{move || i.t(K::Edit)}</button>
                                                                        <button type="button" class="btn btn-sm btn-danger-outline"
                                                                            on:click={
                                                                                let r = del_rule.clone();
                                                                                move |_| {
                                                                                    deleting.set(Some(r.clone()));
                                                                                    delete_open.set(true);
                                                                                }
                                                                            }
                                                                        >{move || i.t(K::Delete)}</button>
                                                                    </div>
                                                                </Show>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
            <Simulator id=id />
        </div>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || i.t(K::RuleDeleteTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::RuleDeleteBody), "name", &deleting.get().map(|r| r.name).unwrap_or_default()))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=delete_busy
            on_confirm=move |_| confirm_delete()
        />
    }
}

/// Field issues for display: `(field, message)`.
pub fn issues_text(issues: &[FieldIssue], lang: ::api::Lang) -> Vec<(String, String)> {
    issues
        .iter()
        .map(|f| {
            (
                f.field.clone(),
                crate::api_client::field_issue_message(f, lang),
            )
        })
        .collect()
}

/// What the simulator can do as a follower.
const SIM_KINDS: [(&str, K); 8] = [
    ("text", K::SimText),
    ("image", K::SimImage),
    ("voice", K::SimVoice),
    ("location", K::SimLocation),
    ("link", K::SimLink),
    ("subscribe", K::SimSubscribe),
    ("SCAN", K::SimScan),
    ("CLICK", K::SimClick),
];

/// "Type as a follower".
#[component]
fn Simulator(id: i64) -> impl IntoView {
    let i = use_i18n();
    let kind = RwSignal::new("text".to_string());
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<Result<SimulateResponse, String>>> = RwSignal::new(None);
    // What the follower did, as the trace's first step: (kind, content).
    let asked = RwSignal::new((String::new(), String::new()));
    let run = move || {
        let k = kind.get_untracked();
        let t = text.get_untracked().trim().to_string();
        asked.set((k.clone(), t.clone()));
        let opt = (!t.is_empty()).then(|| t.clone());
        let req = match k.as_str() {
            "text" => SimulateRequest {
                msg_type: "text".into(),
                content: Some(t),
                ..Default::default()
            },
            "subscribe" => SimulateRequest {
                msg_type: "event".into(),
                event: Some("subscribe".into()),
                event_key: opt.map(|s| format!("qrscene_{s}")),
                ..Default::default()
            },
            "SCAN" | "CLICK" => SimulateRequest {
                msg_type: "event".into(),
                event: Some(k.clone()),
                event_key: opt,
                ..Default::default()
            },
            other => SimulateRequest {
                msg_type: other.to_string(),
                ..Default::default()
            },
        };
        busy.set(true);
        spawn_local(async move {
            let r = replies_api::simulate(id, &req)
                .await
                .map_err(|e| e.message(i.lang_now()));
            result.set(Some(r));
            busy.set(false);
        });
    };
    let kinds = SIM_KINDS;
    view! {
        <section class="card simulator" data-testid="rule-simulator">
            <div class="card-head">
                <h2 class="section-title">{icons::flask()}<span>{move || i.t(K::RuleSimulator)}</span></h2>
            </div>
            <p class="muted small">{move || i.t(K::RuleSimulatorHint)}</p>
            <form class="simulate-controls" on:submit=move |ev| { ev.prevent_default(); run(); }>
                <label class="field">
                    <span class="field-label">{move || i.t(K::SimAction)}</span>
                    <select class="select" data-testid="rule-sim-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {kinds.iter().map(|(v, k)| { let k = *k; view! { <option value=*v>{move || i.t(k)}</option> } }).collect_view()}
                    </select>
                </label>
                <label class="field simulate-text-field">
                    <span class="field-label">{move || i.t(K::SimContent)}</span>
                    <input
                        type="text"
                        class="input"
                        data-testid="rule-sim-text"
                        placeholder=move || match kind.get().as_str() {
                            "text" => i.t(K::SimTextPlaceholder),
                            "CLICK" => i.t(K::SimClickPlaceholder),
                            "subscribe" | "SCAN" => i.t(K::SimScenePlaceholder),
                            _ => "",
                        }
                        prop:disabled=move || !matches!(kind.get().as_str(), "text" | "CLICK" | "subscribe" | "SCAN")
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="btn btn-primary" data-testid="rule-sim-run" prop:disabled=move || busy.get()>
                    {move || i.t(K::RuleSimulate)}
                </button>
            </form>
            {move || result.get().map(|r| match r {
                Err(msg) => view! { <div class="alert alert-error">{msg}</div> }.into_any(),
                Ok(res) => view! { <Trace res=res asked=asked.get_untracked() /> }.into_any(),
            })}
        </section>
    }
}

/// The simulator's answer as a trace: what the follower did, then each rule in the order they
/// are tried with its verdict, then what the portal answers WeChat.
#[component]
fn Trace(res: SimulateResponse, asked: (String, String)) -> impl IntoView {
    let i = use_i18n();
    let (kind, content) = asked;
    let action = SIM_KINDS
        .iter()
        .find(|(v, _)| *v == kind)
        .map(|(_, k)| *k)
        .unwrap_or(K::SimText);
    let fired = res.rule_name.clone();
    let has_xml = res.reply_xml.is_some();
    view! {
        <div class="sim-outcome" data-testid="rule-sim-result">
            <p class="sim-fired">
                {match fired.clone() {
                    Some(name) => view! { <span>{move || i.t(K::RuleFires)}" "<b data-testid="rule-sim-fired">{name.clone()}</b></span> }.into_any(),
                    None => view! { <span class="muted">{move || i.t(K::RuleNoneFires)}</span> }.into_any(),
                }}
            </p>
            <ol class="trace" data-testid="rule-sim-trace">
                <li class="trace-step trace-in">
                    <span class="trace-mark" aria-hidden="true">"→"</span>
                    <div>
                        <div class="trace-title">{move || i.t(K::TraceReceived)}</div>
                        <div class="muted small">
                            {move || i.t(action)}
                            {(!content.is_empty()).then(|| view! { "：" <span data-user-content>{format!("“{content}”")}</span> })}
                        </div>
                    </div>
                </li>
                {res.verdicts.iter().enumerate().map(|(n, v)| {
                    let (mark, class, state) = if v.fired {
                        ("✓", "trace-step trace-fired", K::TraceFired)
                    } else {
                        ("✕", "trace-step trace-skipped", K::TraceNotFired)
                    };
                    let reason = v.reason.clone();
                    view! {
                        <li class=class data-testid="rule-sim-step" data-fired=v.fired.to_string()>
                            <span class="trace-mark" aria-hidden="true">{mark}</span>
                            <div>
                                <div class="trace-title">
                                    <span class="muted small">{move || fill(i.t(K::TraceRuleN), "n", &(n + 1).to_string())}</span>
                                    " "<b>{v.name.clone()}</b>" "
                                    <span class=if v.fired { "badge badge-green" } else { "badge" }>{move || i.t(state)}</span>
                                </div>
                                <div class="muted small" data-testid="rule-sim-reason">{move || verdicts::verdict_text(&reason, i.lang())}</div>
                            </div>
                        </li>
                    }
                }).collect_view()}
                <li class="trace-step trace-out">
                    <span class="trace-mark" aria-hidden="true">"←"</span>
                    <div>
                        <div class="trace-title">{move || i.t(K::TraceAnswer)}</div>
                        <div class="muted small">{move || match (&fired, has_xml) {
                            (Some(name), true) => fill(i.t(K::TracePassive), "name", name),
                            (Some(name), false) => fill(i.t(K::TraceNoPassive), "name", name),
                            (None, _) => i.t(K::VerdictNoReplyXml).to_string(),
                        }}</div>
                    </div>
                </li>
            </ol>
            {res.reply_xml.clone().map(|x| view! {
                <details class="trace-xml" open>
                    <summary>{move || i.t(K::RuleReplyXml)}</summary>
                    <pre class="mono" data-testid="rule-sim-xml">{x}</pre>
                </details>
            })}
        </div>
    }
}
