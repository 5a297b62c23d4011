use sea_orm::entity::prelude::*;

/// A visit to a suite provider's login page: the auth code's SHA-256 (never the code), `state`
/// `pending` while WeCom is asked, then `ok` (who WeCom named) or `failed` (its errcode and
/// answer, the IP a 60020 named). `agents` is a JSON array of agent ids.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wecom_suite_logins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub code_hash: String,
    pub state: String,
    pub corpid: Option<String>,
    pub usertype: Option<i64>,
    pub userid: Option<String>,
    pub open_userid: Option<String>,
    pub name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub agents: String,
    pub errcode: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
    pub outbound_ip: Option<String>,
    pub client_ip: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
