//! The router and the console shell (sidebar, header, content).

use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::accounts::{AccountCreatePage, AccountDetailPage, AccountEditPage, AccountsPage};
use crate::api_client;
use crate::audit::AuditPage;
use crate::auth::session::Gate;
use crate::auth::{LoginPage, PasswordPage, Session, use_session};
use crate::components::{
    Brand, LangSwitch, LoadingState, LogoutButton, NotFoundPage, RoleBadge, SysInfo, ToastHost,
    Toasts, icons,
};
use crate::i18n::{I18n, K, use_i18n};
use crate::messages::{MessagesPage, inspector::InspectorPage};
use crate::oa::{FollowerDetailPage, FollowersPage, MassPage, TagsPage};
use crate::pay::{MerchantPayPage, OrderDetailPage, PayHomePage};
use crate::replies::RulesPage;
use crate::staff::StaffPage;
use crate::util;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(util::stored_lang().unwrap_or_default());
    provide_context(I18n(lang));
    Toasts::provide();
    let session = Session::provide(lang);
    Effect::new(move |_| util::set_document_lang(lang.get()));
    api_client::set_auth_hook(move |code| match code {
        "unauthenticated" if session.me.get_untracked().is_some() => session.sign_out(),
        "password_change_required" => session.me.update(|me| {
            if let Some(me) = me {
                me.must_change_password = true;
            }
        }),
        _ => {}
    });

    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/password") view=PasswordPage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=|| view! { <Redirect path="/accounts" /> } />
                    <Route path=path!("accounts") view=AccountsPage />
                    <Route path=path!("accounts/new") view=AccountCreatePage />
                    <Route path=path!("accounts/:id") view=AccountDetailPage />
                    <Route path=path!("accounts/:id/edit") view=AccountEditPage />
                    <Route path=path!("accounts/:id/rules") view=RulesPage />
                    <Route path=path!("accounts/:id/messages") view=MessagesPage />
                    <Route path=path!("accounts/:id/inspector") view=InspectorPage />
                    <Route path=path!("accounts/:id/menus") view=crate::oa::MenusPage />
                    <Route path=path!("accounts/:id/materials") view=crate::oa::MaterialsPage />
                    <Route path=path!("accounts/:id/qrcodes") view=crate::oa::QrCodesPage />
                    <Route path=path!("accounts/:id/kf") view=crate::oa::KfPage />
                    <Route path=path!("accounts/:id/qrcodes/:qr_id") view=crate::oa::QrCodeDetailPage />
                    <Route path=path!("accounts/:id/drafts") view=crate::oa::DraftsPage />
                    <Route path=path!("accounts/:id/drafts/new") view=crate::oa::DraftNewPage />
                    <Route path=path!("accounts/:id/drafts/:draft_id") view=crate::oa::DraftEditPage />
                    <Route path=path!("pay") view=PayHomePage />
                    <Route path=path!("pay/orders/:id") view=OrderDetailPage />
                    <Route path=path!("pay/:id") view=MerchantPayPage />
                    <Route path=path!("accounts/:id/followers") view=FollowersPage />
                    <Route path=path!("accounts/:id/followers/:openid") view=FollowerDetailPage />
                    <Route path=path!("accounts/:id/tags") view=TagsPage />
                    <Route path=path!("accounts/:id/mass") view=MassPage />
                    <Route path=path!("accounts/:id/send") view=crate::wecom::messages::SendPage />
                    <Route path=path!("accounts/:id/contacts") view=crate::wecom::contacts::ContactsPage />
                    <Route path=path!("accounts/:id/corps") view=crate::wecom::suite::SuiteCorpsPage />
                    <Route path=path!("accounts/:id/provider") view=crate::wecom::suite::provider::SuiteProviderPage />
                    <Route path=path!("accounts/:id/templates") view=crate::oa::TemplatesPage />
                    <Route path=path!("accounts/:id/templates/jobs/:job_id") view=crate::oa::TemplateJobPage />
                    <Route path=path!("staff") view=StaffPage />
                    <Route path=path!("audit") view=AuditPage />
                </ParentRoute>
            </Routes>
            <ToastHost />
        </Router>
    }
}

