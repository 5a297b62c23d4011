//! Content negotiation on `Accept-Encoding` (RFC 9110 §12.5.3): which of the codings a response
//! has on hand the client accepts best. Used for the SPA's precompressed assets (`spa`) and the
//! gzip of small dynamic pages (`compress`).

use axum::http::{HeaderMap, header};

/// A content coding the portal can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The token in `Accept-Encoding` and `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
            Coding::Identity => "identity",
        }
    }
}

/// The quality (0–1000) the request gives `coding`: its own entry, else the `*` entry, else 0.
/// `identity` is acceptable unless excluded (RFC 9110): unlisted, it gets 1 (1000) unless
/// `*;q=0` excludes it. No header at all: only identity (a client that says nothing gets the
/// bytes as they are).
fn quality(headers: &HeaderMap, coding: Coding) -> u16 {
    let mut own = None;
    let mut star = None;
    let mut any_header = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        any_header = true;
        let Ok(value) = value.to_str() else { continue };
        for entry in value.split(',') {
            let mut parts = entry.split(';');
            let name = parts.next().unwrap_or("").trim();
            if name.is_empty() {
                continue;
            }
            let q = parts
                .filter_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| parse_q(v.trim()))
                })
                .next_back()
                .unwrap_or(Some(1000));
            // A malformed q-value makes the entry unusable, not acceptable.
            let q = q.unwrap_or(0);
            let names_it = name.eq_ignore_ascii_case(coding.token())
                || (coding == Coding::Gzip && name.eq_ignore_ascii_case("x-gzip"));
            if names_it {
                own = Some(own.map_or(q, |o: u16| o.max(q)));
            } else if name == "*" {
                star = Some(q);
            }
        }
    }
    match (coding, own, star) {
        (_, Some(q), _) => q,
        (Coding::Identity, None, Some(0)) => 0,
        (Coding::Identity, None, _) => 1000,
        (_, None, _) if !any_header => 0,
        (_, None, Some(q)) => q,
        (_, None, None) => 0,
    }
}

/// `1`, `0.5`, `0.125`, `1.000` → thousandths; anything else (`2`, `abc`, `0.1234`) → `None`.
fn parse_q(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scaled = match int {
        "0" => format!("{frac:0<3}").parse::<u16>().ok()?,
        "1" if frac.bytes().all(|b| b == b'0') => 1000,
        _ => return None,
    };
    Some(scaled)
}

/// The best of `available` (in the server's order of preference, identity implied last) that the
/// request accepts. A compressed coding wins over identity unless the client rates identity
/// strictly higher; when nothing listed is acceptable, identity (the bytes as they are).
pub fn choose(headers: &HeaderMap, available: &[Coding]) -> Coding {
    let mut best = None;
    for &coding in available {
        if coding == Coding::Identity {
            continue;
        }
        let q = quality(headers, coding);
        if q > 0 && best.is_none_or(|(_, bq)| q > bq) {
            best = Some((coding, q));
        }
    }
    match best {
        Some((coding, q))
            if quality(headers, Coding::Identity) <= q || !lists_identity(headers) =>
        {
            coding
        }
        _ => Coding::Identity,
    }
}

fn lists_identity(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            e.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("identity")
        })
}

/// Whether the request accepts gzip at all.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    quality(headers, Coding::Gzip) > 0
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;
    use Coding::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    const ALL: &[Coding] = &[Brotli, Gzip];

    #[test]
    fn browsers_get_brotli() {
        assert_eq!(choose(&with("gzip, deflate, br, zstd"), ALL), Brotli);
        assert_eq!(choose(&with("gzip, deflate, br"), &[Gzip]), Gzip);
        assert_eq!(choose(&with("BR"), ALL), Brotli);
    }

    #[test]
    fn q_values_rank_and_exclude() {
        assert_eq!(choose(&with("br;q=0.5, gzip"), ALL), Gzip);
        assert_eq!(choose(&with("br;q=0.9, gzip;q=0.8"), ALL), Brotli);
        assert_eq!(choose(&with("gzip;q=0, br;q=0.1"), ALL), Brotli);
        assert_eq!(choose(&with("br;q=0, gzip;q=0.0"), ALL), Identity);
        assert_eq!(choose(&with("br; q=0.000"), ALL), Identity);
        assert_eq!(choose(&with("br;q=2"), ALL), Identity);
        assert_eq!(choose(&with("x-gzip"), ALL), Gzip);
    }

    #[test]
    fn identity_only_when_preferred_or_nothing_else_fits() {
        assert_eq!(choose(&HeaderMap::new(), ALL), Identity);
        assert_eq!(choose(&with(""), ALL), Identity);
        assert_eq!(choose(&with("identity"), ALL), Identity);
        assert_eq!(choose(&with("deflate"), ALL), Identity);
        assert_eq!(choose(&with("gzip;q=0.5, identity"), ALL), Identity);
        assert_eq!(choose(&with("gzip, identity;q=0.5"), ALL), Gzip);
        assert_eq!(choose(&with("*"), ALL), Brotli);
        assert_eq!(choose(&with("*;q=0.3, br;q=0"), ALL), Gzip);
    }

    #[test]
    fn gzip_acceptance() {
        assert!(!accepts_gzip(&HeaderMap::new()));
        assert!(accepts_gzip(&with("br, gzip, deflate")));
        assert!(!accepts_gzip(&with("gzip;q=0, br")));
        assert!(!accepts_gzip(&with("gzip; q=0.0")));
        assert!(accepts_gzip(&with("*")));
    }
}
