//! The frame every per-account page shares: back link, the account's header (name, kind,
//! environment, edit/delete), the sandbox banner, and a tab bar of the account's sections.
//!
//! A section page is a route `/accounts/:id/<slug>` whose component renders
//! `<AccountSection tab=AccountTab::X render=|account| …/>`; the frame loads the account once
//! and hands it to `render`. To add a section: a variant in [`AccountTab`], its slug and label,
//! its place in [`AccountTab::for_kind`], and the route in `app.rs`.

use std::sync::Arc;

use api::accounts::{Account, AccountKind, AccountSettings, WechatEnv};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{identifier, kind_class, kind_key};
use crate::accounts::api as accounts_api;
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, EnvBadge, LoadingState, NotFound, TabStrip, error_card, icons, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

/// One section of an account's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountTab {
    /// Settings, callback URL, secrets, sandbox tools.
    Overview,
    /// Auto-reply rules, the editor and the simulator.
    Rules,
    /// The message log, conversations and staff replies.
    Messages,
    /// The callback inspector.
    Inspector,
    /// Official Accounts: the menu editor, versions, conditional menus; WeCom apps: the app menu.
    Menus,
    /// Official Accounts: permanent materials and temporary media.
    Materials,
    /// Official Accounts: article drafts and publishing.
    Drafts,
    /// Official Accounts: followers, sync, bulk tagging.
    Followers,
    /// Official Accounts: user tags, legacy groups, drift with WeChat.
    Tags,
    /// Official Accounts: parametric QR codes and their scans.
    QrCodes,
    /// Official Accounts: customer-service accounts.
    Kf,
    /// Official Accounts: mass sends (群发).
    Mass,
    /// WeCom apps: app messages (发送消息) and their send log.
    WecomSend,
    /// WeCom apps: the contacts mirror (通讯录): departments, members, tags, sync.
    Contacts,
    /// Official Accounts: template messages (模板消息).
    Templates,
    /// WeCom suites: the install link and the authorised corps (授权企业).
    SuiteCorps,
    /// WeCom suites: the provider login (服务商登录) and the provider check.
    SuiteProvider,
}

impl AccountTab {
    /// The path segment after `/accounts/:id` (empty for the overview).
    pub fn slug(self) -> &'static str {
        match self {
            AccountTab::Overview => "",
            AccountTab::Rules => "rules",
            AccountTab::Messages => "messages",
            AccountTab::Inspector => "inspector",
            AccountTab::Menus => "menus",
            AccountTab::Materials => "materials",
            AccountTab::Drafts => "drafts",
            AccountTab::Followers => "followers",
            AccountTab::Tags => "tags",
            AccountTab::QrCodes => "qrcodes",
            AccountTab::Kf => "kf",
            AccountTab::Mass => "mass",
            AccountTab::WecomSend => "send",
            AccountTab::Contacts => "contacts",
            AccountTab::Templates => "templates",
            AccountTab::SuiteCorps => "corps",
            AccountTab::SuiteProvider => "provider",
        }
    }

    pub fn label(self) -> K {
        match self {
            AccountTab::Overview => K::TabOverview,
            AccountTab::Rules => K::TabRules,
            AccountTab::Messages => K::TabMessages,
            AccountTab::Inspector => K::TabInspector,
            AccountTab::Menus => K::TabMenus,
            AccountTab::Materials => K::TabMaterials,
            AccountTab::Drafts => K::TabDrafts,
            AccountTab::Followers => K::TabFollowers,
            AccountTab::Tags => K::TabTags,
            AccountTab::QrCodes => K::TabQrCodes,
            AccountTab::Kf => K::TabKf,
            AccountTab::Mass => K::TabMass,
            AccountTab::WecomSend => K::TabWecomSend,
            AccountTab::Contacts => K::TabContacts,
            AccountTab::Templates => K::TabTemplates,
            AccountTab::SuiteCorps => K::TabSuiteCorps,
            AccountTab::SuiteProvider => K::TabSuiteProvider,
        }
    }

    /// The label on an account of `kind`: a WeCom app's menu is its 应用菜单 (App menu), an
    /// Official Account's its 自定义菜单.
    pub fn label_for(self, kind: AccountKind) -> K {
        match (self, kind) {
            (AccountTab::Menus, AccountKind::WorkApp) => K::TabAppMenu,
            _ => self.label(),
        }
    }

    /// The sections an account of this kind has, in tab order.
    pub fn for_kind(kind: AccountKind) -> Vec<AccountTab> {
        let mut tabs = vec![AccountTab::Overview];
        match kind {
            AccountKind::OfficialAccount => tabs.extend([
                AccountTab::Followers,
                AccountTab::Tags,
                AccountTab::Mass,
                AccountTab::Templates,
                AccountTab::Rules,
                AccountTab::Messages,
                AccountTab::Kf,
                AccountTab::Menus,
                AccountTab::Materials,
                AccountTab::Drafts,
                AccountTab::QrCodes,
                AccountTab::Inspector,
            ]),
            AccountKind::WorkApp => tabs.extend([
                AccountTab::Contacts,
                AccountTab::WecomSend,
                AccountTab::Rules,
                AccountTab::Messages,
                AccountTab::Menus,
                AccountTab::Inspector,
            ]),
            AccountKind::PayMerchant => {}
            AccountKind::WorkSuite => tabs.extend([
                AccountTab::SuiteCorps,
                AccountTab::SuiteProvider,
                AccountTab::Inspector,
            ]),
        }
        tabs.dedup();
        tabs
    }

    pub fn href(self, id: i64) -> String {
        match self.slug() {
            "" => format!("/accounts/{id}"),
            slug => format!("/accounts/{id}/{slug}"),
        }
    }

    pub fn testid(self) -> String {
        match self.slug() {
            "" => "tab-overview".to_string(),
            slug => format!("tab-{slug}"),
        }
    }
}

