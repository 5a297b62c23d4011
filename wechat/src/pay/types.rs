//! Pay v2 request and response types.

use super::{PayMap, SignType, check_response, decrypt_req_info, sign, verify};
use crate::error::PayError;
use crate::types::Fen;
use crate::xml;

fn fen(m: &PayMap, k: &str) -> Result<Option<Fen>, PayError> {
    match m.get(k).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Fen::from_fen_str(v).map(Some).map_err(|e| PayError::Field {
            field: k.to_owned(),
            reason: e.to_string(),
        }),
    }
}

fn req_fen(m: &PayMap, k: &str) -> Result<Fen, PayError> {
    fen(m, k)?.ok_or_else(|| PayError::Field {
        field: k.to_owned(),
        reason: "missing".into(),
    })
}

fn opt(m: &PayMap, k: &str) -> Option<String> {
    m.get(k).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Merchant credentials common to every Pay v2 request.
#[derive(Debug, Clone)]
pub struct PayCredentials {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// The API key (secret).
    pub api_key: crate::types::PayApiKey,
    /// The sign type used for requests and expected on responses/notifications.
    pub sign_type: SignType,
}

impl PayCredentials {
    /// Adds `appid`, `mch_id`, a fresh `nonce_str` (unless present) and signs.
    pub fn sign_request(&self, mut m: PayMap) -> PayMap {
        m.insert("appid", self.appid.clone());
        m.insert("mch_id", self.mch_id.clone());
        if m.get("nonce_str").is_none() {
            m.insert("nonce_str", crate::types::random_alnum(32));
        }
        m.remove("sign");
        m.sign(self.api_key.expose(), self.sign_type);
        m
    }
}

/// Trade types for unified order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeType {
    /// In-WeChat browser / mini program.
    Jsapi,
    /// QR code (mode 2 `code_url`, or the prepay for a mode-1 callback).
    Native,
    /// Native app.
    App,
    /// H5 outside WeChat.
    Mweb,
}

impl TradeType {
    /// Wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            TradeType::Jsapi => "JSAPI",
            TradeType::Native => "NATIVE",
            TradeType::App => "APP",
            TradeType::Mweb => "MWEB",
        }
    }
}

/// `/pay/unifiedorder` request.
#[derive(Debug, Clone)]
pub struct UnifiedOrderRequest {
    /// `body`.
    pub body: String,
    /// `out_trade_no`.
    pub out_trade_no: String,
    /// `total_fee` in fen.
    pub total_fee: Fen,
    /// `spbill_create_ip`.
    pub spbill_create_ip: String,
    /// `notify_url`.
    pub notify_url: String,
    /// `trade_type`.
    pub trade_type: TradeType,
    /// `openid` (JSAPI).
    pub openid: Option<String>,
    /// `product_id` (NATIVE).
    pub product_id: Option<String>,
    /// `attach`.
    pub attach: Option<String>,
    /// `detail`.
    pub detail: Option<String>,
    /// `time_start` (yyyyMMddHHmmss).
    pub time_start: Option<String>,
    /// `time_expire` (yyyyMMddHHmmss).
    pub time_expire: Option<String>,
    /// `device_info`.
    pub device_info: Option<String>,
    /// `limit_pay`.
    pub limit_pay: Option<String>,
    /// `scene_info`.
    pub scene_info: Option<String>,
}

impl UnifiedOrderRequest {
    /// Request fields (unsigned; see [`PayCredentials::sign_request`]).
    pub fn to_map(&self) -> PayMap {
        let mut m = PayMap::new();
        m.insert("body", self.body.clone());
        m.insert("out_trade_no", self.out_trade_no.clone());
        m.insert("total_fee", self.total_fee.0.to_string());
        m.insert("fee_type", "CNY");
        m.insert("spbill_create_ip", self.spbill_create_ip.clone());
        m.insert("notify_url", self.notify_url.clone());
        m.insert("trade_type", self.trade_type.as_str());
        m.insert_opt("openid", self.openid.clone());
        m.insert_opt("product_id", self.product_id.clone());
        m.insert_opt("attach", self.attach.clone());
        m.insert_opt("detail", self.detail.clone());
        m.insert_opt("time_start", self.time_start.clone());
        m.insert_opt("time_expire", self.time_expire.clone());
        m.insert_opt("device_info", self.device_info.clone());
        m.insert_opt("limit_pay", self.limit_pay.clone());
        m.insert_opt("scene_info", self.scene_info.clone());
        m
    }
}

