//! Query-string decoding for callbacks: percent-decoding that keeps `+` as `+` (WeChat's
//! base64 `echostr` may carry a literal `+`; form decoding would turn it into a space).

use wechat::crypto::CallbackQuery;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one component (`+` stays `+`; invalid escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded `(name, value)` pairs.
pub fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// The callback query of a raw query string.
pub fn callback_query(raw: &str) -> CallbackQuery {
    let p = pairs(raw);
    CallbackQuery::from_pairs(p.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_stays_plus_and_escapes_decode() {
        assert_eq!(percent_decode("a+b%2Bc%3D%3d"), "a+b+c==");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        let q = callback_query("signature=ab&timestamp=1&nonce=n&echostr=x%2By+z&encrypt_type=aes");
        assert_eq!(q.echostr.as_deref(), Some("x+y+z"));
        assert!(q.is_encrypted());
    }
}
