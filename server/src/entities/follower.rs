use sea_orm::entity::prelude::*;

/// A follower (OA) or member (WeCom) of one account, as far as callbacks tell us.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "followers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub openid: String,
    pub subscribed: bool,
    pub subscribe_time: Option<TimeDateTimeWithTimeZone>,
    pub subscribe_scene: Option<String>,
    pub qr_scene: Option<String>,
    pub remark: Option<String>,
    /// JSON array of tag ids.
    pub tags: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
