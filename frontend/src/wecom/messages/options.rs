//! The send options WeCom's `message/send` takes: 保密消息 (`safe`), ID translation and the
//! duplicate check with its interval.

use api::wecom_messages::{DUPLICATE_INTERVAL_MAX, SendOptions};
use leptos::prelude::*;

use super::issue_of;
use crate::i18n::{K, fill, use_i18n};

/// Whether `safe` applies to this message type (WeCom's list).
pub(super) fn safe_allowed(msgtype: &str) -> bool {
    ["text", "image", "video", "file", "textcard", "mpnews"].contains(&msgtype)
}

#[component]
pub(super) fn OptionsForm(
    options: RwSignal<SendOptions>,
    /// The interval as typed (checked by the composer).
    interval: RwSignal<String>,
    #[prop(into)] msgtype: Signal<&'static str>,
    #[prop(into)] issues: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i = use_i18n();
    let err = move |f: &'static str| issues.with(|l| issue_of(l, f));
    view! {
        <fieldset class="wm-options" data-testid="wm-options">
            <legend class="field-label">{move || i.t(K::WmOptions)}</legend>
            <label class="check" class:disabled=move || !safe_allowed(msgtype.get())>
                <input type="checkbox" data-testid="wm-opt-safe"
                    prop:disabled=move || !safe_allowed(msgtype.get())
                    prop:checked=move || options.with(|o| o.safe) && safe_allowed(msgtype.get())
                    on:change=move |ev| { let on = event_target_checked(&ev); options.update(|o| o.safe = on); } />
                <span>{move || i.t(K::WmOptSafe)}</span>
                <span class="muted small">{move || i.t(if safe_allowed(msgtype.get()) { K::WmOptSafeHelp } else { K::WmOptSafeNotHere })}</span>
            </label>
            {move || err("options.safe").map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <label class="check">
                <input type="checkbox" data-testid="wm-opt-idtrans"
                    prop:checked=move || options.with(|o| o.enable_id_trans)
                    on:change=move |ev| { let on = event_target_checked(&ev); options.update(|o| o.enable_id_trans = on); } />
                <span>{move || i.t(K::WmOptIdTrans)}</span>
                <span class="muted small">{move || i.t(K::WmOptIdTransHelp)}</span>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="wm-opt-dupcheck"
                    prop:checked=move || options.with(|o| o.enable_duplicate_check)
                    on:change=move |ev| { let on = event_target_checked(&ev); options.update(|o| o.enable_duplicate_check = on); } />
                <span>{move || i.t(K::WmOptDupCheck)}</span>
                <span class="muted small">{move || i.t(K::WmOptDupCheckHelp)}</span>
            </label>
            <Show when=move || options.with(|o| o.enable_duplicate_check)>
                <div class="field wm-interval" class:has-error=move || err("options.duplicate_check_interval").is_some()>
                    <label class="field-label" for="f-options.duplicate_check_interval">{move || i.t(K::WmOptInterval)}</label>
                    <input id="f-options.duplicate_check_interval" class="input" type="number" min="1" max=DUPLICATE_INTERVAL_MAX.to_string()
                        inputmode="numeric" placeholder="1800" data-testid="wm-opt-interval"
                        prop:value=move || interval.get() on:input=move |ev| interval.set(event_target_value(&ev)) />
                    <p class="field-help">{move || fill(i.t(K::WmOptIntervalHelp), "max", &DUPLICATE_INTERVAL_MAX.to_string())}</p>
                    {move || err("options.duplicate_check_interval").map(|m| view! { <p class="field-error" role="alert" data-testid="error-interval">{m}</p> })}
                </div>
            </Show>
        </fieldset>
    }
}
