//! Pay v2 XML: map parse, verify, notifications, refund notifications, responses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat::pay::{PayMap, PayNotify, RefundNotify, ScanCallbackRequest, SignType, parse_response, verify};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(m) = PayMap::from_xml(s) {
        // Anything that parses must re-serialise and parse to the same map.
        let again = PayMap::from_xml(&m.to_xml()).expect("re-parse of own output");
        assert_eq!(again, m);
        let _ = verify(&m, KEY, SignType::Md5);
        let _ = verify(&m, KEY, SignType::HmacSha256);
    }
    let _ = PayNotify::parse_and_verify(s, KEY, SignType::Md5);
    let _ = RefundNotify::parse(s, KEY);
    let _ = ScanCallbackRequest::parse_and_verify(s, KEY, SignType::HmacSha256);
    let _ = parse_response(s, KEY, SignType::Md5);
    let _ = wechat::pay::decrypt_req_info(s, KEY);
});
