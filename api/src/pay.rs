//! WeChat Pay v2 in the portal: products, orders and their state machine, refunds.
//!
//! Money is always an integer number of fen (`i64`), never a float.

use serde::{Deserialize, Serialize};

use crate::{FieldIssue, Lang};

/// Longest product name (WeChat's `body` is at most 128 bytes).
pub const PRODUCT_NAME_MAX: usize = 128;
/// Longest product description.
pub const PRODUCT_DESCRIPTION_MAX: usize = 2000;
/// Highest price accepted, in fen (1 000 000 yuan).
pub const PRICE_MAX_FEN: i64 = 100_000_000;

/// A product of a merchant; its `id` is the mode-1 `product_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Product {
    pub id: i64,
    pub merchant_id: i64,
    pub name: String,
    pub description: String,
    pub price_fen: i64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/pay/merchants/{id}/products`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateProductRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub price_fen: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /api/pay/products/{id}`: only the fields present change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProductRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_fen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// Why a product field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductRule {
    NameRequired,
    NameTooLong,
    DescriptionTooLong,
    /// Price must be 1 ..= [`PRICE_MAX_FEN`] fen.
    PriceRange,
}

impl ProductRule {
    pub fn code(self) -> &'static str {
        match self {
            ProductRule::NameRequired => "required",
            ProductRule::NameTooLong | ProductRule::DescriptionTooLong => "too_long",
            ProductRule::PriceRange => "price_range",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (ProductRule::NameRequired, Lang::En) => "Required.".into(),
            (ProductRule::NameRequired, Lang::ZhCn) => "必填。".into(),
            (ProductRule::NameTooLong, Lang::En) => {
                format!("At most {PRODUCT_NAME_MAX} characters.")
            }
            (ProductRule::NameTooLong, Lang::ZhCn) => format!("最多 {PRODUCT_NAME_MAX} 个字符。"),
            (ProductRule::DescriptionTooLong, Lang::En) => {
                format!("At most {PRODUCT_DESCRIPTION_MAX} characters.")
            }
            (ProductRule::DescriptionTooLong, Lang::ZhCn) => {
                format!("最多 {PRODUCT_DESCRIPTION_MAX} 个字符。")
            }
            (ProductRule::PriceRange, Lang::En) => {
                "The price must be between 0.01 and 1,000,000.00 yuan.".into()
            }
            (ProductRule::PriceRange, Lang::ZhCn) => {
                "价格须在 0.01 到 1,000,000.00 元之间。".into()
            }
        }
    }
}

pub fn product_name(name: &str) -> Result<(), ProductRule> {
    if name.trim().is_empty() {
        Err(ProductRule::NameRequired)
    } else if name.chars().count() > PRODUCT_NAME_MAX || name.len() > PRODUCT_NAME_MAX * 3 {
        Err(ProductRule::NameTooLong)
    } else {
        Ok(())
    }
}

pub fn product_description(d: &str) -> Result<(), ProductRule> {
    if d.chars().count() > PRODUCT_DESCRIPTION_MAX {
        Err(ProductRule::DescriptionTooLong)
    } else {
        Ok(())
    }
}

pub fn price_fen(p: i64) -> Result<(), ProductRule> {
    if (1..=PRICE_MAX_FEN).contains(&p) {
        Ok(())
    } else {
        Err(ProductRule::PriceRange)
    }
}

fn issues(checks: &[(&str, Result<(), ProductRule>)]) -> Vec<FieldIssue> {
    checks
        .iter()
        .filter_map(|(field, r)| {
            r.err().map(|rule| FieldIssue {
                field: (*field).to_string(),
                code: rule.code().to_string(),
                message: rule.message(Lang::En),
            })
        })
        .collect()
}

impl CreateProductRequest {
    pub fn validate(&self) -> Vec<FieldIssue> {
        issues(&[
            ("name", product_name(&self.name)),
            ("description", product_description(&self.description)),
            ("price_fen", price_fen(self.price_fen)),
        ])
    }
}

