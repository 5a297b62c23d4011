//! Small helpers shared by several capabilities.

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// RFC 3339 in UTC, e.g. `2026-01-01T12:00:00Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}
