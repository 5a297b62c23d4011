//! Message log queries, portable across SQLite, PostgreSQL and MySQL (no full-text engine:
//! `LOWER(content) LIKE '%…%'` with `\` escaping).

use api::messages::{Direction, MessageQuery};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use time::{Date, OffsetDateTime, Time, format_description::well_known::Iso8601};

use crate::{
    entities::{inbound_message as inbound, outbound_message as outbound},
    error::{AppError, AppResult},
};

/// `%needle%` with LIKE's wildcards escaped by `\`, lower-cased.
pub fn like_pattern(needle: &str) -> String {
    crate::util::like_contains_pattern(&needle.to_lowercase())
}

fn contains(
    col: impl sea_orm::sea_query::IntoColumnRef,
    needle: &str,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(like_pattern(needle)).escape('\\'))
}

fn parse_day(field: &str, s: &str) -> AppResult<OffsetDateTime> {
    let d = Date::parse(s.trim(), &Iso8601::DATE)
        .map_err(|_| AppError::BadRequest(format!("{field} must be a date YYYY-MM-DD")))?;
    Ok(d.with_time(Time::MIDNIGHT).assume_utc())
}

/// The filters resolved once.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub user: Option<String>,
    pub msg_type: Option<String>,
    pub direction: Option<Direction>,
    pub from: Option<OffsetDateTime>,
    /// Exclusive (the day after `to`).
    pub until: Option<OffsetDateTime>,
    pub q: Option<String>,
}

impl Filter {
    pub fn parse(q: &MessageQuery) -> AppResult<Filter> {
        let nonempty = |o: &Option<String>| {
            o.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        Ok(Filter {
            user: nonempty(&q.user),
            msg_type: nonempty(&q.msg_type),
            direction: q.direction,
            from: nonempty(&q.from)
                .map(|s| parse_day("from", &s))
                .transpose()?,
            until: nonempty(&q.to)
                .map(|s| parse_day("to", &s).map(|d| d + time::Duration::days(1)))
                .transpose()?,
            q: nonempty(&q.q),
        })
    }

    fn inbound(&self, account_id: i64) -> Condition {
        let mut c = Condition::all().add(inbound::Column::AccountId.eq(account_id));
        if let Some(u) = &self.user {
            c = c.add(inbound::Column::FromUser.eq(u.as_str()));
        }
        if let Some(t) = &self.msg_type {
            c = c.add(inbound::Column::MsgType.eq(t.as_str()));
        }
        if let Some(f) = self.from {
            c = c.add(inbound::Column::ReceivedAt.gte(f));
        }
        if let Some(u) = self.until {
            c = c.add(inbound::Column::ReceivedAt.lt(u));
        }
        if let Some(q) = &self.q {
            c = c.add(contains(inbound::Column::Content, q));
        }
        c
    }

    fn outbound(&self, account_id: i64) -> Condition {
        let mut c = Condition::all().add(outbound::Column::AccountId.eq(account_id));
        if let Some(u) = &self.user {
            c = c.add(outbound::Column::ToUser.eq(u.as_str()));
        }
        if let Some(t) = &self.msg_type {
            c = c.add(outbound::Column::MsgType.eq(t.as_str()));
        }
        if let Some(f) = self.from {
            c = c.add(outbound::Column::CreatedAt.gte(f));
        }
        if let Some(u) = self.until {
            c = c.add(outbound::Column::CreatedAt.lt(u));
        }
        if let Some(q) = &self.q {
            c = c.add(contains(outbound::Column::Content, q));
        }
        c
    }
}

/// Up to `limit` newest matching rows of each direction, and the totals.
pub struct Slice {
    pub inbound: Vec<inbound::Model>,
    pub outbound: Vec<outbound::Model>,
    pub total: u64,
}

pub async fn newest<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    f: &Filter,
    limit: u64,
) -> AppResult<Slice> {
    let want_in = f.direction != Some(Direction::Out);
    let want_out = f.direction != Some(Direction::In);
    let mut s = Slice {
        inbound: Vec::new(),
        outbound: Vec::new(),
        total: 0,
    };
    if want_in {
        let q = inbound::Entity::find().filter(f.inbound(account_id));
        s.total += q.clone().count(db).await?;
        s.inbound = q
            .order_by_desc(inbound::Column::ReceivedAt)
            .order_by_desc(inbound::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
    }
    if want_out {
        let q = outbound::Entity::find().filter(f.outbound(account_id));
        s.total += q.clone().count(db).await?;
        s.outbound = q
            .order_by_desc(outbound::Column::CreatedAt)
            .order_by_desc(outbound::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
    }
    Ok(s)
}

/// The last inbound message of `user` (for the 48-hour window).
pub async fn last_inbound<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    user: &str,
) -> AppResult<Option<inbound::Model>> {
    Ok(inbound::Entity::find()
        .filter(inbound::Column::AccountId.eq(account_id))
        .filter(inbound::Column::FromUser.eq(user))
        .order_by_desc(inbound::Column::ReceivedAt)
        .order_by_desc(inbound::Column::Id)
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_a\\B"), "%50\\%\\_a\\\\b%");
        assert_eq!(like_pattern("你好"), "%你好%");
    }
}
