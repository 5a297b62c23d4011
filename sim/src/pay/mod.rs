//! WeChat Pay API v2 under `/api.mch.weixin.qq.com`: orders, refunds, bills, notifications and
//! the payer's side (scanning mode-1/mode-2 codes, paying prepay_ids).

pub mod api;
pub mod bill;
pub mod model;
pub mod notify;
pub mod payer;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::proto::sign::{SignType, pay_sign, random_alnum};
use crate::proto::xml::{el, pay_xml_response};
use crate::state::Sim;

/// A Pay v2 field map.
pub type PayMap = BTreeMap<String, String>;

/// The header carrying the client certificate's SHA-256 fingerprint over plain HTTP.
pub const CLIENT_CERT_HEADER: &str = "x-sim-client-cert-sha256";

/// Renders an XML body.
pub fn xml_response(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    r
}

/// `return_code` FAIL (communication-level failure; unsigned).
pub fn return_fail(msg: &str) -> Response {
    xml_response(format!(
        "<xml>{}{}</xml>",
        el("return_code", "FAIL"),
        el("return_msg", msg)
    ))
}

/// Signs `m` (adding `nonce_str` if absent) and renders it.
pub fn signed(mut m: PayMap, key: &str, st: SignType) -> Response {
    m.entry("nonce_str".into())
        .or_insert_with(|| random_alnum(16));
    let s = pay_sign(&m, key, st);
    m.insert("sign".into(), s);
    xml_response(pay_xml_response(&m))
}

/// Routes of `api.mch.weixin.qq.com`.
pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/pay/unifiedorder", post(api::unifiedorder))
        .route("/pay/orderquery", post(api::orderquery))
        .route("/pay/closeorder", post(api::closeorder))
        .route("/secapi/pay/refund", post(api::refund))
        .route("/pay/refundquery", post(api::refundquery))
        .route("/pay/downloadbill", post(bill::downloadbill))
        .route("/tools/shorturl", post(api::shorturl))
}
