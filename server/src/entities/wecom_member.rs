use sea_orm::entity::prelude::*;

/// A member of a WeCom app's corp, mirrored. `restricted`: WeCom withheld mobile, email,
/// gender and telephone from the reading secret (apps created after 2022-06-20), so those are
/// unknown rather than empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub userid: String,
    pub name: String,
    pub alias: String,
    pub position: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub gender: Option<String>,
    pub telephone: Option<String>,
    pub restricted: bool,
    /// WeCom's status: 1 active, 2 disabled, 4 not yet activated, 5 quit.
    pub status: i32,
    pub enabled: bool,
    pub main_department: i64,
    /// Extended attributes (扩展属性) as WeCom returned them: a JSON list of
    /// `api::wecom_extattr::ExtAttr`; null when never read.
    #[sea_orm(column_type = "Text", nullable)]
    pub extattr: Option<String>,
    /// The full sync that last stored the member (a resumed run skips those it stored).
    pub sync_job_id: Option<i64>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
