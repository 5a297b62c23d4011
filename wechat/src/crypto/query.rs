//! The query string of a callback request: WeChat's parameters, percent-decoded the way WeChat
//! encodes them (`+` stays `+`: a base64 `echostr` may carry a literal `+`, and form decoding
//! would turn it into a space).

/// The query parameters of a callback request (already URL-decoded).
///
/// Feed it to [`MsgCrypt::verify_get`] / [`MsgCrypt::open_post`], which pick the right
/// signature for the mode, so `signature` and `msg_signature` cannot be mixed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackQuery {
    /// `signature` (OA plain signature).
    pub signature: Option<String>,
    /// `msg_signature` (encrypted modes, WeCom).
    pub msg_signature: Option<String>,
    /// `timestamp`.
    pub timestamp: String,
    /// `nonce`.
    pub nonce: String,
    /// `echostr` (URL verification only).
    pub echostr: Option<String>,
    /// `encrypt_type` (`aes` or `raw`/absent).
    pub encrypt_type: Option<String>,
}

impl CallbackQuery {
    /// Builds from decoded `(name, value)` pairs (unknown names are ignored).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = CallbackQuery::default();
        for (k, v) in pairs {
            let v = v.to_owned();
            match k {
                "signature" => q.signature = Some(v),
                "msg_signature" => q.msg_signature = Some(v),
                "timestamp" => q.timestamp = v,
                "nonce" => q.nonce = v,
                "echostr" => q.echostr = Some(v),
                "encrypt_type" => q.encrypt_type = Some(v),
                _ => {}
            }
        }
        q
    }

    /// True when the push is encrypted (`encrypt_type=aes`, or a `msg_signature` without
    /// `encrypt_type`, as WeCom sends).
    pub fn is_encrypted(&self) -> bool {
        match self.encrypt_type.as_deref() {
            Some("aes") => true,
            Some(_) => false,
            None => self.msg_signature.is_some(),
        }
    }
}

impl CallbackQuery {
    /// Parses a raw query string (`signature=…&timestamp=…`) as the server receives it.
    /// Never fails: missing parameters stay empty and are refused by the signature check.
    pub fn parse(raw: &str) -> Self {
        let pairs = query_pairs(raw);
        CallbackQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one component (`+` stays `+`; invalid escapes are kept as they are;
/// bytes that are not UTF-8 become U+FFFD).
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

/// The decoded `(name, value)` pairs of a raw query string.
pub fn query_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_stays_plus_and_escapes_decode() {
        assert_eq!(percent_decode("a+b%2Bc%3D%3d"), "a+b+c==");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        let q = CallbackQuery::parse(
            "signature=ab&timestamp=1&nonce=n&echostr=x%2By+z&encrypt_type=aes",
        );
        assert_eq!(q.echostr.as_deref(), Some("x+y+z"));
        assert!(q.is_encrypted());
    }
}
