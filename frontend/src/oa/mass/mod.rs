//! `/accounts/:id/mass`: mass sends (群发) — the compose form with target, preview and
//! schedule (`compose`), WeChat's quota, the job list with MASSSENDJOBFINISH counts
//! (`jobs`), and WeChat's send speed (`speed`). Operators send; viewers see the list.

pub mod api;
mod compose;
mod jobs;
mod speed;

use ::api::staff::Role;
use leptos::prelude::*;

use crate::accounts::section::AccountTab;
use crate::auth::use_session;
use crate::i18n::{K, use_i18n};
use crate::oa::AccountPage;
use crate::util;

#[component]
pub fn MassPage() -> impl IntoView {
    view! {
        <AccountPage
            tab=AccountTab::Mass
            render=|account| view! { <Mass id=account.id /> }.into_any()
        />
    }
}

#[component]
fn Mass(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_send = Memo::new(move |_| session.allows(Role::Operator));
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::MassTitle))));
    // Bumped after a send, a cancel or a delete so the quota and the list reload.
    let version = RwSignal::new(0u32);
    view! {
        <p class="muted section-intro">{move || i.t(K::MassSubtitle)}</p>
        <Show when=move || can_send.get()>
            <compose::Compose id=id version=version />
        </Show>
        <jobs::Jobs id=id version=version />
        <speed::Speed id=id can_edit=can_send />
    }
}
