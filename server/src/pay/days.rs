//! Days in WeChat Pay are Beijing days (UTC+8): bills, the dashboard and the orders' date
//! filters all cut at Beijing midnight, whatever the server's or the browser's time zone.

use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time, UTC+8 (no daylight saving).
pub fn cst() -> UtcOffset {
    wechat::pay::BEIJING
}

/// The Beijing day a moment falls on.
pub fn day_of(t: OffsetDateTime) -> Date {
    t.to_offset(cst()).date()
}

/// Today in Beijing.
pub fn today() -> Date {
    day_of(OffsetDateTime::now_utc())
}

/// `[start, end)` of a Beijing day, as UTC instants: SQLite stores timestamps as text and
/// compares them as text, so a bound must carry the same `+00:00` offset as the stored values
/// (a `+08:00` bound would cut at the wrong moment).
pub fn bounds(d: Date) -> (OffsetDateTime, OffsetDateTime) {
    let start = d.midnight().assume_offset(cst()).to_offset(UtcOffset::UTC);
    (start, start + time::Duration::days(1))
}

/// `YYYY-MM-DD`.
pub fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_beijing_day_starts_at_16_00_utc_the_day_before() {
        let (start, end) = bounds(date!(2026 - 03 - 02));
        assert_eq!(start, datetime!(2026-03-01 16:00 UTC));
        assert_eq!(end, datetime!(2026-03-02 16:00 UTC));
        assert_eq!(
            (start.offset(), end.offset()),
            (UtcOffset::UTC, UtcOffset::UTC)
        );
        assert_eq!(
            day_of(datetime!(2026-03-01 16:00 UTC)),
            date!(2026 - 03 - 02)
        );
        assert_eq!(
            day_of(datetime!(2026-03-01 15:59:59 UTC)),
            date!(2026 - 03 - 01)
        );
        assert_eq!(date_str(date!(2026 - 03 - 02)), "2026-03-02");
    }
}
