//! WeChat Pay v2 state: merchants, orders, refunds.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::proto::sign::{SignType, random_alnum, random_hex};

/// A merchant (control API, seed file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MerchantConfig {
    /// mch_id (10 digits); generated when empty.
    #[serde(default)]
    pub mch_id: String,
    /// The 32-character API key; generated when empty.
    #[serde(default)]
    pub key: String,
    /// AppIDs bound to the merchant (empty: any appid is accepted).
    #[serde(default)]
    pub appids: Vec<String>,
    /// Sign type the emulator uses for messages not tied to an order (mode-1 scan callback).
    /// Orders use the `sign_type` of their `unifiedorder` request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_type: Option<SignType>,
    /// SHA-256 (hex) of the DER client certificate. Over plain HTTP the emulator recognises
    /// the certificate by the `X-Sim-Client-Cert-Sha256` header; when this is unset any
    /// non-empty header value is accepted. Generated when empty.
    #[serde(default)]
    pub cert_sha256: String,
    /// The "扫码回调URL" called for mode-1 (`bizpayurl`) scans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_callback_url: Option<String>,
    /// Refund notify URL configured in the merchant platform (a refund's own `notify_url`
    /// wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_notify_url: Option<String>,
}

impl MerchantConfig {
    /// Fills empty fields.
    pub fn fill(mut self) -> Self {
        if self.mch_id.is_empty() {
            self.mch_id = format!("1{:09}", rand::random::<u32>() % 1_000_000_000);
        }
        if self.key.is_empty() {
            self.key = random_alnum(32);
        }
        if self.cert_sha256.is_empty() {
            self.cert_sha256 = random_hex(64);
        }
        self
    }
}

/// Trade states (`trade_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeState {
    /// Not paid yet.
    Notpay,
    /// Paid.
    Success,
    /// Closed.
    Closed,
    /// (Partly) refunded.
    Refund,
    /// Payment failed.
    Payerror,
}

impl TradeState {
    /// Wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeState::Notpay => "NOTPAY",
            TradeState::Success => "SUCCESS",
            TradeState::Closed => "CLOSED",
            TradeState::Refund => "REFUND",
            TradeState::Payerror => "PAYERROR",
        }
    }

    /// `trade_state_desc`.
    pub fn desc(self) -> &'static str {
        match self {
            TradeState::Notpay => "订单未支付",
            TradeState::Success => "支付成功",
            TradeState::Closed => "订单已关闭",
            TradeState::Refund => "订单发生过退款，退款详情请查询退款单",
            TradeState::Payerror => "支付失败",
        }
    }
}

/// An order created by `unifiedorder`.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    /// Request fields as received (for idempotency checks and echoing).
    pub request: BTreeMap<String, String>,
    /// appid.
    pub appid: String,
    /// out_trade_no.
    pub out_trade_no: String,
    /// total_fee (fen).
    pub total_fee: i64,
    /// `NATIVE`, `JSAPI`, `APP`, `MWEB`.
    pub trade_type: String,
    /// notify_url.
    pub notify_url: String,
    /// The sign type of the request (the notify is signed with it).
    pub sign_type: SignType,
    /// prepay_id.
    pub prepay_id: String,
    /// `weixin://wxpay/bizpayurl?pr=…` for NATIVE.
    pub code_url: Option<String>,
    /// State.
    pub state: TradeState,
    /// Payer openid (JSAPI: given; NATIVE: whoever scanned).
    pub openid: Option<String>,
    /// Created (unix seconds).
    pub created: i64,
    /// prepay_id validity end.
    pub expires: i64,
    /// transaction_id once paid.
    pub transaction_id: Option<String>,
    /// Payment time (unix seconds).
    pub paid_at: Option<i64>,
    /// Refunded so far (fen).
    pub refunded: i64,
    /// The merchant acknowledged the pay notify.
    pub notify_acknowledged: bool,
    /// Notify attempts made.
    pub notify_attempts: usize,
}

/// A refund.
#[derive(Debug, Clone, Serialize)]
pub struct Refund {
    /// out_refund_no.
    pub out_refund_no: String,
    /// refund_id.
    pub refund_id: String,
    /// out_trade_no of the order.
    pub out_trade_no: String,
    /// transaction_id of the order.
    pub transaction_id: String,
    /// Order total (fen).
    pub total_fee: i64,
    /// Refund amount (fen).
    pub refund_fee: i64,
    /// `SUCCESS` (refunds complete at once in the emulator).
    pub status: String,
    /// Requested (unix seconds).
    pub created: i64,
    /// Completed (unix seconds).
    pub success_time: i64,
    /// Where the refund notify goes.
    pub notify_url: Option<String>,
    /// The merchant acknowledged the refund notify.
    pub notify_acknowledged: bool,
}

/// A merchant with its orders.
#[derive(Debug, Clone, Serialize)]
pub struct Merchant {
    /// Configuration.
    #[serde(flatten)]
    pub cfg: MerchantConfig,
    /// Orders by out_trade_no.
    pub orders: BTreeMap<String, Order>,
    /// Refunds by out_refund_no.
    pub refunds: BTreeMap<String, Refund>,
}

/// All Pay v2 state.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PayState {
    /// Merchants by mch_id.
    pub merchants: BTreeMap<String, Merchant>,
    /// `pr` code of a NATIVE code_url or a prepay_id → (mch_id, out_trade_no).
    #[serde(skip)]
    pub index: HashMap<String, (String, String)>,
    /// `weixin://wxpay/s/…` short URLs → long URLs (`tools/shorturl`).
    #[serde(skip)]
    pub short_urls: HashMap<String, String>,
}

impl PayState {
    /// Adds (or replaces) a merchant.
    pub fn add_merchant(&mut self, cfg: MerchantConfig) {
        self.merchants.insert(
            cfg.mch_id.clone(),
            Merchant {
                cfg,
                orders: BTreeMap::new(),
                refunds: BTreeMap::new(),
            },
        );
    }
}
