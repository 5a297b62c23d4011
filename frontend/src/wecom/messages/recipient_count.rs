//! How many members a send reaches, counted over the contacts mirror the way WeCom expands it:
//! chosen members, every member of a chosen department and its sub-departments, a tag's members
//! and departments; each member once.

use std::collections::BTreeSet;

use api::wecom_messages::{MAX_PARTIES_PER_CALL, MAX_TAGS_PER_CALL, MAX_USERS_PER_CALL};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as wm_api;
use super::picked::Picked;
use crate::api_client::ClientError;
use crate::i18n::{K, fill, use_i18n};

/// Every userid of a department subtree or a tag (directly tagged), page by page.
async fn userids(
    id: i64,
    department: Option<i64>,
    tag: Option<i64>,
    out: &mut BTreeSet<String>,
) -> Result<(), ClientError> {
    let per_page = 200;
    let mut page = 1;
    loop {
        let p = wm_api::members(id, None, department, tag, page, per_page).await?;
        let n = p.items.len() as u64;
        out.extend(p.items.into_iter().map(|m| m.userid));
        if n < per_page || page * per_page >= p.total {
            return Ok(());
        }
        page += 1;
    }
}

async fn count(id: i64, p: Picked) -> Result<usize, ClientError> {
    if p.all {
        return Ok(wm_api::members(id, None, None, None, 1, 1).await?.total as usize);
    }
    let mut set: BTreeSet<String> = p.users.iter().map(|(u, _)| u.clone()).collect();
    let mut parties: Vec<i64> = p.parties.iter().map(|(d, _)| *d).collect();
    for (t, _) in &p.tags {
        userids(id, None, Some(*t), &mut set).await?;
        parties.extend(wm_api::tag(id, *t).await?.departments);
    }
    parties.sort_unstable();
    parties.dedup();
    for d in parties {
        userids(id, Some(d), None, &mut set).await?;
    }
    Ok(set.len())
}

#[component]
pub(super) fn RecipientCount(id: i64, picked: RwSignal<Picked>) -> impl IntoView {
    let i = use_i18n();
    let result: RwSignal<Option<Result<usize, ClientError>>> = RwSignal::new(None);
    // Latest answer wins: the picker may change while a count is on its way.
    let seq = StoredValue::new(0u64);
    Effect::new(move |_| {
        let p = picked.get();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        result.set(None);
        spawn_local(async move {
            let r = count(id, p).await;
            if seq.try_get_value() == Some(mine) {
                let _ = result.try_set(Some(r));
            }
        });
    });
    let calls = move || {
        picked.with(|p| {
            let split = |n: usize, max: usize| n.div_ceil(max).max(1);
            if p.all {
                return 1;
            }
            split(p.users.len(), MAX_USERS_PER_CALL)
                .max(split(p.parties.len(), MAX_PARTIES_PER_CALL))
                .max(split(p.tags.len(), MAX_TAGS_PER_CALL))
        })
    };
    view! {
        <div class="wm-count" data-testid="recipient-count-box">
            {move || match result.get() {
                None => view! { <span class="muted" data-testid="recipient-count-loading">{move || i.t(K::WmCounting)}</span> }.into_any(),
                Some(Err(e)) => view! { <span class="field-error">{e.message(i.lang())}</span> }.into_any(),
                Some(Ok(n)) => view! {
                    <span>
                        {move || i.t(K::WmWillReceive)}" "
                        <b data-testid="recipient-count" data-count=n.to_string()>{n}</b>" "
                        {move || i.t(K::WmPeople)}
                    </span>
                }.into_any(),
            }}
            {move || (calls() > 1).then(|| view! {
                <span class="muted small" data-testid="recipient-calls">{fill(i.t(K::WmSplitCalls), "n", &calls().to_string())}</span>
            })}
            <span class="muted small">{move || i.t(K::WmCountNote)}</span>
        </div>
    }
}
