//! wxportal's admin SPA: Leptos, client-side rendered, mounted to `<body>`.

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

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
