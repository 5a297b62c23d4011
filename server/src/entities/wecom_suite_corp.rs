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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
