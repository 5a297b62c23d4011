//! `POST /pay/downloadbill`: the day's bill built from the orders and refunds, in WeChat's text
//! format (back-ticked fields, amounts in yuan), optionally gzipped.

use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;

use super::api::{cst_datetime, prelude};
use super::model::Merchant;
use super::xml_response;
use crate::clock::pay_date;
use crate::proto::xml::el;
use crate::state::Sim;

/// The current (免充值券) header of an ALL/SUCCESS/REFUND bill.
pub const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
/// The summary header.
pub const SUMMARY_HEADER: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
/// Fee rate applied in bills (0.6 %).
pub const FEE_RATE_PER_MILLE: i64 = 6;

/// Fen → yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

fn fee(fen: i64) -> i64 {
    (fen * FEE_RATE_PER_MILLE + 500) / 1000
}

fn row(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| format!("`{f}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Builds the bill text of `date` (yyyyMMdd, CST) for `bill_type` (ALL, SUCCESS, REFUND); `None`
/// when there is nothing to bill.
pub fn build(m: &Merchant, date: &str, bill_type: &str) -> Option<String> {
    let mut lines = Vec::new();
    let (mut n, mut settle, mut refunded, mut fees, mut ordered, mut applied) =
        (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let s = |x: &str| x.to_owned();
    if bill_type != "REFUND" {
        for o in m.orders.values() {
            let Some(paid) = o.paid_at else { continue };
            if pay_date(paid) != date {
                continue;
            }
            let f = fee(o.total_fee);
            lines.push(row(&[
                cst_datetime(paid),
                o.appid.clone(),
                m.cfg.mch_id.clone(),
                s("0"),
                o.request.get("device_info").cloned().unwrap_or_default(),
                o.transaction_id.clone().unwrap_or_default(),
                o.out_trade_no.clone(),
                o.openid.clone().unwrap_or_default(),
                o.trade_type.clone(),
                s("SUCCESS"),
                s("CFT"),
                s("CNY"),
                yuan(o.total_fee),
                s("0.00"),
                s("0"),
                s("0"),
                s("0.00"),
                s("0.00"),
                s(""),
                s(""),
                o.request.get("body").cloned().unwrap_or_default(),
                o.request.get("attach").cloned().unwrap_or_default(),
                format!("{}.{:05}", f / 100, (f % 100) * 1000),
                s("0.60%"),
                yuan(o.total_fee),
                s("0.00"),
                s(""),
            ]));
            n += 1;
            settle += o.total_fee;
            ordered += o.total_fee;
            fees += f;
        }
    }
    if bill_type != "SUCCESS" {
        for r in m.refunds.values() {
            if pay_date(r.success_time) != date {
                continue;
            }
            let o = m.orders.get(&r.out_trade_no);
            let f = -fee(r.refund_fee);
            lines.push(row(&[
                cst_datetime(r.success_time),
                o.map(|o| o.appid.clone()).unwrap_or_default(),
                m.cfg.mch_id.clone(),
                s("0"),
                s(""),
                r.transaction_id.clone(),
                r.out_trade_no.clone(),
                o.and_then(|o| o.openid.clone()).unwrap_or_default(),
                o.map(|o| o.trade_type.clone()).unwrap_or_default(),
                s("REFUND"),
                s("CFT"),
                s("CNY"),
                s("0.00"),
                s("0.00"),
                r.refund_id.clone(),
                r.out_refund_no.clone(),
                yuan(r.refund_fee),
                s("0.00"),
                s("ORIGINAL"),
                s("SUCCESS"),
                o.and_then(|o| o.request.get("body").cloned())
                    .unwrap_or_default(),
                o.and_then(|o| o.request.get("attach").cloned())
                    .unwrap_or_default(),
                format!("-{}.{:05}", -f / 100, (-f % 100) * 1000),
                s("0.60%"),
                s("0.00"),
                yuan(r.refund_fee),
                s(""),
            ]));
            n += 1;
            refunded += r.refund_fee;
            applied += r.refund_fee;
            fees += f;
        }
    }
    if lines.is_empty() {
        return None;
    }
    let fee_total = if fees < 0 {
        format!("-{}.{:05}", -fees / 100, (-fees % 100) * 1000)
    } else {
        format!("{}.{:05}", fees / 100, (fees % 100) * 1000)
    };
    let summary = row(&[
        n.to_string(),
        yuan(settle),
        yuan(refunded),
        s("0.00"),
        fee_total,
        yuan(ordered),
        yuan(applied),
    ]);
    // ⚠️ line endings: the real bill uses "\r\n" as far as parsers show; the emulator does too.
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str("\r\n");
    for l in lines {
        out.push_str(&l);
        out.push_str("\r\n");
    }
    out.push_str(SUMMARY_HEADER);
    out.push_str("\r\n");
    out.push_str(&summary);
    out.push_str("\r\n");
    Some(out)
}

fn no_bill() -> Response {
    xml_response(format!(
        "<xml>{}{}{}</xml>",
        el("return_code", "FAIL"),
        el("return_msg", "No Bill Exist"),
        el("error_code", "20002")
    ))
}

/// `POST /pay/downloadbill` `{bill_date, bill_type, tar_type}`. Bills exist only for past days
/// (⚠️ WeChat publishes day D's bill on day D+1 around 9:00; the emulator allows any past day).
pub async fn downloadbill(AxState(sim): AxState<Arc<Sim>>, body: Bytes) -> Response {
    let req = match prelude(&sim, "/pay/downloadbill", &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let date = req.f("bill_date").to_owned();
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return super::return_fail("invalid bill_date");
    }
    let bill_type = match req.f("bill_type") {
        "" => "ALL".to_owned(),
        t @ ("ALL" | "SUCCESS" | "REFUND") => t.to_owned(),
        _ => return super::return_fail("invalid bill_type"),
    };
    if date >= pay_date(sim.now()) {
        return no_bill();
    }
    let text = sim.with(|s| {
        s.pay
            .merchants
            .get(&req.mch.mch_id)
            .and_then(|m| build(m, &date, &bill_type))
    });
    let Some(text) = text else { return no_bill() };
    if req.f("tar_type") == "GZIP" {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        let _ = gz.write_all(text.as_bytes());
        let bytes = gz.finish().unwrap_or_default();
        return ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response();
    }
    ([(header::CONTENT_TYPE, "text/plain;charset=utf-8")], text).into_response()
}
