//! Official Account (公众号) features, one module each, mirroring `wechat::client::oa` and
//! `sim::oa`: followers with their tags and groups, custom menus, materials, and article drafts.
//! Cross-cutting pieces an Official Account shares with other kinds (callbacks, reply rules,
//! the message log) live beside this folder, not in it.

pub mod drafts;
pub mod followers;
pub mod kf;
pub mod mass;
pub mod materials;
pub mod menus;
pub mod qrcodes;
pub mod templates;
pub mod web;
