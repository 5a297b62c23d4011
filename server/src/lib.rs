//! wxportal server: an axum JSON API under `/api/`, the WeChat-facing endpoints (`/wx/*`,
//! `/pay/*`), the embedded SPA, and storage in SQLite, PostgreSQL or MySQL/MariaDB through
//! sea-orm.
//!
//! Features, one module or folder each, owning its routes, handlers, service and queries:
//! - per account kind: [`oa`] (Official Accounts: followers, menus, materials, article drafts),
//!   [`wecom`] (WeCom apps and suites: contact changes, suite instructions), [`pay`] (WeChat Pay
//!   merchants: products, orders, notifications, refunds, bills, the dashboard);
//! - shared by the kinds: [`callback`] (the `/wx/{account_id}` gateway and the event dispatch
//!   the features register into), [`replies`] (auto-reply rules), [`messages`] (the message log,
//!   staff replies, the outbound delivery worker), [`inspector`] (callback deliveries, replays);
//! - the portal itself: [`auth`], [`staff`], [`accounts`], [`audit`], [`system`], [`health`],
//!   [`sandbox`] (the built-in WeChat emulator, `--sandbox`).
//!
//! Cross-cutting: [`wechat_clients`] builds per-account WeChat clients (base URLs from the
//! account's environment only, tokens shared through the database); [`http`] (route
//! declarations, access guard, extractors, CSRF, SPA, OpenAPI), [`error`], [`config`], [`db`],
//! [`entities`], [`state`], [`vault`], [`telemetry`] and [`util`]; [`startup`] puts it together.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod callback;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod group_commit;
pub mod health;
pub mod http;
pub mod inspector;
pub mod lazy_task;
pub mod messages;
pub mod oa;
pub mod pay;
pub mod replies;
pub mod sandbox;
pub mod staff;
pub mod startup;
pub mod state;
pub mod system;
pub mod telemetry;
pub mod util;
pub mod vault;
pub mod wechat_clients;
pub mod wecom;

pub use config::Settings;
pub use startup::Application;
