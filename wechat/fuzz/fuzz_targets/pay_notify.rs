//! The pay notify handler's work on what a caller controls, before the database: the body is read
//! as a Pay v2 map (to find the order), verified with the order's sign type, and its fields are
//! parsed (amount in fen, Beijing `time_end`); refund notifications decrypt `req_info`.
//!
//! Each input is tried as sent (must never verify: the fuzzer does not know the key) and, when it
//! is a map, re-signed with the merchant's key, so the field parsing behind the signature check
//! is reached; a correctly signed notification must verify under its own sign type only.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat::pay::{
    PayMap, PayNotify, RefundNotify, SignType, encrypt_req_info, parse_success_time, parse_time,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for st in [SignType::Md5, SignType::HmacSha256] {
        if let Ok(n) = PayNotify::parse_and_verify(s, KEY, st) {
            // Only possible when the input carries a valid signature for KEY.
            fields(&n);
        }
    }
    if let Ok(n) = RefundNotify::parse(s, KEY) {
        let _ = n.info.success_time.as_deref().map(parse_success_time);
    }
    // The input as the plaintext of a genuine refund notification's `req_info`.
    let mut refund = PayMap::new();
    refund.insert("return_code", "SUCCESS");
    refund.insert("appid", "wx2421b1c4370ec43b");
    refund.insert("mch_id", "10000100");
    refund.insert("req_info", encrypt_req_info(s, KEY));
    if let Ok(n) = RefundNotify::parse(&refund.to_xml(), KEY) {
        let _ = n.info.success_time.as_deref().map(parse_success_time);
    }
    let _ = parse_time(s);
    let _ = parse_success_time(s);

    let Ok(mut m) = PayMap::from_xml(s) else { return };
    let _ = m.get("out_trade_no");
    m.remove("sign");
    let st = if data.len() % 2 == 0 { SignType::Md5 } else { SignType::HmacSha256 };
    m.sign_without_type(KEY, st);
    let signed = m.to_xml();
    if let Ok(n) = PayNotify::parse_and_verify(&signed, KEY, st) {
        fields(&n);
    }
    let other = if st == SignType::Md5 { SignType::HmacSha256 } else { SignType::Md5 };
    if m.get("return_code") == Some("SUCCESS") {
        assert!(
            PayNotify::parse_and_verify(&signed, KEY, other).is_err(),
            "a notification verified under the sign type it was not signed with"
        );
    }
});

fn fields(n: &PayNotify) {
    let _ = n.total_fee;
    let _ = n.time_end.as_deref().map(parse_time);
}
