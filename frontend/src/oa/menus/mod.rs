//! `/accounts/:id/menus`: the menu editor (phone-style preview, 3×5 buttons, drag or arrow
//! buttons to reorder, per-type fields checked inline with WeChat's rules), publish with the
//! console warning, versions with diff and rollback, conditional menus and "preview as
//! follower".

pub mod api;
pub(crate) mod button_form;
mod conditional;
mod editor;
mod links;
pub(crate) mod phone;
pub(crate) mod versions;

use ::api::accounts::{Account, AccountKind};
use ::api::menus::{self, MenuButton, VersionSource};
use leptos::prelude::*;

use self::api as menus_api;
use crate::accounts::{AccountSection, AccountTab};
use crate::components::{EmptyState, ErrorState, LoadingState, reload};
use crate::i18n::{K, use_i18n};
use editor::MenuEditor;
use links::FollowerLinks;

/// Where a button sits: top index and optional sub index.
pub(crate) type Pos = (usize, Option<usize>);

fn type_key(t: &str) -> K {
    match t {
        "view" => K::TypeView,
        "scancode_push" => K::TypeScanPush,
        "scancode_waitmsg" => K::TypeScanWait,
        "pic_sysphoto" => K::TypePicSys,
        "pic_photo_or_album" => K::TypePicAlbum,
        "pic_weixin" => K::TypePicWeixin,
        "location_select" => K::TypeLocation,
        "media_id" => K::TypeMedia,
        "article_id" => K::TypeArticle,
        "article_view_limited" => K::TypeArticleLimited,
        "miniprogram" => K::TypeMiniprogram,
        _ => K::TypeClick,
    }
}

fn source_key(s: VersionSource) -> (K, &'static str) {
    match s {
        VersionSource::Published => (K::SourcePublished, "badge badge-green"),
        VersionSource::Imported => (K::SourceImported, "badge badge-blue"),
        VersionSource::Rollback => (K::SourceRollback, "badge badge-orange"),
        VersionSource::Deleted => (K::SourceDeleted, "badge badge-red"),
    }
}

fn path_of(pos: Pos) -> String {
    menus::button_path(pos.0, pos.1)
}

fn get_button(list: &[MenuButton], pos: Pos) -> Option<MenuButton> {
    let top = list.get(pos.0)?;
    match pos.1 {
        None => Some(top.clone()),
        Some(s) => top.sub_button.get(s).cloned(),
    }
}

fn with_button(list: &mut [MenuButton], pos: Pos, f: impl FnOnce(&mut MenuButton)) {
    if let Some(top) = list.get_mut(pos.0) {
        match pos.1 {
            None => f(top),
            Some(s) => {
                if let Some(b) = top.sub_button.get_mut(s) {
                    f(b)
                }
            }
        }
    }
}

/// Moves the button at `from` to `to` (same level; sub-buttons within their parent).
fn move_button(list: &mut Vec<MenuButton>, from: Pos, to: Pos) {
    match (from, to) {
        ((a, None), (b, None)) if a < list.len() && b < list.len() => {
            let x = list.remove(a);
            list.insert(b, x);
        }
        ((p, Some(a)), (q, Some(b))) if p == q && p < list.len() => {
            let subs = &mut list[p].sub_button;
            if a < subs.len() && b < subs.len() {
                let x = subs.remove(a);
                subs.insert(b, x);
            }
        }
        _ => {}
    }
}

/// Official Accounts get this editor; a WeCom app gets its own (`wecom::menus`), which
/// shares the phone, the button form and the versions.
#[component]
pub fn MenusPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Menus
            render=|a: Account| match a.kind {
                AccountKind::OfficialAccount => view! { <MenusLoader account=a /> }.into_any(),
                AccountKind::WorkApp => view! { <crate::wecom::menus::WecomMenus account=a /> }.into_any(),
                _ => view! {
                    <div class="card">
                        <EmptyState title=K::NotOfficialAccount body=K::NotOfficialAccount />
                    </div>
                }
                    .into_any(),
            }
        />
    }
}

#[component]
fn MenusLoader(account: Account) -> impl IntoView {
    let i = use_i18n();
    let id = account.id;
    let data = LocalResource::new(move || async move { menus_api::overview(id).await });
    view! {
        <FollowerLinks account=account />
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card"><ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /></div>
            }
                .into_any(),
            Some(Ok(o)) => view! { <MenuEditor id=id overview=o /> }.into_any(),
        }}
    }
}
