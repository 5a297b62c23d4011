//! An authorised corp operated through the WeCom pages: the 管理 button of the 授权企业 list
//! (opens, or creates once, the corp's WeCom-app account and goes to its contacts), the banner
//! those pages show (which suite, whether the corp still authorises it), and the notice the
//! app-menu tab shows instead of the editor (third-party apps cannot call `menu/*`).

use ::api::wecom_managed::ManagedCorp;
use ::api::wecom_suite::SuiteCorpState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::accounts::section::AccountTab;
use crate::api_client::{ClientError, get, send};
use crate::components::{Badge, EmptyState, Tone, use_toasts};
use crate::i18n::{K, fill, use_i18n};

pub async fn manage(suite: i64, corp: i64) -> Result<ManagedCorp, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{suite}/suite/corps/{corp}/manage"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn managed(account: i64) -> Result<ManagedCorp, ClientError> {
    get(&format!("/api/accounts/{account}/wecom/suite-corp")).await
}

/// 管理: open the corp in the WeCom pages (its contacts).
#[component]
pub fn ManageButton(suite: i64, corp: i64) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let open = move |_| {
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match manage(suite, corp).await {
                Ok(m) => navigate(&AccountTab::Contacts.href(m.account_id), Default::default()),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
            busy.set(false);
        });
    };
    view! {
        <button type="button" class="btn btn-small btn-primary" data-testid="suite-corp-manage"
            disabled=move || busy.get() on:click=open>
            {move || i.t(K::SuManage)}
        </button>
    }
}

/// Above every page of a managed corp: the suite it is operated through and its state.
#[component]
pub fn ManagedBanner(account_id: i64) -> impl IntoView {
    let i = use_i18n();
    let data = LocalResource::new(move || managed(account_id));
    move || {
        data.get().and_then(Result::ok).map(|m| {
            let revoked = m.corp.state != SuiteCorpState::Active;
            let (tone, key) = if revoked {
                (Tone::Neutral, K::SuStateRevoked)
            } else {
                (Tone::Green, K::SuStateActive)
            };
            let suite_name = m.suite_name.clone();
            let corp_name = m.corp.corp_name.clone();
            let text = move || {
                fill(
                    &fill(i.t(K::SuManagedBanner), "suite", &suite_name),
                    "corp",
                    &corp_name,
                )
            };
            let class = if revoked {
                "alert alert-error managed-banner"
            } else {
                "alert alert-info managed-banner"
            };
            view! {
                <div class=class role="status" data-testid="managed-corp-banner"
                    data-state=m.corp.state.as_str()>
                    <Badge tone=tone text=key />
                    " "
                    <span data-user-content>{text}</span>
                    " "
                    <A href=AccountTab::SuiteCorps.href(m.suite_account_id)>
                        {move || i.t(K::SuManagedOpenSuite)}
                    </A>
                    {revoked.then(|| view! {
                        <div class="small" data-testid="managed-corp-revoked">{move || i.t(K::ReasonSuiteCorpRevoked)}</div>
                    })}
                </div>
            }
        })
    }
}

/// The app-menu tab of a managed corp.
#[component]
pub fn NoMenus() -> impl IntoView {
    view! {
        <div class="card">
            <EmptyState title=K::SuNoMenusTitle body=K::SuNoMenusBody testid="managed-no-menus" />
        </div>
    }
}
