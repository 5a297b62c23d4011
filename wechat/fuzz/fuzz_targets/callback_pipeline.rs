//! The callback pipeline's handling of what a caller controls, as the portal's `/wx/{id}` runs it
//! before touching the database: raw query string → `CallbackQuery::parse` → URL verification
//! (GET) or `open_post` (POST, plain, compatible and safe mode, OA and WeCom receive ids) →
//! `Callback::parse` → passive reply → `seal_reply`.
//!
//! Input: the first line is the raw query string, the rest the body. Half the inputs are also
//! re-sent *validly signed and encrypted* (the body as the plaintext), so the fuzzer reaches the
//! parser and the reply path behind the signature check; those must round-trip exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat::crypto::{CallbackQuery, MsgCrypt, parse_reply_envelope};
use wechat::message::Callback;
use wechat::reply::Reply;
use wechat::types::EncodingAesKey;

const TOKEN: &str = "pamtest";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let (raw_query, body) = s.split_once('\n').unwrap_or((s, ""));
    let key = EncodingAesKey::new(KEY).unwrap();
    let crypts = [
        MsgCrypt::new(TOKEN, &key, "wxb11529c136998cb6"),
        MsgCrypt::new(TOKEN, &key, "ww1436e0e65a779aee"),
    ];
    let q = CallbackQuery::parse(raw_query);
    for crypt in &crypts {
        let _ = crypt.verify_get(&q);
        if let Ok(opened) = crypt.open_post(&q, body) {
            answer(crypt, &opened, &q.nonce);
        }
    }

    // The same body as the plaintext of a genuine encrypted push: must open to exactly it.
    let crypt = &crypts[data.len() % 2];
    let (ts, nonce) = ("1409304348", "xxxxxx");
    let Ok((push, sig)) = crypt.encrypt_push(body, "gh_test", Some("1000002"), ts, nonce) else {
        return;
    };
    let q = CallbackQuery::parse(&format!(
        "msg_signature={sig}&timestamp={ts}&nonce={nonce}&encrypt_type=aes"
    ));
    let opened = crypt.open_post(&q, &push).expect("a genuine push opens");
    assert_eq!(opened.xml, body);
    answer(crypt, &opened, nonce);
});

/// Parse the opened message and, for a message, seal a passive reply and check that it opens
/// back to what was sealed.
fn answer(crypt: &MsgCrypt, opened: &wechat::crypto::OpenedCallback, nonce: &str) {
    let Ok(Callback::Message(msg)) = Callback::parse(&opened.xml) else { return };
    let _ = msg.dedup_key();
    let reply = Reply::text(&msg, "收到 ]]> <b>&amp;", 1_409_304_348).to_xml();
    let sealed = crypt
        .seal_reply(opened, &reply, "1409304348", nonce)
        .expect("a reply always seals");
    if opened.encrypted {
        let env = parse_reply_envelope(&sealed).expect("our envelope parses");
        let plain = crypt
            .decrypt_message(&env.msg_signature, &env.timestamp, &env.nonce, &sealed)
            .expect("our envelope opens");
        assert_eq!(plain, reply);
    }
    assert!(Reply::parse(&reply).is_ok(), "our reply parses: {reply}");
}
