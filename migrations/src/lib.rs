//! The one migration chain of the wxportal database.
//!
//! Every migration must run on SQLite, PostgreSQL and MySQL/MariaDB: bounded `String` columns
//! for anything indexed, `text` only for unindexed payloads, timestamps as
//! `timestamp with time zone` (decoded as UTC on all three), and no reliance on `RETURNING`.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20260101_000001_foundation;
mod m20260302_000001_callback_gateway;
mod m20260401_000001_pay;
mod m20260501_000001_wechat_tokens;
mod m20260601_000001_message_delivery;
mod m20260610_000001_followers;
mod m20260610_000001_oa_content;
mod m20260610_000001_pay_reconciliation;
mod m20260620_000001_follower_bulk_jobs;
mod m20261207_000001_wecom_contacts;
mod m20261207_000002_wecom_messages;
mod m20261207_000003_oa_mass_template;
mod m20261207_000004_oa_qr_kf;
mod m20261208_000001_inbound_handling;
mod m20261209_000001_wecom_message_drafts;
mod m20261209_000002_wecom_drift_checks;
mod m20261210_000001_draft_articles;
mod m20261210_000001_pay_orders_payer;
mod m20261210_000001_wecom_member_extattr;
mod m20261211_000001_wecom_suite_corps;
mod m20261212_000002_wecom_suite_logins;
mod m20261213_000001_config_epoch;
mod m20261213_000002_wecom_suite_licences;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_foundation::Migration),
            Box::new(m20260302_000001_callback_gateway::Migration),
            Box::new(m20260401_000001_pay::Migration),
            Box::new(m20260501_000001_wechat_tokens::Migration),
            Box::new(m20260601_000001_message_delivery::Migration),
            Box::new(m20260610_000001_followers::Migration),
            Box::new(m20260610_000001_oa_content::Migration),
            Box::new(m20260610_000001_pay_reconciliation::Migration),
            Box::new(m20260620_000001_follower_bulk_jobs::Migration),
            Box::new(m20261207_000001_wecom_contacts::Migration),
            Box::new(m20261207_000002_wecom_messages::Migration),
            Box::new(m20261207_000003_oa_mass_template::Migration),
            Box::new(m20261207_000004_oa_qr_kf::Migration),
            Box::new(m20261208_000001_inbound_handling::Migration),
            Box::new(m20261209_000001_wecom_message_drafts::Migration),
            Box::new(m20261209_000002_wecom_drift_checks::Migration),
            Box::new(m20261210_000001_wecom_member_extattr::Migration),
            Box::new(m20261211_000001_wecom_suite_corps::Migration),
            Box::new(m20261210_000001_draft_articles::Migration),
            Box::new(m20261210_000001_pay_orders_payer::Migration),
            Box::new(m20261212_000002_wecom_suite_logins::Migration),
            Box::new(m20261213_000001_config_epoch::Migration),
            Box::new(m20261213_000002_wecom_suite_licences::Migration),
        ]
    }
}
