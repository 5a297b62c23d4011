//! WeCom (企业微信) app features, tabs of [`crate::accounts::AccountSection`] for
//! `AccountKind::WorkApp`: contacts, app messages, the app menu.

pub mod contacts;
pub mod menus;
pub mod messages;
pub mod overview;
pub mod suite;
