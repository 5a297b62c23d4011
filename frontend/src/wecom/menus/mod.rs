//! `/accounts/:id/menus` for a WeCom app: the app's menu (`menu/create|get|delete?agentid=`)
//! in the same phone editor staff know from Official Account menus, offering only the button
//! types WeCom takes and checking WeCom's rules; draft, publish, import, delete and versions
//! with rollback go through the shared menu API, which calls WeCom for this account.

mod editor;

use api::accounts::{Account, AccountSettings};
use leptos::prelude::*;

use crate::components::{ErrorState, LoadingState, reload};
use crate::i18n::use_i18n;
use crate::oa::menus::api as menus_api;
use editor::WecomMenuEditor;

#[component]
pub fn WecomMenus(account: Account) -> AnyView {
    let i = use_i18n();
    let id = account.id;
    let agent_id = match &account.settings {
        AccountSettings::WorkApp(w) => Some(w.agent_id),
        _ => None,
    };
    if matches!(&account.settings, AccountSettings::WorkApp(w) if w.suite_corp.is_some()) {
        // A third-party (suite) app cannot call menu/*.
        return view! { <crate::wecom::suite::managed::NoMenus /> }.into_any();
    }
    let data = LocalResource::new(move || async move { menus_api::overview(id).await });
    view! {
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card"><ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /></div>
            }
                .into_any(),
            Some(Ok(o)) => view! { <WecomMenuEditor id=id agent_id=agent_id overview=o /> }.into_any(),
        }}
    }
    .into_any()
}