/// `/pay/unifiedorder` response (checked and verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnifiedOrderResponse {
    /// `prepay_id`.
    pub prepay_id: String,
    /// `trade_type`.
    pub trade_type: Option<String>,
    /// `code_url` (NATIVE).
    pub code_url: Option<String>,
    /// `mweb_url` (MWEB).
    pub mweb_url: Option<String>,
    /// Every field as received.
    pub raw: PayMap,
}

impl UnifiedOrderResponse {
    /// Parses a response map (after [`check_response`]).
    pub fn from_map(m: PayMap) -> Result<Self, PayError> {
        Ok(UnifiedOrderResponse {
            prepay_id: m.require("prepay_id")?.to_owned(),
            trade_type: opt(&m, "trade_type"),
            code_url: opt(&m, "code_url"),
            mweb_url: opt(&m, "mweb_url"),
            raw: m,
        })
    }
}

/// Identifies an order by WeChat or merchant number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRef {
    /// `transaction_id`.
    TransactionId(String),
    /// `out_trade_no`.
    OutTradeNo(String),
}

impl OrderRef {
    fn put(&self, m: &mut PayMap) {
        match self {
            OrderRef::TransactionId(v) => m.insert("transaction_id", v.clone()),
            OrderRef::OutTradeNo(v) => m.insert("out_trade_no", v.clone()),
        }
    }
    /// Request map for `/pay/orderquery`.
    pub fn to_map(&self) -> PayMap {
        let mut m = PayMap::new();
        self.put(&mut m);
        m
    }
}

/// `/pay/orderquery` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQueryResponse {
    /// `trade_state` (SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR).
    pub trade_state: String,
    /// `out_trade_no`.
    pub out_trade_no: Option<String>,
    /// `transaction_id`.
    pub transaction_id: Option<String>,
    /// `total_fee`.
    pub total_fee: Option<Fen>,
    /// `cash_fee`.
    pub cash_fee: Option<Fen>,
    /// `openid`.
    pub openid: Option<String>,
    /// `time_end`.
    pub time_end: Option<String>,
    /// Every field as received.
    pub raw: PayMap,
}

impl OrderQueryResponse {
    /// Parses a response map.
    pub fn from_map(m: PayMap) -> Result<Self, PayError> {
        Ok(OrderQueryResponse {
            trade_state: m.require("trade_state")?.to_owned(),
            out_trade_no: opt(&m, "out_trade_no"),
            transaction_id: opt(&m, "transaction_id"),
            total_fee: fen(&m, "total_fee")?,
            cash_fee: fen(&m, "cash_fee")?,
            openid: opt(&m, "openid"),
            time_end: opt(&m, "time_end"),
            raw: m,
        })
    }
}

/// `/secapi/pay/refund` request (needs the client certificate).
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The order.
    pub order: OrderRef,
    /// `out_refund_no`.
    pub out_refund_no: String,
    /// `total_fee`.
    pub total_fee: Fen,
    /// `refund_fee`.
    pub refund_fee: Fen,
    /// `refund_desc`.
    pub refund_desc: Option<String>,
    /// `notify_url`.
    pub notify_url: Option<String>,
}

impl RefundRequest {
    /// Request fields.
    pub fn to_map(&self) -> PayMap {
        let mut m = PayMap::new();
        self.order.put(&mut m);
        m.insert("out_refund_no", self.out_refund_no.clone());
        m.insert("total_fee", self.total_fee.0.to_string());
        m.insert("refund_fee", self.refund_fee.0.to_string());
        m.insert_opt("refund_desc", self.refund_desc.clone());
        m.insert_opt("notify_url", self.notify_url.clone());
        m
    }
}

