//! Official Account features (tabs of [`AccountSection`]): followers with tags and groups, the
//! menu editor, the material library, article drafts, mass sends and template messages.

pub mod drafts;
pub mod followers;
pub mod kf;
pub mod mass;
pub mod materials;
pub mod menus;
pub mod qrcodes;
pub mod templates;

use api::accounts::{Account, AccountKind};
use leptos::prelude::*;

use crate::accounts::{AccountSection, AccountTab};
use crate::components::EmptyState;
use crate::i18n::K;

pub use drafts::{DraftEditPage, DraftNewPage, DraftsPage};
pub use followers::{FollowerDetailPage, FollowersPage, TagsPage};
pub use kf::KfPage;
pub use mass::MassPage;
pub use materials::{MaterialPicker, MaterialsPage};
pub use menus::MenusPage;
pub use qrcodes::{QrCodeDetailPage, QrCodesPage};
pub use templates::{TemplateJobPage, TemplatesPage};

/// The section frame for `tab`; accounts that are not Official Accounts get a clear note.
#[component]
pub fn AccountPage(tab: AccountTab, render: fn(Account) -> AnyView) -> impl IntoView {
    view! {
        <AccountSection
            tab=tab
            render=move |account: Account| {
                if account.kind == AccountKind::OfficialAccount {
                    render(account)
                } else {
                    view! {
                        <div class="card">
                            <EmptyState title=K::NotOfficialAccount body=K::NotOfficialAccount />
                        </div>
                    }
                        .into_any()
                }
            }
        />
    }
}