impl UpdateProductRequest {
    pub fn validate(&self) -> Vec<FieldIssue> {
        issues(&[
            ("name", self.name.as_deref().map_or(Ok(()), product_name)),
            (
                "description",
                self.description
                    .as_deref()
                    .map_or(Ok(()), product_description),
            ),
            ("price_fen", self.price_fen.map_or(Ok(()), price_fen)),
        ])
    }
}

/// Formats fen as yuan with two decimals (`1234` → `"12.34"`), exactly.
pub fn fen_to_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Parses a yuan amount typed by a person (`18`, `18.5`, `18.50`) into fen; `None` for
/// anything else (more than two decimals, signs, letters, absurd sizes).
pub fn yuan_to_fen(s: &str) -> Option<i64> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 12 || frac.len() > 2 {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yuan: i64 = int.parse().ok()?;
    let fen: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    yuan.checked_mul(100)?.checked_add(fen)
}

/// The state of an order, as WeChat's `trade_state` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderState {
    /// Created, not paid yet.
    #[serde(rename = "NOTPAY")]
    NotPay,
    /// The payer is entering the password (micropay; seen in queries).
    #[serde(rename = "USERPAYING")]
    UserPaying,
    Success,
    /// Paid, then (partly) refunded.
    Refund,
    Closed,
    Revoked,
    #[serde(rename = "PAYERROR")]
    PayError,
}

impl OrderState {
    pub const ALL: [OrderState; 7] = [
        OrderState::NotPay,
        OrderState::UserPaying,
        OrderState::Success,
        OrderState::Refund,
        OrderState::Closed,
        OrderState::Revoked,
        OrderState::PayError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::NotPay => "NOTPAY",
            OrderState::UserPaying => "USERPAYING",
            OrderState::Success => "SUCCESS",
            OrderState::Refund => "REFUND",
            OrderState::Closed => "CLOSED",
            OrderState::Revoked => "REVOKED",
            OrderState::PayError => "PAYERROR",
        }
    }

    pub fn parse(s: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still waiting for the payer.
    pub fn is_open(self) -> bool {
        matches!(self, OrderState::NotPay | OrderState::UserPaying)
    }

    /// Money was received.
    pub fn is_paid(self) -> bool {
        matches!(self, OrderState::Success | OrderState::Refund)
    }

    /// Whether `self → to` is a legal change of state (not counting staying put).
    pub fn can_become(self, to: OrderState) -> bool {
        use OrderState::*;
        matches!(
            (self, to),
            (NotPay, UserPaying)
                | (NotPay | UserPaying, Success | Closed | Revoked | PayError)
                | (Success, Refund)
        )
    }

    /// Applies `to`: the same state again is a no-op (duplicate notification, repeated query),
    /// a legal change is reported with both ends, anything else is refused and changes nothing.
    pub fn apply(self, to: OrderState) -> Result<Applied, IllegalTransition> {
        if self == to {
            Ok(Applied::Unchanged(self))
        } else if self.can_become(to) {
            Ok(Applied::Changed { from: self, to })
        } else {
            Err(IllegalTransition { from: self, to })
        }
    }
}

