//! Shared application state handed to every handler.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::passwords::Passwords, config::Settings, vault::Vault, wechat_clients::WechatRuntime,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub vault: Arc<Vault>,
    pub passwords: Passwords,
    /// WeChat clients' HTTP cores and token managers, and the sandbox when running.
    pub wechat: WechatRuntime,
    /// The callback gateway's per-instance memory: configuration cache and nonce window.
    pub callbacks: crate::callback::Memory,
    /// The one writer that batches the hot paths' small transactions (new callbacks, payment
    /// notifications) into shared commits.
    pub writer: crate::group_commit::GroupCommit,
    /// Rendered public product pages of this instance.
    pub product_pages: crate::pay::page_cache::PageCache,
    /// Recent counts of subscribed followers, reused while a sync runs.
    pub subscribed_counts: crate::oa::followers::sync::SubscribedCounts,
}
