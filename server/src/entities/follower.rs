use sea_orm::entity::prelude::*;

/// A follower (OA) or member (WeCom) of one account: kept current by callbacks and full syncs.
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
    pub unionid: Option<String>,
    /// WeChat stopped returning nicknames in `user/info` (2021); kept when known otherwise.
    pub nickname: Option<String>,
    pub language: Option<String>,
    /// Legacy group id (WeChat's id; 0 = 未分组).
    pub group_id: Option<i64>,
    /// When a full sync last stored this follower from WeChat.
    pub synced_at: Option<TimeDateTimeWithTimeZone>,
    /// The sync job that last saw this follower in `user/get` (the others are unsubscribed).
    pub seen_sync_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
