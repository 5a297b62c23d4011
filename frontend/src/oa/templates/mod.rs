//! `/accounts/:id/templates`: template messages (模板消息) — the account's industry
//! (`industry`), the private templates with a preview of their fields (`list`), the send form
//! with a rendered preview (`send`), the send jobs with progress and delivery counts (`jobs`);
//! `/accounts/:id/templates/jobs/:job_id` is one job's delivery report (`job_detail`).
//! Operators add templates and send; viewers see the lists.

pub mod api;
mod industry;
mod job_detail;
mod jobs;
mod list;
mod preview;
mod recipients;
mod send;

use ::api::staff::Role;
use ::api::templates::{DeliveryState, TemplateJobStatus};
use leptos::prelude::*;

use crate::accounts::section::AccountTab;
use crate::auth::use_session;
use crate::components::Tone;
use crate::i18n::{K, use_i18n};
use crate::oa::AccountPage;
use crate::util;

pub use job_detail::TemplateJobPage;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    view! {
        <AccountPage
            tab=AccountTab::Templates
            render=|account| view! { <Templates id=account.id /> }.into_any()
        />
    }
}

#[component]
fn Templates(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_send = Memo::new(move |_| session.allows(Role::Operator));
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::TplTitle))));
    // Bumped after an add, a sync or a delete (the template list), and after a send (the jobs).
    let templates_version = RwSignal::new(0u32);
    let jobs_version = RwSignal::new(0u32);
    // The template the send form uses (a list row's "send" button picks it).
    let chosen = RwSignal::new(String::new());
    let templates = LocalResource::new(move || {
        templates_version.track();
        api::list(id)
    });
    view! {
        <p class="muted section-intro">{move || i.t(K::TplSubtitle)}</p>
        <industry::IndustryCard id=id />
        <list::TemplateList id=id templates=templates version=templates_version chosen=chosen />
        <Show when=move || can_send.get()>
            <send::SendForm id=id templates=templates chosen=chosen jobs_version=jobs_version />
        </Show>
        <jobs::Jobs id=id templates=templates version=jobs_version />
    }
}

/// A recipient's delivery state in words, with its badge colour.
pub fn state_key(s: DeliveryState) -> (K, Tone) {
    match s {
        DeliveryState::Pending => (K::TplStatePending, Tone::Neutral),
        DeliveryState::Sending => (K::TplStateSending, Tone::Blue),
        DeliveryState::Sent => (K::TplStateSent, Tone::Blue),
        DeliveryState::Delivered => (K::TplStateDelivered, Tone::Green),
        DeliveryState::UserBlock => (K::TplStateUserBlock, Tone::Orange),
        DeliveryState::SystemFailed => (K::TplStateSystemFailed, Tone::Red),
        DeliveryState::Failed => (K::TplStateFailed, Tone::Red),
    }
}

/// All delivery states, in the order a report lists them.
pub const STATES: [DeliveryState; 7] = [
    DeliveryState::Delivered,
    DeliveryState::UserBlock,
    DeliveryState::SystemFailed,
    DeliveryState::Failed,
    DeliveryState::Sent,
    DeliveryState::Sending,
    DeliveryState::Pending,
];

pub fn job_status_key(s: TemplateJobStatus) -> (K, Tone) {
    match s {
        TemplateJobStatus::Running => (K::TplJobRunning, Tone::Blue),
        TemplateJobStatus::Done => (K::TplJobDone, Tone::Green),
        TemplateJobStatus::Failed => (K::TplJobFailed, Tone::Red),
    }
}

/// One piece of a template's content: plain text, or the `{{key.DATA}}` field `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Field(String),
}

/// Splits a template's content into lines of text and fields (as `api::templates::template_keys`
/// reads them), so a field can be shown as a chip or as its filled-in value.
pub fn pieces(content: &str) -> Vec<Vec<Piece>> {
    content
        .lines()
        .map(|line| {
            let mut out = Vec::new();
            let mut rest = line;
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                let Some(end) = after.find("}}") else { break };
                let inner = &after[..end];
                match inner.strip_suffix(".DATA").map(str::trim) {
                    Some(key) if !key.is_empty() => {
                        if start > 0 {
                            out.push(Piece::Text(rest[..start].to_string()));
                        }
                        out.push(Piece::Field(key.to_string()));
                    }
                    // Not a field: keep the braces as text.
                    _ => out.push(Piece::Text(rest[..start + 4 + end].to_string())),
                }
                rest = &after[end + 2..];
            }
            if !rest.is_empty() {
                out.push(Piece::Text(rest.to_string()));
            }
            out
        })
        .collect()
}

/// A WeChat error code of a recipient in the UI language (the shared errcode texts).
pub fn errcode_text(code: i64, lang: ::api::Lang) -> String {
    crate::i18n::errors::reason_text(&format!("errcode:{code}"), lang)
        .unwrap_or_else(|| code.to_string())
}
