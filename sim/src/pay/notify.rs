//! Pay result and refund notifications, with WeChat's retry schedule on the emulated clock.

use super::PayMap;
use super::api::{cst_datetime, paid_fields};
use crate::callback::{Delivery, Outcome, post_once};
use crate::proto::sign::{encrypt_req_info, pay_sign, random_alnum};
use crate::proto::xml::{self, el, pay_xml};
use crate::sched::Job;
use crate::state::Sim;

/// Seconds between notify attempts: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h
/// (⚠️ as documented; total about 24 h). Advance the clock to fast-forward.
pub const RETRY_SCHEDULE: &[i64] = &[
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

/// Whether a notify reply acknowledges: XML with `return_code` SUCCESS.
pub fn acknowledged(body: &str) -> bool {
    xml::parse(body.trim())
        .ok()
        .and_then(|n| n.get("return_code").map(|c| c == "SUCCESS"))
        .unwrap_or(false)
}

async fn post_and_schedule(
    sim: &Sim,
    mut d: Delivery,
    attempt: usize,
    due: i64,
    next: Job,
) -> bool {
    let (a, body) = post_once(sim, &d.url, &d.body, "text/xml").await;
    d.attempts.push(a);
    let ok = match &body {
        None => {
            d.outcome = Outcome::Failed;
            false
        }
        Some(b) if acknowledged(b) => {
            d.outcome = Outcome::Acknowledged;
            true
        }
        Some(b) => {
            d.outcome = Outcome::InvalidReply;
            d.reply_error = Some(format!(
                "not a SUCCESS acknowledgement: {}",
                b.chars().take(200).collect::<String>()
            ));
            false
        }
    };
    if !ok && let Some(delay) = RETRY_SCHEDULE.get(attempt) {
        let at = due + delay;
        sim.with(|s| s.schedule(at, next));
    }
    sim.record_delivery(d);
    ok
}

/// Sends attempt `attempt` (0-based) of an order's pay notify.
pub async fn send_pay_notify(
    sim: &Sim,
    mch_id: &str,
    out_trade_no: &str,
    attempt: usize,
    due: i64,
) {
    let found = sim.with(|s| {
        let id = s.id();
        let m = s.pay.merchants.get_mut(mch_id)?;
        let key = m.cfg.key.clone();
        let o = m.orders.get_mut(out_trade_no)?;
        if o.notify_acknowledged {
            return None;
        }
        o.notify_attempts += 1;
        Some((id, key, o.clone()))
    });
    let Some((id, key, o)) = found else { return };
    let mut map: PayMap = paid_fields(&o);
    map.insert("return_code".into(), "SUCCESS".into());
    map.insert("result_code".into(), "SUCCESS".into());
    map.insert("appid".into(), o.appid.clone());
    map.insert("mch_id".into(), mch_id.to_owned());
    map.insert("nonce_str".into(), random_alnum(32));
    // The notify is signed with the order's sign type but carries no `sign_type` field (a
    // classic pitfall for HMAC-SHA256 merchants).
    let sign = pay_sign(&map, &key, o.sign_type);
    map.insert("sign".into(), sign);
    let mut d = Delivery::new(id, "pay_notify", mch_id, out_trade_no);
    d.url = o.notify_url.clone();
    d.body = pay_xml(&map);
    d.message = d.body.clone();
    let next = Job::PayNotify {
        mch_id: mch_id.to_owned(),
        out_trade_no: out_trade_no.to_owned(),
        attempt: attempt + 1,
    };
    if post_and_schedule(sim, d, attempt, due, next).await {
        sim.with(|s| {
            if let Some(o) = s
                .pay
                .merchants
                .get_mut(mch_id)
                .and_then(|m| m.orders.get_mut(out_trade_no))
            {
                o.notify_acknowledged = true;
            }
        });
    }
}

/// Sends attempt `attempt` of a refund notify (`req_info` encrypted with md5(key)).
pub async fn send_refund_notify(
    sim: &Sim,
    mch_id: &str,
    out_refund_no: &str,
    attempt: usize,
    due: i64,
) {
    let found = sim.with(|s| {
        let id = s.id();
        let m = s.pay.merchants.get(mch_id)?;
        let r = m.refunds.get(out_refund_no)?;
        if r.notify_acknowledged {
            return None;
        }
        let appid = m
            .orders
            .get(&r.out_trade_no)
            .map(|o| o.appid.clone())
            .unwrap_or_default();
        Some((id, m.cfg.key.clone(), appid, r.clone()))
    });
    let Some((id, key, appid, r)) = found else {
        return;
    };
    let Some(url) = r.notify_url.clone() else {
        return;
    };
    let inner = format!(
        "<root>\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n</root>",
        el("out_refund_no", &r.out_refund_no),
        el("out_trade_no", &r.out_trade_no),
        el("refund_account", "REFUND_SOURCE_RECHARGE_FUNDS"),
        el("refund_fee", &r.refund_fee.to_string()),
        el("refund_id", &r.refund_id),
        el("refund_recv_accout", "支付用户零钱"),
        el("refund_request_source", "API"),
        el("refund_status", &r.status),
        el("settlement_refund_fee", &r.refund_fee.to_string()),
        el("settlement_total_fee", &r.total_fee.to_string()),
        el("success_time", &cst_datetime(r.success_time)),
        el("total_fee", &r.total_fee.to_string()),
        el("transaction_id", &r.transaction_id),
    );
    let mut map = PayMap::new();
    map.insert("return_code".into(), "SUCCESS".into());
    map.insert("appid".into(), appid);
    map.insert("mch_id".into(), mch_id.to_owned());
    map.insert("nonce_str".into(), random_alnum(32));
    map.insert("req_info".into(), encrypt_req_info(&inner, &key));
    let mut d = Delivery::new(id, "refund_notify", mch_id, out_refund_no);
    d.url = url;
    d.body = pay_xml(&map);
    d.message = inner;
    let next = Job::RefundNotify {
        mch_id: mch_id.to_owned(),
        out_refund_no: out_refund_no.to_owned(),
        attempt: attempt + 1,
    };
    if post_and_schedule(sim, d, attempt, due, next).await {
        sim.with(|s| {
            if let Some(r) = s
                .pay
                .merchants
                .get_mut(mch_id)
                .and_then(|m| m.refunds.get_mut(out_refund_no))
            {
                r.notify_acknowledged = true;
            }
        });
    }
}
