//! Bills and reconciliation: download a day's bill (`downloadbill`, gzip), parse it with the
//! `wechat` crate's bill parser, compare it with our orders and refunds of that day, store the
//! report (one per merchant, day and bill type), show it and export it as CSV; a daily job does
//! yesterday's ALL bill of every merchant unattended.
//!
//! Claiming a day is race-safe across instances: the report row is unique per (merchant, day,
//! type) and carries a lease (`lease_holder`, `lease_until_ms`). Whoever inserts the row, or
//! takes over an expired lease with one conditional update, does the work; the others skip.
//!
//! - [`compare`]: a bill's rows split into payments and refunds, our side of the day loaded,
//!   and the comparison (pure, unit-tested);
//! - [`job`]: one run (claim → download → compare → store) shared by staff and the daily job,
//!   the claim with its lease, and the daily loop;
//! - [`handlers`]: the staff API (reconcile a day, list, detail, CSV download);
//! - [`csv`](mod@csv): the report as CSV.

pub mod compare;
pub mod csv;
pub mod handlers;
pub mod job;

pub use handlers::{create, csv, detail, list};
pub use job::{Trigger, daily_loop, daily_once, daily_once_at, run};
