//! Modal dialogs: a generic one and a confirmation (`confirm-ok`).

use leptos::prelude::*;

use super::icons;
use crate::i18n::{K, use_i18n};

#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || open.get()>
            <div
                class="modal-backdrop"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div class="modal" role="dialog" aria-modal="true">
                    <div class="modal-head">
                        <h2>{move || title.get()}</h2>
                        <button
                            type="button"
                            class="icon-btn"
                            title=move || i.t(K::Close)
                            on:click=move |_| open.set(false)
                        >
                            {icons::close()}
                        </button>
                    </div>
                    {children()}
                </div>
            </div>
        </Show>
    }
}

#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    confirm_label: K,
    busy_label: K,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Modal open=open title=title>
            <div class="modal-body">
                <p class="confirm-text">{move || body.get()}</p>
            </div>
            <div class="modal-foot">
                <button type="button" class="btn" on:click=move |_| open.set(false)>
                    {move || i.t(K::Cancel)}
                </button>
                <button
                    type="button"
                    class="btn btn-danger"
                    data-testid="confirm-ok"
                    disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {move || if busy.get() { i.t(busy_label) } else { i.t(confirm_label) }}
                </button>
            </div>
        </Modal>
    }
}
