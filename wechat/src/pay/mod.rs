//! WeChat Pay API v2: XML map codec, MD5 / HMAC-SHA256 signatures, request/response
//! types, payment and refund notifications, native mode 1 and bills.
//!
//! ## Signing rule
//!
//! All fields except `sign`, empty values dropped, sorted by name (ASCII), joined as
//! `k=v&…`, then `&key=API_KEY`; `MD5` → upper-hex MD5, `HMAC-SHA256` → upper-hex
//! HMAC-SHA256 keyed with the API key. Verification covers **every** received field
//! except `sign` (unknown fields included), and the sign type comes from **your order**,
//! never from the message (notifications omit `sign_type`). A missing or empty `sign` is
//! always rejected.
//!
//! ```
//! use wechat::pay::{PayMap, SignType, sign, verify};
//! let key = "192006250b4c09247ec02edce69f6a2d";
//! let mut m = PayMap::new();
//! m.insert("appid", "wxd930ea5d5a258f4f");
//! m.insert("mch_id", "10000100");
//! m.insert("device_info", "1000");
//! m.insert("body", "test");
//! m.insert("nonce_str", "ibuaiVcKdpRxkhJA");
//! // The official vector (P1) signs exactly these five fields:
//! assert_eq!(sign(&m, key, SignType::HmacSha256), "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
//! // For a real request, `PayMap::sign` also adds `sign_type=HMAC-SHA256` (itself signed) and `sign`:
//! m.sign(key, SignType::HmacSha256);
//! assert_eq!(m.get("sign_type"), Some("HMAC-SHA256"));
//! let xml = m.to_xml();
//! let back = PayMap::from_xml(&xml).unwrap();
//! assert!(verify(&back, key, SignType::HmacSha256).is_ok());
//! assert!(verify(&back, key, SignType::Md5).is_err());
//! ```

mod bill;
mod types;

mod timestamp;
pub use bill::{Bill, BillRow};
pub use timestamp::{BEIJING, parse_success_time, parse_time};
pub use types::*;

use std::collections::BTreeMap;

use aes::Aes256;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

use crate::error::PayError;
use crate::signature::constant_time_eq;
use crate::xml;

/// The signature algorithm of a Pay v2 message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum SignType {
    /// `MD5` (the default when `sign_type` is absent).
    #[default]
    #[serde(rename = "MD5")]
    Md5,
    /// `HMAC-SHA256`.
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
}

impl SignType {
    /// The wire name (`MD5` / `HMAC-SHA256`).
    pub fn as_str(&self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }
    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<SignType> {
        match s {
            "MD5" => Some(SignType::Md5),
            "HMAC-SHA256" => Some(SignType::HmacSha256),
            _ => None,
        }
    }
}

/// A flat Pay v2 message: `<xml><k>v</k>…</xml>`, ordered by key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PayMap(pub BTreeMap<String, String>);

impl PayMap {
    /// An empty map.
    pub fn new() -> Self {
        PayMap::default()
    }
    /// Sets a field.
    pub fn insert(&mut self, k: impl Into<String>, v: impl Into<String>) {
        self.0.insert(k.into(), v.into());
    }
    /// Sets a field when `v` is `Some`.
    pub fn insert_opt(&mut self, k: &str, v: Option<impl Into<String>>) {
        if let Some(v) = v {
            self.insert(k, v);
        }
    }
    /// A field value.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }
    /// A non-empty field value or a [`PayError::Field`].
    pub fn require(&self, k: &str) -> Result<&str, PayError> {
        self.get(k)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| PayError::Field {
                field: k.to_owned(),
                reason: "missing".into(),
            })
    }
    /// Removes a field.
    pub fn remove(&mut self, k: &str) -> Option<String> {
        self.0.remove(k)
    }
    /// Iterates fields in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Computes and sets `sign` (and `sign_type` for HMAC-SHA256, which must be signed
    /// along). Returns the signature.
    pub fn sign(&mut self, api_key: &str, sign_type: SignType) -> String {
        if sign_type == SignType::HmacSha256 {
            self.insert("sign_type", sign_type.as_str());
        }
        let s = sign(self, api_key, sign_type);
        self.insert("sign", s.clone());
        s
    }

    /// Computes and sets `sign` without adding `sign_type` — the shape of WeChat's own
    /// notifications and callbacks (for the emulator and tests).
    pub fn sign_without_type(&mut self, api_key: &str, sign_type: SignType) -> String {
        let s = sign(self, api_key, sign_type);
        self.insert("sign", s.clone());
        s
    }

    /// Parses a flat XML map (root `<xml>`). Nested elements are rejected; duplicate
    /// names are rejected (they would make the signature ambiguous).
    pub fn from_xml(body: &str) -> Result<PayMap, PayError> {
        let root = xml::parse_root(body, "xml").map_err(|e| PayError::Parse(e.to_string()))?;
        let mut m = BTreeMap::new();
        for c in root.children {
            if !c.children.is_empty() {
                return Err(PayError::Parse(format!("nested element <{}>", c.name)));
            }
            if m.insert(c.name.clone(), c.text).is_some() {
                return Err(PayError::Parse(format!("duplicate element <{}>", c.name)));
            }
        }
        Ok(PayMap(m))
    }

    /// Serialises to `<xml>…</xml>` (integers bare, everything else CDATA).
    pub fn to_xml(&self) -> String {
        let mut w = xml::Writer::new();
        w.open("xml");
        for (k, v) in &self.0 {
            w.auto(k, v);
        }
        w.close("xml");
        w.finish()
    }
}

