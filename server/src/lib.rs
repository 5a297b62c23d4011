//! wxportal server: an axum JSON API under `/api/`, the embedded SPA, and storage in SQLite,
//! PostgreSQL or MySQL/MariaDB through sea-orm.
//!
//! One module per capability, each owning its routes, handlers, service and queries:
//! [`auth`], [`staff`], [`accounts`], [`audit`], [`system`], [`health`]. Shared plumbing lives in [`http`]
//! (route table, access guard, extractors, CSRF, SPA, OpenAPI), [`error`], [`config`],
//! [`db`], [`vault`] and [`telemetry`]; [`startup`] puts it together.

#![forbid(unsafe_code)]

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
pub mod pay;
pub mod replies;
pub mod staff;
pub mod startup;
pub mod state;
pub mod system;
pub mod telemetry;
pub mod util;
pub mod vault;

pub use config::Settings;
pub use startup::Application;
