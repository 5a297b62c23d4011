use sea_orm::entity::prelude::*;

/// One nightly reconcile of a WeCom app's contacts mirror (`state`: `running` while an instance
/// holds the lease, `done` with the report, `failed` with the error).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_drift_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The Beijing date of the night, `YYYY-MM-DD`.
    pub day: String,
    pub state: String,
    pub lease_until: TimeDateTimeWithTimeZone,
    /// Claims of this night (1 when it ran once).
    pub attempts: i32,
    pub departments: i64,
    pub members: i64,
    pub tags: i64,
    pub differences: i64,
    /// `api::wecom_contacts::DriftReport` as JSON (`{}` until done).
    pub report: String,
    pub error: Option<String>,
    pub started_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
