//! The emulated clock. Every time-dependent behaviour (token expiry, temporary media, retry
//! schedules, suite tickets) reads this clock, never the system clock directly.
//!
//! Emulated time = system time + an offset that only grows (or is set explicitly), so time keeps
//! flowing in real time and `advance` jumps ahead.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// An advanceable clock, in milliseconds since the Unix epoch.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    /// A clock showing system time.
    pub fn new() -> Self {
        Clock::default()
    }

    /// Emulated now, in milliseconds.
    pub fn now_ms(&self) -> i64 {
        system_ms() + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Emulated now, in whole seconds (WeChat's `CreateTime`, `subscribe_time`, …).
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Jumps ahead by `ms` milliseconds (negative values are ignored: time never goes back).
    pub fn advance_ms(&self, ms: i64) {
        if ms > 0 {
            self.offset_ms.fetch_add(ms, Ordering::SeqCst);
        }
    }

    /// Sets emulated now to `unix_ms` (may go back: only for seeding before use).
    pub fn set_ms(&self, unix_ms: i64) {
        self.offset_ms
            .store(unix_ms - system_ms(), Ordering::SeqCst);
    }

    /// Current offset from system time, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

/// Formats a unix time (seconds) in China Standard Time (UTC+8) with `fmt`-style fields.
pub fn cst(unix: i64) -> time::OffsetDateTime {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("valid offset");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
}

/// `yyyyMMddHHmmss` in CST (Pay v2 `time_end`).
pub fn pay_time(unix: i64) -> String {
    let t = cst(unix);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `yyyyMMdd` in CST (bill dates).
pub fn pay_date(unix: i64) -> String {
    pay_time(unix)[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_and_set() {
        let c = Clock::new();
        let a = c.now();
        c.advance_ms(3_600_000);
        assert!(c.now() >= a + 3600);
        c.advance_ms(-10_000_000);
        assert!(c.now() >= a + 3600);
        c.set_ms(1_700_000_000_000);
        assert!((c.now() - 1_700_000_000).abs() <= 1);
        assert_eq!(pay_time(1_700_000_000), "20231115061320");
        assert_eq!(pay_date(1_700_000_000), "20231115");
    }
}
