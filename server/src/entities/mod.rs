//! sea-orm entities, one per table of the `migrations` chain.

pub mod account;
pub mod account_secret;
pub mod audit_log;
pub mod callback_delivery;
pub mod callback_nonce;
pub mod follower;
pub mod follower_sync_job;
pub mod follower_sync_lease;
pub mod follower_tag;
pub mod inbound_message;
pub mod login_failure;
pub mod oa_group;
pub mod oa_tag;
pub mod outbound_message;
pub mod reply_rule;
pub mod sandbox_demo;
pub mod session;
pub mod staff_user;
pub mod wechat_job_event;
pub mod wechat_token;
pub mod wechat_token_fetch;
pub mod wechat_token_lease;
pub mod wecom_contact_change;
