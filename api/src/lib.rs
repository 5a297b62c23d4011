//! Types that cross the wire between the wxportal server and its SPA.
//!
//! Only `serde` is allowed here so the crate builds for wasm and stays cheap to compile; the
//! `schema` feature (the server turns it on, the SPA does not) derives `schemars::JsonSchema` on the
//! wire types for the OpenAPI document.
//! Validation rules live here too, so the browser shows the very message the server would return.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod drafts;
pub mod error;
pub mod followers;
pub mod html;
pub mod i18n;
pub mod kf;
pub mod mass;
pub mod materials;
pub mod menus;
pub mod messages;
pub mod page;
pub mod password_strength;
pub mod pay;
pub mod qrcodes;
pub mod replies;
pub mod sandbox;
pub mod staff;
pub mod system;
pub mod templates;
pub mod validate;
pub mod wecom_contacts;
pub mod wecom_extattr;
pub mod wecom_managed;
pub mod wecom_message_drafts;
pub mod wecom_messages;
pub mod wecom_overview;
pub mod wecom_suite;
pub mod wecom_suite_provider;

pub use error::{ApiError, ErrorBody, FieldIssue};
pub use i18n::Lang;
pub use page::{Page, PageQuery};
