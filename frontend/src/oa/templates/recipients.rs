//! Who a template message goes to: followers picked from a search of the follower list (one or
//! several), everyone with a tag, or every subscribed follower.

use api::followers::{Follower, FollowerQuery, Selection, TagsAndGroups};
use leptos::prelude::*;

use crate::components::{SearchBox, debounced};
use crate::i18n::{K, fill, use_i18n};
use crate::oa::followers::api as followers_api;

/// Search results shown at once.
const RESULTS: u64 = 8;

/// A picked follower: openid and what to call them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub openid: String,
    pub name: String,
}

fn display_name(f: &Follower) -> String {
    f.remark
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| f.nickname.clone().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| f.openid.clone())
}

/// The recipients as the send API takes them; `None` when nothing is chosen.
pub fn selection(mode: &str, picked: &[Picked], tag_id: &str) -> Option<Selection> {
    match mode {
        "tag" => tag_id.parse::<i64>().ok().map(|t| Selection::Filter {
            filter: FollowerQuery {
                tag: Some(t),
                subscribed: Some(true),
                ..Default::default()
            },
        }),
        "all" => Some(Selection::Filter {
            filter: FollowerQuery {
                subscribed: Some(true),
                ..Default::default()
            },
        }),
        _ => (!picked.is_empty()).then(|| Selection::Openids {
            openids: picked.iter().map(|p| p.openid.clone()).collect(),
        }),
    }
}

#[component]
pub fn RecipientPicker(
    id: i64,
    mode: RwSignal<String>,
    picked: RwSignal<Vec<Picked>>,
    tag_id: RwSignal<String>,
    tags_now: Memo<TagsAndGroups>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let q_input = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let f = FollowerQuery {
            q: Some(q.get()).filter(|s| !s.trim().is_empty()),
            subscribed: Some(true),
            per_page: Some(RESULTS),
            ..Default::default()
        };
        async move { followers_api::list(id, &f).await }
    });
    let toggle = move |f: &Follower| {
        let p = Picked {
            openid: f.openid.clone(),
            name: display_name(f),
        };
        picked.update(|v| {
            if let Some(at) = v.iter().position(|x| x.openid == p.openid) {
                v.remove(at);
            } else {
                v.push(p);
            }
        });
    };
    let modes: [(&str, K); 3] = [
        ("pick", K::TplTargetPick),
        ("tag", K::TplTargetTag),
        ("all", K::TplTargetAll),
    ];

    view! {
        <div class="field" class:has-error=move || error.with(|e| e.is_some())>
            <span class="field-label">
                {move || i.t(K::TplRecipients)}
                <span class="req" aria-hidden="true">"*"</span>
            </span>
            <div class="choice-chips" role="radiogroup" aria-label=move || i.t(K::TplRecipients)>
                {modes.into_iter().map(|(v, k)| view! {
                    <label class="choice-chip">
                        <input type="radio" name="tpl-target" data-testid=format!("tpl-target-{v}")
                            prop:checked=move || mode.get() == v
                            on:change=move |_| mode.set(v.to_string()) />
                        <span>{move || i.t(k)}</span>
                    </label>
                }).collect_view()}
            </div>
            {move || match mode.get().as_str() {
                "tag" => view! {
                    <select class="select outreach-sub" data-testid="tpl-tag" aria-label=move || i.t(K::TplTargetTag)
                        on:change=move |ev| tag_id.set(event_target_value(&ev))>
                        <option value="">{move || i.t(K::TplChoose)}</option>
                        {move || tags_now.get().tags.into_iter().map(|t| {
                            let v = t.id.to_string();
                            let sel = v.clone();
                            view! { <option value=v prop:selected=move || tag_id.get() == sel>{format!("{} ({})", t.name, t.count)}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
                "all" => view! { <p class="field-help">{move || i.t(K::TplTargetAllHelp)}</p> }.into_any(),
                _ => view! {
                    <div class="tpl-picker outreach-sub">
                        <div class="tpl-picked" data-testid="tpl-picked">
                            {move || {
                                let v = picked.get();
                                if v.is_empty() {
                                    return view! { <span class="muted small">{move || i.t(K::TplPickedNone)}</span> }.into_any();
                                }
                                v.into_iter().map(|p| {
                                    let openid = p.openid.clone();
                                    view! {
                                        <button type="button" class="btn btn-sm chip" data-testid="tpl-picked-chip" data-openid=p.openid.clone()
                                            title=move || i.t(K::TplUnpick)
                                            on:click=move |_| picked.update(|v| v.retain(|x| x.openid != openid))>
                                            <span data-user-content>{p.name.clone()}</span>" ×"
                                        </button>
                                    }
                                }).collect_view().into_any()
                            }}
                        </div>
                        <SearchBox placeholder=K::TplPickSearch value=q_input
                            on_input=debounced(q_input, Callback::new(move |v| q.set(v))) testid="tpl-pick-search" />
                        <ul class="tpl-results" data-testid="tpl-pick-results">
                            {move || match results.get() {
                                None => view! { <li class="muted small">{move || i.t(K::Loading)}</li> }.into_any(),
                                Some(Err(e)) => view! { <li class="field-error">{e.message(i.lang())}</li> }.into_any(),
                                Some(Ok(p)) if p.items.is_empty() => view! { <li class="muted small">{move || i.t(K::TplPickNoMatch)}</li> }.into_any(),
                                Some(Ok(p)) => {
                                    let more = p.total > p.items.len() as u64;
                                    let total = p.total;
                                    view! {
                                        {p.items.into_iter().map(|f| {
                                            let openid = f.openid.clone();
                                            let name = display_name(&f);
                                            view! {
                                                <li>
                                                    <label class="check">
                                                        <input type="checkbox" data-testid="tpl-pick" data-openid=f.openid.clone()
                                                            prop:checked=move || picked.with(|v| v.iter().any(|x| x.openid == openid))
                                                            on:change=move |_| toggle(&f) />
                                                        <span class="tpl-result-name" data-user-content>{name}</span>
                                                    </label>
                                                </li>
                                            }
                                        }).collect_view()}
                                        {more.then(|| view! { <li class="muted small">{fill(i.t(K::TplPickMore), "n", &total.to_string())}</li> })}
                                    }.into_any()
                                }
                            }}
                        </ul>
                    </div>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="error-recipients">{e}</p> })}
        </div>
    }
}
