//! The form-input set: a labelled row ([`FieldRow`](super::FieldRow)) around one control, with
//! help text and the inline validation message under it. Each input is bound to a value signal
//! and reports edits through callbacks, so any form state (the account form's, a modal's) can
//! drive it. Inputs get `id="f-<name>"` (the row's label points there) and
//! `data-testid="field-<name>"` unless a `testid` is given.

mod checkbox;
mod select;
mod text;
mod textarea;

pub use checkbox::CheckboxInput;
pub use select::SelectInput;
pub use text::TextInput;
pub use textarea::TextAreaInput;

/// `data-testid` of an input: the given one, else `field-<name>`.
fn testid(name: &'static str, given: Option<&'static str>) -> String {
    match given {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => format!("field-{name}"),
    }
}
