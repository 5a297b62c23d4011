//! `/_sim/pay/…`: merchants and acting as a payer.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::SimError;
use crate::pay::model::{Merchant, MerchantConfig};
use crate::pay::payer::{Paid, PayerAction};
use crate::proto::sign::SignType;
use crate::state::Sim;

type S = AxState<Arc<Sim>>;
type R<T> = Result<Json<T>, SimError>;

/// A partial update of a merchant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MerchantUpdate {
    /// New API key.
    #[serde(default)]
    pub key: Option<String>,
    /// Bound appids.
    #[serde(default)]
    pub appids: Option<Vec<String>>,
    /// Sign type for emulator-initiated messages.
    #[serde(default)]
    pub sign_type: Option<SignType>,
    /// Client certificate fingerprint.
    #[serde(default)]
    pub cert_sha256: Option<String>,
    /// Mode-1 scan callback URL (`""` removes it).
    #[serde(default)]
    pub scan_callback_url: Option<String>,
    /// Refund notify URL (`""` removes it).
    #[serde(default)]
    pub refund_notify_url: Option<String>,
}

/// A test's change to an order on WeChat's side, to make the merchant's records and WeChat's
/// disagree (reconciliation tests): applied in this order.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrderAlteration {
    /// Insert a paid copy of the order under this `out_trade_no` (an order the merchant never
    /// heard of); the rest applies to the original.
    #[serde(default)]
    pub copy_as: Option<String>,
    /// Change the amount (fen).
    #[serde(default)]
    pub total_fee: Option<i64>,
    /// Mark the order paid now, without any notification to the merchant.
    #[serde(default)]
    pub mark_paid: bool,
    /// Forget the order.
    #[serde(default)]
    pub remove: bool,
}

impl Sim {
    /// Alters an order on WeChat's side (see [`OrderAlteration`]).
    pub fn alter_pay_order(
        &self,
        mch_id: &str,
        out_trade_no: &str,
        a: OrderAlteration,
    ) -> Result<(), SimError> {
        let now = self.now();
        self.with(|s| {
            let m = s
                .pay
                .merchants
                .get_mut(mch_id)
                .ok_or_else(|| SimError::not_found("no such merchant"))?;
            let order = m
                .orders
                .get(out_trade_no)
                .cloned()
                .ok_or_else(|| SimError::not_found("no such order"))?;
            let pay = |o: &mut crate::pay::model::Order| {
                o.state = crate::pay::model::TradeState::Success;
                o.paid_at = Some(now);
                o.notify_acknowledged = true;
                o.transaction_id = Some(format!(
                    "420000{:04}{}{:010}",
                    rand::random::<u16>() % 10_000,
                    crate::clock::pay_date(now),
                    rand::random::<u64>() % 10_000_000_000
                ));
                if o.openid.is_none() {
                    o.openid = Some(crate::oa::model::new_openid());
                }
            };
            if let Some(no) = a.copy_as {
                let mut copy = order.clone();
                copy.out_trade_no = no.clone();
                pay(&mut copy);
                m.orders.insert(no, copy);
            }
            let o = m
                .orders
                .get_mut(out_trade_no)
                .ok_or_else(|| SimError::not_found("no such order"))?;
            if let Some(fee) = a.total_fee {
                o.total_fee = fee;
            }
            if a.mark_paid {
                pay(o);
            }
            if a.remove {
                m.orders.remove(out_trade_no);
            }
            Ok(())
        })
    }

    /// Creates (or replaces) a merchant; empty fields are generated.
    pub fn create_merchant(&self, cfg: MerchantConfig) -> MerchantConfig {
        let cfg = cfg.fill();
        self.with(|s| s.pay.add_merchant(cfg.clone()));
        cfg
    }

    /// Updates a merchant.
    pub fn update_merchant(
        &self,
        mch_id: &str,
        u: MerchantUpdate,
    ) -> Result<MerchantConfig, SimError> {
        self.with(|s| {
            let m = s
                .pay
                .merchants
                .get_mut(mch_id)
                .ok_or_else(|| SimError::not_found("no such merchant"))?;
            let c = &mut m.cfg;
            if let Some(v) = u.key {
                c.key = v;
            }
            if let Some(v) = u.appids {
                c.appids = v;
            }
            if let Some(v) = u.sign_type {
                c.sign_type = Some(v);
            }
            if let Some(v) = u.cert_sha256 {
                c.cert_sha256 = v;
            }
            if let Some(v) = u.scan_callback_url {
                c.scan_callback_url = (!v.is_empty()).then_some(v);
            }
            if let Some(v) = u.refund_notify_url {
                c.refund_notify_url = (!v.is_empty()).then_some(v);
            }
            Ok(c.clone())
        })
    }

    /// A snapshot of a merchant with its orders and refunds.
    pub fn merchant(&self, mch_id: &str) -> Option<Merchant> {
        self.with(|s| s.pay.merchants.get(mch_id).cloned())
    }

    /// Acts as a payer (scan a code, pay a prepay_id). The pay notify follows on the scheduler.
    pub async fn pay_act(&self, action: PayerAction) -> Result<Paid, SimError> {
        crate::pay::payer::act(self, action).await
    }
}

async fn list(AxState(sim): S) -> Json<Value> {
    Json(json!(sim.with(|s| {
        s.pay
            .merchants
            .values()
            .map(|m| m.cfg.clone())
            .collect::<Vec<_>>()
    })))
}

async fn create(AxState(sim): S, Json(cfg): Json<MerchantConfig>) -> Json<MerchantConfig> {
    Json(sim.create_merchant(cfg))
}

async fn show(AxState(sim): S, Path(mch_id): Path<String>) -> R<Merchant> {
    sim.merchant(&mch_id)
        .map(Json)
        .ok_or_else(|| SimError::not_found("no such merchant"))
}

async fn update(
    AxState(sim): S,
    Path(mch_id): Path<String>,
    Json(u): Json<MerchantUpdate>,
) -> R<MerchantConfig> {
    sim.update_merchant(&mch_id, u).map(Json)
}

async fn alter_order(
    AxState(sim): S,
    Path((mch_id, out_trade_no)): Path<(String, String)>,
    Json(a): Json<OrderAlteration>,
) -> R<Value> {
    sim.alter_pay_order(&mch_id, &out_trade_no, a)?;
    Ok(Json(json!({"ok": true})))
}

async fn act(AxState(sim): S, Json(a): Json<PayerAction>) -> R<Paid> {
    sim.pay_act(a).await.map(Json)
}

pub(super) fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/pay/merchants", get(list).post(create))
        .route("/pay/merchants/{mch_id}", get(show).post(update))
        .route(
            "/pay/merchants/{mch_id}/orders/{out_trade_no}",
            post(alter_order),
        )
        .route("/pay/act", post(act))
}
