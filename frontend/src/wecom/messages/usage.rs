//! The app's use against WeCom's limits: calls in the last hour and WeCom's count for today.

use api::wecom_messages::{PER_APP_PER_HOUR, PER_MEMBER_PER_MINUTE};
use leptos::prelude::*;

use super::api as wm_api;
use crate::i18n::{K, fill, use_i18n};

#[component]
pub(super) fn Usage(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        version.track();
        wm_api::usage(id)
    });
    let rules = move || {
        fill(
            &fill(
                i.t(K::WmRateRules),
                "minute",
                &PER_MEMBER_PER_MINUTE.to_string(),
            ),
            "hour",
            &PER_APP_PER_HOUR.to_string(),
        )
    };
    view! {
        {move || data.get().map(|r| match r {
            Ok(u) => {
                let near = u.calls_last_hour * 10 >= u.calls_per_hour_limit * 9;
                let hour = fill(
                    &fill(i.t(K::WmUsageHour), "n", &u.calls_last_hour.to_string()),
                    "limit",
                    &u.calls_per_hour_limit.to_string(),
                );
                let today = match u.wechat_today {
                    Some(n) => fill(i.t(K::WmUsageToday), "n", &n.to_string()),
                    None => i.t(K::WmUsageTodayUnknown).to_string(),
                };
                view! {
                    <div class=if near { "alert alert-warn wm-usage" } else { "alert alert-info wm-usage" }
                        data-testid="wm-usage" data-calls=u.calls_last_hour.to_string()>
                        <span>{hour}" · "{today}</span>
                        <span class="muted small wm-usage-rules">{rules}</span>
                    </div>
                }.into_any()
            }
            Err(e) => view! { <div class="alert alert-error" data-testid="wm-usage-error">{e.message(i.lang())}</div> }.into_any(),
        })}
    }
}
