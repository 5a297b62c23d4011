//! Pay v2 timestamps: `time_end` / `time_expire` are `yyyyMMddHHmmss` in Beijing time (UTC+8);
//! refund notifications write `success_time` as `yyyy-MM-dd HH:mm:ss`.

use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// Beijing time, the zone of every Pay v2 timestamp.
pub const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("UTC+8 is a valid offset"),
};

/// `yyyyMMddHHmmss` (Beijing time) as an instant in UTC; `None` for anything else.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u16>().ok();
    let month = Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::from(n(0..4)?), month, u8::try_from(n(6..8)?).ok()?).ok()?;
    let t = Time::from_hms(
        u8::try_from(n(8..10)?).ok()?,
        u8::try_from(n(10..12)?).ok()?,
        u8::try_from(n(12..14)?).ok()?,
    )
    .ok()?;
    Some(
        date.with_time(t)
            .assume_offset(BEIJING)
            .to_offset(UtcOffset::UTC),
    )
}

/// A refund's `success_time` (`2017-12-15 09:46:01`, Beijing time): its digits read as
/// [`parse_time`].
pub fn parse_success_time(s: &str) -> Option<OffsetDateTime> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    parse_time(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_time_becomes_utc() {
        let t = parse_time("20261207153000").unwrap();
        assert_eq!(t.offset(), UtcOffset::UTC);
        assert_eq!((t.hour(), t.minute(), t.day()), (7, 30, 7));
        assert_eq!(parse_success_time("2026-12-07 15:30:00"), Some(t));
    }

    #[test]
    fn anything_else_is_none() {
        for s in [
            "",
            "2026120715300",
            "202612071530000",
            "20261307153000",
            "20261232153000",
            "20261207243000",
            "2026120715300x",
            "２０２６１２０７１５３０００",
        ] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }
}
