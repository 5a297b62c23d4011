//! `/accounts/:id/send`: a WeCom app's 发送消息 — the recipient picker (department tree,
//! member search, tags, @all, how many will receive it), the composer for every message type
//! WeCom's `message/send` takes (media uploaded as temporary media first), the send options,
//! the app's usage against WeCom's limits, and the send log with WeChat's answer per call,
//! retry and recall; drafts and scheduled sends (`saved`, `schedule`). Operators send; viewers
//! see the log and the drafts.

mod answer;
pub mod api;
mod articles;
mod chips;
mod compose;
mod dept_tree;
mod detail;
mod draft;
mod log;
mod media_field;
mod member_search;
mod options;
mod picked;
mod picker;
mod recipient_count;
mod saved;
mod schedule;
mod tag_list;
mod textcard;
mod usage;

use ::api::Lang;
use ::api::accounts::{Account, AccountKind};
use ::api::staff::Role;
use ::api::wecom_messages::SendState;
use leptos::prelude::*;

use crate::accounts::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{EmptyState, Tone};
use crate::i18n::{K, fill, use_i18n};

/// The message types in the composer's order, with their names.
pub(crate) const TYPES: [(&str, K); 9] = [
    ("text", K::WmTypeText),
    ("textcard", K::WmTypeTextcard),
    ("markdown", K::WmTypeMarkdown),
    ("news", K::WmTypeNews),
    ("mpnews", K::WmTypeMpnews),
    ("image", K::WmTypeImage),
    ("voice", K::WmTypeVoice),
    ("video", K::WmTypeVideo),
    ("file", K::WmTypeFile),
];

pub(crate) fn type_key(msgtype: &str) -> K {
    TYPES
        .iter()
        .find(|(t, _)| *t == msgtype)
        .map_or(K::WmTypeText, |(_, k)| *k)
}

pub(crate) fn state_key(s: SendState) -> (K, Tone) {
    match s {
        SendState::Pending => (K::WmStatePending, Tone::Blue),
        SendState::Sent => (K::WmStateSent, Tone::Green),
        SendState::Partial => (K::WmStatePartial, Tone::Orange),
        SendState::Failed => (K::WmStateFailed, Tone::Red),
        SendState::Unknown => (K::WmStateUnknown, Tone::Purple),
        SendState::Recalled => (K::WmStateRecalled, Tone::Neutral),
    }
}

/// A call's state (`pending`, `sending`, `sent`, `failed`, `unknown`, `recalled`).
pub(crate) fn part_state_key(s: &str) -> (K, Tone) {
    match s {
        "sending" => (K::WmPartSending, Tone::Blue),
        _ => state_key(SendState::parse(s).unwrap_or(SendState::Unknown)),
    }
}

/// WeChat's refusal of one call, as a sentence (the code is kept for support).
pub(crate) fn errcode_text(code: i64, lang: Lang) -> String {
    crate::i18n::errors::reason_text(&format!("errcode:{code}"), lang)
        .unwrap_or_else(|| fill(K::WxErrCode.text(lang), "n", &code.to_string()))
}

#[component]
pub fn SendPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::WecomSend
            render=|account: Account| {
                if account.kind == AccountKind::WorkApp {
                    view! { <Send id=account.id /> }.into_any()
                } else {
                    view! {
                        <div class="card">
                            <EmptyState title=K::WmNotWorkApp body=K::WmNotWorkApp />
                        </div>
                    }
                        .into_any()
                }
            }
        />
    }
}

#[component]
fn Send(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_send = Memo::new(move |_| session.allows(Role::Operator));
    // Bumped after a send, a retry or a recall so the usage and the log reload.
    let version = RwSignal::new(0u32);
    // A draft or scheduled send picked for editing.
    let load = RwSignal::new(None);
    view! {
        <p class="muted section-intro">{move || i.t(K::WmIntro)}</p>
        <usage::Usage id=id version=version />
        <Show when=move || can_send.get()>
            <compose::Compose id=id version=version load=load />
        </Show>
        <saved::SavedList id=id version=version load=load />
        <log::SendLog id=id version=version />
    }
}

/// "n / max 字节" under a field WeChat limits by bytes.
pub(crate) fn bytes_help(text: &str, max: usize, lang: Lang) -> String {
    fill(
        &fill(K::WmBytesUsed.text(lang), "n", &text.len().to_string()),
        "max",
        &max.to_string(),
    )
}

/// The message of `field` among the form's problems (already in the UI language).
pub(crate) fn issue_of(issues: &[(String, String)], field: &str) -> Option<String> {
    issues
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
}
