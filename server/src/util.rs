//! Small helpers shared by several capabilities.

use sha2::Digest;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// RFC 3339 in UTC, e.g. `2026-01-01T12:00:00Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// `%needle%` for `LIKE … ESCAPE '\'`: the wildcards `%` and `_` and the escape character
/// itself are escaped, so the needle matches literally.
pub fn like_contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// `col LIKE '%needle%' ESCAPE '\'` with the needle taken literally.
pub fn like_contains(
    col: impl sea_orm::sea_query::IntoColumnRef,
    needle: &str,
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
    Expr::col(col).like(LikeExpr::new(like_contains_pattern(needle)).escape('\\'))
}

/// At most this many bytes of a rejected request's body are stored.
pub const REJECTED_BODY_KEEP: usize = 4096;
/// Rejected requests per account per minute whose body prefix is stored; beyond, only their
/// length and hash are (they still count and show in the inspector).
pub const REJECTED_BODIES_PER_MINUTE: u64 = 20;

/// What is stored of a rejected request's `body`: at most [`REJECTED_BODY_KEEP`] bytes of it
/// (none when `keep` is false), and, when that is not the whole body, a note with its full
/// length and SHA-256 hash.
pub fn rejected_body(body: &str, keep: bool) -> (String, Option<String>) {
    if keep && body.len() <= REJECTED_BODY_KEEP {
        return (body.to_string(), None);
    }
    let kept = if keep {
        &body[..body.floor_char_boundary(REJECTED_BODY_KEEP)]
    } else {
        ""
    };
    let note = format!(
        "body of {} bytes, sha256 {}; {} bytes stored{}",
        body.len(),
        hex::encode(sha2::Sha256::digest(body.as_bytes())),
        kept.len(),
        if keep {
            ""
        } else {
            " (too many rejected requests this minute)"
        },
    );
    (kept.to_string(), Some(note))
}

/// `diagnosis` with the note of [`rejected_body`] appended.
pub fn with_note(diagnosis: Option<String>, note: Option<String>) -> Option<String> {
    match (diagnosis, note) {
        (Some(d), Some(n)) => Some(format!("{d} [{n}]")),
        (d, None) => d,
        (None, n) => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_contains_pattern("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
        assert_eq!(like_contains_pattern("plain"), "%plain%");
    }

    #[test]
    fn rejected_bodies_are_bounded_and_identified() {
        assert_eq!(rejected_body("<xml/>", true), ("<xml/>".to_string(), None));
        let big = "é".repeat(REJECTED_BODY_KEEP);
        let (kept, note) = rejected_body(&big, true);
        assert!(kept.len() <= REJECTED_BODY_KEEP && big.starts_with(&kept));
        let note = note.unwrap();
        assert!(note.contains(&format!("{} bytes", big.len())), "{note}");
        assert!(note.contains(&hex::encode(sha2::Sha256::digest(big.as_bytes()))));
        let (none, note) = rejected_body("<xml/>", false);
        assert!(none.is_empty() && note.unwrap().contains("6 bytes"));
    }
}
