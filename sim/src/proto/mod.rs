//! Protocol primitives the emulator needs: callback crypto (WXBizMsgCrypt), signatures,
//! Pay v2 signing and `req_info` encryption, a small XML reader/writer and a PNG writer.
//!
//! These are independent re-implementations of the rules in the protocol reference (§1, §3).
//! The `wechat` crate implements the same rules for the portal; keeping the emulator's own
//! copy means a bug on one side shows up as a test failure instead of cancelling out.
//! (Listed in the report as candidates to share once `wechat` has stabilised.)

pub mod crypto;
pub mod png;
pub mod sign;
pub mod xml;
