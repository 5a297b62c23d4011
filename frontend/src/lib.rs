//! wxportal's admin SPA: Leptos, client-side rendered, mounted to `<body>`.
//!
//! Layout, following the server's product grouping:
//! - `app`: the router and the signed-in shell (sidebar, top bar); nothing else imports it.
//! - `components`: pieces every page uses: the chrome (page header, not-found, …), the list kit
//!   and the form-input set.
//! - `api_client`: the fetch helpers and the auth/system calls; every feature calls the server
//!   through its own `api` module of typed functions (`oa::followers::api::list`, …).
//! - features: `oa` (Official Account: followers, menus, materials, drafts), `wecom` (WeCom
//!   apps: contacts, messages, menus), `pay`, and the
//!   cross-cutting `accounts`, `auth`, `staff`, `audit`, `replies`, `messages`, `sandbox`.

pub mod accounts;
pub mod api_client;
pub mod app;
pub mod audit;
pub mod auth;
pub mod components;
pub mod i18n;
pub mod messages;
pub mod oa;
pub mod pay;
pub mod replies;
pub mod sandbox;
pub mod staff;
pub mod util;
pub mod wecom;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
