use sea_orm::entity::prelude::*;

/// A corp that authorised a WeCom third-party suite (`account_id` is the suite's account).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_suite_corps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub corpid: String,
    pub corp_name: String,
    pub corp_full_name: Option<String>,
    pub corp_logo_url: Option<String>,
    /// `Vec<api::wecom_suite::SuiteAgent>` as JSON.
    pub agents: String,
    pub installed_by: Option<String>,
    /// Sealed by the vault, bound to this row (`wecom_suite_corps` / id / `permanent_code`).
    pub permanent_code: String,
    /// `active` or `revoked` (`api::wecom_suite::SuiteCorpState`).
    pub state: String,
    pub authorized_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    /// `provider_link` or `market` (`api::wecom_suite::InstallOrigin`) of the latest install.
    pub install_origin: Option<String>,
    /// Interface licences (接口许可), `wecom::suite::licences`: `license_status`, the trial,
    /// the check time, active accounts by type, when read and the last read's failure.
    pub license_status: Option<i64>,
    pub license_trial_start: Option<TimeDateTimeWithTimeZone>,
    pub license_trial_end: Option<TimeDateTimeWithTimeZone>,
    pub license_check_time: Option<TimeDateTimeWithTimeZone>,
    pub license_basic: Option<i64>,
    pub license_external: Option<i64>,
    pub license_checked_at: Option<TimeDateTimeWithTimeZone>,
    pub license_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