/// Signed-in pages: guards, then the sidebar + header layout around the page.
#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let gate = Memo::new(move |_| session.gate());
    let location = use_location();
    move || match gate.get() {
        Gate::Loading => view! { <div class="page-center"><LoadingState /></div> }.into_any(),
        Gate::SignedOut => {
            let here = location.pathname.get_untracked();
            let target = if here == "/" || here.is_empty() || here.starts_with("/login") {
                "/login".to_string()
            } else {
                format!("/login?next={}", api_client::enc(&here))
            };
            view! { <Redirect path=target /> }.into_any()
        }
        Gate::MustChangePassword => view! { <Redirect path="/password" /> }.into_any(),
        Gate::SignedIn => view! { <Layout /> }.into_any(),
    }
}

#[component]
fn Layout() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let location = use_location();
    let nav_open = RwSignal::new(false);
    // Close the phone drawer whenever the page changes.
    Effect::new(move |_| {
        location.pathname.track();
        nav_open.set(false);
    });
    let is_admin = Memo::new(move |_| session.allows(Role::Admin));
    let info = SysInfo(RwSignal::new(None));
    provide_context(info);
    spawn_local(async move {
        if let Ok(i) = api_client::system_info().await {
            let _ = info.0.try_set(Some(i));
        }
    });
    let role = Memo::new(move |_| session.role());

    view! {
        <div class="shell" class:nav-open=move || nav_open.get()>
            <aside class="sidebar">
                <div class="sidebar-head">
                    <A href="/accounts" attr:class="brand-link">
                        <Brand />
                    </A>
                    <button
                        type="button"
                        class="icon-btn sidebar-close"
                        aria-label=move || i.t(K::CloseMenu)
                        on:click=move |_| nav_open.set(false)
                    >
                        {icons::close()}
                    </button>
                </div>
                <nav class="nav">
                    <div class="nav-section">{move || i.t(K::NavSectionOperate)}</div>
                    <A href="/accounts" attr:class="nav-link" attr:data-testid="nav-accounts">
                        {icons::accounts()}
                        <span>{move || i.t(K::NavAccounts)}</span>
                    </A>
                    <A href="/pay" attr:class="nav-link" attr:data-testid="nav-pay">
                        {icons::pay()}
                        <span>{move || i.t(K::NavPay)}</span>
                    </A>
                    <Show when=move || is_admin.get()>
                        <div class="nav-section">{move || i.t(K::NavSectionAdmin)}</div>
                        <A href="/staff" attr:class="nav-link" attr:data-testid="nav-staff">
                            {icons::staff()}
                            <span>{move || i.t(K::NavStaff)}</span>
                        </A>
                        <A href="/audit" attr:class="nav-link" attr:data-testid="nav-audit">
                            {icons::audit()}
                            <span>{move || i.t(K::NavAudit)}</span>
                        </A>
                    </Show>
                </nav>
                <div class="sidebar-foot">
                    <A href="/password" attr:class="nav-link nav-link-quiet">
                        {icons::key()}
                        <span>{move || i.t(K::ChangePassword)}</span>
                    </A>
                    {move || {
                        info.0
                            .with(|v| v.as_ref().map(|v| format!("wxportal v{}", v.version)))
                            .map(|text| view! { <div class="version">{text}</div> })
                    }}
                </div>
            </aside>
            <div class="backdrop" on:click=move |_| nav_open.set(false)></div>
            <div class="main">
                <header class="topbar">
                    <button
                        type="button"
                        class="icon-btn menu-btn"
                        aria-label=move || i.t(K::Menu)
                        on:click=move |_| nav_open.update(|o| *o = !*o)
                    >
                        {icons::menu()}
                    </button>
                    <span class="topbar-brand">
                        <A href="/accounts" attr:class="brand-link">
                            <span class="brand-mark" aria-hidden="true">"wx"</span>
                        </A>
                    </span>
                    <div class="spacer"></div>
                    <LangSwitch />
                    <div class="user-chip">
                        <span class="avatar" aria-hidden="true">
                            {move || session.username().chars().next().unwrap_or('?').to_uppercase().to_string()}
                        </span>
                        <span class="user-name" data-testid="current-user">
                            {move || session.username()}
                        </span>
                        {move || role.get().map(|r| view! { <span class="hide-sm"><RoleBadge role=r /></span> })}
                    </div>
                    <LogoutButton />
                </header>
                <main class="content">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}