/// `/secapi/pay/refund` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundResponse {
    /// `refund_id`.
    pub refund_id: String,
    /// `out_refund_no`.
    pub out_refund_no: String,
    /// `refund_fee`.
    pub refund_fee: Fen,
    /// Every field as received.
    pub raw: PayMap,
}

impl RefundResponse {
    /// Parses a response map.
    pub fn from_map(m: PayMap) -> Result<Self, PayError> {
        Ok(RefundResponse {
            refund_id: m.require("refund_id")?.to_owned(),
            out_refund_no: m.require("out_refund_no")?.to_owned(),
            refund_fee: req_fen(&m, "refund_fee")?,
            raw: m,
        })
    }
}

/// Identifies refunds for `/pay/refundquery`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundQueryRef {
    /// `refund_id`.
    RefundId(String),
    /// `out_refund_no`.
    OutRefundNo(String),
    /// `transaction_id`.
    TransactionId(String),
    /// `out_trade_no`.
    OutTradeNo(String),
}

impl RefundQueryRef {
    /// Request fields.
    pub fn to_map(&self) -> PayMap {
        let mut m = PayMap::new();
        match self {
            RefundQueryRef::RefundId(v) => m.insert("refund_id", v.clone()),
            RefundQueryRef::OutRefundNo(v) => m.insert("out_refund_no", v.clone()),
            RefundQueryRef::TransactionId(v) => m.insert("transaction_id", v.clone()),
            RefundQueryRef::OutTradeNo(v) => m.insert("out_trade_no", v.clone()),
        }
        m
    }
}

/// One refund in a refund query response (`*_$n` fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundItem {
    /// `out_refund_no_$n`.
    pub out_refund_no: String,
    /// `refund_id_$n`.
    pub refund_id: String,
    /// `refund_fee_$n`.
    pub refund_fee: Fen,
    /// `refund_status_$n` (SUCCESS, REFUNDCLOSE, PROCESSING, CHANGE).
    pub refund_status: String,
}

/// `/pay/refundquery` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundQueryResponse {
    /// The refunds.
    pub refunds: Vec<RefundItem>,
    /// Every field as received.
    pub raw: PayMap,
}

impl RefundQueryResponse {
    /// Parses a response map.
    pub fn from_map(m: PayMap) -> Result<Self, PayError> {
        let count: usize = m
            .require("refund_count")?
            .parse()
            .map_err(|_| PayError::Field {
                field: "refund_count".into(),
                reason: "not a number".into(),
            })?;
        let mut refunds = Vec::new();
        for n in 0..count.min(1000) {
            refunds.push(RefundItem {
                out_refund_no: m.require(&format!("out_refund_no_{n}"))?.to_owned(),
                refund_id: m.require(&format!("refund_id_{n}"))?.to_owned(),
                refund_fee: req_fen(&m, &format!("refund_fee_{n}"))?,
                refund_status: m.require(&format!("refund_status_{n}"))?.to_owned(),
            });
        }
        Ok(RefundQueryResponse { refunds, raw: m })
    }
}

/// `/pay/downloadbill` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadBillRequest {
    /// `bill_date` (yyyyMMdd).
    pub bill_date: String,
    /// `bill_type`: ALL, SUCCESS, REFUND, RECHARGE_REFUND.
    pub bill_type: String,
    /// Ask for gzip (`tar_type=GZIP`).
    pub gzip: bool,
}

impl DownloadBillRequest {
    /// Request fields.
    pub fn to_map(&self) -> PayMap {
        let mut m = PayMap::new();
        m.insert("bill_date", self.bill_date.clone());
        m.insert("bill_type", self.bill_type.clone());
        if self.gzip {
            m.insert("tar_type", "GZIP");
        }
        m
    }
}

/// `/tools/shorturl` request fields: the raw URL is signed (the client URL-encodes on send ⚠️).
pub fn short_url_map(long_url: &str) -> PayMap {
    let mut m = PayMap::new();
    m.insert("long_url", long_url);
    m
}

