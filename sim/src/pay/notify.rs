//! Pay result and refund notifications.

use crate::state::Sim;

/// Sends attempt `attempt` of the pay notify of an order.
pub async fn send_pay_notify(_sim: &Sim, _mch_id: &str, _out_trade_no: &str, _attempt: usize) {}

/// Sends attempt `attempt` of a refund notify.
pub async fn send_refund_notify(_sim: &Sim, _mch_id: &str, _out_refund_no: &str, _attempt: usize) {}
