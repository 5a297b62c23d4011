//! sea-orm entities of the pay tables (migration `m20260401_000001_pay`).

pub mod product {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_products")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub name: String,
        pub description: String,
        pub price_fen: i64,
        pub active: bool,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order {
    use api::pay::OrderState;
    use sea_orm::entity::prelude::*;

    use crate::entities::db_enum::DbEnum;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_orders")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub product_id: Option<i64>,
        pub out_trade_no: String,
        pub body: String,
        pub detail: Option<String>,
        pub attach: Option<String>,
        pub total_fee: i64,
        pub fee_type: String,
        pub trade_type: String,
        pub sign_type: String,
        pub state: DbEnum<OrderState>,
        pub payer_openid: Option<String>,
        pub transaction_id: Option<String>,
        pub prepay_id: Option<String>,
        pub code_url: Option<String>,
        pub refunded_fee: i64,
        pub time_start: TimeDateTimeWithTimeZone,
        pub time_expire: TimeDateTimeWithTimeZone,
        pub time_end: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod transition {
    use api::pay::{OrderState, TransitionCause};
    use sea_orm::entity::prelude::*;

    use crate::entities::db_enum::DbEnum;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_order_transitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub order_id: i64,
        pub from_state: DbEnum<OrderState>,
        pub to_state: DbEnum<OrderState>,
        pub cause: DbEnum<TransitionCause>,
        pub staff_id: Option<i64>,
        pub note: Option<String>,
        pub raw_payload: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod refund {
    use sea_orm::entity::prelude::*;

    use crate::{entities::db_enum::DbEnum, pay::refunds::RefundState};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_refunds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub order_id: i64,
        pub out_refund_no: String,
        pub refund_id: Option<String>,
        pub refund_fee: i64,
        pub total_fee: i64,
        pub state: DbEnum<RefundState>,
        pub reason: Option<String>,
        pub staff_id: Option<i64>,
        pub success_time: Option<TimeDateTimeWithTimeZone>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub order_id: Option<i64>,
        /// `pay`, `refund` or `scan`.
        pub kind: String,
        /// `applied`, `duplicate`, `rejected` or `conflict`.
        pub outcome: String,
        pub reason: Option<String>,
        pub body: String,
        pub received_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reconciliation {
    use api::followers::SyncStatus;
    use sea_orm::entity::prelude::*;

    use crate::entities::db_enum::DbEnum;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_reconciliations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        /// `YYYY-MM-DD` (Beijing time, like WeChat's bills).
        pub bill_date: String,
        /// `ALL`, `SUCCESS` or `REFUND`.
        pub bill_type: String,
        pub status: DbEnum<SyncStatus>,
        /// `staff` or `daily`.
        pub trigger: String,
        pub staff_id: Option<i64>,
        pub lease_holder: Option<String>,
        pub lease_until_ms: i64,
        pub bill_rows: i64,
        pub matched: i64,
        pub mismatches: i64,
        pub bill_paid_fee: i64,
        pub bill_refund_fee: i64,
        pub local_paid_fee: i64,
        pub local_refund_fee: i64,
        pub error: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reconciliation_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pay_reconciliation_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub reconciliation_id: i64,
        /// `missing_here`, `missing_there`, `amount_differs` or `state_differs`.
        pub kind: String,
        /// `payment` or `refund`.
        pub entity: String,
        pub out_trade_no: String,
        pub out_refund_no: Option<String>,
        pub transaction_id: Option<String>,
        pub order_id: Option<i64>,
        pub local_state: Option<String>,
        pub bill_state: Option<String>,
        pub local_fee: Option<i64>,
        pub bill_fee: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