/// A payment result notification, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayNotify {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// `result_code` (SUCCESS/FAIL).
    pub result_code: String,
    /// `out_trade_no`.
    pub out_trade_no: String,
    /// `transaction_id`.
    pub transaction_id: Option<String>,
    /// `total_fee`.
    pub total_fee: Fen,
    /// `cash_fee`.
    pub cash_fee: Option<Fen>,
    /// `openid`.
    pub openid: Option<String>,
    /// `trade_type`.
    pub trade_type: Option<String>,
    /// `time_end`.
    pub time_end: Option<String>,
    /// `attach`.
    pub attach: Option<String>,
    /// Every field as received.
    pub raw: PayMap,
}

impl PayNotify {
    /// Parses and verifies a notification body. `sign_type` is the one **your order used**
    /// (notifications usually omit `sign_type`). Unsigned or mis-signed bodies are rejected.
    /// After this, check `appid`/`mch_id`/`total_fee` against your order and de-duplicate by
    /// `out_trade_no`; then answer [`super::NOTIFY_SUCCESS_REPLY`].
    pub fn parse_and_verify(
        body: &str,
        api_key: &str,
        sign_type: SignType,
    ) -> Result<Self, PayError> {
        let m = PayMap::from_xml(body)?;
        if m.get("return_code") != Some("SUCCESS") {
            return Err(PayError::ReturnFail {
                return_msg: m.get("return_msg").unwrap_or_default().to_owned(),
            });
        }
        verify(&m, api_key, sign_type)?;
        Ok(PayNotify {
            appid: m.require("appid")?.to_owned(),
            mch_id: m.require("mch_id")?.to_owned(),
            result_code: m.require("result_code")?.to_owned(),
            out_trade_no: m.require("out_trade_no")?.to_owned(),
            transaction_id: opt(&m, "transaction_id"),
            total_fee: req_fen(&m, "total_fee")?,
            cash_fee: fen(&m, "cash_fee")?,
            openid: opt(&m, "openid"),
            trade_type: opt(&m, "trade_type"),
            time_end: opt(&m, "time_end"),
            attach: opt(&m, "attach"),
            raw: m,
        })
    }

    /// True when `result_code` is SUCCESS.
    pub fn is_success(&self) -> bool {
        self.result_code == "SUCCESS"
    }
}

/// The decrypted part of a refund notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundNotifyInfo {
    /// `out_refund_no`.
    pub out_refund_no: String,
    /// `out_trade_no`.
    pub out_trade_no: String,
    /// `refund_id`.
    pub refund_id: String,
    /// `transaction_id`.
    pub transaction_id: Option<String>,
    /// `refund_status` (SUCCESS, CHANGE, REFUNDCLOSE).
    pub refund_status: String,
    /// `refund_fee`.
    pub refund_fee: Fen,
    /// `total_fee`.
    pub total_fee: Option<Fen>,
    /// `settlement_refund_fee`.
    pub settlement_refund_fee: Option<Fen>,
    /// `success_time`.
    pub success_time: Option<String>,
    /// `refund_recv_accout` (sic).
    pub refund_recv_accout: Option<String>,
    /// Every decrypted field.
    pub raw: PayMap,
}

/// A refund notification (outer fields + decrypted `req_info`). There is no `sign`:
/// authenticity comes from the API-key-derived encryption of `req_info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundNotify {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// The decrypted `req_info`.
    pub info: RefundNotifyInfo,
}

impl RefundNotify {
    /// Parses the body and decrypts `req_info`.
    pub fn parse(body: &str, api_key: &str) -> Result<Self, PayError> {
        let m = PayMap::from_xml(body)?;
        if m.get("return_code") != Some("SUCCESS") {
            return Err(PayError::ReturnFail {
                return_msg: m.get("return_msg").unwrap_or_default().to_owned(),
            });
        }
        let plain = decrypt_req_info(m.require("req_info")?, api_key)?;
        let root = xml::parse_root(&plain, "root").map_err(|e| PayError::Parse(e.to_string()))?;
        let i: PayMap = root
            .children
            .into_iter()
            .map(|c| (c.name, c.text))
            .collect();
        let info = RefundNotifyInfo {
            out_refund_no: i.require("out_refund_no")?.to_owned(),
            out_trade_no: i.require("out_trade_no")?.to_owned(),
            refund_id: i.require("refund_id")?.to_owned(),
            transaction_id: opt(&i, "transaction_id"),
            refund_status: i.require("refund_status")?.to_owned(),
            refund_fee: req_fen(&i, "refund_fee")?,
            total_fee: fen(&i, "total_fee")?,
            settlement_refund_fee: fen(&i, "settlement_refund_fee")?,
            success_time: opt(&i, "success_time"),
            refund_recv_accout: opt(&i, "refund_recv_accout"),
            raw: i,
        };
        Ok(RefundNotify {
            appid: m.require("appid")?.to_owned(),
            mch_id: m.require("mch_id")?.to_owned(),
            info,
        })
    }

