//! Enum columns: [`DbEnum<T>`] stores any [`StoredEnum`] (the `api` enums such as
//! `AccountKind` and `OrderState`, and a few server-only ones) as its text, the exact strings
//! the columns held when they were plain `String`s, so no data or migration is involved.
//!
//! A newtype, because sea-orm's traits cannot be implemented here for `api`'s types directly.
//! It compares equal to the bare enum (`model.kind == AccountKind::WorkApp`) and derefs to it.

use std::{fmt, ops::Deref, sync::Arc};

use api::{
    accounts::{AccountKind, WechatEnv},
    followers::SyncStatus,
    pay::{OrderState, TransitionCause},
};
use sea_orm::{
    ActiveValue, ColIdx, DbErr, IntoActiveValue, QueryResult, TryGetError, TryGetable, Value,
    sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr},
};

/// An enum with one fixed string per variant, as stored in the database.
pub trait StoredEnum: Copy + Sized + 'static {
    /// Names the enum in decoding errors.
    const NAME: &'static str;
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self>;
}

/// A column holding a [`StoredEnum`] as text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DbEnum<T>(pub T);

impl<T: StoredEnum> DbEnum<T> {
    /// The stored text.
    pub fn as_str(&self) -> &'static str {
        self.0.as_str()
    }
}

impl<T> Deref for DbEnum<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for DbEnum<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: PartialEq> PartialEq<T> for DbEnum<T> {
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

impl<T> From<T> for DbEnum<T> {
    fn from(value: T) -> Self {
        DbEnum(value)
    }
}

impl<T: StoredEnum> From<DbEnum<T>> for Value {
    fn from(value: DbEnum<T>) -> Value {
        value.0.as_str().into()
    }
}

/// A stored string no variant has: the row was written by something else.
#[derive(Debug)]
struct UnknownVariant {
    enum_name: &'static str,
    stored: String,
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a {}", self.stored, self.enum_name)
    }
}

impl std::error::Error for UnknownVariant {}

impl<T: StoredEnum> TryGetable for DbEnum<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let stored = String::try_get_by(res, index)?;
        T::parse(&stored).map(DbEnum).ok_or_else(|| {
            TryGetError::DbErr(DbErr::TryIntoErr {
                from: "String",
                into: T::NAME,
                source: Arc::new(UnknownVariant {
                    enum_name: T::NAME,
                    stored,
                }),
            })
        })
    }
}

impl<T: StoredEnum> ValueType for DbEnum<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        let stored = <String as ValueType>::try_from(v)?;
        T::parse(&stored).map(DbEnum).ok_or(ValueTypeErr)
    }

    fn type_name() -> String {
        T::NAME.to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::String(StringLen::None)
    }
}

impl<T: StoredEnum> Nullable for DbEnum<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T: StoredEnum> IntoActiveValue<DbEnum<T>> for DbEnum<T> {
    fn into_active_value(self) -> ActiveValue<DbEnum<T>> {
        ActiveValue::Set(self)
    }
}

/// `api` enums that already have `as_str` and `parse`.
macro_rules! stored_as_str {
    ($($ty:ident),*) => {$(
        impl StoredEnum for $ty {
            const NAME: &'static str = stringify!($ty);
            fn as_str(self) -> &'static str {
                $ty::as_str(self)
            }
            fn parse(s: &str) -> Option<Self> {
                $ty::parse(s)
            }
        }
    )*};
}

stored_as_str!(AccountKind, OrderState, TransitionCause);

/// Makes an enum storable with the given string per variant.
macro_rules! stored_enum {
    ($ty:ty { $($variant:path => $stored:literal),* $(,)? }) => {
        impl $crate::entities::db_enum::StoredEnum for $ty {
            const NAME: &'static str = stringify!($ty);
            fn as_str(self) -> &'static str {
                match self {
                    $($variant => $stored),*
                }
            }
            fn parse(s: &str) -> Option<Self> {
                match s {
                    $($stored => Some($variant),)*
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use stored_enum;

stored_enum!(WechatEnv {
    WechatEnv::Production => "production",
    WechatEnv::Sandbox => "sandbox",
});

// Background jobs: follower syncs, bulk taggings and reconciliations.
stored_enum!(SyncStatus {
    SyncStatus::Running => "running",
    SyncStatus::Done => "done",
    SyncStatus::Failed => "failed",
});

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: StoredEnum + PartialEq + fmt::Debug>(all: &[T]) {
        for v in all {
            assert_eq!(T::parse(v.as_str()), Some(*v));
        }
        assert_eq!(T::parse("no such variant"), None);
    }

    #[test]
    fn stored_strings_round_trip() {
        round_trips(&AccountKind::ALL);
        round_trips(&OrderState::ALL);
        round_trips(&[TransitionCause::Notify, TransitionCause::RefundNotify]);
        round_trips(&[WechatEnv::Production, WechatEnv::Sandbox]);
        round_trips(&[SyncStatus::Running, SyncStatus::Done, SyncStatus::Failed]);
    }

    #[test]
    fn stored_strings_are_the_historic_ones() {
        assert_eq!(AccountKind::PayMerchant.as_str(), "pay_merchant");
        assert_eq!(WechatEnv::Sandbox.as_str(), "sandbox");
        assert_eq!(OrderState::NotPay.as_str(), "NOTPAY");
        assert_eq!(SyncStatus::Running.as_str(), "running");
        assert_eq!(
            Value::from(DbEnum(AccountKind::WorkSuite)),
            Value::from("work_suite")
        );
    }
}
