//! One send in full: what was sent, to whom, with which options, and WeChat's answer per call.

use api::wecom_messages::{AppMessage, AppMessageContent};
use leptos::prelude::*;

use super::answer::WechatAnswer;
use super::api as wm_api;
use super::{state_key, type_key};
use crate::components::{LoadingState, Modal};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// The text of a send's content, as the member sees it (titles for cards and articles).
fn content_text(c: &AppMessageContent) -> String {
    match c {
        AppMessageContent::Text { content } | AppMessageContent::Markdown { content } => {
            content.clone()
        }
        AppMessageContent::Textcard {
            title,
            description,
            url,
            ..
        } => format!("{title}\n{description}\n{url}"),
        AppMessageContent::News { articles } => articles
            .iter()
            .map(|a| format!("{} · {}", a.title, a.url))
            .collect::<Vec<_>>()
            .join("\n"),
        AppMessageContent::Mpnews { articles } => articles
            .iter()
            .map(|a| a.title.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        AppMessageContent::Video { title, .. } => title.clone(),
        AppMessageContent::Image { .. }
        | AppMessageContent::Voice { .. }
        | AppMessageContent::File { .. } => String::new(),
    }
}

/// `message` is the send shown (`None`: closed).
#[component]
pub(super) fn SendDetail(
    id: i64,
    message: RwSignal<Option<i64>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        let m = message.get();
        async move {
            match m {
                Some(m) => wm_api::one(id, m).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let body = move |m: AppMessage| {
        let (sk, tone) = state_key(m.summary.state);
        let r = m.summary.recipients.clone();
        let who = if r.all {
            i.t(K::WmAllMembers).to_string()
        } else {
            let mut v = Vec::new();
            if !r.users.is_empty() {
                v.push(format!("{}: {}", i.t(K::WmMembers), r.users.join(", ")));
            }
            if !r.parties.is_empty() {
                v.push(format!(
                    "{}: {}",
                    i.t(K::WmDepartments),
                    r.parties
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !r.tags.is_empty() {
                v.push(format!(
                    "{}: {}",
                    i.t(K::WmTags),
                    r.tags
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            v.join("；")
        };
        let o = m.options.clone();
        let mut opts = Vec::new();
        if o.safe {
            opts.push(i.t(K::WmOptSafe).to_string());
        }
        if o.enable_id_trans {
            opts.push(i.t(K::WmOptIdTrans).to_string());
        }
        if o.enable_duplicate_check {
            opts.push(fill(
                i.t(K::WmOptDupCheckN),
                "n",
                &o.duplicate_check_interval.unwrap_or(1800).to_string(),
            ));
        }
        let text = content_text(&m.content);
        view! {
            <dl class="wm-detail" data-testid="wm-detail">
                <dt>{i.t(K::WmColState)}</dt>
                <dd><span class=tone.class() data-testid="wm-detail-state">{i.t(sk)}</span></dd>
                <dt>{i.t(K::WmType)}</dt>
                <dd>{i.t(type_key(&m.summary.msgtype))}</dd>
                <dt>{i.t(K::WmRecipients)}</dt>
                <dd class="wm-wrap">{who}</dd>
                {(!text.is_empty()).then(|| view! { <dt>{i.t(K::WmContentCol)}</dt><dd class="wm-wrap wm-pre">{text}</dd> })}
                {(!opts.is_empty()).then(|| view! { <dt>{i.t(K::WmOptions)}</dt><dd>{opts.join(K::WmListSep.text(i.lang()))}</dd> })}
                <dt>{i.t(K::WmColBy)}</dt>
                <dd><span data-user-content>{m.summary.created_by.clone()}</span>" · "{util::format_time(&m.summary.created_at)}</dd>
                {m.summary.recallable_until.clone().filter(|_| m.can_recall).map(|t| view! {
                    <dt>{i.t(K::WmRecallUntil)}</dt><dd>{util::format_time(&t)}</dd>
                })}
            </dl>
            <h3 class="section-title">{i.t(K::WmWechatAnswer)}</h3>
            <WechatAnswer account_id=id parts=m.parts.clone() />
        }
    };
    view! {
        <Modal open=open title=Signal::derive(move || i.t(K::WmDetailTitle).to_string())>
            <div class="modal-body">
                {move || match data.get() {
                    None | Some(Ok(None)) => view! { <LoadingState /> }.into_any(),
                    Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                    Some(Ok(Some(m))) => body(m).into_any(),
                }}
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" data-testid="wm-detail-close" on:click=move |_| open.set(false)>{move || i.t(K::Close)}</button>
            </div>
        </Modal>
    }
}