    /// Builds a refund notification body (for the emulator): `req_info` is encrypted
    /// from `fields` under `<root>`.
    pub fn build(appid: &str, mch_id: &str, fields: &PayMap, api_key: &str) -> String {
        let mut w = xml::Writer::new();
        w.open("root");
        for (k, v) in fields.iter() {
            w.cdata(k, v);
        }
        w.close("root");
        let mut m = PayMap::new();
        m.insert("return_code", "SUCCESS");
        m.insert("appid", appid);
        m.insert("mch_id", mch_id);
        m.insert("nonce_str", crate::types::random_alnum(32));
        m.insert("req_info", super::encrypt_req_info(&w.finish(), api_key));
        m.to_xml()
    }
}

/// Native mode-1 scan callback request (WeChat → merchant), verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCallbackRequest {
    /// `appid`.
    pub appid: String,
    /// `mch_id`.
    pub mch_id: String,
    /// `openid`.
    pub openid: String,
    /// `product_id`.
    pub product_id: String,
    /// `is_subscribe`.
    pub is_subscribe: Option<String>,
    /// `nonce_str`.
    pub nonce_str: String,
    /// Every field as received.
    pub raw: PayMap,
}

impl ScanCallbackRequest {
    /// Parses and verifies (MD5 unless you configured otherwise).
    pub fn parse_and_verify(
        body: &str,
        api_key: &str,
        sign_type: SignType,
    ) -> Result<Self, PayError> {
        let m = PayMap::from_xml(body)?;
        verify(&m, api_key, sign_type)?;
        Ok(ScanCallbackRequest {
            appid: m.require("appid")?.to_owned(),
            mch_id: m.require("mch_id")?.to_owned(),
            openid: m.require("openid")?.to_owned(),
            product_id: m.require("product_id")?.to_owned(),
            is_subscribe: opt(&m, "is_subscribe"),
            nonce_str: m.require("nonce_str")?.to_owned(),
            raw: m,
        })
    }
}

/// The signed reply to a mode-1 scan callback. It must carry a `prepay_id` from a NATIVE
/// unified order with the same `product_id` (not a `code_url`).
/// Field list per the official PHP SDK ⚠️ (not byte-checked).
pub fn scan_callback_reply(
    appid: &str,
    mch_id: &str,
    prepay_id: Result<&str, &str>,
    api_key: &str,
    sign_type: SignType,
) -> String {
    let mut m = PayMap::new();
    m.insert("return_code", "SUCCESS");
    m.insert("appid", appid);
    m.insert("mch_id", mch_id);
    m.insert("nonce_str", crate::types::random_alnum(32));
    match prepay_id {
        Ok(p) => {
            m.insert("prepay_id", p);
            m.insert("result_code", "SUCCESS");
        }
        Err(des) => {
            m.insert("result_code", "FAIL");
            m.insert("err_code_des", des);
        }
    }
    m.sign(api_key, sign_type);
    m.to_xml()
}

/// Client-side JSAPI pay parameters (`WeixinJSBridge getBrandWCPayRequest` / `wx.chooseWXPay`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsapiPayParams {
    /// `appId`.
    pub app_id: String,
    /// `timeStamp` (string).
    pub time_stamp: String,
    /// `nonceStr`.
    pub nonce_str: String,
    /// `package` = `prepay_id=…`.
    pub package: String,
    /// `signType`.
    pub sign_type: String,
    /// `paySign`.
    pub pay_sign: String,
}

