//! The account's two template industries (主营行业 / 副营行业): what WeChat has, and a form to
//! change them with WeChat's 41 industry codes.

use api::staff::Role;
use api::templates::{Industry, IndustryClass, IndustryInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as tpl_api;
use crate::auth::use_session;
use crate::components::{FieldRow, Modal, icons, reload, use_toasts};
use crate::i18n::{K, use_i18n};

/// WeChat's industry codes 1–41, in order (code = index + 1).
const INDUSTRIES: [K; 41] = [
    K::TplInd1,
    K::TplInd2,
    K::TplInd3,
    K::TplInd4,
    K::TplInd5,
    K::TplInd6,
    K::TplInd7,
    K::TplInd8,
    K::TplInd9,
    K::TplInd10,
    K::TplInd11,
    K::TplInd12,
    K::TplInd13,
    K::TplInd14,
    K::TplInd15,
    K::TplInd16,
    K::TplInd17,
    K::TplInd18,
    K::TplInd19,
    K::TplInd20,
    K::TplInd21,
    K::TplInd22,
    K::TplInd23,
    K::TplInd24,
    K::TplInd25,
    K::TplInd26,
    K::TplInd27,
    K::TplInd28,
    K::TplInd29,
    K::TplInd30,
    K::TplInd31,
    K::TplInd32,
    K::TplInd33,
    K::TplInd34,
    K::TplInd35,
    K::TplInd36,
    K::TplInd37,
    K::TplInd38,
    K::TplInd39,
    K::TplInd40,
    K::TplInd41,
];

fn class_text(c: &Option<IndustryClass>) -> Option<String> {
    c.as_ref().map(|c| {
        if c.second_class.is_empty() || c.second_class == c.first_class {
            c.first_class.clone()
        } else {
            format!("{} · {}", c.first_class, c.second_class)
        }
    })
}

#[component]
pub fn IndustryCard(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(move || tpl_api::industry(id));

    let open = RwSignal::new(false);
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let required = move |v: RwSignal<String>| {
        Signal::derive(move || {
            (touched.get() && v.with(|s| s.is_empty()))
                .then(|| i.t(K::TplIndustryRequired).to_string())
        })
    };
    let first_error = required(first);
    let second_error = required(second);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        server_error.set(None);
        let (Ok(a), Ok(b)) = (
            first.get_untracked().parse::<i64>(),
            second.get_untracked().parse::<i64>(),
        ) else {
            return;
        };
        let req = IndustryInput {
            industry_id1: a,
            industry_id2: b,
        };
        saving.set(true);
        spawn_local(async move {
            match tpl_api::set_industry(id, &req).await {
                Ok(_) => {
                    toasts.success(i.now(K::TplIndustrySaved));
                    open.set(false);
                    reload(data);
                }
                Err(e) => server_error.set(Some(e.message(i.lang_now()))),
            }
            let _ = saving.try_set(false);
        });
    };
    let select = move |value: RwSignal<String>, name: &'static str, testid: &'static str| {
        view! {
            <select id=format!("f-{name}") class="select" data-testid=testid
                on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{move || i.t(K::TplChoose)}</option>
                {INDUSTRIES.iter().enumerate().map(|(n, k)| {
                    let code = (n + 1).to_string();
                    let sel = code.clone();
                    let k = *k;
                    view! { <option value=code prop:selected=move || value.get() == sel>{move || i.t(k)}</option> }
                }).collect_view()}
            </select>
        }
    };

    let shown = move |ind: Industry| {
        let row = |label: K, text: Option<String>, testid: &'static str| {
            view! {
                <div class="kv">
                    <dt>{move || i.t(label)}</dt>
                    <dd data-testid=testid>{match text {
                        Some(t) => view! { <span>{t}</span> }.into_any(),
                        None => view! { <span class="muted">{move || i.t(K::TplIndustryNotSet)}</span> }.into_any(),
                    }}</dd>
                </div>
            }
        };
        view! {
            <dl class="kvs">
                {row(K::TplIndustryPrimary, class_text(&ind.primary), "tpl-industry-primary")}
                {row(K::TplIndustrySecondary, class_text(&ind.secondary), "tpl-industry-secondary")}
            </dl>
        }
    };

    view! {
        <section class="card" data-testid="tpl-industry">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::TplIndustryTitle)}</h2>
                <Show when=move || can_edit.get()>
                    <button type="button" class="btn btn-sm" data-testid="tpl-industry-edit"
                        on:click=move |_| { touched.set(false); server_error.set(None); open.set(true); }>
                        {icons::edit()}
                        <span>{move || i.t(K::TplIndustryChange)}</span>
                    </button>
                </Show>
            </div>
            {move || match data.get() {
                None => view! { <p class="muted">{move || i.t(K::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <div class="alert alert-error" role="alert">{e.message(i.lang())}</div> }.into_any(),
                Some(Ok(ind)) => shown(ind).into_any(),
            }}
            <p class="field-help">{move || i.t(K::TplIndustryHelp)}</p>
            <Modal open=open title=Signal::derive(move || i.t(K::TplIndustryChange).to_string())>
                <form on:submit=on_submit novalidate>
                    <div class="modal-body">
                        <FieldRow name="industry_id1" label=K::TplIndustryPrimary required=true error=first_error>
                            {select(first, "industry_id1", "tpl-industry1")}
                        </FieldRow>
                        <FieldRow name="industry_id2" label=K::TplIndustrySecondary required=true error=second_error>
                            {select(second, "industry_id2", "tpl-industry2")}
                        </FieldRow>
                        {move || server_error.get().map(|e| view! { <div class="alert alert-error" role="alert" data-testid="tpl-industry-error">{e}</div> })}
                    </div>
                    <div class="modal-foot">
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                        <button type="submit" class="btn btn-primary" data-testid="tpl-industry-save" disabled=move || saving.get()>
                            {move || i.t(if saving.get() { K::Saving } else { K::Save })}
                        </button>
                    </div>
                </form>
            </Modal>
        </section>
    }
}
