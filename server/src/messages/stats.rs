//! Activity per day for an account's overview: follows and unfollows (from the `subscribe` /
//! `unsubscribe` events the callback stored), messages received and messages sent, per
//! Beijing-time day.
//!
//! The rows of the window are read with only the columns needed and counted here: grouping by a
//! day in Beijing time would need a different SQL expression on each of the three databases.

use std::collections::BTreeMap;

use api::messages::{
    ACTIVITY_DEFAULT_DAYS, ACTIVITY_MAX_DAYS, ActivityDay, DailyActivity, DailyQuery,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use time::{Date, Duration, OffsetDateTime, UtcOffset, macros::format_description};

use crate::entities::outbound_message::SendStatus;
use crate::entities::{db_enum::DbEnum, inbound_message, outbound_message};
use crate::error::{AppError, AppResult};

fn beijing() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).expect("valid offset")
}

fn day_of(t: OffsetDateTime) -> Date {
    t.to_offset(beijing()).date()
}

fn ymd(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// The last `q.days` Beijing days up to the day of `now`.
pub async fn daily(
    db: &DatabaseConnection,
    account_id: i64,
    q: &DailyQuery,
    now: OffsetDateTime,
) -> AppResult<DailyActivity> {
    let n = q.days.unwrap_or(ACTIVITY_DEFAULT_DAYS);
    if !(1..=ACTIVITY_MAX_DAYS).contains(&n) {
        return Err(AppError::BadRequest(format!(
            "days must be 1–{ACTIVITY_MAX_DAYS}"
        )));
    }
    let to = day_of(now);
    let from = to - Duration::days(i64::from(n) - 1);
    let start = from.midnight().assume_offset(beijing());
    let mut days: BTreeMap<Date, ActivityDay> = (0..n)
        .map(|k| {
            let d = from + Duration::days(i64::from(k));
            (
                d,
                ActivityDay {
                    date: ymd(d),
                    ..Default::default()
                },
            )
        })
        .collect();

    let inbound: Vec<(OffsetDateTime, String, Option<String>)> = inbound_message::Entity::find()
        .select_only()
        .column(inbound_message::Column::ReceivedAt)
        .column(inbound_message::Column::MsgType)
        .column(inbound_message::Column::Event)
        .filter(inbound_message::Column::AccountId.eq(account_id))
        .filter(inbound_message::Column::ReceivedAt.gte(start))
        .into_tuple()
        .all(db)
        .await?;
    for (at, msg_type, event) in inbound {
        let Some(day) = days.get_mut(&day_of(at)) else {
            continue;
        };
        if msg_type != "event" {
            day.inbound += 1;
            continue;
        }
        match event.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("subscribe") => day.subscribed += 1,
            Some("unsubscribe") => day.unsubscribed += 1,
            _ => {}
        }
    }

    let outbound: Vec<OffsetDateTime> = outbound_message::Entity::find()
        .select_only()
        .column(outbound_message::Column::CreatedAt)
        .filter(outbound_message::Column::AccountId.eq(account_id))
        .filter(outbound_message::Column::CreatedAt.gte(start))
        .filter(outbound_message::Column::Status.eq(DbEnum(SendStatus::Sent)))
        .into_tuple()
        .all(db)
        .await?;
    for at in outbound {
        if let Some(day) = days.get_mut(&day_of(at)) {
            day.outbound += 1;
        }
    }

    Ok(DailyActivity {
        from: ymd(from),
        to: ymd(to),
        days: days.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_are_beijing_days() {
        // 16:30 UTC is half past midnight the next day in Beijing.
        assert_eq!(ymd(day_of(datetime!(2026-03-01 16:30 UTC))), "2026-03-02");
        assert_eq!(ymd(day_of(datetime!(2026-03-01 15:59 UTC))), "2026-03-01");
    }
}
