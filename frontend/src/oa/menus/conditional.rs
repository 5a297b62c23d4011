//! Conditional menus (per tag, sex, platform, …) and "preview as follower".

use api::menus::{self, ConditionalMenuInput, MatchRule, MenuButton, TryMatchResult};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as menus_api;
use crate::components::{EmptyState, LoadingState, icons, use_toasts};
use crate::i18n::{K, use_i18n};

fn rule_summary(r: &MatchRule) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("tag_id", &r.tag_id),
        ("sex", &r.sex),
        ("client_platform_type", &r.client_platform_type),
        ("language", &r.language),
        ("country", &r.country),
        ("province", &r.province),
        ("city", &r.city),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join(" · ")
}

#[component]
pub(super) fn Conditional(
    id: i64,
    buttons: RwSignal<Vec<MenuButton>>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let tick = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        tick.get();
        async move { menus_api::conditional(id).await }
    });
    let rule = RwSignal::new(MatchRule::default());
    let errors: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let create = move |_| {
        let req = ConditionalMenuInput {
            buttons: buttons.get_untracked(),
            matchrule: rule.get_untracked(),
            note: String::new(),
        };
        let local: Vec<(String, String)> = menus::validate_rule(&req.matchrule)
            .into_iter()
            .map(|(f, r)| (f, r.message(i.lang_now())))
            .collect();
        if !local.is_empty() {
            errors.set(local);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = menus_api::create_conditional(id, &req).await;
            busy.set(false);
            match r {
                Ok(_) => {
                    errors.set(Vec::new());
                    toasts.success(i.now(K::CondCreated));
                    tick.update(|t| *t += 1);
                }
                Err(e) => {
                    errors.set(e.field_messages(i.lang_now()));
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    };
    let remove = move |cid: i64| {
        spawn_local(async move {
            match menus_api::delete_conditional(id, cid).await {
                Ok(()) => {
                    toasts.success(i.now(K::CondDeleted));
                    tick.update(|t| *t += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    let setter = move |f: fn(&mut MatchRule, Option<String>)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            rule.update(|r| f(r, (!v.trim().is_empty()).then(|| v.trim().to_string())));
        }
    };
    view! {
        <section class="card" data-testid="menu-conditional">
            <h3 class="section-title">{move || i.t(K::CondMenus)}</h3>
            <p class="muted small">{move || i.t(K::CondHint)}</p>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || i.t(K::CondEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cond-list">
                        {list
                            .into_iter()
                            .map(|c| {
                                let cid = c.id;
                                let names = c.buttons.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join(" | ");
                                view! {
                                    <li class="cond-item" data-testid="cond-item">
                                        <div>
                                            <div class="mono small">{format!("menuid {}", c.menuid)}</div>
                                            <div>{rule_summary(&c.matchrule)}</div>
                                            <div class="muted small">{names}</div>
                                        </div>
                                        <Show when=move || can_edit.get()>
                                            <button type="button" class="btn btn-sm btn-danger-outline" on:click=move |_| remove(cid)>
                                                {move || i.t(K::Delete)}
                                            </button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any(),
            }}
            <Show when=move || can_edit.get()>
                <div class="cond-form">
                    <label class="field"><span class="field-label">{move || i.t(K::CondTag)}</span>
                        <input type="text" class="input" inputmode="numeric" data-testid="cond-tag" on:input=setter(|r, v| r.tag_id = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondSex)}</span>
                        <select class="input" data-testid="cond-sex" on:change=setter(|r, v| r.sex = v)>
                            <option value="">{move || i.t(K::CondAny)}</option>
                            <option value="1">{move || i.t(K::SexMale)}</option>
                            <option value="2">{move || i.t(K::SexFemale)}</option>
                        </select></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondPlatform)}</span>
                        <select class="input" on:change=setter(|r, v| r.client_platform_type = v)>
                            <option value="">{move || i.t(K::CondAny)}</option>
                            <option value="1">{move || i.t(K::PlatformIos)}</option>
                            <option value="2">{move || i.t(K::PlatformAndroid)}</option>
                            <option value="3">{move || i.t(K::PlatformOther)}</option>
                        </select></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondLanguage)}</span>
                        <input type="text" class="input" placeholder="zh_CN" on:input=setter(|r, v| r.language = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondCountry)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.country = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondProvince)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.province = v) /></label>
                    <label class="field"><span class="field-label">{move || i.t(K::CondCity)}</span>
                        <input type="text" class="input" on:input=setter(|r, v| r.city = v) /></label>
                    {move || {
                        let list = errors.get();
                        (!list.is_empty()).then(|| view! {
                            <ul class="field-error" data-testid="cond-errors">
                                {list.into_iter().map(|(f, m)| view! { <li><span class="mono">{f}</span>": "{m}</li> }).collect_view()}
                            </ul>
                        })
                    }}
                    <button type="button" class="btn btn-primary" data-testid="cond-create" prop:disabled=move || busy.get() on:click=create>
                        {icons::plus()}<span>{move || i.t(K::CondCreate)}</span>
                    </button>
                </div>
            </Show>
        </section>
    }
}

#[component]
pub(super) fn TryMatch(id: i64) -> impl IntoView {
    let i = use_i18n();
    let user = RwSignal::new(String::new());
    let result: RwSignal<Option<Result<TryMatchResult, String>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let user_id = user.get_untracked();
        spawn_local(async move {
            let r = menus_api::try_match(id, user_id).await;
            busy.set(false);
            result.set(Some(r.map_err(|e| e.message(i.lang_now()))));
        });
    };
    view! {
        <section class="card" data-testid="menu-trymatch">
            <h3 class="section-title">{move || i.t(K::TryMatch)}</h3>
            <form class="toolbar" on:submit=run>
                <input type="text" class="input" data-testid="trymatch-user" placeholder=move || i.t(K::TryMatchPlaceholder)
                    prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
                <button type="submit" class="btn" data-testid="trymatch-run" prop:disabled=move || busy.get()>{move || i.t(K::TryMatchRun)}</button>
            </form>
            {move || result.get().map(|r| match r {
                Err(m) => view! { <p class="field-error">{m}</p> }.into_any(),
                Ok(t) if t.buttons.is_empty() => view! { <EmptyState title=K::MenuEmpty body=K::MenuNoVersion /> }.into_any(),
                Ok(t) => view! {
                    <div class="phone-bar phone-bar-static" data-testid="trymatch-result">
                        {t.buttons.into_iter().map(|b| {
                            let subs = b.sub_button.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(" / ");
                            view! { <span class="phone-btn" title=subs>{b.name.clone()}</span> }
                        }).collect_view()}
                    </div>
                }
                    .into_any(),
            })}
        </section>
    }
}
