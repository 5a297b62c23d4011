//! The shared state of the account form: values, what was touched, errors to show.

use api::accounts::{Account, SecretView};
use api::validate::Issues;
use leptos::prelude::*;

use super::values::{SECRETS, Values, original_secret};

/// Shared state of the form.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub(super) values: Values,
    pub(super) original: StoredValue<Option<Account>>,
    pub(super) touched: RwSignal<Vec<&'static str>>,
    pub(super) submitted: RwSignal<bool>,
    pub(super) server_errors: RwSignal<Vec<(String, String)>>,
    pub(super) issues: Memo<Issues>,
    /// May replace secrets (admins).
    pub(super) can_secrets: Memo<bool>,
}

impl Form {
    pub(super) fn editing(self) -> bool {
        self.original.with_value(|o| o.is_some())
    }

    pub(super) fn touch(self, name: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&name)) {
            self.touched.update(|t| t.push(name));
        }
    }

    pub(super) fn set(self, name: &'static str, value: String) {
        self.server_errors.update(|e| e.retain(|(f, _)| f != name));
        self.values.get(name).set(value);
    }

    /// The message to show under `name`, if any (tracked).
    pub(super) fn error(self, name: &'static str, lang: api::Lang) -> Option<String> {
        if let Some(msg) = self
            .server_errors
            .with(|e| e.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone()))
        {
            return Some(msg);
        }
        if !(self.submitted.get() || self.touched.with(|t| t.contains(&name))) {
            return None;
        }
        self.issues
            .with(|issues| issues.for_field(name))
            .map(|rule| rule.message(lang))
    }

    pub(super) fn secret_view(self, name: &str) -> Option<SecretView> {
        self.original
            .with_value(|o| o.as_ref().map(|a| original_secret(a, name)))
    }

    /// Editing a WeCom-app account that operates a corp through a suite: it has no secret of
    /// its own (the server refuses one), so the form shows none.
    pub(super) fn managed(self) -> bool {
        self.original.with_value(|o| {
            matches!(o.as_ref().map(|a| &a.settings), Some(api::accounts::AccountSettings::WorkApp(w)) if w.suite_corp.is_some())
        })
    }

    /// Secret inputs are locked when editing without the right to replace secrets.
    pub(super) fn locked(self, name: &str) -> bool {
        self.editing() && SECRETS.contains(&name) && !self.can_secrets.get()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gen {
    Token,
    AesKey,
}
