//! Protocol primitives the emulator needs. Callback crypto, signatures, Pay v2 signing and
//! `req_info` encryption are thin adapters over the portal's `wechat` crate (the unit tests
//! here pin them to the protocol reference's vectors); the XML tree reader, the ordered JSON writer, the QR-code PNG
//! writer and the random-string helpers are the emulator's own.

pub mod crypto;
pub mod json;
pub mod png;
pub mod sign;
pub mod xml;
