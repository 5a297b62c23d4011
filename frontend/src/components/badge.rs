//! Small coloured labels.

use api::accounts::WechatEnv;
use api::staff::Role;
use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Green,
    Blue,
    Orange,
    Red,
    Purple,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "badge",
            Tone::Green => "badge badge-green",
            Tone::Blue => "badge badge-blue",
            Tone::Orange => "badge badge-orange",
            Tone::Red => "badge badge-red",
            Tone::Purple => "badge badge-purple",
        }
    }
}

/// A badge whose text follows the UI language.
#[component]
pub fn Badge(tone: Tone, text: K) -> impl IntoView {
    let i = use_i18n();
    view! { <span class=tone.class()>{move || i.t(text)}</span> }
}

/// 生产 / 沙箱. Sandbox is loud on purpose.
#[component]
pub fn EnvBadge(env: WechatEnv) -> impl IntoView {
    let i = use_i18n();
    match env {
        WechatEnv::Production => view! {
            <span class="badge badge-green" data-env="production">
                <span class="dot"></span>
                {move || i.t(K::EnvProduction)}
            </span>
        }
        .into_any(),
        WechatEnv::Sandbox => view! {
            <span class="badge badge-orange badge-sandbox" data-env="sandbox" data-testid="sandbox-badge">
                <span class="dot"></span>
                {move || i.t(K::EnvSandbox)}
            </span>
        }
        .into_any(),
    }
}

pub fn role_key(role: Role) -> K {
    match role {
        Role::Admin => K::RoleAdmin,
        Role::Operator => K::RoleOperator,
        Role::Viewer => K::RoleViewer,
    }
}

pub fn role_desc_key(role: Role) -> K {
    match role {
        Role::Admin => K::RoleAdminDesc,
        Role::Operator => K::RoleOperatorDesc,
        Role::Viewer => K::RoleViewerDesc,
    }
}

#[component]
pub fn RoleBadge(role: Role) -> impl IntoView {
    let tone = match role {
        Role::Admin => Tone::Purple,
        Role::Operator => Tone::Blue,
        Role::Viewer => Tone::Neutral,
    };
    view! { <Badge tone=tone text=role_key(role) /> }
}
