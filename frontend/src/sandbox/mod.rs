//! The sandbox on account pages: "test connection" (any environment) and the "simulate" panel
//! of sandbox accounts (act as a follower / member and see what they saw).

pub mod api;

use ::api::Page;
use ::api::accounts::{Account, AccountKind};
use ::api::sandbox::{SandboxActRequest, SandboxActResult, SandboxAction, TestConnectionResult};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::icons;
use crate::i18n::{K, fill, use_i18n};
use crate::sandbox::api as sandbox_api;

/// A card with a "test connection" button and its result.
#[component]
pub fn TestConnectionCard(id: i64) -> impl IntoView {
    let i = use_i18n();
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<Result<TestConnectionResult, String>>> = RwSignal::new(None);
    let run = move |_| {
        busy.set(true);
        spawn_local(async move {
            let r = sandbox_api::test_connection(id)
                .await
                .map_err(|e| e.message(i.lang_now()));
            result.set(Some(r));
            busy.set(false);
        });
    };
    view! {
        <section class="card test-connection-card">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::TestConnection)}</h2>
                <button
                    type="button"
                    class="btn"
                    data-testid="test-connection"
                    prop:disabled=move || busy.get()
                    on:click=run
                >
                    {icons::refresh()}
                    <span>{move || if busy.get() { i.t(K::Testing) } else { i.t(K::TestConnection) }}</span>
                </button>
            </div>
            <p class="muted small">{move || i.t(K::TestConnectionHint)}</p>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(t) => {
                            let class = if t.ok { "conn-result conn-ok" } else { "conn-result conn-fail" };
                            let head = if t.ok { K::ConnectionOk } else { K::ConnectionFailed };
                            let fetches = t.fetches_today.to_string();
                            view! {
                                <div class=class data-testid="test-connection-result" data-ok=t.ok.to_string()>
                                    <strong>{move || i.t(head)}</strong>
                                    <p class="small" data-testid="test-connection-detail">{connection_text(&t, i)}</p>
                                    // WeChat's and the server's own words, for support (English).
                                    <details class="small">
                                        <summary>{move || i.t(K::SimRawDelivery)}</summary>
                                        <p class="mono small">{t.detail.clone()}</p>
                                        {t.hint.clone().map(|h| view! { <p class="mono small">{h}</p> })}
                                    </details>
                                    <p class="muted small">{move || fill(i.t(K::FetchesToday), "n", &fetches)}</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(msg) => view! {
                            <div class="conn-result conn-fail" data-testid="test-connection-result" data-ok="false">
                                <strong>{move || i.t(K::ConnectionFailed)}</strong>
                                <p class="small">{msg}</p>
                            </div>
                        }
                            .into_any(),
                    })
            }}
        </section>
    }
}

/// What the connection test did and found, in the UI language.
fn connection_text(t: &TestConnectionResult, i: crate::i18n::I18n) -> impl Fn() -> String + use<> {
    let (ok, cached, method, errcode) = (t.ok, t.cached, t.method.clone(), t.errcode);
    move || {
        let lang = i.lang();
        if ok {
            let k = match (method.as_str(), cached) {
                ("orderquery", _) => K::ConnPayOk,
                (_, true) => K::ConnTokenCached,
                _ => K::ConnTokenFetched,
            };
            return fill(k.text(lang), "api", &method);
        }
        match errcode.and_then(|n| crate::i18n::errors::reason_text(&format!("errcode:{n}"), lang))
        {
            Some(text) => text,
            None => fill(K::ConnFailedCall.text(lang), "api", &method),
        }
    }
}

/// The actions a kind offers, with their labels.
fn actions(kind: AccountKind) -> Vec<(&'static str, K)> {
    match kind {
        AccountKind::OfficialAccount => vec![
            ("text", K::SimText),
            ("image", K::SimImage),
            ("location", K::SimLocation),
            ("link", K::SimLink),
            ("click", K::SimClick),
            ("subscribe", K::SimSubscribe),
            ("unsubscribe", K::SimUnsubscribe),
            ("scan", K::SimScan),
            ("verify_url", K::SimVerifyUrl),
        ],
        AccountKind::WorkApp => vec![
            ("text", K::SimText),
            ("image", K::SimImage),
            ("location", K::SimLocation),
            ("click", K::SimClick),
            ("view", K::SimView),
            ("enter_agent", K::SimEnterAgent),
            ("verify_url", K::SimVerifyUrl),
        ],
        AccountKind::WorkSuite => vec![("suite_ticket", K::SimPushTicket)],
        AccountKind::PayMerchant => vec![],
    }
}