impl std::fmt::Display for OrderState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Outcome of [`OrderState::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Unchanged(OrderState),
    Changed { from: OrderState, to: OrderState },
}

/// A refused change of state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: OrderState,
    pub to: OrderState,
}

impl std::fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an order in {} cannot become {}", self.from, self.to)
    }
}

impl std::error::Error for IllegalTransition {}

/// What caused a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransitionCause {
    /// WeChat's payment notification.
    Notify,
    /// An order query against WeChat.
    Query,
    /// A staff action (close, refund).
    Staff,
    /// The order's `time_expire` passed.
    Expiry,
    /// WeChat's refund notification.
    RefundNotify,
}

impl TransitionCause {
    pub fn as_str(self) -> &'static str {
        match self {
            TransitionCause::Notify => "notify",
            TransitionCause::Query => "query",
            TransitionCause::Staff => "staff",
            TransitionCause::Expiry => "expiry",
            TransitionCause::RefundNotify => "refund_notify",
        }
    }

    pub fn parse(s: &str) -> Option<TransitionCause> {
        [
            TransitionCause::Notify,
            TransitionCause::Query,
            TransitionCause::Staff,
            TransitionCause::Expiry,
            TransitionCause::RefundNotify,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// An order (staff view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Order {
    pub id: i64,
    pub merchant_id: i64,
    pub product_id: Option<i64>,
    pub out_trade_no: String,
    pub body: String,
    pub detail: Option<String>,
    pub attach: Option<String>,
    pub total_fee: i64,
    pub refunded_fee: i64,
    pub trade_type: String,
    pub state: OrderState,
    pub payer_openid: Option<String>,
    pub transaction_id: Option<String>,
    pub code_url: Option<String>,
    pub time_start: String,
    pub time_expire: String,
    pub time_end: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One recorded change of an order's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderTransition {
    pub id: i64,
    pub from_state: OrderState,
    pub to_state: OrderState,
    pub cause: TransitionCause,
    pub staff_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: String,
}

/// `GET /pay/{merchant_id}/orders/{out_trade_no}/status`: what the public order page polls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderStatus {
    pub out_trade_no: String,
    pub state: OrderState,
    pub total_fee: i64,
    /// `time_expire` passed while still unpaid.
    pub expired: bool,
}

/// `GET /api/pay/merchants/{id}/orders`: filters (all optional) and paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<OrderState>,
    /// First day (`YYYY-MM-DD`, Beijing time like WeChat Pay's bills) of `created_at`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`, Beijing time) of `created_at`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_fee: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_fee: Option<i64>,
    /// Payer openid (exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<String>,
    /// `out_trade_no` or `transaction_id` (exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// Totals over every order matching the filters (not just the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderTotals {
    pub count: u64,
    pub total_fee: i64,
    /// Sum of `total_fee` of paid orders (SUCCESS or REFUND).
    pub paid_fee: i64,
    pub refunded_fee: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderPage {
    pub items: Vec<Order>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub totals: OrderTotals,
}

/// A notification as received (kind `pay`, `refund` or `scan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PayNotification {
    pub id: i64,
    pub kind: String,
    /// `applied`, `duplicate`, `rejected` or `conflict`.
    pub outcome: String,
    pub reason: Option<String>,
    pub body: String,
    pub received_at: String,
}

/// A refund of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Refund {
    pub id: i64,
    pub out_refund_no: String,
    pub refund_id: Option<String>,
    pub refund_fee: i64,
    pub total_fee: i64,
    /// PROCESSING, SUCCESS, CHANGE or REFUNDCLOSE.
    pub state: String,
    pub reason: Option<String>,
    pub success_time: Option<String>,
    pub created_at: String,
}

/// `GET /api/pay/orders/{id}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderDetail {
    pub order: Order,
    pub transitions: Vec<OrderTransition>,
    pub refunds: Vec<Refund>,
    pub notifications: Vec<PayNotification>,
}

/// `POST /api/pay/orders/{id}/refunds`: a full or partial refund (needs the merchant certificate).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRefundRequest {
    /// Fen; at most what is left to refund.
    pub refund_fee: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A bill type of `downloadbill`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BillType {
    /// Payments and refunds.
    #[default]
    All,
    /// Payments only.
    Success,
    /// Refunds only.
    Refund,
}

impl BillType {
    pub const ALL_TYPES: [BillType; 3] = [BillType::All, BillType::Success, BillType::Refund];

    pub fn as_str(self) -> &'static str {
        match self {
            BillType::All => "ALL",
            BillType::Success => "SUCCESS",
            BillType::Refund => "REFUND",
        }
    }

    pub fn parse(s: &str) -> Option<BillType> {
        BillType::ALL_TYPES.into_iter().find(|t| t.as_str() == s)
    }
}

/// `POST /api/pay/merchants/{id}/reconciliations`: download a day's bill and reconcile it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReconcileRequest {
    /// `YYYY-MM-DD`, a past day in Beijing time (WeChat's bill day).
    pub bill_date: String,
    #[serde(default)]
    pub bill_type: BillType,
}

