//! The template messages sent to one follower (模板消息记录), on the follower's page: each
//! delivery's job, state as WeChat reported it (`TEMPLATESENDJOBFINISH`) and WeChat's refusal.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{ErrorState, LoadingState, reload};
use crate::i18n::{K, use_i18n};
use crate::oa::templates::{api as tpl_api, errcode_text, state_key};
use crate::util;

#[component]
pub fn FollowerTemplates(id: i64, openid: String) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || {
        let openid = openid.clone();
        async move { tpl_api::follower_log(id, &openid).await }
    });
    view! {
        <section class="card" data-testid="follower-templates">
            <h2 class="section-title">{move || i.t(K::FollowerTemplates)}</h2>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! {
                    <p class="muted">{move || i.t(K::FollowerTemplatesEmpty)}</p>
                }.into_any(),
                Some(Ok(rows)) => view! {
                    <ul class="message-history">
                        {rows.into_iter().map(|r| {
                            let (sk, tone) = state_key(r.state);
                            let error = r.errcode.map(|c| errcode_text(c, i.lang_now()));
                            let when = r.sent_at.as_deref().map(util::format_time).unwrap_or_else(|| "—".into());
                            let href = format!("/accounts/{id}/templates/jobs/{}", r.job_id);
                            view! {
                                <li class="message-line" data-testid="follower-template" data-state=format!("{:?}", r.state)>
                                    <span class="muted small nowrap">{when}</span>
                                    <span class=tone.class()>{move || i.t(sk)}</span>
                                    <A href=href attr:class="link small">{format!("#{}", r.job_id)}</A>
                                    {error.map(|e| view! { <span class="field-error small">{e}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