/// What the single input means for an action (placeholder), `None` if unused.
fn input_key(action: &str) -> Option<K> {
    match action {
        "text" => Some(K::SimTextPlaceholder),
        "click" => Some(K::SimClickPlaceholder),
        "view" => Some(K::SimViewPlaceholder),
        "subscribe" | "scan" => Some(K::SimScenePlaceholder),
        "link" => Some(K::SimLinkPlaceholder),
        "location" => Some(K::SimLocationPlaceholder),
        _ => None,
    }
}

fn build_action(action: &str, text: &str) -> Option<SandboxAction> {
    let text = text.trim().to_string();
    let opt = (!text.is_empty()).then(|| text.clone());
    Some(match action {
        "text" => SandboxAction::Text {
            content: if text.is_empty() {
                "你好".into()
            } else {
                text
            },
        },
        "image" => SandboxAction::Image,
        "location" => SandboxAction::Location {
            latitude: 39.9042,
            longitude: 116.4074,
            label: Some(opt.unwrap_or_else(|| "北京市东城区".into())),
        },
        "link" => SandboxAction::Link {
            title: "wxportal".into(),
            url: opt.unwrap_or_else(|| "https://example.com/".into()),
            description: String::new(),
        },
        "click" => SandboxAction::Click {
            key: opt.unwrap_or_else(|| "MENU_HELLO".into()),
        },
        "subscribe" => SandboxAction::Subscribe { scene: opt },
        "unsubscribe" => SandboxAction::Unsubscribe,
        "scan" => SandboxAction::Scan {
            scene: opt.unwrap_or_else(|| "demo".into()),
        },
        "enter_agent" => SandboxAction::EnterAgent,
        "view" => SandboxAction::View {
            url: opt.unwrap_or_else(|| "https://example.com/".into()),
        },
        "verify_url" => SandboxAction::VerifyUrl,
        "suite_ticket" => SandboxAction::SuiteTicket,
        _ => return None,
    })
}

/// A short description of what was sent, for the right-hand bubble.
fn sent_text(action: &SandboxAction, lang: ::api::Lang) -> String {
    let t = |k: K| k.text(lang);
    match action {
        SandboxAction::Text { content } => content.clone(),
        SandboxAction::Image => format!("[{}]", t(K::SimSentImage)),
        SandboxAction::Location { label, .. } => {
            format!(
                "[{}] {}",
                t(K::SimSentLocation),
                label.clone().unwrap_or_default()
            )
        }
        SandboxAction::Link { url, .. } => format!("[{}] {url}", t(K::SimSentLink)),
        SandboxAction::Click { key } => format!("[{}] {key}", t(K::SimSentMenu)),
        SandboxAction::Subscribe { scene } => match scene {
            Some(s) => format!("[{}] qrscene_{s}", t(K::SimSentSubscribe)),
            None => format!("[{}]", t(K::SimSentSubscribe)),
        },
        SandboxAction::Unsubscribe => format!("[{}]", t(K::SimUnsubscribe)),
        SandboxAction::Scan { scene } => format!("[{}] {scene}", t(K::SimSentScan)),
        SandboxAction::EnterAgent => format!("[{}]", t(K::SimEnterAgent)),
        SandboxAction::View { url } => format!("[{}] {url}", t(K::SimView)),
        SandboxAction::VerifyUrl => format!("[{}] GET ?echostr=…", t(K::SimVerifyUrl)),
        SandboxAction::SuiteTicket => format!("[{}] InfoType=suite_ticket", t(K::SimSentTicket)),
        SandboxAction::PayProduct { product_id } => format!("[{}] #{product_id}", t(K::SimSentPay)),
        SandboxAction::PayCode { code } => format!("[{}] {code}", t(K::SimSentPay)),
    }
}

/// A delivery's outcome for people.
pub fn outcome_key(outcome: &str) -> K {
    match outcome {
        "replied" => K::SimOutcomeReplied,
        "no_reply" => K::SimOutcomeNoReply,
        "acknowledged" => K::SimOutcomeAcknowledged,
        "invalid_reply" => K::SimOutcomeInvalidReply,
        "no_callback_url" => K::SimOutcomeNoCallbackUrl,
        "verified" => K::SimOutcomeVerified,
        "verify_failed" => K::SimOutcomeVerifyFailed,
        "ticket_accepted" => K::SimOutcomeTicketAccepted,
        "paid" => K::SimPaid,
        "payment_failed" => K::SimPayFailed,
        _ => K::SimOutcomeFailed,
    }
}

