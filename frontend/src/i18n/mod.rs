//! Every UI string, in Simplified Chinese (default) and English.
//!
//! Strings are looked up by key: `K::Save.text(lang)`, or reactively through [`I18n::t`].
//! Placeholders such as `{n}` are filled with [`fill`].
//!
//! The strings themselves are one table in `table.rs`, in sections per feature: `K` is a single
//! enum so every page can use any key, and a `macro_rules!` enum cannot be assembled from
//! several files.

use api::Lang;
use leptos::prelude::*;

macro_rules! keys {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum K {
            $($key,)*
        }

        impl K {
            /// Every key, for tests.
            pub const ALL: &'static [K] = &[$(K::$key,)*];

            /// `(Chinese, English)`.
            pub fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $(K::$key => ($zh, $en),)*
                }
            }
        }
    };
}

pub mod diagnoses;
pub mod errors;
pub mod failures;
mod table;

pub use table::K;

impl K {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = self.pair();
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// Replaces `{name}` in `template` with `value`.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

/// Reactive access to the current language.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// The text of `key` in the current language (tracked).
    pub fn t(self, key: K) -> &'static str {
        key.text(self.0.get())
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The current language (untracked, for event handlers).
    pub fn lang_now(self) -> Lang {
        self.0.get_untracked()
    }

    /// Untracked lookup, for event handlers and toasts.
    pub fn now(self, key: K) -> &'static str {
        key.text(self.0.get_untracked())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_key_has_both_languages() {
        for key in K::ALL {
            let (zh, en) = key.pair();
            assert!(!zh.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
        }
    }

    #[test]
    fn chinese_texts_are_chinese() {
        // Keys whose text is a brand, an identifier or the name of the other language.
        let same_ok: HashSet<K> = [
            K::AppName,
            K::OtherLanguage,
            K::FieldAgentId,
            K::FieldSuiteId,
            K::FieldSuiteSecret,
            K::SignMd5,
            K::SignHmacSha256,
            K::FieldOpenid,
            K::FieldUnionid,
        ]
        .into_iter()
        .collect();
        for key in K::ALL {
            let (zh, en) = key.pair();
            if !same_ok.contains(key) {
                assert_ne!(zh, en, "{key:?} is not translated");
            }
        }
    }

    #[test]
    fn placeholders_match() {
        for key in K::ALL {
            let (zh, en) = key.pair();
            for name in ["{n}", "{name}", "{masked}"] {
                assert_eq!(
                    zh.contains(name),
                    en.contains(name),
                    "{key:?} placeholder {name}"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("共 {n} 条", "n", "3"), "共 3 条");
    }

    #[test]
    fn language_switch_names_the_other_language() {
        assert_eq!(K::OtherLanguage.text(Lang::ZhCn), "English");
        assert_eq!(K::OtherLanguage.text(Lang::En), "中文");
    }
}