impl JsapiPayParams {
    /// Signs the JSAPI parameters (camelCase names are part of the signed string).
    pub fn new(
        appid: &str,
        prepay_id: &str,
        api_key: &str,
        sign_type: SignType,
        time_stamp: &str,
        nonce_str: &str,
    ) -> Self {
        let package = format!("prepay_id={prepay_id}");
        let m: PayMap = [
            ("appId", appid),
            ("timeStamp", time_stamp),
            ("nonceStr", nonce_str),
            ("package", package.as_str()),
            ("signType", sign_type.as_str()),
        ]
        .into_iter()
        .collect();
        JsapiPayParams {
            app_id: appid.to_owned(),
            time_stamp: time_stamp.to_owned(),
            nonce_str: nonce_str.to_owned(),
            pay_sign: sign(&m, api_key, sign_type),
            package,
            sign_type: sign_type.as_str().to_owned(),
        }
    }
}

/// Validates a full response body: parse, `return_code`, signature, `result_code`.
pub fn parse_response(body: &str, api_key: &str, sign_type: SignType) -> Result<PayMap, PayError> {
    let m = PayMap::from_xml(body)?;
    check_response(&m, api_key, sign_type)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    fn signed(fields: &[(&str, &str)], st: SignType) -> String {
        let mut m: PayMap = fields.iter().copied().collect();
        m.sign(KEY, st);
        m.to_xml()
    }

    fn notify_fields() -> Vec<(&'static str, &'static str)> {
        vec![
            ("return_code", "SUCCESS"),
            ("appid", "wx2421b1c4370ec43b"),
            ("mch_id", "10000100"),
            ("nonce_str", "5d2b6c2a8db53831f7eda20af46e531c"),
            ("result_code", "SUCCESS"),
            ("openid", "oUpF8uMEb4qRXf22hE3X68TekukE"),
            ("is_subscribe", "Y"),
            ("trade_type", "JSAPI"),
            ("bank_type", "CFT"),
            ("total_fee", "1"),
            ("cash_fee", "1"),
            ("coupon_fee", "0"),
            ("transaction_id", "1004400740201409030005092168"),
            ("out_trade_no", "1409811653"),
            ("time_end", "20140903131540"),
            ("attach", "支付测试"),
        ]
    }

    #[test]
    fn pay_notify_verifies_with_order_sign_type() {
        for st in [SignType::Md5, SignType::HmacSha256] {
            // notifications omit sign_type: sign without including it
            let mut m: PayMap = notify_fields().into_iter().collect();
            let s = sign(&m, KEY, st);
            m.insert("sign", s);
            let body = m.to_xml();
            let n = PayNotify::parse_and_verify(&body, KEY, st).unwrap();
            assert_eq!(n.total_fee, Fen(1));
            assert_eq!(n.attach.as_deref(), Some("支付测试"));
            assert!(n.is_success());
            let other = if st == SignType::Md5 {
                SignType::HmacSha256
            } else {
                SignType::Md5
            };
            assert_eq!(
                PayNotify::parse_and_verify(&body, KEY, other),
                Err(PayError::SignatureMismatch)
            );
        }
    }

    #[test]
    fn forged_notifications_rejected() {
        let m: PayMap = notify_fields().into_iter().collect();
        assert_eq!(
            PayNotify::parse_and_verify(&m.to_xml(), KEY, SignType::Md5),
            Err(PayError::MissingSign)
        );
        let mut e = m.clone();
        e.insert("sign", "");
        assert_eq!(
            PayNotify::parse_and_verify(&e.to_xml(), KEY, SignType::Md5),
            Err(PayError::MissingSign)
        );
        // no return_code at all
        let mut n = m.clone();
        n.remove("return_code");
        assert!(PayNotify::parse_and_verify(&n.to_xml(), KEY, SignType::Md5).is_err());
        // tampered amount
        let mut t = m.clone();
        t.sign(KEY, SignType::Md5);
        t.insert("total_fee", "100");
        assert_eq!(
            PayNotify::parse_and_verify(&t.to_xml(), KEY, SignType::Md5),
            Err(PayError::SignatureMismatch)
        );
    }

    #[test]
    fn refund_notify_roundtrip() {
        let fields: PayMap = [
            ("out_refund_no", "R1"),
            ("out_trade_no", "T1"),
            ("refund_id", "50000408942018111907145868882"),
            ("transaction_id", "4200000215201811190261405420"),
            ("refund_status", "SUCCESS"),
            ("refund_fee", "100"),
            ("total_fee", "300"),
            ("settlement_refund_fee", "100"),
            ("success_time", "2018-11-19 16:24:13"),
            ("refund_recv_accout", "支付用户零钱"),
        ]
        .into_iter()
        .collect();
        let body = RefundNotify::build("wx1", "m1", &fields, KEY);
        let n = RefundNotify::parse(&body, KEY).unwrap();
        assert_eq!(n.info.refund_fee, Fen(100));
        assert_eq!(n.info.refund_recv_accout.as_deref(), Some("支付用户零钱"));
        assert_eq!(n.appid, "wx1");
        assert!(RefundNotify::parse(&body, "00000000000000000000000000000000").is_err());
    }

    #[test]
    fn scan_callback_and_reply() {
        let body = signed(
            &[
                ("appid", "wx1"),
                ("openid", "o1"),
                ("mch_id", "m1"),
                ("is_subscribe", "Y"),
                ("nonce_str", "n1"),
                ("product_id", "p1"),
            ],
            SignType::Md5,
        );
        let r = ScanCallbackRequest::parse_and_verify(&body, KEY, SignType::Md5).unwrap();
        assert_eq!(r.product_id, "p1");
        let reply = scan_callback_reply(
            "wx1",
            "m1",
            Ok("wx201410272009395522657a690389285100"),
            KEY,
            SignType::Md5,
        );
        let m = PayMap::from_xml(&reply).unwrap();
        verify(&m, KEY, SignType::Md5).unwrap();
        assert_eq!(
            m.get("prepay_id"),
            Some("wx201410272009395522657a690389285100")
        );
        assert_eq!(m.get("return_code"), Some("SUCCESS"));
        let fail = PayMap::from_xml(&scan_callback_reply(
            "wx1",
            "m1",
            Err("商品已下架"),
            KEY,
            SignType::Md5,
        ))
        .unwrap();
        assert_eq!(fail.get("result_code"), Some("FAIL"));
        verify(&fail, KEY, SignType::Md5).unwrap();
    }

    #[test]
    fn responses() {
        let body = signed(
            &[
                ("return_code", "SUCCESS"),
                ("return_msg", "OK"),
                ("appid", "wx1"),
                ("mch_id", "m1"),
                ("nonce_str", "n"),
                ("result_code", "SUCCESS"),
                ("prepay_id", "wx2014"),
                ("trade_type", "NATIVE"),
                ("code_url", "weixin://wxpay/bizpayurl?pr=abc"),
            ],
            SignType::HmacSha256,
        );
        let m = parse_response(&body, KEY, SignType::HmacSha256).unwrap();
        let r = UnifiedOrderResponse::from_map(m).unwrap();
        assert_eq!(
            r.code_url.as_deref(),
            Some("weixin://wxpay/bizpayurl?pr=abc")
        );
        let fail = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>";
        assert_eq!(
            parse_response(fail, KEY, SignType::Md5),
            Err(PayError::ReturnFail {
                return_msg: "签名错误".into()
            })
        );
        let biz = signed(
            &[
                ("return_code", "SUCCESS"),
                ("result_code", "FAIL"),
                ("err_code", "ORDERPAID"),
                ("err_code_des", "该订单已支付"),
            ],
            SignType::Md5,
        );
        assert!(matches!(
            parse_response(&biz, KEY, SignType::Md5),
            Err(PayError::ResultFail { .. })
        ));
        let rq: PayMap = [
            ("refund_count", "2"),
            ("out_refund_no_0", "R0"),
            ("refund_id_0", "I0"),
            ("refund_fee_0", "1"),
            ("refund_status_0", "SUCCESS"),
            ("out_refund_no_1", "R1"),
            ("refund_id_1", "I1"),
            ("refund_fee_1", "2"),
            ("refund_status_1", "PROCESSING"),
        ]
        .into_iter()
        .collect();
        let r = RefundQueryResponse::from_map(rq).unwrap();
        assert_eq!(r.refunds.len(), 2);
        assert_eq!(r.refunds[1].refund_fee, Fen(2));
    }

    #[test]
    fn unified_order_map() {
        let r = UnifiedOrderRequest {
            body: "腾讯充值中心-QQ会员充值".into(),
            out_trade_no: "20150806125346".into(),
            total_fee: Fen(88),
            spbill_create_ip: "123.12.12.123".into(),
            notify_url: "https://example.com/notify".into(),
            trade_type: TradeType::Jsapi,
            openid: Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into()),
            product_id: None,
            attach: None,
            detail: None,
            time_start: None,
            time_expire: None,
            device_info: None,
            limit_pay: None,
            scene_info: None,
        };
        let creds = PayCredentials {
            appid: "wx2421b1c4370ec43b".into(),
            mch_id: "10000100".into(),
            api_key: KEY.into(),
            sign_type: SignType::HmacSha256,
        };
        let m = creds.sign_request(r.to_map());
        assert_eq!(m.get("total_fee"), Some("88"));
        assert_eq!(m.get("sign_type"), Some("HMAC-SHA256"));
        verify(&m, KEY, SignType::HmacSha256).unwrap();
        let p = JsapiPayParams::new(
            "wx1",
            "wx2014",
            KEY,
            SignType::Md5,
            "1414561699",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        );
        assert_eq!(p.package, "prepay_id=wx2014");
        let js = serde_json::to_value(&p).unwrap();
        assert!(js.get("paySign").is_some() && js.get("timeStamp").is_some());
    }

    /// The `getBrandWCPayRequest` signature: the v2 rule (checked against the published P1
    /// vector above) over the five camelCase fields. No published paySign comes with a key, so
    /// the fields are the JSAPI doc's example (jsapi.php?chapter=7_7) signed with P1's key, and
    /// the expected values were computed apart from this crate (Python `hashlib.md5` /
    /// `hmac.new(key, …, sha256)` over the stringSignTemp below).
    #[test]
    fn jsapi_pay_sign_is_the_v2_sign_over_the_camel_case_fields() {
        let string_a = "appId=wx2421b1c4370ec43b&nonceStr=e61463f8efa94090b1f366cccfbbb444&package=prepay_id=u802345jgfjsdfgsdg888&signType=MD5&timeStamp=1395712654";
        let m: PayMap = [
            ("appId", "wx2421b1c4370ec43b"),
            ("timeStamp", "1395712654"),
            ("nonceStr", "e61463f8efa94090b1f366cccfbbb444"),
            ("package", "prepay_id=u802345jgfjsdfgsdg888"),
            ("signType", "MD5"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            crate::pay::string_to_sign(&m, KEY),
            format!("{string_a}&key={KEY}")
        );
        let md5 = JsapiPayParams::new(
            "wx2421b1c4370ec43b",
            "u802345jgfjsdfgsdg888",
            KEY,
            SignType::Md5,
            "1395712654",
            "e61463f8efa94090b1f366cccfbbb444",
        );
        assert_eq!(md5.pay_sign, "0784A14C2CD35747364F62512E724FD8");
        assert_eq!(md5.sign_type, "MD5");
        let hmac = JsapiPayParams::new(
            "wx2421b1c4370ec43b",
            "u802345jgfjsdfgsdg888",
            KEY,
            SignType::HmacSha256,
            "1395712654",
            "e61463f8efa94090b1f366cccfbbb444",
        );
        assert_eq!(hmac.sign_type, "HMAC-SHA256");
        assert_eq!(
            hmac.pay_sign,
            "09064E137ACF9AEAA1B73E43E70968EC55B3952D4BC0A6FCEBB6F86FB2912319"
        );
        // The page passes exactly these names to the bridge.
        let js = serde_json::to_value(&md5).unwrap();
        let mut names: Vec<&str> = js.as_object().unwrap().keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "appId",
                "nonceStr",
                "package",
                "paySign",
                "signType",
                "timeStamp"
            ]
        );
    }
}
