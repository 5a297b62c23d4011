//! wxportal server: an axum JSON API under `/api/`, the embedded SPA, and storage in SQLite,
//! PostgreSQL or MySQL/MariaDB through sea-orm.
//!
//! One module per capability, each owning its routes, handlers, service and queries:
//! [`auth`], [`staff`], [`accounts`], [`audit`], [`system`], [`health`], [`sandbox`],
//! [`oa`] (Official Account features), [`pay`].
//! [`wechat_clients`] builds per-account WeChat clients (base URLs from the account's
//! environment only, tokens shared through the database). Shared plumbing lives in [`http`]
//! (route table, access guard, extractors, CSRF, SPA, OpenAPI), [`error`], [`config`],
//! [`db`], [`vault`] and [`telemetry`]; [`startup`] puts it together.

#![forbid(unsafe_code)]
// The OpenAPI schema document is one large `json!` literal.
#![recursion_limit = "256"]

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod callback;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod health;
pub mod http;
pub mod inspector;
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

pub use config::Settings;
pub use startup::Application;
