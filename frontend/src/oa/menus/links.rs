//! The address staff put in a menu `view` button to open the follower's "my orders / pay" page
//! (`/oa/{id}/orders`, served by the portal itself), with a copy button.

use ::api::accounts::Account;
use leptos::prelude::*;

use crate::components::CopyButton;
use crate::i18n::{K, use_i18n};

/// The portal's public address: the account's callback URL is `{public_url}/wx/{id}`.
fn orders_page_url(account: &Account) -> Option<String> {
    let callback = account.callback_url.as_deref()?;
    let base = callback.strip_suffix(&format!("/wx/{}", account.id))?;
    Some(format!("{base}/oa/{}/orders", account.id))
}

#[component]
pub fn FollowerLinks(account: Account) -> impl IntoView {
    let i = use_i18n();
    orders_page_url(&account).map(|url| {
        let copy = url.clone();
        view! {
            <section class="card" data-testid="menu-follower-links">
                <h3 class="section-title">{move || i.t(K::MenuFollowerPages)}</h3>
                <dl>
                    <div class="kv">
                        <dt>{move || i.t(K::MenuOrdersLink)}</dt>
                        <dd class="copy-line">
                            <code class="copy-value" data-testid="menu-orders-url">{url}</code>
                            <CopyButton text=Signal::derive(move || copy.clone()) testid="copy-menu-orders-url" />
                        </dd>
                    </div>
                </dl>
                <p class="muted small">{move || i.t(K::MenuOrdersLinkHint)}</p>
            </section>
        }
    })
}
