//! The compose form: message type and content, target, articles' reprint switch, optional
//! schedule; inline validation; preview to one follower; the quota and a confirmation
//! before the send itself.

use api::followers::{Selection, TagsAndGroups};
use api::mass::{
    MassAccountType, MassInput, MassMessage, MassPreviewInput, MassQuota, MassTarget, OPENIDS_MAX,
    OPENIDS_MIN, QuotaPeriod, TEXT_MAX_CHARS, VIDEO_DESCRIPTION_MAX_CHARS, VIDEO_TITLE_MAX_CHARS,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as mass_api;
use crate::components::{ConfirmDialog, FieldRow, Modal, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::MaterialPicker;
use crate::oa::drafts::api as drafts_api;
use crate::oa::followers::api as followers_api;
use crate::util;

/// A fresh idempotency key for one send (letters and digits).
fn new_request_key() -> String {
    let a = (js_sys::Math::random() * 1e15) as u64;
    let b = js_sys::Date::now() as u64;
    format!("m{b:x}{a:x}")
}

/// The openids of the textarea: one per line (commas and spaces also split).
fn parse_openids(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The local `datetime-local` value as RFC 3339 (UTC); `Err` when it does not parse.
fn schedule_rfc3339(local: &str) -> Result<Option<String>, K> {
    if local.trim().is_empty() {
        return Ok(None);
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local.trim()));
    if d.get_time().is_nan() {
        return Err(K::MassScheduleInvalid);
    }
    if d.get_time() < js_sys::Date::now() {
        return Err(K::MassSchedulePast);
    }
    Ok(Some(String::from(d.to_iso_string())))
}

pub fn period_key(q: &MassQuota) -> K {
    match (q.account_type, q.period) {
        (MassAccountType::Subscription, _) => K::MassQuotaSubscription,
        (MassAccountType::Service, QuotaPeriod::Month) => K::MassQuotaService,
        (MassAccountType::Service, QuotaPeriod::Day) => K::MassQuotaSubscription,
    }
}

#[component]
pub fn Compose(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let msgtype = RwSignal::new("text".to_string());
    let content = RwSignal::new(String::new());
    let media_id = RwSignal::new(String::new());
    let video_title = RwSignal::new(String::new());
    let video_description = RwSignal::new(String::new());
    let target = RwSignal::new("tag".to_string());
    let tag_id = RwSignal::new(String::new());
    let group_id = RwSignal::new(String::new());
    let openids = RwSignal::new(String::new());
    let ignore_reprint = RwSignal::new(false);
    let scheduled = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let request_key = RwSignal::new(new_request_key());
    let server_error = RwSignal::new(None::<String>);

    let quota = LocalResource::new(move || {
        version.track();
        mass_api::quota(id)
    });
    let tags = LocalResource::new(move || followers_api::tags(id));
    let tags_now = Memo::new(move |_| {
        tags.get().and_then(|r| r.ok()).unwrap_or(TagsAndGroups {
            tags: vec![],
            groups: vec![],
        })
    });
    let drafts = LocalResource::new(move || drafts_api::list(id, "", "", 1, 100));

    let message_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        let k = if msgtype.get() == "text" {
            let n = content.with(|c| c.trim().chars().count());
            if n == 0 {
                Some(K::MassTextRequired)
            } else if n > TEXT_MAX_CHARS {
                Some(K::MassTextTooLong)
            } else {
                None
            }
        } else if media_id.with(|m| m.trim().is_empty()) {
            Some(if msgtype.get() == "mpnews" {
                K::MassDraftRequired
            } else {
                K::MassMediaRequired
            })
        } else {
            None
        };
        k.map(|k| i.t(k).to_string())
    });
    let video_title_error = Signal::derive(move || {
        if !touched.get() || msgtype.get() != "video" {
            return None;
        }
        let n = video_title.with(|t| t.trim().chars().count());
        if n == 0 {
            Some(i.t(K::MassVideoTitleRequired).to_string())
        } else if n > VIDEO_TITLE_MAX_CHARS {
            Some(fill(
                i.t(K::MassVideoTitleTooLong),
                "n",
                &VIDEO_TITLE_MAX_CHARS.to_string(),
            ))
        } else {
            None
        }
    });
    let video_description_error = Signal::derive(move || {
        if !touched.get() || msgtype.get() != "video" {
            return None;
        }
        (video_description.with(|d| d.chars().count()) > VIDEO_DESCRIPTION_MAX_CHARS).then(|| {
            fill(
                i.t(K::MassVideoDescriptionTooLong),
                "n",
                &VIDEO_DESCRIPTION_MAX_CHARS.to_string(),
            )
        })
    });
    let target_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        let k = match target.get().as_str() {
            "tag" if tag_id.with(|t| t.is_empty()) => Some(K::MassTagRequired),
            "group" if group_id.with(|t| t.is_empty()) => Some(K::MassGroupRequired),
            "openids" => {
                let n = openids.with(|o| parse_openids(o).len());
                if n < OPENIDS_MIN {
                    Some(K::MassOpenidsTooFew)
                } else if n > OPENIDS_MAX {
                    Some(K::MassOpenidsTooMany)
                } else {
                    None
                }
            }
            _ => None,
        };
        k.map(|k| i.t(k).to_string())
    });
    let schedule_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        schedule_rfc3339(&scheduled.get())
            .err()
            .map(|k| i.t(k).to_string())
    });

    let build_message = move || {
        let m = media_id.get_untracked().trim().to_string();
        match msgtype.get_untracked().as_str() {
            "image" => MassMessage::Image { media_id: m },
            "voice" => MassMessage::Voice { media_id: m },
            "video" => MassMessage::Video {
                media_id: m,
                title: video_title.get_untracked().trim().to_string(),
                description: video_description.get_untracked().trim().to_string(),
            },
            "mpnews" => MassMessage::Mpnews { media_id: m },
            _ => MassMessage::Text {
                content: content.get_untracked(),
            },
        }
    };
    let build_target = move || match target.get_untracked().as_str() {
        "tag" => MassTarget::Tag {
            tag_id: tag_id.get_untracked().parse().unwrap_or(0),
        },
        "group" => MassTarget::Group {
            group_id: group_id.get_untracked().parse().unwrap_or(0),
        },
        "openids" => MassTarget::Followers {
            selection: Selection::Openids {
                openids: parse_openids(&openids.get_untracked()),
            },
        },
        _ => MassTarget::All,
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
                fill(i.now(K::MassTargetTagNamed), "name", &name.unwrap_or(t))
            }
            "group" => fill(
                i.now(K::MassTargetGroupNamed),
                "name",
                &group_id.get_untracked(),
            ),
            "openids" => fill(
                i.now(K::MassTargetOpenidsN),
                "n",
                &parse_openids(&openids.get_untracked()).len().to_string(),
            ),
            _ => i.now(K::MassTargetAll).to_string(),
        }
    };

    // Send: validate, then confirm with the quota in view.
    let confirm_open = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        server_error.set(None);
        if message_error.get_untracked().is_some()
            || video_title_error.get_untracked().is_some()
            || video_description_error.get_untracked().is_some()
            || target_error.get_untracked().is_some()
            || schedule_error.get_untracked().is_some()
        {
            util::focus_first_error();
            return;
        }
        confirm_open.set(true);
    };
    let confirm_body = Signal::derive(move || {
        let mut s = fill(i.t(K::MassConfirmBody), "target", &target_text());
        if let Some(Ok(q)) = quota.get() {
            s.push(' ');
            s.push_str(&fill(
                &fill(i.t(period_key(&q)), "used", &q.used.to_string()),
                "limit",
                &q.limit.to_string(),
            ));
        }
        s
    });
    let on_confirm = Callback::new(move |()| {
        let scheduled_at = schedule_rfc3339(&scheduled.get_untracked()).ok().flatten();
        let req = MassInput {
            message: build_message(),
            target: build_target(),
            send_ignore_reprint: ignore_reprint.get_untracked(),
            scheduled_at,
            request_key: Some(request_key.get_untracked()),
        };
        sending.set(true);
        spawn_local(async move {
            match mass_api::create(id, &req).await {
                Ok(_) => {
                    toasts.success(i.now(if req.scheduled_at.is_some() {
                        K::MassScheduled
                    } else {
                        K::MassSubmittedToast
                    }));
                    request_key.set(new_request_key());
                    content.set(String::new());
                    media_id.set(String::new());
                    video_title.set(String::new());
                    video_description.set(String::new());
                    scheduled.set(String::new());
                    touched.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => server_error.set(Some(e.message(i.lang_now()))),
            }
            let _ = sending.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    // Preview to one follower.
    let preview_open = RwSignal::new(false);
    let preview_openid = RwSignal::new(String::new());
    let preview_error = RwSignal::new(None::<String>);
    let previewing = RwSignal::new(false);
    let open_preview = move |_| {
        touched.set(true);
        if message_error.get_untracked().is_some()
            || video_title_error.get_untracked().is_some()
            || video_description_error.get_untracked().is_some()
        {
            util::focus_first_error();
            return;
        }
        preview_error.set(None);
        preview_open.set(true);
    };
    let on_preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let openid = preview_openid.get_untracked().trim().to_string();
        if openid.is_empty() {
            preview_error.set(Some(i.now(K::MassPreviewOpenidRequired).to_string()));
            return;
        }
        let req = MassPreviewInput {
            message: build_message(),
            openid,
        };
        previewing.set(true);
        spawn_local(async move {
            match mass_api::preview(id, &req).await {
                Ok(()) => {
                    toasts.success(i.now(K::MassPreviewSent));
                    preview_open.set(false);
                }
                Err(e) => preview_error.set(Some(e.message(i.lang_now()))),
            }
            let _ = previewing.try_set(false);
        });
    };

    let types: [(&str, K); 5] = [
        ("text", K::MassTypeText),
        ("image", K::MassTypeImage),
        ("voice", K::MassTypeVoice),
        ("video", K::MassTypeVideo),
        ("mpnews", K::MassTypeArticles),
    ];
    let targets: [(&str, K); 4] = [
        ("all", K::MassTargetAll),
        ("tag", K::MassTargetTag),
        ("group", K::MassTargetGroup),
        ("openids", K::MassTargetOpenids),
    ];

    view! {
        <section class="card" data-testid="mass-compose">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::MassComposeTitle)}</h2>
            </div>
            <QuotaLine quota=quota />
            <form on:submit=on_submit novalidate class="outreach-form">
                <FieldRow name="msgtype" label=K::MassType error=Signal::derive(|| None::<String>)>
                    <div class="choice-chips" role="radiogroup">
                        {types.into_iter().map(|(v, k)| view! {
                            <label class="choice-chip">
                                <input
                                    type="radio"
                                    name="mass-type"
                                    data-testid=format!("mass-type-{v}")
                                    prop:checked=move || msgtype.get() == v
                                    on:change=move |_| { msgtype.set(v.to_string()); media_id.set(String::new()); }
                                />
                                <span>{move || i.t(k)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </FieldRow>
                {move || match msgtype.get().as_str() {
                    "text" => view! {
                        <FieldRow
                            name="content"
                            label=K::MassContent
                            required=true
                            error=message_error
                            help=Signal::derive(move || fill(i.t(K::MassContentHelp), "n", &content.with(|c| c.trim().chars().count()).to_string()))
                        >
                            <textarea
                                id="f-content"
                                class="input"
                                rows="5"
                                data-testid="mass-content"
                                aria-invalid=move || message_error.with(|e| e.is_some()).then_some("true")
                                prop:value=move || content.get()
                                on:input=move |ev| content.set(event_target_value(&ev))
                            ></textarea>
                        </FieldRow>
                    }.into_any(),
                    "mpnews" => view! {
                        <FieldRow name="media_id" label=K::MassDraft required=true error=message_error
                            help=Signal::derive(move || i.t(K::MassDraftHelp).to_string())>
                            <select id="f-media_id" class="select" data-testid="mass-draft"
                                on:change=move |ev| media_id.set(event_target_value(&ev))>
                                <option value="">{move || i.t(K::MassChoose)}</option>
                                {move || drafts.get().and_then(|r| r.ok()).map(|p| p.items.into_iter()
                                    .filter_map(|d| d.media_id.clone().map(|m| (m, d.title)))
                                    .map(|(m, t)| { let mv = m.clone(); view! {
                                        <option value=m prop:selected=move || media_id.get() == mv>{t}</option>
                                    }}).collect_view())}
                            </select>
                        </FieldRow>
                        <label class="check">
                            <input type="checkbox" data-testid="mass-ignore-reprint"
                                prop:checked=move || ignore_reprint.get()
                                on:change=move |ev| ignore_reprint.set(event_target_checked(&ev)) />
                            <span>{move || i.t(K::MassIgnoreReprint)}</span>
                        </label>
                        <p class="field-help">{move || i.t(K::MassIgnoreReprintHelp)}</p>
                    }.into_any(),
                    kind => {
                        let kinds: &'static [&'static str] = match kind {
                            "image" => &["image"],
                            "voice" => &["voice"],
                            _ => &["video"],
                        };
                        let video = (kind == "video").then(|| view! {
                            <FieldRow
                                name="video_title"
                                label=K::MassVideoTitle
                                required=true
                                error=video_title_error
                                help=Signal::derive(move || fill(i.t(K::MassVideoTitleHelp), "n", &VIDEO_TITLE_MAX_CHARS.to_string()))
                            >
                                <input
                                    id="f-video_title"
                                    class="input"
                                    data-testid="mass-video-title"
                                    aria-invalid=move || video_title_error.with(|e| e.is_some()).then_some("true")
                                    prop:value=move || video_title.get()
                                    on:input=move |ev| video_title.set(event_target_value(&ev))
                                />
                            </FieldRow>
                            <FieldRow
                                name="video_description"
                                label=K::MassVideoDescription
                                error=video_description_error
                                help=Signal::derive(move || fill(i.t(K::MassVideoDescriptionHelp), "n", &VIDEO_DESCRIPTION_MAX_CHARS.to_string()))
                            >
                                <textarea
                                    id="f-video_description"
                                    class="input"
                                    rows="2"
                                    data-testid="mass-video-description"
                                    aria-invalid=move || video_description_error.with(|e| e.is_some()).then_some("true")
                                    prop:value=move || video_description.get()
                                    on:input=move |ev| video_description.set(event_target_value(&ev))
                                ></textarea>
                            </FieldRow>
                        });
                        view! {
                            <FieldRow name="media_id" label=K::MassMaterial required=true error=message_error>
                                <MaterialPicker account=id kinds=kinds value=media_id testid="mass-material" />
                            </FieldRow>
                            {video}
                        }.into_any()
                    }
                }}
                <FieldRow name="target" label=K::MassTarget required=true error=target_error>
                    <div class="choice-chips" role="radiogroup">
                        {targets.into_iter().map(|(v, k)| view! {
                            <label class="choice-chip">
                                <input
                                    type="radio"
                                    name="mass-target"
                                    data-testid=format!("mass-target-{v}")
                                    prop:checked=move || target.get() == v
                                    on:change=move |_| target.set(v.to_string())
                                />
                                <span>{move || i.t(k)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    {move || match target.get().as_str() {
                        "tag" => view! {
                            <select class="select outreach-sub" data-testid="mass-tag" aria-label=move || i.t(K::MassTargetTag)
                                on:change=move |ev| tag_id.set(event_target_value(&ev))>
                                <option value="">{move || i.t(K::MassChoose)}</option>
                                {move || tags_now.get().tags.into_iter().map(|t| {
                                    let v = t.id.to_string();
                                    let sel = v.clone();
                                    view! { <option value=v prop:selected=move || tag_id.get() == sel>{format!("{} ({})", t.name, t.count)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any(),
                        "group" => view! {
                            <select class="select outreach-sub" data-testid="mass-group" aria-label=move || i.t(K::MassTargetGroup)
                                on:change=move |ev| group_id.set(event_target_value(&ev))>
                                <option value="">{move || i.t(K::MassChoose)}</option>
                                {move || tags_now.get().groups.into_iter().map(|t| {
                                    let v = t.id.to_string();
                                    let sel = v.clone();
                                    view! { <option value=v prop:selected=move || group_id.get() == sel>{format!("{} ({})", t.name, t.count)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any(),
                        "openids" => view! {
                            <textarea class="input outreach-sub mono" rows="4" data-testid="mass-openids"
                                aria-label=move || i.t(K::MassTargetOpenids)
                                placeholder=move || i.t(K::MassOpenidsHelp)
                                prop:value=move || openids.get()
                                on:input=move |ev| openids.set(event_target_value(&ev))></textarea>
                        }.into_any(),
                        _ => view! { <p class="field-help">{move || i.t(K::MassTargetAllHelp)}</p> }.into_any(),
                    }}
                </FieldRow>
                <FieldRow name="scheduled_at" label=K::MassSchedule error=schedule_error
                    help=Signal::derive(move || i.t(K::MassScheduleHelp).to_string())>
                    <input id="f-scheduled_at" type="datetime-local" class="input" data-testid="mass-schedule"
                        prop:value=move || scheduled.get()
                        on:input=move |ev| scheduled.set(event_target_value(&ev)) />
                </FieldRow>
                {move || server_error.get().map(|e| view! { <div class="alert alert-error" role="alert" data-testid="mass-error">{e}</div> })}
                <div class="form-actions">
                    <button type="button" class="btn" data-testid="mass-preview" on:click=open_preview>
                        {icons::info()}
                        <span>{move || i.t(K::MassPreview)}</span>
                    </button>
                    <button type="submit" class="btn btn-primary" data-testid="mass-send" disabled=move || sending.get()>
                        {icons::check()}
                        <span>{move || i.t(if scheduled.with(|s| s.is_empty()) { K::MassSendNow } else { K::MassSchedule })}</span>
                    </button>
                </div>
            </form>
            <Modal open=preview_open title=Signal::derive(move || i.t(K::MassPreviewTitle).to_string())>
                <form on:submit=on_preview novalidate>
                    <div class="modal-body">
                        <p class="muted small">{move || i.t(K::MassPreviewHelp)}</p>
                        <FieldRow name="openid" label=K::MassPreviewOpenid required=true error=Signal::derive(move || preview_error.get())>
                            <input id="f-openid" class="input mono" data-testid="mass-preview-openid" autocomplete="off"
                                prop:value=move || preview_openid.get()
                                on:input=move |ev| { preview_error.set(None); preview_openid.set(event_target_value(&ev)); } />
                        </FieldRow>
                    </div>
                    <div class="modal-foot">
                        <button type="button" class="btn" on:click=move |_| preview_open.set(false)>{move || i.t(K::Cancel)}</button>
                        <button type="submit" class="btn btn-primary" data-testid="mass-preview-send" disabled=move || previewing.get()>
                            {move || i.t(if previewing.get() { K::MassPreviewSending } else { K::MassPreviewSend })}
                        </button>
                    </div>
                </form>
            </Modal>
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || i.t(K::MassConfirmTitle).to_string())
                body=confirm_body
                confirm_label=K::MassConfirmSend
                busy_label=K::MassSending
                busy=sending
                on_confirm=on_confirm
            />
        </section>
    }
}

/// 订阅号 · 今日已群发 0/1 次 (and the send in flight).
#[component]
fn QuotaLine(
    quota: LocalResource<Result<MassQuota, crate::api_client::ClientError>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        {move || quota.get().map(|r| match r {
            Ok(q) => {
                let text = fill(&fill(i.t(period_key(&q)), "used", &q.used.to_string()), "limit", &q.limit.to_string());
                let out = q.remaining == 0;
                view! {
                    <div class=if out { "alert alert-warn" } else { "alert alert-info" }
                        data-testid="mass-quota" data-remaining=q.remaining.to_string()>
                        <span>{text}</span>
                        {out.then(|| view! { <span>" "{move || i.t(K::MassQuotaExhausted)}</span> })}
                        {q.in_flight.map(|j| view! { <span>" "{fill(i.t(K::MassInFlight), "id", &j.to_string())}</span> })}
                    </div>
                }.into_any()
            }
            Err(e) => view! { <div class="alert alert-error">{e.message(i.lang())}</div> }.into_any(),
        })}
    }
}
