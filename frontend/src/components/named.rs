//! Text with people's and things' names in it ("{who} 发起于 …", "「门店海报」"): the names are
//! data, not UI text, and are marked as such (`data-user-content`) so that tools reading the
//! page (the zh-CN word walk, screen readers' language switching) can tell them apart.

use leptos::prelude::*;

const START: char = '\u{2}';
const END: char = '\u{3}';

/// `name` marked for [`named`] (use it as the value of a template's placeholder).
pub fn mark(name: &str) -> String {
    format!("{START}{name}{END}")
}

/// `text` with its [`mark`]ed names and its 「quoted」 names in spans of their own.
pub fn named(text: &str) -> AnyView {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let next = rest.char_indices().find(|(_, c)| *c == START || *c == '「');
        let Some((at, open)) = next else {
            parts.push(view! { {rest.to_string()} }.into_any());
            break;
        };
        let close = if open == START { END } else { '」' };
        let inner_start = at + open.len_utf8();
        let Some(len) = rest[inner_start..].find(close) else {
            parts.push(view! { {rest.to_string()} }.into_any());
            break;
        };
        let name = rest[inner_start..inner_start + len].to_string();
        parts.push(view! { {rest[..at].to_string()} }.into_any());
        parts.push(if open == START {
            view! { <span data-user-content>{name}</span> }.into_any()
        } else {
            view! { "「"<span data-user-content>{name}</span>"」" }.into_any()
        });
        rest = &rest[inner_start + len + close.len_utf8()..];
    }
    parts.into_iter().collect_view().into_any()
}
