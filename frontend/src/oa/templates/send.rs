//! The send form: a template, a value and a colour for each of its fields, an optional link
//! or mini-program jump, the recipients; inline validation, a preview of the rendered message,
//! and a confirmation before the job starts.

use std::collections::BTreeMap;

use api::followers::TagsAndGroups;
use api::templates::{
    FieldValue, MiniProgram, RECIPIENTS_MAX, Template, TemplateSendInput, VALUE_MAX_CHARS,
    valid_color,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as tpl_api;
use super::preview::{MessagePreview, Values};
use super::recipients::{Picked, RecipientPicker, selection};
use crate::api_client::ClientError;
use crate::components::{ConfirmDialog, FieldRow, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::followers::api as followers_api;
use crate::util;

/// The colour a field gets when none is chosen (the swatch's starting point).
const DEFAULT_COLOR: &str = "#173177";

/// A mini program's appid: `wx` and 16 letters or digits.
fn valid_appid(s: &str) -> bool {
    s.len() == 18 && s.starts_with("wx") && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn field_error(value: &str, color: &str) -> Option<K> {
    let n = value.trim().chars().count();
    if n == 0 {
        Some(K::TplValueRequired)
    } else if n > VALUE_MAX_CHARS {
        Some(K::TplValueTooLong)
    } else if !color.is_empty() && !valid_color(color) {
        Some(K::TplColorInvalid)
    } else {
        None
    }
}

#[component]
pub fn SendForm(
    id: i64,
    templates: LocalResource<Result<Vec<Template>, ClientError>>,
    chosen: RwSignal<String>,
    jobs_version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let values = RwSignal::new(Values::new());
    let jump = RwSignal::new("none".to_string());
    let url = RwSignal::new(String::new());
    let mini_appid = RwSignal::new(String::new());
    let mini_path = RwSignal::new(String::new());
    let target = RwSignal::new("pick".to_string());
    let picked = RwSignal::new(Vec::<Picked>::new());
    let tag_id = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let tags = LocalResource::new(move || followers_api::tags(id));
    let tags_now = Memo::new(move |_| {
        tags.get().and_then(|r| r.ok()).unwrap_or(TagsAndGroups {
            tags: vec![],
            groups: vec![],
        })
    });

    let list = Memo::new(move |_| templates.get().and_then(|r| r.ok()).unwrap_or_default());
    let template = Memo::new(move |_| {
        let tid = chosen.get();
        list.with(|l| l.iter().find(|t| t.template_id == tid).cloned())
    });
    // A newly chosen template starts with an empty value for each of its fields.
    Effect::new(move |_| {
        let keys = template.with(|t| t.as_ref().map(|t| t.keys.clone()).unwrap_or_default());
        values.update(|m| {
            m.retain(|k, _| keys.contains(k));
            for k in keys {
                m.entry(k).or_default();
            }
        });
    });

    let template_error = Signal::derive(move || {
        (touched.get() && template.with(Option::is_none))
            .then(|| i.t(K::TplTemplateRequired).to_string())
    });
    let any_field_error =
        move || values.with(|m| m.values().any(|(v, c)| field_error(v, c).is_some()));
    let jump_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        let k = match jump.get().as_str() {
            "url" => {
                let u = url.with(|u| u.trim().to_string());
                if u.is_empty() {
                    Some(K::TplUrlRequired)
                } else if !(u.starts_with("https://") || u.starts_with("http://")) {
                    Some(K::TplUrlInvalid)
                } else {
                    None
                }
            }
            "mini" => {
                let a = mini_appid.with(|a| a.trim().to_string());
                if a.is_empty() {
                    Some(K::TplAppidRequired)
                } else if !valid_appid(&a) {
                    Some(K::TplAppidInvalid)
                } else {
                    None
                }
            }
            _ => None,
        };
        k.map(|k| i.t(k).to_string())
    });
    let recipients_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        let k = match target.get().as_str() {
            "tag" if tag_id.with(String::is_empty) => Some(K::TplTagRequired),
            "pick" if picked.with(Vec::is_empty) => Some(K::TplPickRequired),
            "pick" if picked.with(Vec::len) > RECIPIENTS_MAX => Some(K::TplPickTooMany),
            _ => None,
        };
        k.map(|k| i.t(k).to_string())
    });

    let build = move || -> Option<TemplateSendInput> {
        let t = template.get_untracked()?;
        let recipients = selection(
            &target.get_untracked(),
            &picked.get_untracked(),
            &tag_id.get_untracked(),
        )?;
        let data: BTreeMap<String, FieldValue> = values.with_untracked(|m| {
            t.keys
                .iter()
                .map(|k| {
                    let (v, c) = m.get(k).cloned().unwrap_or_default();
                    (
                        k.clone(),
                        FieldValue {
                            value: v.trim().to_string(),
                            color: Some(c).filter(|c| !c.is_empty()),
                        },
                    )
                })
                .collect()
        });
        let j = jump.get_untracked();
        Some(TemplateSendInput {
            template_id: t.template_id,
            url: (j == "url").then(|| url.get_untracked().trim().to_string()),
            miniprogram: (j == "mini").then(|| MiniProgram {
                appid: mini_appid.get_untracked().trim().to_string(),
                pagepath: mini_path.get_untracked().trim().to_string(),
            }),
            data,
            recipients,
        })
    };
    let target_text = move || -> String {
        match target.get_untracked().as_str() {
            "tag" => {
                let t = tag_id.get_untracked();
                let name = tags_now.with_untracked(|g| {
                    g.tags
                        .iter()
                        .find(|x| x.id.to_string() == t)
                        .map(|x| x.name.clone())
                });
                fill(i.now(K::TplTargetTagNamed), "name", &name.unwrap_or(t))
            }
            "all" => i.now(K::TplTargetAll).to_string(),
            _ => fill(
                i.now(K::TplTargetPickedN),
                "n",
                &picked.with_untracked(Vec::len).to_string(),
            ),
        }
    };

    let confirm_open = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        server_error.set(None);
        if template_error.get_untracked().is_some()
            || any_field_error()
            || jump_error.get_untracked().is_some()
            || recipients_error.get_untracked().is_some()
        {
            util::focus_first_error();
            return;
        }
        confirm_open.set(true);
    };
    let confirm_body = Signal::derive(move || {
        let title = template.with(|t| t.as_ref().map(|t| t.title.clone()).unwrap_or_default());
        fill(
            &fill(i.t(K::TplConfirmBody), "title", &title),
            "target",
            &target_text(),
        )
    });
    let on_confirm = Callback::new(move |()| {
        let Some(req) = build() else {
            confirm_open.set(false);
            return;
        };
        sending.set(true);
        spawn_local(async move {
            match tpl_api::start_job(id, &req).await {
                Ok(job) => {
                    toasts.success(fill(i.now(K::TplJobStarted), "n", &job.total.to_string()));
                    touched.set(false);
                    jobs_version.update(|v| *v += 1);
                }
                Err(e) => {
                    // A field WeChat's rules refused is named; otherwise the message itself.
                    let fields = e.field_messages(i.lang_now());
                    let text = if fields.is_empty() {
                        e.message(i.lang_now())
                    } else {
                        fields
                            .into_iter()
                            .map(|(f, m)| format!("{f}: {m}"))
                            .collect::<Vec<_>>()
                            .join("；")
                    };
                    server_error.set(Some(text));
                }
            }
            let _ = sending.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    let field_row = move |key: String| {
        let k1 = key.clone();
        let k2 = key.clone();
        let k3 = key.clone();
        let k4 = key.clone();
        let k5 = key.clone();
        let get = move |k: &str| values.with(|m| m.get(k).cloned().unwrap_or_default());
        let err = Signal::derive(move || {
            if !touched.get() {
                return None;
            }
            let (v, c) = get(&k1);
            field_error(&v, &c).map(|k| i.t(k).to_string())
        });
        let input_id = format!("f-data-{key}");
        view! {
            <div class="field tpl-field-row" class:has-error=move || err.with(|e| e.is_some())>
                <label class="field-label" for=input_id.clone()>
                    <code class="tpl-field">{key.clone()}</code>
                    <span class="req" aria-hidden="true">"*"</span>
                </label>
                <div class="tpl-value-row">
                    <input id=input_id class="input" data-testid=format!("tpl-value-{key}")
                        aria-invalid=move || err.with(|e| e.is_some()).then_some("true")
                        prop:value=move || get(&k2).0
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            values.update(|m| m.entry(k3.clone()).or_default().0 = v);
                        } />
                    <input type="color" class="tpl-swatch" data-testid=format!("tpl-swatch-{key}")
                        aria-label=move || i.t(K::TplColor)
                        prop:value=move || { let c = get(&k4).1; if valid_color(&c) { c } else { DEFAULT_COLOR.to_string() } }
                        on:input=move |ev| {
                            let c = event_target_value(&ev);
                            values.update(|m| m.entry(k5.clone()).or_default().1 = c);
                        } />
                    <input class="input mono tpl-color" data-testid=format!("tpl-color-{key}")
                        placeholder=move || i.t(K::TplColorDefault)
                        aria-label=move || i.t(K::TplColor)
                        prop:value={ let k = key.clone(); move || get(&k).1 }
                        on:input={ let k = key.clone(); move |ev| {
                            let c = event_target_value(&ev).trim().to_string();
                            values.update(|m| m.entry(k.clone()).or_default().1 = c);
                        } } />
                </div>
                {move || match err.get() {
                    Some(e) => view! { <p class="field-error" role="alert" data-testid=format!("error-data-{}", key.clone())>{e}</p> }.into_any(),
                    None => {
                        let n = get(&key).0.trim().chars().count();
                        view! { <p class="field-help">{fill(i.t(K::TplValueHelp), "n", &n.to_string())}</p> }.into_any()
                    }
                }}
            </div>
        }
    };

    let jumps: [(&str, K); 3] = [
        ("none", K::TplJumpNone),
        ("url", K::TplJumpUrl),
        ("mini", K::TplJumpMini),
    ];

    view! {
        <section class="card" id="tpl-send" data-testid="tpl-send">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::TplSendTitle)}</h2>
            </div>
            <div class="tpl-send-grid">
                <form on:submit=on_submit novalidate class="outreach-form">
                    <FieldRow name="template_id" label=K::TplTemplate required=true error=template_error>
                        <select id="f-template_id" class="select" data-testid="tpl-template"
                            on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">{move || i.t(K::TplChoose)}</option>
                            {move || list.get().into_iter().map(|t| {
                                let v = t.template_id.clone();
                                let sel = v.clone();
                                view! { <option value=v prop:selected=move || chosen.get() == sel>{t.title}</option> }
                            }).collect_view()}
                        </select>
                    </FieldRow>
                    {move || template.get().map(|t| view! {
                        <fieldset class="tpl-fields" data-testid="tpl-field-inputs">
                            <legend class="field-label">{move || i.t(K::TplFieldsLegend)}</legend>
                            {t.keys.into_iter().map(field_row).collect_view()}
                        </fieldset>
                    })}
                    <FieldRow name="jump" label=K::TplJump error=jump_error>
                        <div class="choice-chips" role="radiogroup">
                            {jumps.into_iter().map(|(v, k)| view! {
                                <label class="choice-chip">
                                    <input type="radio" name="tpl-jump" data-testid=format!("tpl-jump-{v}")
                                        prop:checked=move || jump.get() == v
                                        on:change=move |_| jump.set(v.to_string()) />
                                    <span>{move || i.t(k)}</span>
                                </label>
                            }).collect_view()}
                        </div>
                        {move || match jump.get().as_str() {
                            "url" => view! {
                                <input class="input outreach-sub" type="url" data-testid="tpl-url" placeholder="https://"
                                    aria-label=move || i.t(K::TplJumpUrl)
                                    prop:value=move || url.get()
                                    on:input=move |ev| url.set(event_target_value(&ev)) />
                            }.into_any(),
                            "mini" => view! {
                                <div class="tpl-mini outreach-sub">
                                    <input class="input mono" data-testid="tpl-mini-appid" placeholder=move || i.t(K::TplMiniAppid)
                                        aria-label=move || i.t(K::TplMiniAppid)
                                        prop:value=move || mini_appid.get()
                                        on:input=move |ev| mini_appid.set(event_target_value(&ev)) />
                                    <input class="input mono" data-testid="tpl-mini-path" placeholder=move || i.t(K::TplMiniPath)
                                        aria-label=move || i.t(K::TplMiniPath)
                                        prop:value=move || mini_path.get()
                                        on:input=move |ev| mini_path.set(event_target_value(&ev)) />
                                    <p class="field-help">{move || i.t(K::TplMiniHelp)}</p>
                                </div>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                    </FieldRow>
                    <RecipientPicker id=id mode=target picked=picked tag_id=tag_id tags_now=tags_now error=recipients_error />
                    {move || server_error.get().map(|e| view! { <div class="alert alert-error" role="alert" data-testid="tpl-send-error">{e}</div> })}
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="tpl-send-submit" disabled=move || sending.get()>
                            {icons::check()}
                            <span>{move || i.t(K::TplSend)}</span>
                        </button>
                    </div>
                </form>
                <MessagePreview
                    title=Signal::derive(move || template.with(|t| t.as_ref().map(|t| t.title.clone())).unwrap_or_else(|| i.t(K::TplPreviewNoTemplate).to_string()))
                    content=Signal::derive(move || template.with(|t| t.as_ref().map(|t| t.content.clone()).unwrap_or_default()))
                    values=values
                    has_jump=Signal::derive(move || jump.get() != "none")
                />
            </div>
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || i.t(K::TplConfirmTitle).to_string())
                body=confirm_body
                confirm_label=K::TplConfirmSend
                busy_label=K::TplSending
                busy=sending
                on_confirm=on_confirm
                primary=true
            />
        </section>
    }
}
