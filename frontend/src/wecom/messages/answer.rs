//! WeChat's answer to each `message/send` call of a send: state, msgid, the receivers it
//! reported invalid (invaliduser / invalidparty / invalidtag / unlicenseduser) and a refusal
//! in words. For a corp operated through a suite, unlicensed members are explained with the
//! corp's interface licences (接口许可) and a link to them.

use api::wecom_messages::SendPart;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::accounts::section::AccountTab;

use super::{errcode_text, part_state_key};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub(super) fn WechatAnswer(account_id: i64, parts: Vec<SendPart>) -> impl IntoView {
    let i = use_i18n();
    let several = parts.len() > 1;
    let unlicensed: usize = parts.iter().map(|p| p.unlicensed_users.len()).sum();
    view! {
        <div class="wm-answer" data-testid="wm-answer">
            {(unlicensed > 0).then(|| view! { <UnlicensedNote account_id=account_id count=unlicensed /> })}
            {parts.into_iter().map(|p| {
                let (sk, tone) = part_state_key(&p.state);
                let invalid = [
                    (K::WmInvalidUsers, "wm-invalid-users", p.invalid_users.clone()),
                    (K::WmInvalidParties, "wm-invalid-parties", p.invalid_parties.clone()),
                    (K::WmInvalidTags, "wm-invalid-tags", p.invalid_tags.clone()),
                    (K::WmUnlicensed, "wm-unlicensed", p.unlicensed_users.clone()),
                ];
                let error = p.errcode.map(|c| view! {
                    <p class="field-error small" data-testid="wm-part-error">{move || errcode_text(c, i.lang())}</p>
                });
                let number = p.number;
                view! {
                    <div class="wm-part" data-testid="wm-part" data-state=p.state.clone()>
                        <div class="wm-part-head">
                            {several.then(|| view! { <b>{move || fill(i.t(K::WmCallN), "n", &number.to_string())}</b> })}
                            <span class=tone.class() data-testid="wm-part-state">{move || i.t(sk)}</span>
                            {p.msgid.clone().map(|m| view! { <span class="muted small">{move || i.t(K::WmMsgid)}" "<span class="mono">{m.clone()}</span></span> })}
                            {(p.attempts > 1).then(|| view! { <span class="muted small">{move || fill(i.t(K::WmAttempts), "n", &p.attempts.to_string())}</span> })}
                            {p.sent_at.clone().map(|t| view! { <span class="muted small">{util::format_time(&t)}</span> })}
                            {p.recalled_at.clone().map(|t| view! { <span class="muted small">{move || i.t(K::WmRecalledAt)}" "{util::format_time(&t)}</span> })}
                        </div>
                        {error}
                        {invalid.into_iter().filter(|(_, _, l)| !l.is_empty()).map(|(k, testid, list)| view! {
                            <p class="warn-text small" data-testid=testid>
                                {move || i.t(k)}": "<span class="mono">{list.join(", ")}</span>
                            </p>
                        }).collect_view()}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Why members were unlicensed: the corp's licences as the suite last read them (a managed
/// corp), or the rule alone.
#[component]
fn UnlicensedNote(account_id: i64, count: usize) -> impl IntoView {
    let i = use_i18n();
    let corp = LocalResource::new(move || crate::wecom::suite::managed::managed(account_id));
    let n = count.to_string();
    move || {
        let managed = corp.get().and_then(Result::ok);
        let n = n.clone();
        let link = managed.as_ref().map(|m| {
            let href = AccountTab::SuiteCorps.href(m.suite_account_id);
            view! { " "<A href=href>{move || i.t(K::WmUnlicensedOpen)}</A> }
        });
        let licence = managed.and_then(|m| m.corp.licence);
        let text = move || match &licence {
            Some(l) => fill(
                &fill(
                    &fill(
                        &fill(i.t(K::WmUnlicensedNote), "n", &n),
                        "basic",
                        &l.basic.to_string(),
                    ),
                    "external",
                    &l.external.to_string(),
                ),
                "time",
                &util::format_time(&l.checked_at),
            ),
            None => fill(i.t(K::WmUnlicensedNoteBare), "n", &n),
        };
        view! {
            <p class="alert alert-info small" data-testid="wm-unlicensed-note">{text}{link}</p>
        }
    }
}
