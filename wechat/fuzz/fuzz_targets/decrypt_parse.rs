//! Callback path: arbitrary body → signature check → decrypt → parse, plus decrypting
//! arbitrary ciphertext under a fixed key and parsing whatever comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat::crypto::{MsgCrypt, decrypt_raw};
use wechat::message::Callback;
use wechat::types::EncodingAesKey;

fuzz_target!(|data: &[u8]| {
    let key = EncodingAesKey::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap();
    let crypt = MsgCrypt::new("token", &key, "wxb11529c136998cb6");
    if let Ok(s) = std::str::from_utf8(data) {
        // as a whole push body
        let _ = crypt.decrypt_message("sig", "1", "2", s);
        // as a plaintext message
        let _ = Callback::parse(s);
        let _ = wechat::reply::Reply::parse(s);
        // as an Encrypt value with a valid signature
        let sig = wechat::signature::msg_signature("token", "1", "2", s);
        if let Ok(plain) = crypt.verify_url(&sig, "1", "2", s) {
            let _ = Callback::parse(&plain);
        }
    }
    // arbitrary ciphertext blocks: decrypt, then parse the plaintext
    let b64 = base64_encode(data);
    if let Ok(d) = decrypt_raw(key.aes_key(), &b64)
        && let Ok(s) = std::str::from_utf8(&d.msg)
    {
        let _ = Callback::parse(s);
    }
});

fn base64_encode(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}
