//! Transient notifications (`data-testid="toast"`).

use std::time::Duration;

use leptos::prelude::*;

use super::icons;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

#[derive(Debug, Clone, PartialEq)]
struct ToastItem {
    id: u64,
    kind: ToastKind,
    text: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<ToastItem>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn provide() -> Toasts {
        let toasts = Toasts {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
        };
        provide_context(toasts);
        toasts
    }

    pub fn push(self, kind: ToastKind, text: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let item = ToastItem {
            id,
            kind,
            text: text.into(),
        };
        self.items.update(|items| {
            items.push(item);
            // Keep the stack short.
            while items.len() > 4 {
                items.remove(0);
            }
        });
        let ms = if kind == ToastKind::Error { 6000 } else { 3500 };
        set_timeout(move || self.dismiss(id), Duration::from_millis(ms));
    }

    pub fn success(self, text: impl Into<String>) {
        self.push(ToastKind::Success, text);
    }

    pub fn error(self, text: impl Into<String>) {
        self.push(ToastKind::Error, text);
    }

    pub fn info(self, text: impl Into<String>) {
        self.push(ToastKind::Info, text);
    }

    fn dismiss(self, id: u64) {
        let _ = self.items.try_update(|items| items.retain(|t| t.id != id));
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" aria-live="polite">
            <For
                each=move || toasts.items.get()
                key=|t| t.id
                children=move |t: ToastItem| {
                    let id = t.id;
                    let (class, icon) = match t.kind {
                        ToastKind::Success => ("toast toast-success", icons::check().into_any()),
                        ToastKind::Error => ("toast toast-error", icons::alert().into_any()),
                        ToastKind::Info => ("toast toast-info", icons::info().into_any()),
                    };
                    let role = if t.kind == ToastKind::Error { "alert" } else { "status" };
                    view! {
                        <div class=class data-testid="toast" role=role>
                            <span class="toast-icon">{icon}</span>
                            <span class="toast-text">{t.text}</span>
                            <button
                                class="toast-close"
                                aria-label="×"
                                on:click=move |_| toasts.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
