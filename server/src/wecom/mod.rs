//! WeCom (企业微信) app and suite features, mirroring `wechat::client::{work,suite}` and
//! `sim::{work,suite}`: what a WeCom app's callbacks and a suite's instructions change in the
//! portal.
//!
//! - [`contacts`]: `change_contact` (from an app callback, or a suite instruction) recorded in
//!   `wecom_contact_changes` for the contacts feature;
//! - [`messages`]: app messages (发送消息): compose, the send log, retry and recall;
//! - [`suite`]: a third-party suite: its instructions (`suite_ticket` kept in the token store,
//!   installs, authorisation changes), the install link and page, the authorised corps.
//!
//! Cross-cutting pieces a WeCom app shares with other kinds (the callback gateway, reply rules,
//! the message log and its delivery through `message/send`) live beside this folder, not in it.

pub mod contacts;
pub mod menus;
pub mod messages;
pub mod overview;
pub mod suite;
