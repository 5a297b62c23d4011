//! WeCom app features (tabs of an account's section for `AccountKind::WorkApp`).

pub mod menus;
pub mod messages;
