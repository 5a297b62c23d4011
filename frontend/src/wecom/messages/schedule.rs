//! The composer's "定时发送" box: a Beijing date and time, checked as the server checks it (not
//! past, at most 30 days ahead, at most 3 days for a message with temporary media).

use api::wecom_message_drafts::uses_media;
use api::wecom_messages::{
    AppMessageContent, MAX_SCHEDULE_DAYS, MEDIA_LIFETIME_SECS, MessageRule, SCHEDULE_GRACE_SECS,
};
use leptos::prelude::*;

use crate::components::datetime_input::{beijing_parts_ms, beijing_rfc3339};
use crate::components::{DateTimeInput, FieldRow, icons};
use crate::i18n::{K, use_i18n};

/// The time to send at (RFC 3339, `+08:00`), or the rule it breaks.
pub(super) fn check_schedule(
    date: &str,
    time: &str,
    content: &AppMessageContent,
) -> Result<String, MessageRule> {
    let at = beijing_rfc3339(date, time).ok_or(MessageRule::ScheduleFormat)?;
    let ms = js_sys::Date::parse(&at);
    if ms.is_nan() {
        return Err(MessageRule::ScheduleFormat);
    }
    let now = js_sys::Date::now();
    let secs = |s: i64| s as f64 * 1000.0;
    if ms < now - secs(SCHEDULE_GRACE_SECS) {
        Err(MessageRule::SchedulePast)
    } else if ms > now + secs(MAX_SCHEDULE_DAYS * 86_400) {
        Err(MessageRule::ScheduleTooFar)
    } else if uses_media(content) && ms > now + secs(MEDIA_LIFETIME_SECS) {
        Err(MessageRule::ScheduleAfterMedia)
    } else {
        Ok(at)
    }
}

/// A sensible first choice: ten minutes from now, on the minute (Beijing time).
pub(super) fn default_time() -> (String, String) {
    beijing_parts_ms(js_sys::Date::now() + 10.0 * 60_000.0)
}

#[component]
pub(super) fn ScheduleBox(
    date: RwSignal<String>,
    time: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    busy: RwSignal<bool>,
    on_schedule: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="wm-schedule" data-testid="wm-schedule-box">
            <FieldRow name="scheduled_at" label=K::WmScheduleAt required=true error=error
                help=Signal::derive(move || i.t(K::WmScheduleHelp).to_string())>
                <DateTimeInput date=date time=time id="f-scheduled_at"
                    date_testid="wm-schedule-date" time_testid="wm-schedule-time" />
            </FieldRow>
            <div class="wm-schedule-actions">
                <button type="button" class="btn" data-testid="wm-schedule-close" on:click=move |_| on_close.run(())>
                    <span>{move || i.t(K::Cancel)}</span>
                </button>
                <button type="button" class="btn btn-primary" data-testid="wm-schedule-confirm"
                    disabled=move || busy.get() on:click=move |_| on_schedule.run(())>
                    {icons::check()}
                    <span>{move || i.t(if busy.get() { K::WmScheduling } else { K::WmScheduleConfirm })}</span>
                </button>
            </div>
        </div>
    }
}
