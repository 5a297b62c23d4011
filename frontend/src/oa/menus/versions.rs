//! Published versions with what changed from the one before, and rollback.

use api::menus::{self, MenuButton, MenuChange, MenuVersion};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as menus_api;
use super::source_key;
use crate::components::{ConfirmDialog, LoadingState, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn change_key(c: &str) -> (K, &'static str) {
    match c {
        "added" => (K::ChangeAdded, "badge badge-green"),
        "removed" => (K::ChangeRemoved, "badge badge-red"),
        _ => (K::ChangeChanged, "badge badge-orange"),
    }
}

fn describe(b: &MenuButton) -> String {
    let mut s = b.name.clone();
    if let Some(k) = &b.kind {
        s.push_str(&format!(" · {k}"));
    }
    for v in [
        &b.key,
        &b.url,
        &b.media_id,
        &b.article_id,
        &b.appid,
        &b.pagepath,
    ]
    .into_iter()
    .flatten()
    {
        s.push_str(&format!(" · {v}"));
    }
    s
}

fn diff_view(changes: Vec<MenuChange>) -> AnyView {
    let i = use_i18n();
    if changes.is_empty() {
        return view! { <p class="muted small">{move || i.t(K::MenuNoChanges)}</p> }.into_any();
    }
    view! {
        <ul class="diff" data-testid="menu-diff">
            {changes
                .into_iter()
                .map(|c| {
                    let (k, class) = change_key(&c.change);
                    view! {
                        <li class=format!("diff-{}", c.change)>
                            <span class=class>{move || i.t(k)}</span>
                            <span class="mono small">{c.path.clone()}</span>
                            {c.before.as_ref().map(|b| view! { <del>{describe(b)}</del> })}
                            {c.after.as_ref().map(|b| view! { <ins>{describe(b)}</ins> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub(crate) fn Versions(
    id: i64,
    buttons: RwSignal<Vec<MenuButton>>,
    current: RwSignal<Option<MenuVersion>>,
    tick: RwSignal<u32>,
    can_edit: Memo<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let data = LocalResource::new(move || {
        tick.get();
        async move { menus_api::versions(id).await }
    });
    let open_diff: RwSignal<Option<i64>> = RwSignal::new(None);
    let target: RwSignal<Option<MenuVersion>> = RwSignal::new(None);
    let confirm = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_rollback = Callback::new(move |()| {
        let Some(v) = target.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r = menus_api::rollback(id, v.id).await;
            busy.set(false);
            confirm.set(false);
            match r {
                Ok(n) => {
                    toasts.success(fill(i.now(K::MenuRolledBack), "n", &n.number.to_string()));
                    buttons.set(n.buttons.clone());
                    current.set(Some(n));
                    tick.update(|t| *t += 1);
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    });
    view! {
        <section class="card" data-testid="menu-versions">
            <h3 class="section-title">{move || i.t(K::MenuVersions)}</h3>
            {move || match data.get() {
                None => view! { <LoadingState /> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{e.message(i.lang())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || i.t(K::MenuVersionsEmpty)}</p> }.into_any(),
                Some(Ok(list)) => {
                    let all = list.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <tbody>
                                    {list
                                        .into_iter()
                                        .enumerate()
                                        .map(|(n, v)| {
                                            let (k, class) = source_key(v.source);
                                            let previous = all.get(n + 1).map(|p| p.buttons.clone());
                                            let changes = previous.map(|p| menus::diff(&p, &v.buttons));
                                            let vid = v.id;
                                            let load = v.buttons.clone();
                                            let rollback = v.clone();
                                            let can_roll = !v.buttons.is_empty() && n > 0;
                                            let number = v.number.to_string();
                                            view! {
                                                <tr data-testid="menu-version" data-number=v.number.to_string()>
                                                    <td>
                                                        <strong>{move || fill(i.t(K::MenuVersionN), "n", &number)}</strong>
                                                        " "
                                                        <span class=class>{move || i.t(k)}</span>
                                                        <div class="muted small">{v.note.clone()}</div>
                                                        {move || (open_diff.get() == Some(vid)).then(|| changes.clone().map(diff_view))}
                                                    </td>
                                                    <td class="hide-sm muted small"><span data-user-content>{v.created_by.clone()}</span><br />{util::format_time(&v.created_at)}</td>
                                                    <td class="row-actions">
                                                        {(n + 1 < all.len()).then(|| view! {
                                                            <button type="button" class="btn btn-sm btn-ghost" data-testid="menu-version-compare"
                                                                on:click=move |_| open_diff.update(|o| *o = if *o == Some(vid) { None } else { Some(vid) })>
                                                                {move || i.t(K::MenuCompare)}
                                                            </button>
                                                        })}
                                                        <Show when=move || can_edit.get()>
                                                            {
                                                                let load = load.clone();
                                                                let rollback = rollback.clone();
                                                                view! {
                                                                    <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| buttons.set(load.clone())>
                                                                        {move || i.t(K::MenuLoadVersion)}
                                                                    </button>
                                                                    {can_roll.then(|| view! {
                                                                        <button type="button" class="btn btn-sm" data-testid="menu-version-rollback"
                                                                            on:click=move |_| { target.set(Some(rollback.clone())); confirm.set(true); }>
                                                                            {move || i.t(K::MenuRollback)}
                                                                        </button>
                                                                    })}
                                                                }
                                                            }
                                                        </Show>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
            <ConfirmDialog
                open=confirm
                title=Signal::derive(move || i.t(K::MenuRollbackTitle).to_string())
                body=Signal::derive(move || format!(
                    "{} {}",
                    fill(i.t(K::MenuRollbackBody), "n", &target.get().map(|v| v.number.to_string()).unwrap_or_default()),
                    i.t(K::MenuPublishWarn)
                ))
                confirm_label=K::MenuRollback
                busy_label=K::MenuPublishing
                busy=busy
                on_confirm=on_rollback
            />
        </section>
    }
}