/// The "simulate" panel of a sandbox account (pay merchants: the payer panel).
#[component]
pub fn SimulatePanel(account: Account) -> impl IntoView {
    if account.kind == AccountKind::PayMerchant {
        return view! { <crate::pay::simulate::PaySimulatePanel account=account /> }.into_any();
    }
    view! { <PeoplePanel account=account /> }.into_any()
}

/// The panel for followers (OA) and members (WeCom).
#[component]
fn PeoplePanel(account: Account) -> impl IntoView {
    let i = use_i18n();
    let id = account.id;
    let kind = account.kind;
    let offered = actions(kind);
    let first = offered.first().map(|(a, _)| *a).unwrap_or("");
    let action = RwSignal::new(first.to_string());
    let text = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent: RwSignal<Option<String>> = RwSignal::new(None);
    let result: RwSignal<Option<Result<SandboxActResult, String>>> = RwSignal::new(None);
    let has_people = matches!(kind, AccountKind::OfficialAccount | AccountKind::WorkApp);

    let people = LocalResource::new(move || {
        let q = search.get();
        async move {
            if !has_people {
                return Ok(Page {
                    items: Vec::new(),
                    total: 0,
                    page: 1,
                    per_page: 50,
                });
            }
            sandbox_api::people(id, &q).await
        }
    });
    // Pick the first person once the list arrives.
    Effect::new(move |_| {
        if let Some(Ok(page)) = people.get()
            && subject.get_untracked().is_empty()
            && let Some(p) = page.items.iter().find(|p| p.subscribed)
        {
            subject.set(p.id.clone());
        }
    });

    let send = move || {
        let Some(act) = build_action(&action.get_untracked(), &text.get_untracked()) else {
            return;
        };
        let who = subject.get_untracked();
        let req = SandboxActRequest {
            subject: (!who.is_empty()).then_some(who),
            action: act.clone(),
        };
        sent.set(Some(sent_text(&act, i.lang_now())));
        result.set(None);
        busy.set(true);
        spawn_local(async move {
            let r = sandbox_api::act(id, &req).await;
            let r = r.map_err(|e| e.message(i.lang_now()));
            if let Ok(ok) = &r
                && let Some(s) = &ok.subject
            {
                subject.set(s.clone());
            }
            result.set(Some(r));
            busy.set(false);
        });
    };

    let options = offered.clone();
    view! {
        <section class="card simulate-panel" data-testid="simulate-panel">
            <div class="card-head">
                <h2 class="section-title">
                    {icons::flask()}
                    <span>{move || i.t(K::Simulate)}</span>
                </h2>
            </div>
            <p class="muted small">{move || i.t(K::SimulateHint)}</p>
            <Show when=move || !options.is_empty()>
                <form
                    class="simulate-controls"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        send();
                    }
                >
                    {has_people.then(|| view! {
                        <label class="field">
                            <span class="field-label">{move || i.t(if kind == AccountKind::WorkApp { K::SimMember } else { K::SimFollower })}</span>
                            <input
                                type="search"
                                class="input"
                                data-testid="simulate-search"
                                placeholder=move || i.t(K::SimSearchPlaceholder)
                                on:input=move |ev| search.set(event_target_value(&ev))
                            />
                            <select
                                class="select"
                                data-testid="simulate-subject"
                                on:change=move |ev| subject.set(event_target_value(&ev))
                            >
                                {move || match people.get() {
                                    Some(Ok(page)) => page
                                        .items
                                        .into_iter()
                                        .map(|p| {
                                            let selected = p.id == subject.get();
                                            let label = format!(
                                                "{} · {}{}{}",
                                                if p.name.is_empty() { "—" } else { p.name.as_str() },
                                                p.id,
                                                if p.tags.is_empty() { String::new() } else { format!(" · {}", p.tags.join("/")) },
                                                if p.subscribed { "" } else { " ✕" },
                                            );
                                            view! { <option value=p.id.clone() prop:selected=selected>{label}</option> }
                                        })
                                        .collect_view()
                                        .into_any(),
                                    _ => view! { <option value="">"…"</option> }.into_any(),
                                }}
                            </select>
                        </label>
                    })}
                    <label class="field">
                        <span class="field-label">{move || i.t(K::SimAction)}</span>
                        <select
                            class="select"
                            data-testid="simulate-action"
                            on:change=move |ev| action.set(event_target_value(&ev))
                        >
                            {offered
                                .iter()
                                .map(|(value, label)| {
                                    let label = *label;
                                    view! { <option value=*value>{move || i.t(label)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    // Only actions that carry something (text, key, scene…) show the field.
                    <label class="field simulate-text-field" class:hidden=move || input_key(&action.get()).is_none()>
                        <span class="field-label">{move || i.t(K::SimContent)}</span>
                        <input
                            type="text"
                            class="input"
                            data-testid="simulate-text"
                            prop:value=move || text.get()
                            prop:disabled=move || input_key(&action.get()).is_none()
                            placeholder=move || input_key(&action.get()).map(|k| i.t(k)).unwrap_or("")
                            on:input=move |ev| text.set(event_target_value(&ev))
                        />
                    </label>
                    <button
                        type="submit"
                        class="btn btn-primary"
                        data-testid="simulate-send"
                        prop:disabled=move || busy.get()
                    >
                        <span>{move || if busy.get() { i.t(K::SimSending) } else { i.t(K::SimSend) }}</span>
                    </button>
                </form>
            </Show>
            {move || {
                let sent_now = sent.get();
                let r = result.get();
                (sent_now.is_some() || r.is_some()).then(|| view! {
                    <div class="simulate-result" data-testid="simulate-result">
                        <div class="chat">
                            {sent_now.map(|s| view! { <div class="bubble bubble-out">{s}</div> })}
                            {match r {
                                None => view! { <div class="bubble bubble-in muted">"…"</div> }.into_any(),
                                Some(Err(msg)) => view! { <div class="bubble bubble-error">{msg}</div> }.into_any(),
                                Some(Ok(res)) => result_view(res).into_any(),
                            }}
                        </div>
                    </div>
                })
            }}
        </section>
    }
}

fn result_view(res: SandboxActResult) -> impl IntoView {
    let i = use_i18n();
    let outcome = outcome_key(&res.outcome);
    let status_tail = format!(
        " · HTTP {} · {} ms",
        res.http_status.map_or("—".to_string(), |s| s.to_string()),
        res.latency_ms,
    );
    let tries = res.attempts.len().to_string();
    let status_line = move || {
        format!(
            "{}{status_tail} · {}",
            i.t(outcome),
            fill(i.t(K::SimAttemptCount), "n", &tries)
        )
    };
    let bubbles = if res.seen.is_empty() {
        let k = match (res.ok, res.outcome.as_str()) {
            (true, "ticket_accepted") => K::SimTicketStored,
            (true, "verified") => K::SimUrlVerified,
            (true, _) => K::SimNoReply,
            (false, _) => K::SimNoAnswer,
        };
        view! { <div class="bubble bubble-in muted">{move || i.t(k)}</div> }.into_any()
    } else {
        res.seen
            .iter()
            .map(|m| {
                let class = if m.source == "system" {
                    "bubble bubble-system"
                } else {
                    "bubble bubble-in"
                };
                view! { <div class=class data-source=m.source.clone()>{m.text.clone()}</div> }
            })
            .collect_view()
            .into_any()
    };
    let attempts = res
        .attempts
        .iter()
        .enumerate()
        .map(|(n, a)| {
            format!(
                "#{} HTTP {} {} ms{}\n{}",
                n + 1,
                a.status.map_or("—".to_string(), |s| s.to_string()),
                a.elapsed_ms,
                a.error
                    .as_ref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default(),
                a.response
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    view! {
        {bubbles}
        <div class=if res.ok { "delivery-status ok" } else { "delivery-status fail" } data-outcome=res.outcome.clone()>
            {status_line}
        </div>
        <details class="delivery-raw">
            <summary>{move || i.t(K::SimRawDelivery)}</summary>
            <dl class="kvs small">
                <div class="kv"><dt>"URL"</dt><dd class="mono wrap">{res.url.clone()}</dd></div>
                {res.reply_error.clone().map(|e| view! { <div class="kv"><dt>{move || i.t(K::SimReplyError)}</dt><dd class="mono wrap">{e}</dd></div> })}
            </dl>
            <h4>{move || i.t(K::SimPushed)}</h4>
            <pre class="mono">{res.message.clone()}</pre>
            {res.reply.clone().map(|r| view! { <h4>{move || i.t(K::SimReply)}</h4><pre class="mono">{r}</pre> })}
            <h4>{move || i.t(K::SimAttempts)}</h4>
            <pre class="mono">{attempts}</pre>
        </details>
    }
}
