//! Followers of an Official Account: the list with sync progress, filters and bulk tagging
//! (`list`, with the QR-code filter of `qr_filter`), one follower (`detail`), tags and legacy groups with drift (`tags`).

pub mod api;
pub mod detail;
pub mod list;
mod qr_filter;
mod row;
pub mod tags;
pub mod templates;

use crate::i18n::{K, use_i18n};
use leptos::prelude::*;

pub use detail::FollowerDetailPage;
pub use list::FollowersPage;
pub use tags::TagsPage;

/// The label of a `subscribe_scene` value.
pub fn scene_key(scene: &str) -> Option<K> {
    Some(match scene {
        "ADD_SCENE_SEARCH" => K::SceneSearch,
        "ADD_SCENE_QR_CODE" => K::SceneQrCode,
        "ADD_SCENE_OTHERS" => K::SceneOthers,
        "ADD_SCENE_ACCOUNT_MIGRATION" => K::SceneMigration,
        "ADD_SCENE_PROFILE_CARD" => K::SceneProfileCard,
        "ADD_SCENE_PROFILE_LINK" => K::SceneProfileLink,
        "ADD_SCENE_PROFILE_ITEM" => K::SceneProfileItem,
        "ADD_SCENE_PAID" => K::ScenePaid,
        "ADD_SCENE_WECHAT_ADVERTISEMENT" => K::SceneAd,
        "ADD_SCENE_REPRINT" => K::SceneReprint,
        "ADD_SCENE_LIVESTREAM" => K::SceneLive,
        "ADD_SCENE_CHANNELS" => K::SceneChannels,
        _ => return None,
    })
}

/// Every scene WeChat documents, for the filter.
pub const SCENES: &[&str] = &[
    "ADD_SCENE_SEARCH",
    "ADD_SCENE_QR_CODE",
    "ADD_SCENE_ACCOUNT_MIGRATION",
    "ADD_SCENE_PROFILE_CARD",
    "ADD_SCENE_PROFILE_LINK",
    "ADD_SCENE_PROFILE_ITEM",
    "ADD_SCENE_PAID",
    "ADD_SCENE_WECHAT_ADVERTISEMENT",
    "ADD_SCENE_REPRINT",
    "ADD_SCENE_LIVESTREAM",
    "ADD_SCENE_CHANNELS",
    "ADD_SCENE_OTHERS",
];

/// A scene as text in the current language (the raw value when unknown).
pub fn scene_text(scene: &str) -> Signal<String> {
    let i = use_i18n();
    let scene = scene.to_string();
    Signal::derive(move || match scene_key(&scene) {
        Some(k) => i.t(k).to_string(),
        None => scene.clone(),
    })
}
