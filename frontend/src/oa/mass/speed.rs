//! The 群发 tab's speed card: the level WeChat sends this account's mass messages at
//! (`message/mass/speed/get`, read live) and, for operators, a choice of the five levels.

use api::mass::{MASS_SPEED_LEVELS, MassSpeedInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as mass_api;
use crate::components::use_toasts;
use crate::i18n::{K, fill, use_i18n};

fn level_label(i: crate::i18n::I18n, level: usize) -> String {
    fill(
        i.t(K::MassSpeedLevel),
        "n",
        &MASS_SPEED_LEVELS[level].to_string(),
    )
}

#[component]
pub fn Speed(id: i64, can_edit: Memo<bool>) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let tick = RwSignal::new(0u32);
    let current = LocalResource::new(move || {
        tick.get();
        mass_api::speed(id)
    });
    let chosen = RwSignal::new(None::<u8>);
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(speed) = chosen.get_untracked() else {
            return;
        };
        saving.set(true);
        error.set(None);
        spawn_local(async move {
            match mass_api::set_speed(id, &MassSpeedInput { speed }).await {
                Ok(_) => {
                    toasts.success(i.now(K::MassSpeedSaved));
                    chosen.set(None);
                    tick.update(|t| *t += 1);
                }
                Err(e) => error.set(Some(e.message(i.lang_now()))),
            }
            saving.set(false);
        });
    };
    view! {
        <section class="card" data-testid="mass-speed">
            <h3 class="section-title">{move || i.t(K::MassSpeedTitle)}</h3>
            <p class="muted small">{move || i.t(K::MassSpeedHint)}</p>
            {move || current.get().map(|r| match r {
                Ok(s) => {
                    let level = usize::from(s.speed).min(MASS_SPEED_LEVELS.len() - 1);
                    view! {
                        <p data-testid="mass-speed-current" data-level=s.speed.to_string()>
                            {move || i.t(K::MassSpeedCurrent)}": "
                            <strong>{fill(i.t(K::MassSpeedRealspeed), "n", &s.realspeed.to_string())}</strong>
                        </p>
                        <Show when=move || can_edit.get()>
                            <div class="form-row">
                                <select
                                    class="input"
                                    data-testid="mass-speed-select"
                                    aria-label=move || i.t(K::MassSpeedTitle)
                                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                                >
                                    {(0..MASS_SPEED_LEVELS.len()).map(|l| view! {
                                        <option value=l.to_string() selected=l == level>{move || level_label(i, l)}</option>
                                    }).collect_view()}
                                </select>
                                <button
                                    type="button"
                                    class="btn"
                                    data-testid="mass-speed-save"
                                    prop:disabled=move || saving.get() || chosen.get().is_none()
                                    on:click=save
                                >
                                    {move || if saving.get() { i.t(K::Saving) } else { i.t(K::MassSpeedSave) }}
                                </button>
                            </div>
                        </Show>
                    }
                        .into_any()
                }
                Err(e) => view! { <div class="alert alert-error">{e.message(i.lang())}</div> }.into_any(),
            })}
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
        </section>
    }
}
