//! One row of the follower list: avatar, name and OpenID, remark, tags, group, subscribe time
//! and scene.

use std::collections::BTreeSet;

use api::followers::Follower;
use leptos::prelude::*;
use leptos_router::components::A;

use super::scene_text;
use crate::api_client;
use crate::components::{Badge, Tone, icons};
use crate::i18n::{K, use_i18n};
use crate::util;

#[component]
pub fn FollowerRow(
    id: i64,
    f: Follower,
    selected: RwSignal<BTreeSet<String>>,
    all_matching: RwSignal<bool>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let openid = f.openid.clone();
    let is_selected = {
        let openid = openid.clone();
        move || all_matching.get() || selected.with(|s| s.contains(&openid))
    };
    let sel_row = is_selected.clone();
    let toggle = {
        let openid = openid.clone();
        move |_| {
            all_matching.set(false);
            selected.update(|s| {
                if !s.remove(&openid) {
                    s.insert(openid.clone());
                }
            })
        }
    };
    let nonempty = |s: &Option<String>| s.clone().filter(|n| !n.trim().is_empty());
    let remark = nonempty(&f.remark);
    // WeChat's user/info no longer gives nicknames to most accounts: the remark names them then.
    let name = nonempty(&f.nickname).or(remark.clone());
    let has_name = name.is_some();
    let initial = name
        .as_deref()
        .and_then(|n| n.trim().chars().next())
        .map(|c| c.to_uppercase().to_string());
    let hue = f
        .openid
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360;
    let title = name.unwrap_or_else(|| f.openid.clone());
    let href = format!("/accounts/{id}/followers/{}", api_client::enc(&f.openid));
    let scene = f.subscribe_scene.clone().map(|s| scene_text(&s));
    view! {
        <tr data-testid="follower-row" data-openid=f.openid.clone() class:row-selected=sel_row>
            <Show when=move || can_edit.get()>
                <td class="col-check">
                    <input
                        type="checkbox"
                        data-testid="follower-select"
                        aria-label=move || i.t(K::SelectRow)
                        prop:checked=is_selected.clone()
                        on:change=toggle.clone()
                    />
                </td>
            </Show>
            <td class="cell-main" data-label=move || i.t(K::ColFollower)>
                <div class="person">
                    // WeChat gives no avatar image to the portal: a letter of the name on a colour
                    // of the OpenID, or a person when there is no name.
                    <span class="person-avatar" data-testid="follower-avatar" aria-hidden="true"
                        style=format!("background:hsl({hue} 55% 46%)")>
                        {match initial {
                            Some(c) => c.into_any(),
                            None => icons::user().into_any(),
                        }}
                    </span>
                    <div class="person-text">
                        <A href=href attr:class=if has_name { "row-title" } else { "row-title mono id-wrap" }>{title}</A>
                        // The OpenID once: under the name, or as the title when there is no name.
                        {has_name.then(|| view! { <span class="row-sub mono id-wrap">{f.openid.clone()}</span> })}
                        {(!f.subscribed).then(|| view! { <Badge tone=Tone::Neutral text=K::StatusUnsubscribed /> })}
                    </div>
                </div>
            </td>
            <td data-label=move || i.t(K::ColRemark) data-testid="follower-remark">
                {match remark {
                    Some(r) => view! { <span data-user-content>{r}</span> }.into_any(),
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </td>
            <td data-label=move || i.t(K::ColTags)>
                <span class="tag-list" data-testid="follower-tags">
                    {if f.tags.is_empty() {
                        view! { <span class="muted small">{move || i.t(K::NoTags)}</span> }.into_any()
                    } else {
                        f.tags.iter().map(|t| view! { <span class="badge badge-blue">{t.name.clone()}</span> }).collect_view().into_any()
                    }}
                </span>
            </td>
            <td class="hide-md" data-label=move || i.t(K::ColGroup)>
                {f.group.clone().map(|g| g.name).unwrap_or_default()}
            </td>
            <td class="nowrap muted" data-label=move || i.t(K::ColSubscribedAt)>
                {f.subscribe_time.as_deref().map(util::format_time).unwrap_or_default()}
            </td>
            <td class="hide-md muted" data-label=move || i.t(K::ColScene)>
                {scene.map(|s| view! { <span>{move || s.get()}</span> })}
            </td>
        </tr>
    }
}
