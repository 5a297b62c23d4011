//! Reusable pieces of the console: toasts, dialogs, badges, copy buttons, pagers, states, fields.

pub mod badge;
pub mod confirm;
pub mod copy;
pub mod field;
pub mod icons;
pub mod pager;
pub mod state;
pub mod toast;

pub use badge::{Badge, EnvBadge, RoleBadge, Tone};
pub use confirm::{ConfirmDialog, Modal};
pub use copy::CopyButton;
pub use field::FieldRow;
pub use pager::{Pager, paginate};
pub use state::{EmptyState, ErrorState, LoadingState, SkeletonRows, error_card, reload};
pub use toast::{ToastHost, Toasts, use_toasts};
