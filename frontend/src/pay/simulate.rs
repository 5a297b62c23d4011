//! The simulate panel of a sandbox pay merchant: act as a payer — scan a product's mode-1 code,
//! or scan/pay a mode-2 `code_url` — and see the result (the scan callback, the paid order).

use api::accounts::Account;
use api::sandbox::{SandboxActRequest, SandboxActResult, SandboxAction};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::api as pay_api;
use super::{error_text, yuan};
use crate::components::icons;
use crate::i18n::{K, use_i18n};
use crate::sandbox::api as sandbox_api;

#[component]
pub fn PaySimulatePanel(account: Account) -> impl IntoView {
    let i = use_i18n();
    let id = account.id;
    let mode = RwSignal::new("product".to_string());
    let product = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let payer = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result: RwSignal<Option<Result<SandboxActResult, String>>> = RwSignal::new(None);
    let products =
        LocalResource::new(move || async move { pay_api::products(id).await.unwrap_or_default() });
    let payers = LocalResource::new(move || async move {
        sandbox_api::people(id, "")
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        if let Some(list) = products.get()
            && product.get_untracked().is_empty()
            && let Some(p) = list.iter().find(|p| p.active)
        {
            product.set(p.id.to_string());
        }
    });
    let code_missing = Memo::new(move |_| mode.get() == "code" && code.get().trim().is_empty());
    let submitted = RwSignal::new(false);

    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let action = if mode.get_untracked() == "product" {
            match product.get_untracked().parse::<i64>() {
                Ok(product_id) => SandboxAction::PayProduct { product_id },
                Err(_) => return,
            }
        } else {
            if code_missing.get_untracked() {
                return;
            }
            SandboxAction::PayCode {
                code: code.get_untracked().trim().to_string(),
            }
        };
        let who = payer.get_untracked();
        let req = SandboxActRequest {
            subject: (!who.is_empty()).then_some(who),
            action,
        };
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let r = sandbox_api::act(id, &req).await;
            result.set(Some(r.map_err(|e| error_text(&e, i.lang_now()))));
            busy.set(false);
        });
    };

    view! {
        <section class="card simulate-panel" data-testid="simulate-panel">
            <div class="card-head">
                <h2 class="section-title">
                    {icons::flask()}
                    <span>{move || i.t(K::Simulate)}</span>
                </h2>
            </div>
            <p class="muted small">{move || i.t(K::SimPayHint)}</p>
            <form class="simulate-controls" on:submit=send novalidate>
                <label class="field">
                    <span class="field-label">{move || i.t(K::SimPayer)}</span>
                    <select class="select" data-testid="simulate-payer" on:change=move |ev| payer.set(event_target_value(&ev))>
                        <option value="">{move || i.t(K::SimNewPayer)}</option>
                        {move || payers.get().unwrap_or_default().into_iter().map(|p| {
                            let label = format!("{} · {}", if p.name.is_empty() { "—" } else { p.name.as_str() }, p.id);
                            view! { <option value=p.id.clone() prop:selected=move || payer.get() == p.id>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{move || i.t(K::SimAction)}</span>
                    <select class="select" data-testid="simulate-pay-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                        <option value="product" prop:selected=move || mode.get() == "product">{move || i.t(K::SimPayProduct)}</option>
                        <option value="code" prop:selected=move || mode.get() == "code">{move || i.t(K::SimPayCode)}</option>
                    </select>
                </label>
                <Show
                    when=move || mode.get() == "product"
                    fallback=move || view! {
                        <label class="field simulate-text-field" class:has-error=move || submitted.get() && code_missing.get()>
                            <span class="field-label">{move || i.t(K::SimPayCodeLabel)}</span>
                            <input type="text" class="input mono" data-testid="simulate-code"
                                placeholder="weixin://wxpay/bizpayurl?pr=…"
                                prop:value=move || code.get()
                                on:input=move |ev| code.set(event_target_value(&ev)) />
                            <Show when=move || submitted.get() && code_missing.get()>
                                <p class="field-error" role="alert" data-testid="error-code">{move || i.t(K::SimPayCodeRequired)}</p>
                            </Show>
                        </label>
                    }
                >
                    <label class="field">
                        <span class="field-label">{move || i.t(K::PayColProduct)}</span>
                        <select class="select" data-testid="simulate-product" on:change=move |ev| product.set(event_target_value(&ev))>
                            {move || products.get().unwrap_or_default().into_iter().filter(|p| p.active).map(|p| {
                                let v = p.id.to_string();
                                let label = format!("{} · {}", p.name, yuan(p.price_fen));
                                view! { <option value=v.clone() prop:selected=move || product.get() == v>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button type="submit" class="btn btn-primary" data-testid="simulate-pay" prop:disabled=move || busy.get()>
                    {move || if busy.get() { i.t(K::SimPaying) } else { i.t(K::SimScanAndPay) }}
                </button>
            </form>
            {move || result.get().map(|r| view! {
                <div class="simulate-result" data-testid="simulate-result">
                    {match r {
                        Err(msg) => view! { <div class="bubble bubble-error">{msg}</div> }.into_any(),
                        Ok(res) => pay_result(res).into_any(),
                    }}
                </div>
            })}
        </section>
    }
}

fn pay_result(res: SandboxActResult) -> impl IntoView {
    let i = use_i18n();
    let payment = res.payment.clone();
    view! {
        <div class=if res.ok { "delivery-status ok" } else { "delivery-status fail" } data-outcome=res.outcome.clone()>
            {move || if res.ok { i.t(K::SimPaid) } else { i.t(K::SimPayFailed) }}
            {res.subject.clone().map(|s| view! { <span class="mono small">" · "{s}</span> })}
        </div>
        {res.reply_error.clone().map(|e| view! { <div class="bubble bubble-error" data-testid="simulate-pay-error">{e}</div> })}
        {payment.map(|p| view! {
            <dl class="kvs small" data-testid="simulate-payment" data-state=p.state.clone()>
                <div class="kv"><dt>{move || i.t(K::PayColOrder)}</dt><dd class="mono wrap">{p.out_trade_no.clone()}</dd></div>
                <div class="kv"><dt>{move || i.t(K::PayTransactionId)}</dt><dd class="mono wrap">{p.transaction_id.clone()}</dd></div>
                <div class="kv"><dt>{move || i.t(K::PayColState)}</dt><dd><b data-testid="simulate-payment-state" data-state=p.state.clone()>{
                    let st = ::api::pay::OrderState::parse(&p.state);
                    let raw = p.state.clone();
                    move || st.map_or_else(|| raw.clone(), |s| i.t(super::state_key(s)).to_string())
                }</b></dd></div>
                <div class="kv">
                    <dt>{move || i.t(K::PayPublicPage)}</dt>
                    <dd>
                        <a href=p.order_url.clone() target="_blank" rel="noopener" data-testid="simulate-order-link">{p.order_url.clone()}</a>
                        {p.order_id.map(|oid| view! { " · " <A href=format!("/pay/orders/{oid}") attr:data-testid="simulate-order-detail">{move || i.t(K::PayOrderInfo)}</A> })}
                    </dd>
                </div>
            </dl>
        })}
        {(!res.url.is_empty()).then(|| view! {
            <details class="delivery-raw">
                <summary>{move || i.t(K::SimScanCallback)}</summary>
                <dl class="kvs small">
                    <div class="kv"><dt>"URL"</dt><dd class="mono wrap">{res.url.clone()}</dd></div>
                </dl>
                <h4>{move || i.t(K::SimPushed)}</h4>
                <pre class="mono">{res.message.clone()}</pre>
                {res.reply.clone().map(|r| view! { <h4>{move || i.t(K::SimReply)}</h4><pre class="mono">{r}</pre> })}
            </details>
        })}
    }
}
