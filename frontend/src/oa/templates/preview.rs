//! The message as a follower would see it: the template's title, its content with each field
//! replaced by the value typed (in its colour), and "详情" when the message opens a link or a
//! mini program.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{Piece, pieces};
use crate::i18n::{K, use_i18n};

/// A field as typed: value and colour (empty: WeChat's default).
pub type Values = BTreeMap<String, (String, String)>;

#[component]
pub fn MessagePreview(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] content: Signal<String>,
    values: RwSignal<Values>,
    #[prop(into)] has_jump: Signal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="tpl-preview" data-testid="tpl-preview" aria-live="polite">
            <div class="tpl-preview-label muted small">{move || i.t(K::TplPreview)}</div>
            <div class="tpl-bubble">
                <div class="tpl-bubble-title">{move || title.get()}</div>
                <div class="tpl-bubble-body">
                    {move || pieces(&content.get()).into_iter().map(|line| view! {
                        <div class="tpl-line">
                            {line.into_iter().map(|p| match p {
                                Piece::Text(t) => view! { <span>{t}</span> }.into_any(),
                                Piece::Field(k) => {
                                    // The typed value and colour of field `k`.
                                    let key = StoredValue::new(k.clone());
                                    let v = move || values.with(|m| key.with_value(|k| m.get(k).cloned()).unwrap_or_default());
                                    view! {
                                        <span
                                            data-testid=format!("tpl-preview-{k}")
                                            class=move || if v().0.trim().is_empty() { "tpl-empty-value" } else { "" }
                                            style=move || {
                                                let (_, c) = v();
                                                if api::templates::valid_color(&c) { format!("color: {c}") } else { String::new() }
                                            }
                                        >
                                            {move || {
                                                let (val, _) = v();
                                                if val.trim().is_empty() { key.with_value(|k| format!("{{{{{k}}}}}")) } else { val }
                                            }}
                                        </span>
                                    }.into_any()
                                }
                            }).collect_view()}
                        </div>
                    }).collect_view()}
                </div>
                <Show when=move || has_jump.get()>
                    <div class="tpl-bubble-more">
                        <span>{move || i.t(K::TplPreviewDetails)}</span>
                        <span aria-hidden="true">"›"</span>
                    </div>
                </Show>
            </div>
        </div>
    }
}