impl ReconcileRequest {
    pub fn validate(&self) -> Vec<FieldIssue> {
        if parse_day(&self.bill_date).is_none() {
            vec![FieldIssue {
                field: "bill_date".into(),
                code: "bill_date".into(),
                message: "The bill date must be a day like 2026-03-01.".into(),
            }]
        } else {
            Vec::new()
        }
    }
}

/// `(year, month, day)` of a `YYYY-MM-DD` string with a plausible calendar date.
pub fn parse_day(s: &str) -> Option<(i32, u8, u8)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u8 = s[5..7].parse().ok()?;
    let d: u8 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((2000..=2999).contains(&y) && (1..=days).contains(&d)).then_some((y, m, d))
}

/// A stored reconciliation of one day's bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reconciliation {
    pub id: i64,
    pub merchant_id: i64,
    pub bill_date: String,
    pub bill_type: BillType,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// `staff` or `daily`.
    pub trigger: String,
    /// Data rows in WeChat's bill.
    pub bill_rows: i64,
    /// Payments and refunds that agree on both sides.
    pub matched: i64,
    pub mismatches: i64,
    pub bill_paid_fee: i64,
    pub bill_refund_fee: i64,
    pub local_paid_fee: i64,
    pub local_refund_fee: i64,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What kind of difference a reconciliation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MismatchKind {
    /// In WeChat's bill, not in the portal.
    MissingHere,
    /// In the portal, not in WeChat's bill.
    MissingThere,
    AmountDiffers,
    StateDiffers,
}

impl MismatchKind {
    pub const ALL: [MismatchKind; 4] = [
        MismatchKind::MissingHere,
        MismatchKind::MissingThere,
        MismatchKind::AmountDiffers,
        MismatchKind::StateDiffers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MismatchKind::MissingHere => "missing_here",
            MismatchKind::MissingThere => "missing_there",
            MismatchKind::AmountDiffers => "amount_differs",
            MismatchKind::StateDiffers => "state_differs",
        }
    }

    pub fn parse(s: &str) -> Option<MismatchKind> {
        MismatchKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One difference between WeChat's bill and the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReconciliationItem {
    pub kind: MismatchKind,
    /// `payment` or `refund`.
    pub entity: String,
    pub out_trade_no: String,
    pub out_refund_no: Option<String>,
    pub transaction_id: Option<String>,
    /// The portal's order, when it has one.
    pub order_id: Option<i64>,
    pub local_state: Option<String>,
    pub bill_state: Option<String>,
    pub local_fee: Option<i64>,
    pub bill_fee: Option<i64>,
}

/// `GET /api/pay/reconciliations/{id}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReconciliationDetail {
    pub reconciliation: Reconciliation,
    pub items: Vec<ReconciliationItem>,
}

/// `GET /api/pay/merchants/{id}/dashboard` query: a range of days (`YYYY-MM-DD`, Beijing time,
/// inclusive; default the last 30 days).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DashboardQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One day of the dashboard (orders by their creation day, payments by their payment day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DashboardDay {
    pub date: String,
    /// Orders created that day.
    pub orders: i64,
    /// Orders paid that day, and their amount.
    pub paid: i64,
    pub revenue_fee: i64,
    /// Refunded that day (successful refunds).
    pub refunded_fee: i64,
}

/// Orders in one state (created within the range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DashboardState {
    pub state: OrderState,
    pub count: i64,
    pub total_fee: i64,
}

/// Paid orders of one product (paid within the range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DashboardProduct {
    pub product_id: Option<i64>,
    pub name: String,
    pub paid: i64,
    pub revenue_fee: i64,
}

