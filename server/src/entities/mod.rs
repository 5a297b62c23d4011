//! sea-orm entities, one per table of the `migrations` chain.

pub mod account;
pub mod account_secret;
pub mod audit_log;
pub mod login_failure;
pub mod session;
pub mod staff_user;
