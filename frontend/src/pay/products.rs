//! Products of a merchant: list, create, edit, deactivate; each links to its public page.

use api::pay::{CreateProductRequest, Product, UpdateProductRequest};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api as pay_api;
use super::{error_text, yuan};
use crate::auth::use_session;
use crate::components::{
    EmptyState, ErrorState, FieldRow, SkeletonRows, icons, reload, use_toasts,
};
use crate::i18n::{K, use_i18n};

/// The form's values and what is wrong with them (messages from the shared rules).
#[derive(Debug, Clone, Default)]
struct Form {
    name: String,
    price: String,
    description: String,
}

fn check(f: &Form, lang: api::Lang) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Err(r) = api::pay::product_name(&f.name) {
        out.push(("name", r.message(lang)));
    }
    match api::pay::yuan_to_fen(&f.price) {
        Some(p) => {
            if let Err(r) = api::pay::price_fen(p) {
                out.push(("price_fen", r.message(lang)));
            }
        }
        None => out.push(("price_fen", api::pay::ProductRule::PriceRange.message(lang))),
    }
    if let Err(r) = api::pay::product_description(&f.description) {
        out.push(("description", r.message(lang)));
    }
    out
}

#[component]
pub fn Products(merchant_id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let data = LocalResource::new(move || async move { pay_api::products(merchant_id).await });
    let form = RwSignal::new(Form::default());
    // `None`: creating; `Some(id)`: editing that product.
    let editing = RwSignal::new(None::<i64>);
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = move |field: &'static str| {
        Signal::derive(move || {
            if !submitted.get() {
                return None;
            }
            form.with(|f| check(f, i.lang()))
                .into_iter()
                .find(|(n, _)| *n == field)
                .map(|(_, m)| m)
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let f = form.get_untracked();
        if !check(&f, i.lang_now()).is_empty() {
            crate::util::focus_first_error();
            return;
        }
        let price = api::pay::yuan_to_fen(&f.price).unwrap_or_default();
        busy.set(true);
        spawn_local(async move {
            let r: Result<Product, _> = match editing.get_untracked() {
                None => {
                    pay_api::create_product(
                        merchant_id,
                        &CreateProductRequest {
                            name: f.name.trim().to_string(),
                            description: f.description.clone(),
                            price_fen: price,
                            active: true,
                        },
                    )
                    .await
                }
                Some(id) => {
                    pay_api::update_product(
                        id,
                        &UpdateProductRequest {
                            name: Some(f.name.trim().to_string()),
                            description: Some(f.description.clone()),
                            price_fen: Some(price),
                            active: None,
                        },
                    )
                    .await
                }
            };
            busy.set(false);
            match r {
                Ok(_) => {
                    toasts.success(i.now(K::PayProductSaved));
                    form.set(Form::default());
                    editing.set(None);
                    submitted.set(false);
                    reload(data);
                }
                Err(e) => toasts.error(error_text(&e, i.lang_now())),
            }
        });
    };
    let toggle = move |p: Product| {
        spawn_local(async move {
            let r: Result<Product, _> = pay_api::update_product(
                p.id,
                &UpdateProductRequest {
                    active: Some(!p.active),
                    ..Default::default()
                },
            )
            .await;
            match r {
                Ok(_) => reload(data),
                Err(e) => toasts.error(error_text(&e, i.lang_now())),
            }
        });
    };

    view! {
        <Show when=move || can_edit.get()>
            <section class="card">
                <h2 class="section-title">
                    {move || if editing.get().is_some() { i.t(K::PayEditProduct) } else { i.t(K::PayNewProduct) }}
                </h2>
                <form class="form-grid" data-testid="product-form" on:submit=save novalidate>
                    <FieldRow name="name" label=K::PayProductName required=true error=error("name")>
                        <input id="f-name" class="input" data-testid="product-name" maxlength="128"
                            prop:value=move || form.with(|f| f.name.clone())
                            on:input=move |ev| form.update(|f| f.name = event_target_value(&ev)) />
                    </FieldRow>
                    <FieldRow name="price_fen" label=K::PayProductPrice required=true error=error("price_fen")>
                        <input id="f-price_fen" class="input input-amount" inputmode="decimal" data-testid="product-price"
                            placeholder="18.00"
                            prop:value=move || form.with(|f| f.price.clone())
                            on:input=move |ev| form.update(|f| f.price = event_target_value(&ev)) />
                    </FieldRow>
                    <FieldRow name="description" label=K::PayProductDescription error=error("description")>
                        <input id="f-description" class="input" data-testid="product-description"
                            prop:value=move || form.with(|f| f.description.clone())
                            on:input=move |ev| form.update(|f| f.description = event_target_value(&ev)) />
                    </FieldRow>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="product-save" prop:disabled=move || busy.get()>
                            {move || if busy.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                        </button>
                        <Show when=move || editing.get().is_some()>
                            <button type="button" class="btn btn-ghost" on:click=move |_| {
                                editing.set(None);
                                form.set(Form::default());
                                submitted.set(false);
                            }>{move || i.t(K::Cancel)}</button>
                        </Show>
                    </div>
                </form>
            </section>
        </Show>
        <div class="card table-card">
            {move || match data.get() {
                None => view! { <SkeletonRows rows=3 cols=4 /> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                }
                .into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <EmptyState title=K::PayNoProductsTitle body=K::PayNoProductsBody testid="products-empty" />
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::PayProductName)}</th>
                                    <th class="num">{move || i.t(K::PayProductPrice)}</th>
                                    <th>{move || i.t(K::PayColState)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|p| {
                                    let page = format!("/pay/{}/products/{}", p.merchant_id, p.id);
                                    let for_edit = p.clone();
                                    let for_toggle = p.clone();
                                    let active = p.active;
                                    view! {
                                        <tr data-testid="product-row" data-product-id=p.id.to_string()>
                                            <td class="cell-main" data-label=move || i.t(K::PayProductName)>
                                                <span class="row-title">{p.name.clone()}</span>
                                                <span class="row-sub">"#"{p.id}" · "<span data-user-content>{p.description.clone()}</span></span>
                                            </td>
                                            <td class="num" data-label=move || i.t(K::PayProductPrice)>{yuan(p.price_fen)}</td>
                                            <td data-label=move || i.t(K::PayColState)>
                                                {if active {
                                                    view! { <span class="badge badge-green">{move || i.t(K::PayActive)}</span> }.into_any()
                                                } else {
                                                    view! { <span class="badge">{move || i.t(K::PayInactive)}</span> }.into_any()
                                                }}
                                            </td>
                                            <td class="row-actions">
                                                <a class="btn btn-ghost" href=page target="_blank" rel="noopener" data-testid="product-page-link">
                                                    {move || i.t(K::PayPublicPage)}
                                                </a>
                                                <Show when=move || can_edit.get()>
                                                    <button type="button" class="btn btn-ghost" data-testid="product-edit" on:click={
                                                        let p = for_edit.clone();
                                                        move |_| {
                                                            form.set(Form {
                                                                name: p.name.clone(),
                                                                price: api::pay::fen_to_yuan(p.price_fen),
                                                                description: p.description.clone(),
                                                            });
                                                            editing.set(Some(p.id));
                                                            submitted.set(false);
                                                        }
                                                    }>
                                                        {icons::edit()}
                                                        <span>{move || i.t(K::Edit)}</span>
                                                    </button>
                                                    <button type="button" class="btn btn-ghost" data-testid="product-toggle" on:click={
                                                        let p = for_toggle.clone();
                                                        move |_| toggle(p.clone())
                                                    }>
                                                        {move || if active { i.t(K::PayDeactivate) } else { i.t(K::PayActivate) }}
                                                    </button>
                                                </Show>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}
