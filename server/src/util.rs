//! Small helpers shared by several capabilities.

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

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::like_contains_pattern("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
        assert_eq!(super::like_contains_pattern("plain"), "%plain%");
    }
}