impl From<BTreeMap<String, String>> for PayMap {
    fn from(m: BTreeMap<String, String>) -> Self {
        PayMap(m)
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for PayMap {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        PayMap(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// The string that is signed: `k1=v1&k2=v2…&key=API_KEY` (without `sign`, empty values dropped).
pub fn string_to_sign(map: &PayMap, api_key: &str) -> String {
    let mut s = String::new();
    for (k, v) in map.iter() {
        if k == "sign" || v.is_empty() {
            continue;
        }
        s.push_str(k);
        s.push('=');
        s.push_str(v);
        s.push('&');
    }
    s.push_str("key=");
    s.push_str(api_key);
    s
}

/// Computes the upper-case hex signature of a map.
pub fn sign(map: &PayMap, api_key: &str, sign_type: SignType) -> String {
    let s = string_to_sign(map, api_key);
    match sign_type {
        SignType::Md5 => hex::encode_upper(Md5::digest(s.as_bytes())),
        SignType::HmacSha256 => {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(api_key.as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(s.as_bytes());
            hex::encode_upper(mac.finalize().into_bytes())
        }
    }
}

/// Verifies `sign` over every field except `sign`, with the sign type **you** used for the
/// order/request. A missing or empty `sign` is rejected.
pub fn verify(map: &PayMap, api_key: &str, sign_type: SignType) -> Result<(), PayError> {
    let got = map
        .get("sign")
        .filter(|s| !s.is_empty())
        .ok_or(PayError::MissingSign)?;
    // If the message declares a sign type, it must agree with ours (never follow it).
    if let Some(declared) = map.get("sign_type").filter(|s| !s.is_empty())
        && SignType::parse(declared) != Some(sign_type)
    {
        return Err(PayError::SignatureMismatch);
    }
    let expected = sign(map, api_key, sign_type);
    if constant_time_eq(&expected, &got.to_ascii_uppercase()) {
        Ok(())
    } else {
        Err(PayError::SignatureMismatch)
    }
}

/// **Server side only (the emulator):** verifies a merchant's *request* with the sign type
/// the request itself declares (`sign_type`, default `MD5`) — correct for whoever receives
/// requests, never for a merchant verifying WeChat's responses or notifications (use
/// [`verify`] with the order's sign type there).
pub fn verify_request_declared(map: &PayMap, api_key: &str) -> Result<SignType, PayError> {
    let st = match map.get("sign_type").filter(|s| !s.is_empty()) {
        None => SignType::Md5,
        Some(s) => SignType::parse(s).ok_or_else(|| PayError::Field {
            field: "sign_type".into(),
            reason: format!("unknown sign type {s:?}"),
        })?,
    };
    verify(map, api_key, st)?;
    Ok(st)
}

/// Checks a response: `return_code` must be `SUCCESS`, then the signature is verified
/// (when `return_code` is SUCCESS WeChat always signs), then `result_code` must be `SUCCESS`.
pub fn check_response(map: &PayMap, api_key: &str, sign_type: SignType) -> Result<(), PayError> {
    if map.get("return_code") != Some("SUCCESS") {
        return Err(PayError::ReturnFail {
            return_msg: map.get("return_msg").unwrap_or_default().to_owned(),
        });
    }
    verify(map, api_key, sign_type)?;
    if map.get("result_code").is_some_and(|r| r != "SUCCESS") {
        return Err(PayError::ResultFail {
            err_code: map.get("err_code").unwrap_or_default().to_owned(),
            err_code_des: map.get("err_code_des").unwrap_or_default().to_owned(),
        });
    }
    Ok(())
}

/// The exact reply that acknowledges a payment/refund notification (stops retries).
pub const NOTIFY_SUCCESS_REPLY: &str = "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>";

/// A FAIL reply to a notification (WeChat will retry).
pub fn notify_fail_reply(msg: &str) -> String {
    let mut w = xml::Writer::new();
    w.open("xml");
    w.cdata("return_code", "FAIL");
    w.cdata("return_msg", msg);
    w.close("xml");
    w.finish()
}

/// The key for `req_info`: ASCII of the lower-case hex MD5 of the API key (32 bytes).
fn req_info_key(api_key: &str) -> [u8; 32] {
    let h = hex::encode(Md5::digest(api_key.as_bytes()));
    let mut k = [0u8; 32];
    k.copy_from_slice(h.as_bytes());
    k
}

/// Decrypts a refund notification's `req_info` (AES-256-ECB, PKCS#7, key = lower-hex
/// md5(API key)) into its XML text (root `<root>`).
pub fn decrypt_req_info(req_info: &str, api_key: &str) -> Result<String, PayError> {
    let mut buf = STANDARD
        .decode(req_info.trim())
        .map_err(|_| PayError::ReqInfo)?;
    if buf.is_empty() || buf.len() % 16 != 0 {
        return Err(PayError::ReqInfo);
    }
    let key = req_info_key(api_key);
    let pt = ecb::Decryptor::<Aes256>::new((&key).into())
        .decrypt_padded_mut::<Pkcs7>(&mut buf)
        .map_err(|_| PayError::ReqInfo)?;
    String::from_utf8(pt.to_vec()).map_err(|_| PayError::ReqInfo)
}

/// Encrypts `req_info` plaintext the way WeChat does (for the emulator and tests).
pub fn encrypt_req_info(plaintext: &str, api_key: &str) -> String {
    let key = req_info_key(api_key);
    let ct = ecb::Encryptor::<Aes256>::new((&key).into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext.as_bytes());
    STANDARD.encode(ct)
}

fn urlencode(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// Native pay mode 1: the QR content
/// `weixin://wxpay/bizpayurl?sign=…&appid=…&mch_id=…&product_id=…&time_stamp=…&nonce_str=…`.
/// Signed with MD5 over `appid, mch_id, product_id, time_stamp, nonce_str`.
///
/// ```
/// let url = wechat::pay::bizpayurl("wx2421b1c4370ec43b", "10000100", "88888", "1415949957", "Nonce1", "key");
/// assert!(url.starts_with("weixin://wxpay/bizpayurl?sign="));
/// ```
pub fn bizpayurl(
    appid: &str,
    mch_id: &str,
    product_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    api_key: &str,
) -> String {
    let m: PayMap = [
        ("appid", appid),
        ("mch_id", mch_id),
        ("product_id", product_id),
        ("time_stamp", time_stamp),
        ("nonce_str", nonce_str),
    ]
    .into_iter()
    .collect();
    let s = sign(&m, api_key, SignType::Md5);
    format!(
        "weixin://wxpay/bizpayurl?sign={s}&appid={}&mch_id={}&product_id={}&time_stamp={}&nonce_str={}",
        urlencode(appid),
        urlencode(mch_id),
        urlencode(product_id),
        urlencode(time_stamp),
        urlencode(nonce_str)
    )
}

fn urldecode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let h = b.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses a mode-1 `weixin://wxpay/bizpayurl?…` into its fields (the emulator verifies it
/// with [`verify`] and `SignType::Md5`).
pub fn parse_bizpayurl(url: &str) -> Result<PayMap, PayError> {
    let q = url
        .strip_prefix("weixin://wxpay/bizpayurl?")
        .ok_or_else(|| PayError::Parse("not a weixin://wxpay/bizpayurl URL".into()))?;
    let mut m = PayMap::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = urldecode(k).ok_or_else(|| PayError::Parse("bad percent-encoding".into()))?;
        let v = urldecode(v).ok_or_else(|| PayError::Parse("bad percent-encoding".into()))?;
        if m.0.insert(k.clone(), v).is_some() {
            return Err(PayError::Parse(format!("duplicate parameter {k}")));
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bizpayurl_parse_and_emulator_helpers() {
        let url = bizpayurl("wx1", "m1", "商品 1&2", "1415949957", "n", KEY);
        let parsed = parse_bizpayurl(&url).unwrap();
        assert_eq!(parsed.get("product_id"), Some("商品 1&2"));
        verify(&parsed, KEY, SignType::Md5).unwrap();
        assert!(parse_bizpayurl("https://x").is_err());
        assert!(parse_bizpayurl("weixin://wxpay/bizpayurl?a=%zz").is_err());

        let mut h = p1();
        h.sign(KEY, SignType::HmacSha256);
        assert_eq!(verify_request_declared(&h, KEY), Ok(SignType::HmacSha256));
        let mut m = p1();
        m.sign(KEY, SignType::Md5);
        assert_eq!(verify_request_declared(&m, KEY), Ok(SignType::Md5));
        let mut n = p1();
        n.sign_without_type(KEY, SignType::HmacSha256);
        assert_eq!(n.get("sign_type"), None);
        assert!(verify(&n, KEY, SignType::HmacSha256).is_ok());
    }

    fn p1() -> PayMap {
        [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ]
        .into_iter()
        .collect()
    }
    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    #[test]
    fn p1_official_vector() {
        let m = p1();
        assert_eq!(
            string_to_sign(&m, KEY),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d"
        );
        assert_eq!(
            sign(&m, KEY, SignType::Md5),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
        assert_eq!(
            sign(&m, KEY, SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn empty_values_dropped_zero_kept_sign_excluded() {
        let mut m = p1();
        m.insert("attach", "");
        m.insert("sign", "whatever");
        assert_eq!(
            sign(&m, KEY, SignType::Md5),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
        m.insert("coupon_fee", "0");
        assert!(string_to_sign(&m, KEY).contains("coupon_fee=0&"));
    }

    #[test]
    fn verify_rules() {
        let mut m = p1();
        m.sign(KEY, SignType::Md5);
        assert!(verify(&m, KEY, SignType::Md5).is_ok());
        // unknown extra fields are covered by the signature
        let mut t = m.clone();
        t.insert("rate_value", "0.6");
        assert_eq!(
            verify(&t, KEY, SignType::Md5),
            Err(PayError::SignatureMismatch)
        );
        // sign type comes from us, not from the message
        assert_eq!(
            verify(&m, KEY, SignType::HmacSha256),
            Err(PayError::SignatureMismatch)
        );
        // forged: empty or missing sign
        let mut f = p1();
        f.insert("sign", "");
        assert_eq!(verify(&f, KEY, SignType::Md5), Err(PayError::MissingSign));
        assert_eq!(
            verify(&p1(), KEY, SignType::Md5),
            Err(PayError::MissingSign)
        );
        // lower-case hex accepted
        let mut l = m.clone();
        let s = l.get("sign").unwrap().to_ascii_lowercase();
        l.insert("sign", s);
        assert!(verify(&l, KEY, SignType::Md5).is_ok());
        // HMAC with sign_type field included in the signature
        let mut h = p1();
        h.sign(KEY, SignType::HmacSha256);
        assert_eq!(h.get("sign_type"), Some("HMAC-SHA256"));
        assert!(verify(&h, KEY, SignType::HmacSha256).is_ok());
        assert!(verify(&h, KEY, SignType::Md5).is_err());
    }

    /// Own vectors (Python hashlib/hmac): P1 with a Chinese `body`, both sign types.
    #[test]
    fn own_fixed_vectors_chinese_md5_and_hmac() {
        let mut m = p1();
        m.insert("body", "腾讯充值中心-QQ会员充值");
        assert_eq!(
            sign(&m, KEY, SignType::Md5),
            "385985D44CFE023026D6429EA056492E"
        );
        assert_eq!(
            sign(&m, KEY, SignType::HmacSha256),
            "430B03553E0C7B67F29DCCDC3D6B91A015AA1B818A99600AD4FBDD86BB2FBB92"
        );
    }

    /// Own vector (`openssl enc -aes-256-ecb`, key = ASCII md5hex(API key)).
    #[test]
    fn own_fixed_vector_req_info() {
        assert_eq!(
            decrypt_req_info(
                "WBzGpzQuNpcFxIlFjUUD9BZv+lpBMzd2SHiKCkwfALWid5G8ZvfOussfMIHLbKJmra8evOyzVK2yMBQck82k//AuGhNpbDcrLLyEq+vaZotiLozCdYds5DTd3H5JKlqQ",
                KEY
            )
            .unwrap(),
            "<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_fee>100</refund_fee></root>"
        );
    }

    #[test]
    fn own_vectors_chinese_both_sign_types() {
        // body with Chinese: signature over raw UTF-8 (no URL-encoding)
        let mut m = p1();
        m.insert("body", "腾讯充值中心-QQ会员充值");
        let s = string_to_sign(&m, KEY);
        assert!(s.contains("body=腾讯充值中心-QQ会员充值&"));
        let md5 = sign(&m, KEY, SignType::Md5);
        let hm = sign(&m, KEY, SignType::HmacSha256);
        assert_eq!(md5.len(), 32);
        assert_eq!(hm.len(), 64);
        assert_eq!(md5, hex::encode_upper(Md5::digest(s.as_bytes())));
        let back = PayMap::from_xml(&m.to_xml()).unwrap();
        assert_eq!(sign(&back, KEY, SignType::Md5), md5);
    }

    #[test]
    fn xml_codec() {
        let m = PayMap::from_xml(
            "<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee><x/></xml>",
        )
        .unwrap();
        assert_eq!(m.get("return_code"), Some("SUCCESS"));
        assert_eq!(m.get("total_fee"), Some("1"));
        assert_eq!(m.get("x"), Some(""));
        assert!(PayMap::from_xml("<xml><a>1</a><a>2</a></xml>").is_err());
        assert!(PayMap::from_xml("<xml><a><b>1</b></a></xml>").is_err());
        assert!(PayMap::from_xml("<root><a>1</a></root>").is_err());
        assert!(
            PayMap::from_xml(
                r#"<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>"#
            )
            .is_err()
        );
        assert_eq!(
            m.to_xml(),
            "<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee><x><![CDATA[]]></x></xml>"
        );
    }

    #[test]
    fn notify_replies() {
        assert_eq!(
            NOTIFY_SUCCESS_REPLY,
            "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
        );
        assert_eq!(
            notify_fail_reply("签名失败"),
            "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名失败]]></return_msg></xml>"
        );
    }

    #[test]
    fn req_info_roundtrip_and_key() {
        let plain = "<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_fee><![CDATA[100]]></refund_fee></root>";
        let enc = encrypt_req_info(plain, KEY);
        assert_eq!(decrypt_req_info(&enc, KEY).unwrap(), plain);
        assert!(decrypt_req_info(&enc, "wrongkeywrongkeywrongkeywrongkey").is_err());
        assert!(decrypt_req_info("!!", KEY).is_err());
        // key derivation: ASCII of lower-case hex md5
        assert_eq!(&req_info_key(KEY), hex::encode(Md5::digest(KEY)).as_bytes());
        // Independently computed: AES-256-ECB("hello" padded) under md5hex(KEY)
        let c = ecb::Encryptor::<Aes256>::new((&req_info_key(KEY)).into())
            .encrypt_padded_vec_mut::<Pkcs7>(b"hello");
        assert_eq!(c.len(), 16);
        assert_eq!(decrypt_req_info(&STANDARD.encode(c), KEY).unwrap(), "hello");
    }

    #[test]
    fn bizpayurl_is_signed_md5() {
        let url = bizpayurl(
            "wx2421b1c4370ec43b",
            "10000100",
            "88888",
            "1415949957",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            KEY,
        );
        let m: PayMap = [
            ("appid", "wx2421b1c4370ec43b"),
            ("mch_id", "10000100"),
            ("product_id", "88888"),
            ("time_stamp", "1415949957"),
            ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ]
        .into_iter()
        .collect();
        let s = sign(&m, KEY, SignType::Md5);
        assert_eq!(
            url,
            format!(
                "weixin://wxpay/bizpayurl?sign={s}&appid=wx2421b1c4370ec43b&mch_id=10000100&product_id=88888&time_stamp=1415949957&nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
            )
        );
    }

    proptest! {
        #[test]
        fn sign_verify_roundtrip(fields in proptest::collection::btree_map("[a-z_]{1,12}", "\\PC{0,30}", 1..10), md5 in any::<bool>()) {
            let st = if md5 { SignType::Md5 } else { SignType::HmacSha256 };
            let mut m = PayMap(fields);
            m.remove("sign");
            m.remove("sign_type");
            m.sign(KEY, st);
            let back = PayMap::from_xml(&m.to_xml()).unwrap();
            prop_assert!(verify(&back, KEY, st).is_ok());
        }

        #[test]
        fn pay_xml_never_panics(s in ".{0,200}") {
            let _ = PayMap::from_xml(&s);
        }
    }
}
