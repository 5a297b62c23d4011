use sea_orm::entity::prelude::*;

/// How many times a token was fetched from WeChat on one UTC day (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wechat_token_fetches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