/// `GET /api/pay/merchants/{id}/dashboard`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    pub days: Vec<DashboardDay>,
    pub by_state: Vec<DashboardState>,
    pub by_product: Vec<DashboardProduct>,
    pub orders: i64,
    pub paid: i64,
    pub revenue_fee: i64,
    pub refunded_fee: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_amounts_parse_exactly() {
        assert_eq!(yuan_to_fen("18"), Some(1800));
        assert_eq!(yuan_to_fen(" 18.5 "), Some(1850));
        assert_eq!(yuan_to_fen("0.01"), Some(1));
        assert_eq!(yuan_to_fen("18.555"), None);
        assert_eq!(yuan_to_fen("-1"), None);
        assert_eq!(yuan_to_fen("1e3"), None);
        assert_eq!(yuan_to_fen(""), None);
        assert_eq!(yuan_to_fen(".5"), None);
        assert_eq!(fen_to_yuan(yuan_to_fen("29.90").unwrap()), "29.90");
    }

    #[test]
    fn bill_days_and_types() {
        assert_eq!(parse_day("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_day("2026-02-29"), None);
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("20260301"), None);
        assert_eq!(BillType::parse("REFUND"), Some(BillType::Refund));
        let r: ReconcileRequest = serde_json::from_str(r#"{"bill_date":"2026-03-01"}"#).unwrap();
        assert_eq!(r.bill_type, BillType::All);
        assert!(r.validate().is_empty());
    }

    #[test]
    fn every_legal_transition_and_nothing_else() {
        use OrderState::*;
        let legal = [
            (NotPay, UserPaying),
            (NotPay, Success),
            (NotPay, Closed),
            (NotPay, Revoked),
            (NotPay, PayError),
            (UserPaying, Success),
            (UserPaying, Closed),
            (UserPaying, Revoked),
            (UserPaying, PayError),
            (Success, Refund),
        ];
        for from in OrderState::ALL {
            for to in OrderState::ALL {
                let got = from.apply(to);
                if from == to {
                    assert_eq!(got, Ok(Applied::Unchanged(from)));
                } else if legal.contains(&(from, to)) {
                    assert_eq!(got, Ok(Applied::Changed { from, to }));
                } else {
                    assert_eq!(got, Err(IllegalTransition { from, to }), "{from} → {to}");
                }
            }
        }
    }

    #[test]
    fn terminal_states_stay_terminal() {
        for s in [
            OrderState::Closed,
            OrderState::Revoked,
            OrderState::PayError,
            OrderState::Refund,
        ] {
            assert!(OrderState::ALL.iter().all(|t| !s.can_become(*t)), "{s}");
        }
    }

    #[test]
    fn applying_twice_changes_once() {
        let mut s = OrderState::NotPay;
        let mut changes = 0;
        for _ in 0..100 {
            if let Ok(Applied::Changed { to, .. }) = s.apply(OrderState::Success) {
                s = to;
                changes += 1;
            }
        }
        assert_eq!((s, changes), (OrderState::Success, 1));
    }

    #[test]
    fn names_round_trip_as_wechat_spells_them() {
        for s in OrderState::ALL {
            assert_eq!(OrderState::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(OrderState::parse("notpay"), None);
        assert_eq!(
            TransitionCause::parse("refund_notify"),
            Some(TransitionCause::RefundNotify)
        );
    }

    #[test]
    fn yuan_formatting_is_exact() {
        assert_eq!(fen_to_yuan(1), "0.01");
        assert_eq!(fen_to_yuan(1234), "12.34");
        assert_eq!(fen_to_yuan(100), "1.00");
        assert_eq!(fen_to_yuan(-5), "-0.05");
        assert_eq!(fen_to_yuan(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn product_rules() {
        let ok = CreateProductRequest {
            name: "Coffee".into(),
            description: String::new(),
            price_fen: 1,
            active: true,
        };
        assert!(ok.validate().is_empty());
        let bad = CreateProductRequest {
            name: " ".into(),
            price_fen: 0,
            ..ok.clone()
        };
        let fields: Vec<_> = bad.validate().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["name", "price_fen"]);
        assert_eq!(price_fen(PRICE_MAX_FEN + 1), Err(ProductRule::PriceRange));
        assert!(UpdateProductRequest::default().validate().is_empty());
    }
}
