//! Reusable pieces of the console, one per file:
//! - the chrome around pages: brand, language switch, logout, page header, not-found and
//!   no-permission cards;
//! - the list kit: [`SearchBox`], [`FilterSelect`], [`table_states`] (skeleton / error / empty /
//!   table) and [`Pager`];
//! - the form-input set in [`form`], on [`FieldRow`];
//! - toasts, dialogs, badges, copy buttons, icons.

pub mod badge;
pub mod brand;
pub mod chart;
pub mod confirm;
pub mod copy;
pub mod date_input;
pub mod datetime_input;
pub mod failure;
pub mod field;
pub mod filter_select;
pub mod form;
pub mod icons;
pub mod lang_switch;
pub mod logout;
pub mod named;
pub mod no_permission;
pub mod not_found;
pub mod page_header;
pub mod pager;
pub mod search_box;
pub mod state;
pub mod sys_info;
pub mod tabs;
pub mod toast;

pub use badge::{Badge, EnvBadge, RoleBadge, Tone};
pub use brand::Brand;
pub use chart::{DayChart, Series};
pub use confirm::{ConfirmDialog, Modal};
pub use copy::CopyButton;
pub use date_input::DateInput;
pub use datetime_input::DateTimeInput;
pub use failure::FailureText;
pub use field::FieldRow;
pub use filter_select::{FilterOption, FilterSelect};
pub use lang_switch::LangSwitch;
pub use logout::LogoutButton;
pub use named::{mark, named};
pub use no_permission::NoPermission;
pub use not_found::{NotFound, NotFoundPage};
pub use page_header::PageHeader;
pub use pager::{Pager, paginate};
pub use search_box::{SearchBox, debounced};
pub use state::{
    EmptyState, ErrorState, LoadingState, SkeletonRows, error_card, reload, table_states,
};
pub use sys_info::SysInfo;
pub use tabs::TabStrip;
pub use toast::{ToastHost, Toasts, use_toasts};