/// The account id in the current route (`/accounts/:id/…`).
pub fn use_account_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())))
}

/// Loads the account of the route and renders the frame around `render(account)`.
#[component]
pub fn AccountSection<F>(tab: AccountTab, render: F) -> impl IntoView
where
    F: Fn(Account) -> AnyView + Send + Sync + 'static,
{
    let i = use_i18n();
    let id = use_account_id();
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => accounts_api::get_one(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let render = Arc::new(render);
    view! {
        <A href="/accounts" attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::NavAccounts)}</span>
        </A>
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Ok(None)) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => error_card(e, data),
            Some(Ok(Some(account))) => {
                let body = render(account.clone());
                view! {
                    <AccountHeader account=account tab=tab />
                    <div class="account-section" data-testid=format!("section-{}", tab.testid())>
                        {body}
                    </div>
                }
                    .into_any()
            }
        }}
    }
}

/// Name, kind, environment, edit/delete, sandbox banner and the tab bar.
#[component]
fn AccountHeader(account: Account, tab: AccountTab) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let can_delete = Memo::new(move |_| session.allows(Role::Admin));
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let id = account.id;
    let name = account.name.clone();
    let kind = account.kind;
    Effect::new({
        let name = name.clone();
        move |_| {
            let section = if tab == AccountTab::Overview {
                String::new()
            } else {
                format!("{} · ", i.t(tab.label_for(kind)))
            };
            util::set_title(&format!(
                "{section}{name} · {} · wxportal",
                i.t(K::NavAccounts)
            ))
        }
    });

    let on_delete = Callback::new(move |()| {
        deleting.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match accounts_api::remove(id).await {
                Ok(()) => {
                    confirm_open.set(false);
                    toasts.success(i.now(K::AccountDeleted));
                    navigate("/accounts", NavigateOptions::default());
                }
                Err(e) => {
                    deleting.set(false);
                    confirm_open.set(false);
                    toasts.error(e.message(i.lang_now()));
                }
            }
        });
    });

    let sandbox = account.environment == WechatEnv::Sandbox;
    let managed =
        matches!(&account.settings, AccountSettings::WorkApp(w) if w.suite_corp.is_some());
    let ident = identifier(&account);
    let name_for_dialog = name.clone();
    let tabs = AccountTab::for_kind(kind);
    let show_tabs = tabs.len() > 1;

    view! {
        <div class="detail-header card">
            <div class="detail-title">
                <span class=format!("kind-icon {}", kind_class(kind))>{icons::accounts()}</span>
                <div>
                    <h1 data-testid="account-name">{name.clone()}</h1>
                    <div class="detail-meta">
                        <span class=kind_class(kind)>{move || i.t(kind_key(kind))}</span>
                        <EnvBadge env=account.environment />
                        <span class="mono muted">{ident}</span>
                    </div>
                </div>
            </div>
            <div class="page-actions">
                {(kind == AccountKind::PayMerchant)
                    .then(|| {
                        view! {
                            <A href=format!("/pay/{id}") attr:class="btn btn-primary" attr:data-testid="account-open-pay">
                                {icons::pay()}
                                <span>{move || i.t(K::OpenPayConsole)}</span>
                            </A>
                        }
                    })}
                <Show when=move || can_edit.get()>
                    <A href=format!("/accounts/{id}/edit") attr:class="btn" attr:data-testid="account-edit">
                        {icons::edit()}
                        <span>{move || i.t(K::Edit)}</span>
                    </A>
                </Show>
                <Show when=move || can_delete.get()>
                    <button
                        type="button"
                        class="btn btn-danger-outline"
                        data-testid="account-delete"
                        on:click=move |_| confirm_open.set(true)
                    >
                        {icons::trash()}
                        <span>{move || i.t(K::Delete)}</span>
                    </button>
                </Show>
            </div>
        </div>
        {show_tabs
            .then(|| {
                view! {
                    <TabStrip testid="account-tabs" label=Signal::derive(move || i.t(K::AccountSections).to_string())>
                        {tabs
                            .into_iter()
                            .map(|t| {
                                let current = t == tab;
                                view! {
                                    <A
                                        href=t.href(id)
                                        attr:class=if current { "tab tab-current" } else { "tab" }
                                        attr:aria-current=current.then_some("page")
                                        attr:data-testid=t.testid()
                                    >
                                        {move || i.t(t.label_for(kind))}
                                    </A>
                                }
                            })
                            .collect_view()}
                    </TabStrip>
                }
            })}
        {sandbox
            .then(|| {
                view! {
                    <div class="alert alert-sandbox">
                        {icons::flask()}
                        <span>{move || i.t(K::SandboxBanner)}</span>
                    </div>
                }
            })}
        {managed.then(|| view! { <crate::wecom::suite::managed::ManagedBanner account_id=id /> })}
        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(move || i.t(K::DeleteAccountTitle).to_string())
            body=Signal::derive(move || fill(i.t(K::DeleteAccountBody), "name", &name_for_dialog))
            confirm_label=K::Delete
            busy_label=K::Deleting
            busy=deleting
            on_confirm=on_delete
        />
    }
}
